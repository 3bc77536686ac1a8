package dev.strand.genomics.tasks;

import dev.strand.genomics.io.Genome;
import dev.strand.tensor.Generator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Splice-site windows from gene structures, as in GUE's splice task.
 *
 * <p><b>Sites</b>. An intron lies between consecutive exons of a gene. Its <i>donor</i> is the
 * exon→intron junction at its 5′ end on the gene's strand, its <i>acceptor</i> the intron→exon
 * junction at its 3′ end. In genomic coordinates with exons sorted by position: on '+', the donor
 * junction of intron i is {@code exon[i].end}, the acceptor junction {@code exon[i+1].start}; on '−'
 * they swap. A junction j (a coordinate between bases j−1 and j) gives the window
 * {@code [j − flank, j + flank)} (flank = 200: 400 bp), reverse-complemented on '−', so that in every
 * row the junction sits between positions {@code flank − 1} and {@code flank}; a canonical donor
 * reads GT at {@code [flank, flank+2)}, a canonical acceptor AG at {@code [flank−2, flank)}.
 * Non-canonical annotated sites stay positives (counted).
 *
 * <p><b>Negatives</b> ("gt", "ag"): junction positions inside the same gene (first exon start to last
 * exon end) whose transcript-strand bases read GT after the junction (donor-like) or AG before it
 * (acceptor-like), and that are not an annotated junction of any gene on that contig and strand.
 * Per gene, {@code round(negativesPerSite · donors)} donor-like and {@code round(negativesPerSite ·
 * acceptors)} acceptor-like candidates are drawn without replacement (fewer if there are fewer).
 *
 * <p><b>Labels</b> ({@link Mode}): {@code THREE_CLASS}: 0 = neither (both kinds of negatives), 1 =
 * donor, 2 = acceptor — with negativesPerSite 0.5 the three classes are about equal. {@code DONOR}:
 * 1 = donor vs 0 = donor-like GT; {@code ACCEPTOR}: 1 = acceptor vs 0 = acceptor-like AG.
 *
 * <p><b>Split</b>: rows come from the train genes or the test genes given (e.g. AUGUSTUS's
 * {@code genes.gb.train} / {@code .test}), with a seeded tenth of the train genes held out as dev;
 * windows with a non-ACGT base or running off the contig are dropped (counted), identical sites are
 * kept once per split, dev rows overlapping a train row and test rows overlapping a train or dev row
 * (neighbouring genes) or repeating its sequence exactly (duplicated genes) are dropped (counted),
 * and the builder asserts that no overlap remains.
 * Sequences are uppercased. All randomness comes from {@code new Generator(seed)}.
 */
public final class SpliceSiteTask {
    /** Which labels to produce. */
    public enum Mode {
        THREE_CLASS,
        DONOR,
        ACCEPTOR
    }

    public static final int NEITHER = 0;
    public static final int DONOR = 1;
    public static final int ACCEPTOR = 2;

    private SpliceSiteTask() {}

    /**
     * Settings: half-window {@code flank}, label {@code mode}, negatives per annotated site of each
     * kind, the fraction of train genes whose rows form dev ({@code devFraction}; 0: no dev), seed.
     */
    public record Config(int flank, Mode mode, double negativesPerSite, double devFraction, long seed) {
        public Config {
            if (flank < 2) throw new IllegalArgumentException("flank must be at least 2, got " + flank);
            if (negativesPerSite < 0) throw new IllegalArgumentException("negatives per site must be non-negative, got " + negativesPerSite);
            if (!(devFraction >= 0 && devFraction < 1)) throw new IllegalArgumentException("dev fraction must be in [0, 1), got " + devFraction);
        }

        /**
         * ±200 bp; 0.5 negatives per site for three classes (balanced), 1 for the binary tasks; 10 % of
         * the train genes in dev (whole genes: rows cut at random from train would share genes, and
         * often bases, with train rows).
         */
        public static Config defaults(Mode mode, long seed) {
            return new Config(200, mode, mode == Mode.THREE_CLASS ? 0.5 : 1.0, 0.1, seed);
        }

        public Config withDevFraction(double fraction) {
            return new Config(flank, mode, negativesPerSite, fraction, seed);
        }
    }

    private record Site(String contig, char strand, int junction) {}

