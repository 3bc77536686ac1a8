package dev.strand.cli;

import dev.strand.genomics.attention.AttentionMaps;
import dev.strand.genomics.attention.AttentionTrack;
import dev.strand.genomics.attention.CandidateRegions;
import dev.strand.genomics.attention.CandidateRegions.Region;
import dev.strand.genomics.attention.MotifFinder;
import dev.strand.genomics.data.LabelledDataset;
import dev.strand.genomics.io.FastaReader;
import dev.strand.genomics.io.FastaRecord;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.genomics.train.SavedModel;
import dev.strand.nn.attention.BigBirdAttention;
import dev.strand.nn.attention.BigBirdLayout;
import dev.strand.nn.checkpoint.AtomicFiles;
import dev.strand.nn.transformer.Encoder;
import dev.strand.nn.transformer.TransformerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Looks inside a pretrained masked language model or a model fine-tuned from one: attention heatmaps of every layer and head,
 * the DNABERT-viz per-base attention track, and motifs enriched in positive over negative
 * sequences. The algorithms are in {@code dev.strand.genomics.attention}; this reads the inputs
 * and writes the files.
 */
@Command(name = "attention", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Attention maps, per-base attention scores and attention motifs (DNABERT-viz) from a pretrained or fine-tuned masked language model.",
                "For each --sequence/--fasta record, DIR/NAME/ gets layerL_headH.png, all_heads.png, scores.tsv (position, base, score; "
                        + "1-based), scores.png and regions.tsv. With --positives/--negatives (or --labelled), DIR gets motifs.tsv and "
                        + "motif_regions.tsv (regions 1-based, inclusive)."})
final class AttentionCommand extends StepCommand<AttentionCommand.Outcome> {
    @Mixin DeviceOption device;

    @Mixin ModelOption model;

    @Mixin AdapterOption adapter;

    @Option(names = "--sequence", description = "One DNA sequence (A, C, G, T, N) to draw.")
    String sequence;

    @Option(names = "--fasta", description = "FASTA of sequences to draw.")
    Path fasta;

    @Option(names = "--max", defaultValue = "10", description = "Draw at most this many --fasta records (default ${DEFAULT-VALUE}).")
    int max;

    @Option(names = "--positives", description = "FASTA of positive sequences for motif finding (needs --negatives).")
    Path positives;

    @Option(names = "--negatives", description = "FASTA of negative sequences for motif finding.")
    Path negatives;

    @Option(names = "--labelled", description = "CSV/TSV with a sequence column and a label column (1 positive, 0 negative), instead of --positives/--negatives.")
    Path labelled;

    @Option(names = "--out", defaultValue = "runs/attention", description = "Output directory (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--layer", description = "Layer (1-based) whose [CLS] attention makes the score track (default: the last, as DNABERT-viz).")
    Integer layer;

    @Option(names = "--no-heatmaps", description = "Skip the per-head PNGs (all_heads.png is still drawn).")
    boolean noHeatmaps;

    @Option(names = "--min-length", defaultValue = "5", description = "Shortest candidate region in bases (default ${DEFAULT-VALUE}).")
    int minLength;

    @Option(names = "--times-minimum", defaultValue = "10", description = "Region scores must exceed this × the track's minimum (default ${DEFAULT-VALUE}).")
    double timesMinimum;

    @Option(names = "--fdr", defaultValue = "0.005", description = "Benjamini-Hochberg q-value below which a motif is kept (default ${DEFAULT-VALUE}).")
    double fdr;

    @Option(names = "--min-instances", defaultValue = "3", description = "Fewest regions in positives a motif needs (default ${DEFAULT-VALUE}).")
    int minInstances;

    @Option(names = "--merge-score", defaultValue = "5", description = "Matching bases of the best gapless overlap that merge two motifs (default ${DEFAULT-VALUE}).")
    int mergeScore;

    /** What was drawn and found: sequences drawn, their candidate regions, and the motifs (null without positives). */
    record Outcome(int drawn, int candidateRegions, MotifFinder.Result motifs) {}

