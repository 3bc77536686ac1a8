package dev.strand.genomics.tasks;

import dev.strand.genomics.data.TestDoubleInMemoryGenome;
import dev.strand.genomics.io.FastaRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A hand check on the real D. melanogaster files (not a JUnit test: it needs Debian's
 * {@code augustus-doc} and {@code r-bioc-biostrings} extracted; see DATA.md). Prints the rows per
 * class and split and the overlap checks of both tasks; with a fourth argument, writes the tasks as
 * GUE-style CSVs there.
 *
 * <pre>
 * java ... dev.strand.genomics.tasks.TaskStats \
 *     /tmp/aug/usr/share/doc/augustus/tutorial/data/chr2R.fa \
 *     /tmp/bios/usr/lib/R/site-library/Biostrings/extdata/dm3_upstream2000.fa.gz \
 *     /tmp/aug/usr/share/doc/augustus/tutorial/results [outDir]
 * </pre>
 *
 * The FASTA and GenBank readers here are minimal stand-ins for the io package's, enough for these
 * files only.
 */
public final class TaskStats {
    private TaskStats() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: TaskStats chr2R.fa dm3_upstream2000.fa.gz augustus-results-dir [outDir]");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        List<FastaRecord> chr = readFasta(Path.of(args[0]));
        TestDoubleInMemoryGenome genome = new TestDoubleInMemoryGenome(args[0]);
        for (FastaRecord s : chr) genome.add(s.name(), s.sequence());
        List<FastaRecord> upstream = readFasta(Path.of(args[1]));
        System.out.printf("genome %s: %s, %d bases; %d upstream records%n", args[0], genome.contigs(), genome.length(genome.contigs().getFirst()), upstream.size());

        TaskData promoter = PromoterTask.build(genome, upstream, PromoterTask.Config.defaults(1));
        System.out.println(promoter.summary());
        System.out.println("  independent checks: " + bruteForce(promoter) + ", nearest TSS to a background window: " + nearestTss(promoter, upstream) + " bp");
        TaskData hard = PromoterTask.build(genome, upstream, PromoterTask.Config.defaults(1).withShuffledNegatives(true));
        System.out.println("with GENA-LM shuffled negatives: " + hard.summary());
        long t2k = System.nanoTime();
        TaskData promoter2k = PromoterTask.build(genome, upstream, PromoterTask.Config.defaults2k(1));
        System.out.printf("%s (built in %.1f s)%n", promoter2k.summary(), (System.nanoTime() - t2k) / 1e9);
        System.out.println("  independent checks: " + bruteForce(promoter2k) + ", nearest TSS to a background window: " + nearestTss(promoter2k, upstream) + " bp");

