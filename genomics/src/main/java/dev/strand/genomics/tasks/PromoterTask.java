package dev.strand.genomics.tasks;

import dev.strand.genomics.io.FastaRecord;
import dev.strand.genomics.io.Genome;
import dev.strand.genomics.tasks.BlockSplit.Part;
import dev.strand.tensor.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Promoter vs non-promoter (label 1 / 0), built like GUE's promoter tasks from the UCSC/Biostrings
 * {@code dm3_upstream2000} records (2 kb upstream of each RefSeq TSS, in transcript orientation).
 *
 * <ul>
 *   <li><b>Positives</b> ("promoter"): the last {@code length} bases of each record — the bases
 *       just upstream of its TSS; 300 for GUE's task ({@link Config#defaults}), the whole record for
 *       the 2-kb task ({@link Config#defaults2k}) — for records on contigs of the genome whose bases
 *       match the genome there. Records sharing a TSS (alternative transcripts) give one row; windows
 *       with a non-ACGT base are dropped.</li>
 *   <li><b>Background negatives</b> ("background"): windows of the same length from the genome whose
 *       every base is more than {@code minTssDistance} (3 kb) from every TSS of the records (all of
 *       them, also those dropped above), without non-ACGT bases and not overlapping each other;
 *       {@code negativesPerPositive} per positive in each split, reverse-complemented with
 *       probability 0.5 so strand carries no signal (drawn as {@link BackgroundWindows} says). Where a
 *       split has too little free DNA for them all, its positives are thinned at random to match
 *       (counted as {@code positivesDroppedForBalance}).</li>
 *   <li><b>Shuffled negatives</b> ("shuffled", optional; GENA-LM's harder negatives): each positive cut
 *       into 20 chunks, 12 chunks chosen at random and their contents permuted among those 12
 *       places; base composition matches the positive exactly. A shuffled negative shares its
 *       positive's interval and split.</li>
 *   <li><b>Split</b> ({@link BlockSplit}): each contig is cut into blocks of {@code blockSize} bases; a
 *       seeded permutation of all blocks puts the first {@code round(testFraction · blocks)} in test
 *       and, with a {@code devFraction}, the next {@code round(devFraction · blocks)} in dev. A row
 *       belongs to the block holding its start; background negatives are drawn wholly inside one
 *       block of their split; dev rows that still overlap a train row, and test rows that overlap a
 *       train or dev row (a positive straddling a block edge), or repeat such a row's sequence
 *       exactly, are dropped and counted, and the builder asserts no overlap.</li>
 * </ul>
 * All sequences are uppercased, so soft-masking cannot tell the classes apart. All randomness comes
 * from {@code new Generator(seed)}.
 */
public final class PromoterTask {
    public static final int NEGATIVE = 0;
    public static final int POSITIVE = 1;

    private PromoterTask() {}

    /**
     * A parsed {@code dm3_upstream2000} header such as
     * {@code NM_078863_up_2000_chr2L_16764737_f chr2L:16764737-16766736}: the record covers bases
     * {@code [start, end)} (0-based, half-open; converted from the header's 1-based inclusive range,
     * clipped at 0 where the range starts before the contig) on {@code strand} ('+' for {@code _f},
     * '-' for {@code _r}, whose sequence is the reverse complement).
     */
    public record UpstreamHeader(String id, String contig, int start, int end, char strand) {
        private static final Pattern RANGE = Pattern.compile("(\\S+):(-?\\d+)-(-?\\d+)");
        private static final Pattern ID = Pattern.compile("\\S+_up_(\\d+)_(\\S+)_(-?\\d+)_([fr])");

        /** The 0-based position of the TSS: the base just after the record on its strand. */
        public int tss() {
            return strand == '+' ? end : start - 1;
        }

        /** Parses a header line (with or without '>'); an unparseable header is an error quoting it. */
        public static UpstreamHeader parse(String header) {
            String h = header.startsWith(">") ? header.substring(1) : header;
            String[] words = h.trim().split("\\s+");
            String id = words[0];
            char strand;
            if (id.endsWith("_f")) strand = '+';
            else if (id.endsWith("_r")) strand = '-';
            else throw new IllegalArgumentException("upstream header '" + header + "': name does not end in _f or _r (strand)");
            String contig;
            long first, last;
            Matcher m = words.length > 1 ? RANGE.matcher(words[1]) : null;
            if (m != null && m.matches()) {
                contig = m.group(1);
                first = Long.parseLong(m.group(2));
                last = Long.parseLong(m.group(3));
            } else {
                Matcher mi = ID.matcher(id);
                if (!mi.matches()) {
                    throw new IllegalArgumentException("upstream header '" + header + "': expected 'NAME_up_N_CONTIG_START_f|r CONTIG:START-END'");
                }
                contig = mi.group(2);
                first = Long.parseLong(mi.group(3));
                last = first + Long.parseLong(mi.group(1)) - 1;
            }
            if (last < first || last < 1 || last > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("upstream header '" + header + "': bad range " + first + "-" + last);
            }
            int start = (int) Math.max(0, first - 1);
            return new UpstreamHeader(id, contig, start, (int) last, strand);
        }
    }

    /** How background negatives are drawn (see {@link BackgroundWindows}). */
    public enum Background {
        /** Uniform random starts, bad ones rejected: the 300-bp task's draw, kept so its rows stay the same. */
        RANDOM,
        /** Picked from a tiling of the free DNA: fills gene-dense blocks with long windows where random starts jam. */
        TILED
    }

    /**
     * Settings. {@code length}: window length (300); {@code minTssDistance}: background windows lie
     * farther than this from any TSS (3000); {@code negativesPerPositive}: background negatives per
     * positive (1.0); {@code shuffledNegatives}: also one GENA-LM shuffled negative per positive;
     * {@code blockSize}, {@code testFraction}, {@code devFraction}: the positional split (500 kb
     * blocks, 20 % of blocks in test, 10 % in dev; with none in dev {@link FineTuningData#of(TaskData, double, long)}
     * cuts dev rows from train); {@code background}: how negatives are drawn; {@code seed}.
     */
    public record Config(int length, int minTssDistance, double negativesPerPositive, boolean shuffledNegatives, int blockSize,
            double testFraction, double devFraction, Background background, long seed) {
        public Config {
            if (length < 20) throw new IllegalArgumentException("window length must be at least 20 (20 chunks for shuffling), got " + length);
            if (minTssDistance < 0) throw new IllegalArgumentException("TSS distance must be non-negative, got " + minTssDistance);
            if (negativesPerPositive < 0) throw new IllegalArgumentException("negatives per positive must be non-negative, got " + negativesPerPositive);
            if (blockSize < length) throw new IllegalArgumentException("block size " + blockSize + " is shorter than a window of " + length);
            if (!(testFraction > 0 && testFraction < 1)) throw new IllegalArgumentException("test fraction must be in (0, 1), got " + testFraction);
            if (!(devFraction >= 0 && testFraction + devFraction < 1)) {
                throw new IllegalArgumentException("dev fraction must be in [0, 1 - test fraction), got " + devFraction);
            }
            if (background == null) throw new IllegalArgumentException("background draw must be given");
        }

        /**
         * The 300-bp task: GUE's window, 3 kb from any TSS, 500 kb blocks, 20 % test, 10 % dev. Dev is
         * whole blocks, as test is: dev rows cut at random from train would sit beside train rows
         * (promoters of neighbouring genes share bases), so dev would reward memorising neighbours and
         * overrate the models that overfit (the recipe search of issue 21 saw dev 0.07 MCC above test).
         */
        public static Config defaults(long seed) {
            return new Config(300, 3000, 1.0, false, 500_000, 0.2, 0.1, Background.RANDOM, seed);
        }

        /**
         * The 2-kb task: whole {@code dm3_upstream2000} records against 2-kb windows, with the 300-bp
         * task's test blocks; 10 % of blocks are dev (cutting dev rows from train would leak: nearby
         * TSSs give 2-kb rows sharing most of their bases) and negatives are tiled (random starts
         * cannot fill the test blocks with 2-kb windows).
         */
        public static Config defaults2k(long seed) {
            return new Config(2000, 3000, 1.0, false, 500_000, 0.2, 0.1, Background.TILED, seed);
        }

        public Config withShuffledNegatives(boolean on) {
            return new Config(length, minTssDistance, negativesPerPositive, on, blockSize, testFraction, devFraction, background, seed);
        }

        public Config withBlockSize(int size) {
            return new Config(length, minTssDistance, negativesPerPositive, shuffledNegatives, size, testFraction, devFraction, background, seed);
        }

        public Config withLength(int len) {
            return new Config(len, minTssDistance, negativesPerPositive, shuffledNegatives, blockSize, testFraction, devFraction, background, seed);
        }

        public Config withMinTssDistance(int d) {
            return new Config(length, d, negativesPerPositive, shuffledNegatives, blockSize, testFraction, devFraction, background, seed);
        }

        public Config withSeed(long s) {
            return new Config(length, minTssDistance, negativesPerPositive, shuffledNegatives, blockSize, testFraction, devFraction, background, s);
        }

        /** "promoter" for 300-bp windows, else "promoter-2k", "promoter-500bp" and the like. */
        public String taskName() {
            if (length == 300) return "promoter";
            return "promoter-" + (length % 1000 == 0 ? length / 1000 + "k" : length + "bp");
        }
    }

    /** Builds the task from a genome and the upstream records (their headers parsed as {@link UpstreamHeader}s). */
    public static TaskData build(Genome genome, List<FastaRecord> upstream, Config cfg) {
        Generator gen = new Generator(cfg.seed());
        Map<String, Long> counts = new LinkedHashMap<>();

        // TSS of every record, per contig (for the background exclusion zone)
        Map<String, List<Integer>> tssLists = new HashMap<>();
        List<UpstreamHeader> headers = new ArrayList<>(upstream.size());
        for (FastaRecord rec : upstream) {
            UpstreamHeader h = UpstreamHeader.parse(rec.header());
            headers.add(h);
            tssLists.computeIfAbsent(h.contig(), k -> new ArrayList<>()).add(h.tss());
        }
        Map<String, int[]> tss = new HashMap<>();
        for (Map.Entry<String, List<Integer>> e : tssLists.entrySet()) {
            int[] a = e.getValue().stream().mapToInt(Integer::intValue).toArray();
            Arrays.sort(a);
            tss.put(e.getKey(), a);
        }
        counts.put("records", (long) upstream.size());

        BlockSplit split = new BlockSplit(genome, cfg.blockSize(), cfg.testFraction(), cfg.devFraction(), gen);
        counts.put("blocks", (long) split.blockCount());
        counts.put("testBlocks", (long) split.blockCount(Part.TEST));
        if (cfg.devFraction() > 0) counts.put("devBlocks", (long) split.blockCount(Part.DEV));

        Map<Part, List<TaskRow>> pos = positives(genome, upstream, headers, split, cfg.length(), counts);

        // background negatives, drawn inside the blocks of each split
        BackgroundWindows background = new BackgroundWindows(genome, tss, cfg.length(), cfg.minTssDistance(), gen);
        Map<Part, List<TaskRow>> rows = new EnumMap<>(Part.class);
        long positives = 0, negatives = 0;
        for (Part p : PARTS) {
            int want = (int) Math.round(pos.get(p).size() * cfg.negativesPerPositive());
            List<TaskRow> neg = background.draw(cfg.background(), split.blocks(p), want);
            if (neg.size() < want) pos.put(p, balanced(pos.get(p), (int) Math.floor(neg.size() / cfg.negativesPerPositive()), gen, counts));
            List<TaskRow> all = new ArrayList<>(pos.get(p));
            all.addAll(neg);
            rows.put(p, all);
            positives += pos.get(p).size();
            negatives += neg.size();
        }
        if (cfg.shuffledNegatives()) for (Part p : PARTS) rows.get(p).addAll(shuffled(pos.get(p), gen, counts));

        // dev and test rows overlapping an earlier split's row (only possible across a block edge) or repeating its sequence are dropped
        List<TaskRow> train = rows.get(Part.TRAIN);
        List<TaskRow> dev = TaskData.withoutLeaks(train, rows.get(Part.DEV), counts, "dev");
        List<TaskRow> earlier = new ArrayList<>(train);
        earlier.addAll(dev);
        List<TaskRow> test = TaskData.withoutLeaks(earlier, rows.get(Part.TEST), counts, "test");
        counts.put("positives", positives);
        counts.put("backgroundNegatives", negatives);
        TaskData data = new TaskData(cfg.taskName(), List.of("non-promoter", "promoter"), train, dev, test, counts);
        data.assertNoOverlap();
        return data;
    }

    /** Train, test, dev: the order rows are drawn in (dev last, so a task without dev blocks draws as it did before dev blocks existed). */
    private static final List<Part> PARTS = List.of(Part.TRAIN, Part.TEST, Part.DEV);

    /**
     * Positives per part of the split: the last {@code len} bases of each record on a contig of the
     * genome, if they match the genome there, are all A/C/G/T and are the first at their TSS.
     */
    private static Map<Part, List<TaskRow>> positives(Genome genome, List<FastaRecord> upstream, List<UpstreamHeader> headers, BlockSplit split,
            int len, Map<String, Long> counts) {
        Set<String> contigs = new HashSet<>(genome.contigs());
        Map<Part, List<TaskRow>> out = new EnumMap<>(Part.class);
        for (Part p : Part.values()) out.put(p, new ArrayList<>());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < upstream.size(); i++) {
            UpstreamHeader h = headers.get(i);
            String seq = upstream.get(i).sequence();
            if (!contigs.contains(h.contig())) {
                counts.merge("positivesOtherContig", 1L, Long::sum);
                continue;
            }
            if (seq.length() != h.end() - h.start()) {
                throw new IllegalArgumentException("upstream record " + h.id() + " has " + seq.length() + " bases, its header says " + (h.end() - h.start()));
            }
            if (seq.length() < len || h.end() > genome.length(h.contig())) {
                counts.merge("positivesTooShortOrOffContig", 1L, Long::sum);
                continue;
            }
            int s = h.strand() == '+' ? h.end() - len : h.start();
            String tail = SequenceUtil.upper(seq.substring(seq.length() - len));
            String fromGenome = SequenceUtil.upper(genome.fetch(h.contig(), s, s + len));
            if (h.strand() == '-') fromGenome = SequenceUtil.reverseComplement(fromGenome);
            if (!tail.equals(fromGenome)) {
                counts.merge("positivesNotMatchingGenome", 1L, Long::sum);
                continue;
            }
            if (!SequenceUtil.allAcgt(tail)) {
                counts.merge("positivesWithN", 1L, Long::sum);
                continue;
            }
            if (!seen.add(h.contig() + ":" + s + ":" + h.strand())) {
                counts.merge("positivesDuplicateTss", 1L, Long::sum);
                continue;
            }
            out.get(split.partOf(h.contig(), s)).add(new TaskRow(tail, POSITIVE, h.contig(), s, s + len, h.strand(), "promoter"));
        }
        return out;
    }

    /** {@code keep} of {@code positives} chosen at random (in their order), where too few negatives were found to match them all. */
    private static List<TaskRow> balanced(List<TaskRow> positives, int keep, Generator gen, Map<String, Long> counts) {
        int[] pick = Arrays.copyOf(SequenceUtil.permutation(positives.size(), gen), keep);
        Arrays.sort(pick);
        List<TaskRow> out = new ArrayList<>(keep);
        for (int i : pick) out.add(positives.get(i));
        counts.merge("positivesDroppedForBalance", (long) (positives.size() - keep), Long::sum);
        return out;
    }

    private static List<TaskRow> shuffled(List<TaskRow> positives, Generator gen, Map<String, Long> counts) {
        List<TaskRow> out = new ArrayList<>(positives.size());
        for (TaskRow p : positives) {
            String s = null;
            for (int tries = 0; tries < 100 && s == null; tries++) {
                String c = shuffleChunks(p.sequence(), 20, 12, gen);
                if (!c.equals(p.sequence())) s = c;
            }
            if (s == null) {
                counts.merge("shuffledIdenticalSkipped", 1L, Long::sum);
                continue;
            }
            out.add(new TaskRow(s, NEGATIVE, p.contig(), p.start(), p.end(), p.strand(), "shuffled"));
        }
        return out;
    }

    /**
     * GENA-LM's harder negative: {@code seq} cut into {@code chunks} pieces (piece i covers
     * {@code [i·L/chunks, (i+1)·L/chunks)}), {@code shuffled} of them picked at random and their
     * contents permuted at random among the picked places; the other pieces stay put.
     */
    public static String shuffleChunks(String seq, int chunks, int shuffled, Generator gen) {
        if (shuffled > chunks || chunks > seq.length()) {
            throw new IllegalArgumentException("cannot shuffle " + shuffled + " of " + chunks + " chunks of a " + seq.length() + "-base sequence");
        }
        int n = seq.length();
        String[] piece = new String[chunks];
        for (int i = 0; i < chunks; i++) piece[i] = seq.substring(i * n / chunks, (i + 1) * n / chunks);
        int[] pick = Arrays.copyOf(SequenceUtil.permutation(chunks, gen), shuffled);
        Arrays.sort(pick);
        int[] order = SequenceUtil.permutation(shuffled, gen);
        String[] out = piece.clone();
        for (int i = 0; i < shuffled; i++) out[pick[i]] = piece[pick[order[i]]];
        return String.join("", out);
    }
}