    @Override
    Outcome execute() throws Exception {
        device.use();
        MotifFinder.Settings settings = new MotifFinder.Settings(minLength, timesMinimum, fdr, minInstances, mergeScore);
        List<FastaRecord> drawn = drawnSequences();
        List<FastaRecord> pos = new ArrayList<>(), neg = new ArrayList<>();
        readMotifInputs(pos, neg);
        if (drawn.isEmpty() && pos.isEmpty()) {
            throw new IllegalArgumentException("nothing to do: give --sequence or --fasta to draw, and/or --positives with --negatives (or --labelled) to find motifs");
        }
        for (FastaRecord s : drawn) AttentionMaps.check(s.name(), s.sequence());
        for (FastaRecord s : pos) AttentionMaps.check(s.name(), s.sequence());
        for (FastaRecord s : neg) AttentionMaps.check(s.name(), s.sequence());

        // DNABERT-viz reads a fine-tuned classifier's attention; a pretrained MLM's works too.
        SavedModel saved = adapter.onto(model.saved());
        Encoder encoder = saved.loadEncoder();
        Tokenizer tok = saved.tokenizer();
        TransformerConfig config = encoder.config();
        int layers = config.layers();
        if (layer != null && (layer < 1 || layer > layers)) throw new IllegalArgumentException("--layer must be 1 to " + layers + ", got " + layer);
        int trackLayer = layer == null ? layers - 1 : layer - 1;
        for (FastaRecord s : drawn) AttentionMaps.requireFits(tok, config, s.name(), s.sequence());
        for (FastaRecord s : pos) AttentionMaps.requireFits(tok, config, s.name(), s.sequence());
        System.out.printf(Locale.ROOT, "model %s: %s tokenizer, %d layers × %d heads, at most %d tokens%n", saved.checkpoint(), tok.kind(),
                layers, config.heads(), config.maxLength());
        Files.createDirectories(out);

        ProgressBar bar = new ProgressBar("attention", drawn.size() + pos.size(), "tok/s", System.err);
        long[] tokens = {0};
        Set<String> dirs = new HashSet<>();
        int candidateRegions = 0;
        boolean extrapolating = false;
        MotifFinder.Result result = null;
        for (int i = 0; i < drawn.size(); i++) {
            FastaRecord s = drawn.get(i);
            AttentionMaps maps = AttentionMaps.compute(encoder, tok, s.name(), s.sequence());
            if (!extrapolating) extrapolating = TrainedLength.noteIfBeyond(config, maps.length(), "sequences such as " + s.name());
            Path dir = out.resolve(directoryName(s.name(), dirs));
            Files.createDirectories(dir);
            List<Region> regions = draw(s, maps, AttentionTrack.of(maps, s.sequence(), trackLayer), trackLayer, dir, settings);
            drawBlockLayout(encoder, maps.length(), dir, s.name());
            tokens[0] += maps.length();
            candidateRegions += regions.size();
            bar.update(i + 1, tokens[0], Map.of());
            System.out.printf(Locale.ROOT, "%s: %d bases, %d tokens -> %s (%d heatmaps, all_heads.png, scores.tsv, scores.png); %d candidate regions%s%n",
                    s.name(), s.sequence().length(), maps.length(), dir, noHeatmaps ? 0 : maps.layers() * maps.heads(), regions.size(),
                    regions.isEmpty() ? "" : ", first " + (regions.get(0).start() + 1) + "-" + regions.get(0).end() + " "
                            + s.sequence().substring(regions.get(0).start(), regions.get(0).end()));
        }
        if (!pos.isEmpty()) {
            int done = drawn.size();
            result = MotifFinder.find(encoder, tok, pos, neg, settings, n -> {
                tokens[0] += tok.encodeWithSpecials(pos.get(n - 1).sequence()).length;
                bar.update(done + n, tokens[0], Map.of());
            });
            writeMotifs(result, out.resolve("motifs.tsv"));
            writeMotifRegions(result, out.resolve("motif_regions.tsv"));
            System.out.printf(Locale.ROOT, "motifs: %d kept (q < %s) of %d tested, from %d candidate regions in %d positives against %d negatives -> %s%n",
                    result.motifs().size(), fdr, result.tested(), result.regions().size(), pos.size(), neg.size(), out.resolve("motifs.tsv"));
            if (result.regions().isEmpty()) {
                System.out.printf(Locale.ROOT, "  no candidate regions: no run of %d bases scored above both its track's mean and %s × its minimum; "
                        + "a model whose attention is still nearly uniform finds none (--times-minimum 1 keeps only the mean rule)%n", minLength, timesMinimum);
            }
            for (MotifFinder.Motif m : result.motifs().subList(0, Math.min(10, result.motifs().size()))) {
                System.out.printf(Locale.ROOT, "  %-16s %3d regions, in %d positives and %d negatives, p %.3g, q %.3g%s%n", m.motif(), m.instances(),
                        m.positives(), m.negatives(), m.p(), m.q(), m.members().size() > 1 ? ", merged " + String.join(",", m.members().subList(1, m.members().size())) : "");
            }
        }
        return new Outcome(drawn.size(), candidateRegions, result);
    }