    /**
     * Builds the task: rows of {@code testGenes} go to test; of {@code trainGenes}, a seeded
     * {@code devFraction} (rounded) give dev rows and the rest train rows.
     */
    public static TaskData build(Genome genome, List<GeneStructure> trainGenes, List<GeneStructure> testGenes, Config cfg) {
        Generator gen = new Generator(cfg.seed());
        Map<String, Long> counts = new LinkedHashMap<>();
        Set<Site> annotated = new HashSet<>();
        for (List<GeneStructure> list : List.of(trainGenes, testGenes)) {
            for (GeneStructure g : list) {
                for (int i = 1; i < g.exons().size(); i++) {
                    annotated.add(new Site(g.contig(), g.strand(), g.exons().get(i - 1).end()));
                    annotated.add(new Site(g.contig(), g.strand(), g.exons().get(i).start()));
                }
            }
        }
        // test first, so that holding out dev genes leaves test as it is
        List<TaskRow> testRows = rows(genome, testGenes, cfg, annotated, gen, counts);
        int nDev = (int) Math.round(cfg.devFraction() * trainGenes.size());
        Set<Integer> heldOut = new HashSet<>();
        if (nDev > 0) {
            int[] order = SequenceUtil.permutation(trainGenes.size(), gen);
            for (int i = 0; i < nDev; i++) heldOut.add(order[i]);
            counts.put("devGenes", (long) nDev);
        }
        List<GeneStructure> devGenes = new ArrayList<>(), fitGenes = new ArrayList<>();
        for (int i = 0; i < trainGenes.size(); i++) (heldOut.contains(i) ? devGenes : fitGenes).add(trainGenes.get(i));
        counts.put("trainGenes", (long) fitGenes.size());
        counts.put("testGenes", (long) testGenes.size());
        List<TaskRow> train = rows(genome, fitGenes, cfg, annotated, gen, counts);
        List<TaskRow> dev = TaskData.withoutLeaks(train, rows(genome, devGenes, cfg, annotated, gen, counts), counts, "dev");
        List<TaskRow> earlier = new ArrayList<>(train);
        earlier.addAll(dev);
        List<TaskRow> clean = TaskData.withoutLeaks(earlier, testRows, counts, "test");
        List<String> classes = switch (cfg.mode()) {
            case THREE_CLASS -> List.of("neither", "donor", "acceptor");
            case DONOR -> List.of("not-donor", "donor");
            case ACCEPTOR -> List.of("not-acceptor", "acceptor");
        };
        TaskData data = new TaskData("splice-" + cfg.mode().name().toLowerCase(java.util.Locale.ROOT), classes, train, dev, clean, counts);
        data.assertNoOverlap();
        return data;
    }

