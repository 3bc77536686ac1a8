package dev.strand.genomics.attention;

import dev.strand.genomics.attention.CandidateRegions.Region;
import dev.strand.genomics.io.FastaRecord;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.nn.transformer.Encoder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * DNABERT-viz's motif discovery from attention (Ji et al. 2021, section "Motif analysis"):
 * <ol>
 *   <li>in every positive sequence, the {@link CandidateRegions candidate regions} of its per-base
 *       attention track; each region's bases (upper case) are a candidate motif, and each region an
 *       instance of it;</li>
 *   <li>motifs with at least {@code minInstances} instances are tested for enrichment: of all
 *       N = positives + negatives sequences, n hold the motif (exact substring), x of them positive;
 *       p = P(X ≥ x) under the hypergeometric law (K = positives); Benjamini–Hochberg over the
 *       tested motifs; kept when q &lt; {@code fdr};</li>
 *   <li>kept motifs, most significant first, are merged: each joins the earlier group whose
 *       representative it overlaps best by {@link GaplessAlignment}, if that score is at least
 *       {@code minMergeScore} matching bases, else it starts a group of its own.</li>
 * </ol>
 */
public final class MotifFinder {
    private MotifFinder() {}

    /**
     * Thresholds; {@link #defaults()} are DNABERT-viz's.
     *
     * @param minLength     shortest candidate region, in bases
     * @param timesMinimum  a region's scores must exceed this multiple of the track's minimum
     * @param fdr           Benjamini–Hochberg q-value below which a motif is kept
     * @param minInstances  fewest instances (regions in positives) a motif needs
     * @param minMergeScore matching bases of the best gapless overlap needed to merge two motifs
     */
    public record Settings(int minLength, double timesMinimum, double fdr, int minInstances, int minMergeScore) {
        public Settings {
            if (minLength < 1) throw new IllegalArgumentException("minimum region length must be at least 1, got " + minLength);
            if (!(timesMinimum >= 0)) throw new IllegalArgumentException("the multiple of the minimum must be >= 0, got " + timesMinimum);
            if (!(fdr > 0 && fdr <= 1)) throw new IllegalArgumentException("the FDR must be in (0, 1], got " + fdr);
            if (minInstances < 1) throw new IllegalArgumentException("a motif needs at least 1 instance, got " + minInstances);
            if (minMergeScore < 1) throw new IllegalArgumentException("the merge score must be at least 1 base, got " + minMergeScore);
        }

        /** Regions of 5+ bases above the mean and 10 × the minimum; FDR 0.005; 3 instances; merge at 5 matching bases. */
        public static Settings defaults() {
            return new Settings(5, 10, 0.005, 3, 5);
        }
    }

    /** A positive sequence and its per-base attention scores (see {@link AttentionTrack#scores}). */
    public record Scored(String name, String sequence, float[] scores) {
        public Scored {
            if (scores.length != sequence.length()) {
                throw new IllegalArgumentException(name + ": " + scores.length + " scores for " + sequence.length() + " bases");
            }
        }
    }

    /**
     * A motif after merging.
     *
     * @param motif     the representative: the group's most significant member
     * @param members   every merged motif, the representative first
     * @param positives positive sequences holding the representative
     * @param negatives negative sequences holding the representative
     * @param p         the representative's hypergeometric p-value
     * @param q         its Benjamini–Hochberg q-value
     * @param instances candidate regions in positives whose bases are one of the members
     */
    public record Motif(String motif, List<String> members, int positives, int negatives, double p, double q, int instances) {}

    /**
     * One candidate region of a positive sequence.
     *
     * @param sequence  the sequence's name
     * @param region    its bases [start, end), 0-based
     * @param bases     those bases, upper case
     * @param meanScore mean per-base score over the region
     * @param motif     the representative of the kept motif it belongs to, or null
     */
    public record RegionCall(String sequence, Region region, String bases, double meanScore, String motif) {}

    /**
     * What was found.
     *
     * @param motifs  kept motifs, most significant first
     * @param regions every candidate region of every positive, in input order
     * @param tested  how many motifs had enough instances to be tested
     */
    public record Result(List<Motif> motifs, List<RegionCall> regions, int tested) {}