    /** The --sequence or up to --max --fasta records. */
    private List<FastaRecord> drawnSequences() {
        if (sequence != null && fasta != null) throw new IllegalArgumentException("give --sequence or --fasta, not both");
        if (max < 1) throw new IllegalArgumentException("--max must be at least 1, got " + max);
        if (sequence != null) return List.of(new FastaRecord("sequence", "", sequence.trim()));
        if (fasta == null) return List.of();
        List<FastaRecord> out = new ArrayList<>();
        try (FastaReader reader = FastaReader.open(requireFile(fasta, "--fasta"))) {
            while (reader.hasNext() && out.size() < max) out.add(reader.next());
        }
        return out;
    }

    /** Fills the motif-finding inputs from --positives/--negatives or --labelled, if given. */
    private void readMotifInputs(List<FastaRecord> pos, List<FastaRecord> neg) throws IOException {
        if (labelled != null) {
            if (positives != null || negatives != null) throw new IllegalArgumentException("give --labelled or --positives with --negatives, not both");
            LabelledDataset data = LabelledDataset.read(requireFile(labelled, "--labelled"), LabelledDataset.Task.CLASSIFICATION);
            for (LabelledDataset.Row r : data.rows()) {
                if (r.classLabel() > 1) throw new IllegalArgumentException(labelled + " line " + r.line() + ": label " + r.classLabel() + "; use 1 for positive, 0 for negative");
                (r.classLabel() == 1 ? pos : neg).add(new FastaRecord("line" + r.line(), "", r.sequence()));
            }
        } else if (positives != null || negatives != null) {
            if (positives == null || negatives == null) throw new IllegalArgumentException("motif finding needs both --positives and --negatives");
            pos.addAll(FastaReader.readAll(requireFile(positives, "--positives")));
            neg.addAll(FastaReader.readAll(requireFile(negatives, "--negatives")));
        } else {
            return;
        }
        if (pos.isEmpty() || neg.isEmpty()) throw new IllegalArgumentException("motif finding needs positive and negative sequences, got " + pos.size() + " and " + neg.size());
    }

    private static Path requireFile(Path file, String option) {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(option + ": no file at " + file);
        return file;
    }

    /** Writes one sequence's heatmaps, grid, track and regions; returns its candidate regions. */
    private List<Region> draw(FastaRecord s, AttentionMaps maps, AttentionTrack track, int trackLayer, Path dir, MotifFinder.Settings settings) throws IOException {
        int layers = maps.layers(), heads = maps.heads();
        List<String> tokens = maps.tokens();
        List<List<float[][]>> grid = new ArrayList<>();
        List<String> rowTitles = new ArrayList<>(), colTitles = new ArrayList<>();
        for (int h = 0; h < heads; h++) colTitles.add("head " + (h + 1));
        for (int l = 0; l < layers; l++) {
            rowTitles.add("layer " + (l + 1));
            List<float[][]> row = new ArrayList<>();
            for (int h = 0; h < heads; h++) {
                float[][] map = maps.map(l, h);
                row.add(map);
                if (!noHeatmaps) {
                    HeatmapPng.write(dir.resolve("layer" + (l + 1) + "_head" + (h + 1) + ".png"), map, tokens, tokens,
                            String.format(Locale.ROOT, "%s: layer %d/%d, head %d/%d (%d tokens)", s.name(), l + 1, layers, h + 1, heads, tokens.size()));
                }
            }
            grid.add(row);
        }
        int panel = Math.max(80, Math.min(220, 1100 / Math.max(heads, 1)));
        HeatmapPng.writePng(dir.resolve("all_heads.png"), HeatmapPng.renderGrid(grid, rowTitles, colTitles,
                s.name() + ": attention of every layer and head, queries down, keys across (" + tokens.size() + " tokens)", panel));

        float[] scores = track.scores();
        List<Region> regions = CandidateRegions.find(scores, settings.minLength(), settings.timesMinimum());
        StringBuilder tsv = new StringBuilder("position\tbase\tscore\n");
        for (int b = 0; b < scores.length; b++) tsv.append(b + 1).append('\t').append(s.sequence().charAt(b)).append('\t').append(number(scores[b])).append('\n');
        AtomicFiles.write(dir.resolve("scores.tsv"), tsv.toString().getBytes(StandardCharsets.UTF_8));
        StringBuilder reg = new StringBuilder("start\tend\tbases\tmean_score\n");
        for (Region r : regions) {
            double mean = 0;
            for (int b = r.start(); b < r.end(); b++) mean += scores[b] / (double) r.length();
            reg.append(r.start() + 1).append('\t').append(r.end()).append('\t').append(s.sequence(), r.start(), r.end()).append('\t').append(number(mean)).append('\n');
        }
        AtomicFiles.write(dir.resolve("regions.tsv"), reg.toString().getBytes(StandardCharsets.UTF_8));
        TrackPng.write(dir.resolve("scores.png"), s.sequence(), scores, regions, String.format(Locale.ROOT,
                "%s: attention from [CLS] in layer %d, summed over %d heads, per base (normalised); shaded: candidate regions", s.name(), trackLayer + 1, heads));
        return regions;
    }