    private static List<TaskRow> rows(Genome genome, List<GeneStructure> genes, Config cfg, Set<Site> annotated, Generator gen, Map<String, Long> counts) {
        int f = cfg.flank();
        boolean wantDonor = cfg.mode() != Mode.ACCEPTOR, wantAcceptor = cfg.mode() != Mode.DONOR;
        int donorLabel = DONOR, acceptorLabel = cfg.mode() == Mode.THREE_CLASS ? ACCEPTOR : 1;
        List<TaskRow> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (GeneStructure g : genes) {
            if (!genome.contigs().contains(g.contig())) throw new IllegalArgumentException("gene " + g.id() + " is on contig " + g.contig() + ", not in " + genome.source());
            int contigLen = genome.length(g.contig());
            if (g.end() > contigLen) throw new IllegalArgumentException("gene " + g.id() + " ends at " + g.end() + ", past the end of " + g.contig() + " (" + contigLen + ")");
            boolean plus = g.strand() == '+';
            List<Integer> donors = new ArrayList<>(), acceptors = new ArrayList<>();
            for (int i = 1; i < g.exons().size(); i++) {
                int left = g.exons().get(i - 1).end(), right = g.exons().get(i).start();
                donors.add(plus ? left : right);
                acceptors.add(plus ? right : left);
            }
            int nDonors = 0, nAcceptors = 0;
            if (wantDonor) {
                for (int j : donors) {
                    TaskRow r = window(genome, g, j, f, donorLabel, "donor", counts);
                    if (r == null || !seen.add("d" + g.contig() + g.strand() + j)) continue;
                    if (!r.sequence().startsWith("GT", f)) counts.merge("nonCanonicalDonors", 1L, Long::sum);
                    out.add(r);
                    nDonors++;
                }
            }
            if (wantAcceptor) {
                for (int j : acceptors) {
                    TaskRow r = window(genome, g, j, f, acceptorLabel, "acceptor", counts);
                    if (r == null || !seen.add("a" + g.contig() + g.strand() + j)) continue;
                    if (!r.sequence().startsWith("AG", f - 2)) counts.merge("nonCanonicalAcceptors", 1L, Long::sum);
                    out.add(r);
                    nAcceptors++;
                }
            }
            counts.merge("donors", (long) nDonors, Long::sum);
            counts.merge("acceptors", (long) nAcceptors, Long::sum);
            // candidate decoys inside the gene span (genomic [lo, hi))
            int lo = g.start(), hi = g.end();
            String span = SequenceUtil.upper(genome.fetch(g.contig(), lo, hi));
            List<Integer> gt = new ArrayList<>(), ag = new ArrayList<>();
            for (int p = 0; p + 2 <= span.length(); p++) {
                char a = span.charAt(p), b = span.charAt(p + 1);
                int jDonor, jAcceptor;
                if (plus) {
                    jDonor = a == 'G' && b == 'T' ? lo + p : -1;     // GT right after the junction
                    jAcceptor = a == 'A' && b == 'G' ? lo + p + 2 : -1; // AG right before it
                } else {
                    jDonor = a == 'A' && b == 'C' ? lo + p + 2 : -1;  // reverse complement of GT before j
                    jAcceptor = a == 'C' && b == 'T' ? lo + p : -1;   // reverse complement of AG after j
                }
                if (jDonor >= 0 && !annotated.contains(new Site(g.contig(), g.strand(), jDonor))) gt.add(jDonor);
                if (jAcceptor >= 0 && !annotated.contains(new Site(g.contig(), g.strand(), jAcceptor))) ag.add(jAcceptor);
            }
            if (wantDonor) out.addAll(decoys(genome, g, gt, (int) Math.round(cfg.negativesPerSite() * donors.size()), f, "gt", seen, gen, counts));
            if (wantAcceptor) out.addAll(decoys(genome, g, ag, (int) Math.round(cfg.negativesPerSite() * acceptors.size()), f, "ag", seen, gen, counts));
        }
        return out;
    }

    private static List<TaskRow> decoys(Genome genome, GeneStructure g, List<Integer> candidates, int want, int f, String origin, Set<String> seen,
            Generator gen, Map<String, Long> counts) {
        List<TaskRow> out = new ArrayList<>();
        if (want == 0 || candidates.isEmpty()) return out;
        int[] order = SequenceUtil.permutation(candidates.size(), gen);
        for (int k = 0; k < order.length && out.size() < want; k++) {
            int j = candidates.get(order[k]);
            if (seen.contains(origin + g.contig() + g.strand() + j)) continue;
            TaskRow r = window(genome, g, j, f, NEITHER, origin, counts);
            if (r == null) continue;
            seen.add(origin + g.contig() + g.strand() + j);
            out.add(r);
        }
        counts.merge("negatives", (long) out.size(), Long::sum);
        if (out.size() < want) counts.merge("negativesShort", (long) (want - out.size()), Long::sum);
        return out;
    }

    /** The row for junction {@code j} of gene {@code g}, or null (counted) if it runs off the contig or holds a non-ACGT base. */
    private static TaskRow window(Genome genome, GeneStructure g, int j, int f, int label, String origin, Map<String, Long> counts) {
        if (j - f < 0 || j + f > genome.length(g.contig())) {
            counts.merge("windowsOffContig", 1L, Long::sum);
            return null;
        }
        String s = SequenceUtil.upper(genome.fetch(g.contig(), j - f, j + f));
        if (!SequenceUtil.allAcgt(s)) {
            counts.merge("windowsWithN", 1L, Long::sum);
            return null;
        }
        if (g.strand() == '-') s = SequenceUtil.reverseComplement(s);
        return new TaskRow(s, label, g.contig(), j - f, j + f, g.strand(), origin);
    }
}