        Path results = Path.of(args[2]);
        List<GeneStructure> train = readGenbank(results.resolve("genes.gb.train"), genome);
        List<GeneStructure> test = readGenbank(results.resolve("genes.gb.test"), genome);
        List<GeneStructure> all = readGenbank(results.resolve("genes.gb"), genome);
        int exons = 0;
        for (GeneStructure g : all) exons += g.exons().size();
        System.out.printf("genes.gb: %d genes, %d exons, %d introns; train %d, test %d genes%n", all.size(), exons, exons - all.size(), train.size(), test.size());
        TaskData splice = SpliceSiteTask.build(genome, train, test, SpliceSiteTask.Config.defaults(SpliceSiteTask.Mode.THREE_CLASS, 1));
        System.out.println(splice.summary());
        System.out.println("  independent checks: " + bruteForce(splice));
        for (SpliceSiteTask.Mode m : List.of(SpliceSiteTask.Mode.DONOR, SpliceSiteTask.Mode.ACCEPTOR)) {
            System.out.println(SpliceSiteTask.build(genome, train, test, SpliceSiteTask.Config.defaults(m, 1)).summary());
        }
        if (args.length > 3) {
            Path out = Path.of(args[3]);
            promoter.writeCsv(out.resolve("promoter"));
            hard.writeCsv(out.resolve("promoter-shuffled"));
            promoter2k.writeCsv(out.resolve("promoter-2k"));
            splice.writeCsv(out.resolve("splice"));
            System.out.println("wrote CSVs under " + out);
        }
        System.out.printf("%.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    /** Pairwise overlap count and exact sequence repeats between train (and dev) and test, by brute force. */
    static String bruteForce(TaskData d) {
        long overlaps = 0;
        for (TaskRow a : d.train()) for (TaskRow b : d.test()) if (a.overlaps(b)) overlaps++;
        java.util.Set<String> seqs = new java.util.HashSet<>();
        for (TaskRow r : d.train()) seqs.add(r.sequence());
        long repeats = d.test().stream().filter(r -> seqs.contains(r.sequence())).count();
        String out = "train/test overlapping pairs " + overlaps + ", test sequences repeating a train sequence " + repeats;
        if (d.dev().isEmpty()) return out;
        long devOverlaps = 0;
        for (TaskRow a : d.dev()) {
            for (TaskRow b : d.train()) if (a.overlaps(b)) devOverlaps++;
            for (TaskRow b : d.test()) if (a.overlaps(b)) devOverlaps++;
        }
        return out + ", dev/train-or-test overlapping pairs " + devOverlaps;
    }

    static int nearestTss(TaskData d, List<FastaRecord> upstream) {
        List<PromoterTask.UpstreamHeader> hs = new ArrayList<>();
        for (FastaRecord r : upstream) hs.add(PromoterTask.UpstreamHeader.parse(r.header()));
        int min = Integer.MAX_VALUE;
        for (List<TaskRow> rows : List.of(d.train(), d.dev(), d.test())) {
            for (TaskRow r : rows) {
                if (!r.origin().equals("background")) continue;
                for (PromoterTask.UpstreamHeader h : hs) {
                    if (!h.contig().equals(r.contig())) continue;
                    int t = h.tss();
                    min = Math.min(min, t < r.start() ? r.start() - t : t >= r.end() ? t - (r.end() - 1) : 0);
                }
            }
        }
        return min;
    }

    static List<FastaRecord> readFasta(Path file) throws IOException {
        List<FastaRecord> out = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII), 1 << 16)) {
            String[] header = null;   // name, description
            StringBuilder seq = new StringBuilder();
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith(">")) {
                    if (header != null) out.add(record(header, seq));
                    String[] words = line.substring(1).trim().split("\\s+", 2);
                    header = new String[] {words[0], words.length > 1 ? words[1] : ""};
                    seq.setLength(0);
                } else {
                    seq.append(line.trim());
                }
            }
            if (header != null) out.add(record(header, seq));
        }
        return out;
    }

    private static FastaRecord record(String[] header, CharSequence seq) {
        return new FastaRecord(header[0], header[1], seq.toString());
    }

    private static final Pattern LOCUS = Pattern.compile("LOCUS\\s+(\\S+)_(\\d+)-(\\d+)\\s.*");
    private static final Pattern RANGE = Pattern.compile("<?(\\d+)\\.\\.>?(\\d+)");

    /**
     * AUGUSTUS training GenBank: per LOCUS one CDS feature (join/complement) in locus coordinates and
     * the locus bases after ORIGIN. The tutorial's LOCUS names count from the start of its 2–7 Mb
     * excerpt of chr2R, not from the chromosome start, so each locus is placed by finding its bases in
     * the genome (tried at the named start, at the named start + 2,000,000, then searched), and it must
     * match exactly.
     */
    static List<GeneStructure> readGenbank(Path file, TestDoubleInMemoryGenome genome) throws IOException {
        List<GeneStructure> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        java.util.Map<String, String> lower = new java.util.HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = LOCUS.matcher(lines.get(i));
            if (!m.matches()) continue;
            String locus = m.group(1) + "_" + m.group(2) + "-" + m.group(3);
            String contig = m.group(1);
            int named = Integer.parseInt(m.group(2)) - 1;
            String location = null;
            StringBuilder bases = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).startsWith("//"); i++) {
                String line = lines.get(i);
                if (line.startsWith("     CDS ")) {
                    StringBuilder loc = new StringBuilder(line.substring(21).trim());
                    while (i + 1 < lines.size() && lines.get(i + 1).startsWith("                     ") && !lines.get(i + 1).trim().startsWith("/")) {
                        loc.append(lines.get(++i).trim());
                    }
                    location = loc.toString();
                } else if (line.startsWith("ORIGIN")) {
                    for (i++; i < lines.size() && !lines.get(i).startsWith("//"); i++) {
                        String[] w = lines.get(i).trim().split("\\s+");
                        for (int k = 1; k < w.length; k++) bases.append(w[k]);
                    }
                    break;
                }
            }
            if (location == null) throw new IOException(file + ": LOCUS " + locus + " has no CDS");
            String seq = bases.toString().toLowerCase();
            String chrom = lower.computeIfAbsent(contig, c -> genome.fetch(c, 0, genome.length(c)).toLowerCase());
            int offset = -1;
            for (int candidate : new int[] {named, named + 2_000_000}) {
                if (candidate >= 0 && candidate + seq.length() <= chrom.length() && chrom.startsWith(seq, candidate)) {
                    offset = candidate;
                    break;
                }
            }
            if (offset < 0) offset = chrom.indexOf(seq);
            if (offset < 0) throw new IOException(file + ": LOCUS " + locus + " is not found in " + genome.source());
            char strand = location.startsWith("complement(") ? '-' : '+';
            List<GeneStructure.Exon> exons = new ArrayList<>();
            Matcher r = RANGE.matcher(location);
            while (r.find()) exons.add(new GeneStructure.Exon(offset + Integer.parseInt(r.group(1)) - 1, offset + Integer.parseInt(r.group(2))));
            exons.sort((a, b) -> Integer.compare(a.start(), b.start()));
            out.add(new GeneStructure(locus, contig, strand, exons));
        }
        return out;
    }
}