    /**
     * Scores every positive with the model's last-layer {@link AttentionTrack}, then {@link #find}s
     * motifs; {@code progress} (may be null) hears how many positives are scored so far.
     *
     * @throws IllegalArgumentException if a sequence holds anything but A, C, G, T, N or a positive
     *                                  is longer than the model takes
     */
    public static Result find(Encoder encoder, Tokenizer tokenizer, List<FastaRecord> positives, List<FastaRecord> negatives,
            Settings settings, IntConsumer progress) {
        for (FastaRecord n : negatives) AttentionMaps.check(n.name(), n.sequence());
        List<Scored> scored = new ArrayList<>();
        for (FastaRecord p : positives) {
            scored.add(new Scored(p.name(), p.sequence(), AttentionTrack.compute(encoder, tokenizer, p.name(), p.sequence()).scores()));
            if (progress != null) progress.accept(scored.size());
        }
        return find(scored, negatives.stream().map(FastaRecord::sequence).toList(), settings);
    }

    /** Finds motifs enriched in {@code positives} (with their attention tracks) over {@code negatives}. */
    public static Result find(List<Scored> positives, List<String> negatives, Settings settings) {
        if (positives.isEmpty()) throw new IllegalArgumentException("motif finding needs positive sequences");
        if (negatives.isEmpty()) throw new IllegalArgumentException("motif finding needs negative sequences to test enrichment against");
        List<String> pos = positives.stream().map(s -> s.sequence().toUpperCase(Locale.ROOT)).toList();
        List<String> neg = negatives.stream().map(s -> s.toUpperCase(Locale.ROOT)).toList();

        List<RegionCall> calls = new ArrayList<>();
        Map<String, Integer> instances = new LinkedHashMap<>();
        for (int i = 0; i < positives.size(); i++) {
            Scored s = positives.get(i);
            for (Region r : CandidateRegions.find(s.scores(), settings.minLength(), settings.timesMinimum())) {
                String bases = pos.get(i).substring(r.start(), r.end());
                calls.add(new RegionCall(s.name(), r, bases, mean(s.scores(), r), null));
                instances.merge(bases, 1, Integer::sum);
            }
        }

        List<String> candidates = instances.entrySet().stream().filter(e -> e.getValue() >= settings.minInstances()).map(Map.Entry::getKey).toList();
        int[] inPositives = new int[candidates.size()], inNegatives = new int[candidates.size()];
        double[] p = new double[candidates.size()];
        int population = pos.size() + neg.size();
        for (int m = 0; m < candidates.size(); m++) {
            inPositives[m] = holding(pos, candidates.get(m));
            inNegatives[m] = holding(neg, candidates.get(m));
            p[m] = Enrichment.hypergeometricUpperTail(population, pos.size(), inPositives[m] + inNegatives[m], inPositives[m]);
        }
        double[] q = Enrichment.benjaminiHochberg(p);

        List<Integer> kept = new ArrayList<>();
        for (int m = 0; m < candidates.size(); m++) if (q[m] < settings.fdr()) kept.add(m);
        kept.sort(Comparator.<Integer>comparingDouble(m -> q[m]).thenComparingDouble(m -> p[m])
                .thenComparing(m -> -instances.get(candidates.get(m))).thenComparing(candidates::get));

        List<List<Integer>> groups = new ArrayList<>();
        for (int m : kept) {
            List<Integer> best = null;
            int bestScore = -1;
            for (List<Integer> g : groups) {
                int score = GaplessAlignment.align(candidates.get(g.get(0)), candidates.get(m)).score();
                if (score > bestScore) {
                    bestScore = score;
                    best = g;
                }
            }
            if (best != null && bestScore >= settings.minMergeScore()) best.add(m);
            else groups.add(new ArrayList<>(List.of(m)));
        }

        List<Motif> motifs = new ArrayList<>();
        Map<String, String> representative = new LinkedHashMap<>();
        for (List<Integer> g : groups) {
            int rep = g.get(0);
            List<String> members = g.stream().map(candidates::get).toList();
            int count = members.stream().mapToInt(instances::get).sum();
            if (count < settings.minInstances()) continue;
            motifs.add(new Motif(candidates.get(rep), members, inPositives[rep], inNegatives[rep], p[rep], q[rep], count));
            for (String member : members) representative.put(member, candidates.get(rep));
        }
        List<RegionCall> labelled = calls.stream()
                .map(c -> new RegionCall(c.sequence(), c.region(), c.bases(), c.meanScore(), representative.get(c.bases()))).toList();
        return new Result(List.copyOf(motifs), labelled, candidates.size());
    }

    /** How many of {@code sequences} hold {@code motif} at least once. */
    static int holding(List<String> sequences, String motif) {
        int n = 0;
        for (String s : sequences) if (s.contains(motif)) n++;
        return n;
    }

    private static double mean(float[] scores, Region r) {
        double sum = 0;
        for (int i = r.start(); i < r.end(); i++) sum += scores[i];
        return sum / r.length();
    }
}