    /**
     * For a block-sparse (BigBird) model, {@code block_layout.png}: which key blocks each query block
     * reads (how often, for a block read twice) in every layer and head, at this sequence's length.
     */
    private static void drawBlockLayout(Encoder encoder, int tokens, Path dir, String name) throws IOException {
        List<BigBirdAttention> sparse = BigBirdAttention.in(encoder);
        if (sparse.isEmpty()) return;
        List<List<float[][]>> grid = new ArrayList<>();
        List<String> rowTitles = new ArrayList<>(), colTitles = new ArrayList<>();
        int blocks = 0;
        for (int l = 0; l < sparse.size(); l++) {
            BigBirdLayout layout = sparse.get(l).layout();
            blocks = (tokens + layout.blockSize - 1) / layout.blockSize;
            int[][][] times = layout.pattern(blocks, false).multiplicity();
            List<float[][]> row = new ArrayList<>();
            for (int[][] head : times) {
                float[][] map = new float[blocks][blocks];
                for (int i = 0; i < blocks; i++) for (int j = 0; j < blocks; j++) map[i][j] = head[i][j];
                row.add(map);
            }
            grid.add(row);
            rowTitles.add("layer " + (l + 1));
        }
        for (int h = 0; h < grid.get(0).size(); h++) colTitles.add("head " + (h + 1));
        HeatmapPng.writePng(dir.resolve("block_layout.png"), HeatmapPng.renderGrid(grid, rowTitles, colTitles,
                name + ": key blocks (across) each query block (down) reads, " + blocks + " blocks of " + sparse.get(0).layout().blockSize + " tokens",
                Math.max(80, Math.min(220, 1100 / Math.max(colTitles.size(), 1)))));
    }

    private static void writeMotifs(MotifFinder.Result result, Path file) throws IOException {
        StringBuilder sb = new StringBuilder("motif\tinstances\tpositives\tnegatives\tp\tq\tmerged\n");
        for (MotifFinder.Motif m : result.motifs()) {
            String merged = m.members().size() > 1 ? String.join(",", m.members().subList(1, m.members().size())) : ".";
            sb.append(m.motif()).append('\t').append(m.instances()).append('\t').append(m.positives()).append('\t').append(m.negatives()).append('\t')
                    .append(number(m.p())).append('\t').append(number(m.q())).append('\t').append(merged).append('\n');
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void writeMotifRegions(MotifFinder.Result result, Path file) throws IOException {
        StringBuilder sb = new StringBuilder("sequence\tstart\tend\tbases\tmean_score\tmotif\n");
        for (MotifFinder.RegionCall c : result.regions()) {
            sb.append(c.sequence()).append('\t').append(c.region().start() + 1).append('\t').append(c.region().end()).append('\t').append(c.bases())
                    .append('\t').append(number(c.meanScore())).append('\t').append(c.motif() == null ? "." : c.motif()).append('\n');
        }
        AtomicFiles.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** A file-safe, unique directory name for a sequence. */
    static String directoryName(String name, Set<String> taken) {
        String base = name.replaceAll("[^A-Za-z0-9._-]", "_");
        if (base.isEmpty() || base.startsWith(".")) base = "seq" + base;
        String candidate = base;
        for (int k = 2; !taken.add(candidate); k++) candidate = base + "_" + k;
        return candidate;
    }
}
