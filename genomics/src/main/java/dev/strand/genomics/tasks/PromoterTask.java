package dev.strand.genomics.tasks;

import dev.strand.genomics.io.FastaRecord;
import dev.strand.genomics.io.Genome;
import dev.strand.tensor.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Promoter vs non-promoter (label 1 / 0), built like GUE's promoter tasks from the UCSC/Biostrings
 * {@code dm3_upstream2000} records (2 kb upstream of each RefSeq TSS, in transcript orientation).
 *
 * <ul>
 *   <li><b>Positives</b> ("promoter"): the last {@code length} (300) bases of each record — the bases
 *       just upstream of its TSS — for records on contigs of the genome whose bases match the genome
 *       there. Records sharing a TSS (alternative transcripts) give one row; windows with a non-ACGT
 *       base are dropped.</li>
 *   <li><b>Background negatives</b> ("background"): windows of the same length from the genome whose
 *       every base is more than {@code minTssDistance} (3 kb) from every TSS of the records (all of
 *       them, also those dropped above), without non-ACGT bases and not overlapping each other;
 *       {@code negativesPerPositive} per positive in each split, reverse-complemented with
 *       probability 0.5 so strand carries no signal.</li>
 *   <li><b>Shuffled negatives</b> ("shuffled", optional; GENA-LM's harder negatives): each positive cut
 *       into 20 chunks, 12 chunks chosen at random and their contents permuted among those 12
 *       places; base composition matches the positive exactly. A shuffled negative shares its
 *       positive's interval and split.</li>
 *   <li><b>Split</b>: each contig is cut into blocks of {@code blockSize} bases; a seeded permutation
 *       of all blocks puts the first {@code round(testFraction · blocks)} in test. A row belongs to the
 *       block holding its start; background negatives are drawn wholly inside one block of their
 *       split; test rows that still overlap a train row (a positive straddling a block edge) or
 *       repeat a train row's sequence exactly are dropped and counted, and the builder asserts no
 *       overlap.</li>
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

    /**
     * Settings. {@code length}: window length (300); {@code minTssDistance}: background windows lie
     * farther than this from any TSS (3000); {@code negativesPerPositive}: background negatives per
     * positive (1.0); {@code shuffledNegatives}: also one GENA-LM shuffled negative per positive;
     * {@code blockSize}, {@code testFraction}: the positional split (500 kb blocks, 20 % of blocks);
     * {@code seed}.
     */
    public record Config(int length, int minTssDistance, double negativesPerPositive, boolean shuffledNegatives, int blockSize,
            double testFraction, long seed) {
        public Config {
            if (length < 20) throw new IllegalArgumentException("window length must be at least 20 (20 chunks for shuffling), got " + length);
            if (minTssDistance < 0) throw new IllegalArgumentException("TSS distance must be non-negative, got " + minTssDistance);
            if (negativesPerPositive < 0) throw new IllegalArgumentException("negatives per positive must be non-negative, got " + negativesPerPositive);
            if (blockSize < length) throw new IllegalArgumentException("block size " + blockSize + " is shorter than a window of " + length);
            if (!(testFraction > 0 && testFraction < 1)) throw new IllegalArgumentException("test fraction must be in (0, 1), got " + testFraction);
        }

        public static Config defaults(long seed) {
            return new Config(300, 3000, 1.0, false, 500_000, 0.2, seed);
        }

        public Config withShuffledNegatives(boolean on) {
            return new Config(length, minTssDistance, negativesPerPositive, on, blockSize, testFraction, seed);
        }

        public Config withBlockSize(int size) {
            return new Config(length, minTssDistance, negativesPerPositive, shuffledNegatives, size, testFraction, seed);
        }

        public Config withLength(int len) {
            return new Config(len, minTssDistance, negativesPerPositive, shuffledNegatives, blockSize, testFraction, seed);
        }

        public Config withMinTssDistance(int d) {
            return new Config(length, d, negativesPerPositive, shuffledNegatives, blockSize, testFraction, seed);
        }
    }

    private record Block(String contig, int start, int end) {}

    /** Builds the task from a genome and the upstream records (their headers parsed as {@link UpstreamHeader}s). */
    public static TaskData build(Genome genome, List<FastaRecord> upstream, Config cfg) {
        int len = cfg.length();
        Generator gen = new Generator(cfg.seed());
        Map<String, Long> counts = new LinkedHashMap<>();
        Set<String> contigs = new HashSet<>(genome.contigs());

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

        // blocks and their split
        List<Block> blocks = new ArrayList<>();
        for (String c : genome.contigs()) {
            int l = genome.length(c);
            for (int s = 0; s < l; s += cfg.blockSize()) blocks.add(new Block(c, s, Math.min(l, s + cfg.blockSize())));
        }
        int[] perm = SequenceUtil.permutation(blocks.size(), gen);
        int nTest = Math.max(1, (int) Math.round(cfg.testFraction() * blocks.size()));
        if (nTest >= blocks.size()) throw new IllegalArgumentException(genome.source() + " has " + blocks.size() + " blocks of " + cfg.blockSize() + ": too few for a split");
        Set<Block> testBlocks = new HashSet<>();
        for (int i = 0; i < nTest; i++) testBlocks.add(blocks.get(perm[i]));
        counts.put("blocks", (long) blocks.size());
        counts.put("testBlocks", (long) nTest);

        // positives
        List<TaskRow> posTrain = new ArrayList<>(), posTest = new ArrayList<>();
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
            TaskRow row = new TaskRow(tail, POSITIVE, h.contig(), s, s + len, h.strand(), "promoter");
            (testBlocks.contains(blockOf(genome, h.contig(), s, cfg.blockSize())) ? posTest : posTrain).add(row);
        }

        // background negatives, drawn inside the blocks of each split
        List<Block> trainBlocks = new ArrayList<>(), testBlockList = new ArrayList<>();
        for (Block b : blocks) (testBlocks.contains(b) ? testBlockList : trainBlocks).add(b);
        Map<String, TreeSet<Integer>> taken = new HashMap<>();
        List<TaskRow> negTrain = background(genome, trainBlocks, (int) Math.round(posTrain.size() * cfg.negativesPerPositive()), cfg, tss, taken, gen);
        List<TaskRow> negTest = background(genome, testBlockList, (int) Math.round(posTest.size() * cfg.negativesPerPositive()), cfg, tss, taken, gen);

        List<TaskRow> train = new ArrayList<>(posTrain), test = new ArrayList<>(posTest);
        train.addAll(negTrain);
        test.addAll(negTest);
        if (cfg.shuffledNegatives()) {
            train.addAll(shuffled(posTrain, gen, counts));
            test.addAll(shuffled(posTest, gen, counts));
        }
        // test rows overlapping a train row (only possible across a block edge) or repeating a train sequence are dropped
        List<TaskRow> clean = TaskData.withoutLeaks(train, test, counts);
        counts.put("positives", (long) (posTrain.size() + posTest.size()));
        counts.put("backgroundNegatives", (long) (negTrain.size() + negTest.size()));
        TaskData data = new TaskData("promoter", List.of("non-promoter", "promoter"), train, clean, counts);
        data.assertNoOverlap();
        return data;
    }

    private static Block blockOf(Genome genome, String contig, int pos, int blockSize) {
        int s = pos / blockSize * blockSize;
        return new Block(contig, s, Math.min(genome.length(contig), s + blockSize));
    }

    private static List<TaskRow> background(Genome genome, List<Block> blocks, int want, Config cfg, Map<String, int[]> tss,
            Map<String, TreeSet<Integer>> taken, Generator gen) {
        int len = cfg.length();
        List<TaskRow> out = new ArrayList<>(want);
        if (want == 0) return out;
        long[] cum = new long[blocks.size()];
        long total = 0;
        for (int i = 0; i < blocks.size(); i++) {
            total += Math.max(0, blocks.get(i).end() - blocks.get(i).start() - len + 1);
            cum[i] = total;
        }
        if (total == 0) throw new IllegalStateException(genome.source() + ": no room for background windows of " + len);
        long maxAttempts = 1000L * want + 100_000;
        for (long attempt = 0; out.size() < want; attempt++) {
            if (attempt >= maxAttempts) {
                throw new IllegalStateException(genome.source() + ": found only " + out.size() + " of " + want + " background windows of " + len
                        + " bases farther than " + cfg.minTssDistance() + " from any TSS in " + maxAttempts + " attempts");
            }
            long pick = SequenceUtil.nextLong(gen, total);
            boolean reverse = gen.nextFloat() < 0.5f;
            int bi = 0;
            while (cum[bi] <= pick) bi++;
            Block b = blocks.get(bi);
            int s = b.start() + (int) (pick - (bi == 0 ? 0 : cum[bi - 1]));
            int[] t = tss.get(b.contig());
            if (t != null) {
                int k = TaskData.lowerBound(t, s - cfg.minTssDistance());
                if (k < t.length && t[k] <= s + len - 1 + cfg.minTssDistance()) continue;
            }
            TreeSet<Integer> used = taken.computeIfAbsent(b.contig(), k -> new TreeSet<>());
            if (!used.subSet(s - len + 1, true, s + len - 1, true).isEmpty()) continue;
            String bases = SequenceUtil.upper(genome.fetch(b.contig(), s, s + len));
            if (!SequenceUtil.allAcgt(bases)) continue;
            used.add(s);
            out.add(new TaskRow(reverse ? SequenceUtil.reverseComplement(bases) : bases, NEGATIVE, b.contig(), s, s + len, reverse ? '-' : '+', "background"));
        }
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
