package dev.strand.genomics.metrics;

import dev.strand.genomics.io.Bases;

/**
 * An order-k Markov model of DNA with add-one (Laplace) smoothing: the baseline bits per base a
 * pretrained model has to beat.
 *
 * <p>P(b | the k preceding bases) = (count(context, b) + 1) / (count(context) + 4). Training and
 * scoring are case-insensitive and see only A/C/G/T: any other character (N, IUPAC codes) ends the
 * current run, and the first k bases of each run — which lack a full context — are neither counted
 * as targets nor scored. {@link #bitsPerBase} is the mean of −log₂ P over the scored bases. An
 * unseen context gives 2 bits per base; a sequence fully determined by its k preceding bases
 * approaches 0 as training grows (log₂((n + 4) / (n + 1)) after n sightings of a context).
 */
public final class MarkovBaseline {
    /** Largest supported order: 4^(k+1) counts. */
    public static final int MAX_ORDER = 11;

    /** Bits per base over {@code scored} bases; {@code skipped} bases were not scored (context incomplete or not ACGT). */
    public record Evaluation(double bitsPerBase, long scored, long skipped, double totalBits) {}

    private final int k;
    private final long[] counts; // [4^k contexts][4 bases]
    private final int contextMask;
    private long trainedBases;

    public MarkovBaseline(int order) {
        if (order < 0 || order > MAX_ORDER) throw new IllegalArgumentException("Markov order must be in [0, " + MAX_ORDER + "], got " + order);
        this.k = order;
        this.counts = new long[1 << (2 * (order + 1))];
        this.contextMask = (1 << (2 * order)) - 1;
    }

    /** An order-k model fitted on the sequences given. */
    public static MarkovBaseline fit(int order, CharSequence... training) {
        MarkovBaseline m = new MarkovBaseline(order);
        for (CharSequence s : training) m.train(s);
        return m;
    }

    public int order() {
        return k;
    }

    /** Bases counted as targets so far. */
    public long trainedBases() {
        return trainedBases;
    }

    /** Adds the transitions of {@code dna} to the counts. */
    public MarkovBaseline train(CharSequence dna) {
        int ctx = 0, run = 0;
        for (int i = 0; i < dna.length(); i++) {
            int b = Bases.code(dna.charAt(i));
            if (b < 0) {
                run = 0;
                ctx = 0;
                continue;
            }
            if (run >= k) {
                counts[(ctx << 2) | b]++;
                trainedBases++;
            }
            ctx = k == 0 ? 0 : ((ctx << 2) | b) & contextMask;
            run++;
        }
        return this;
    }

    /** P(base | context) for a context of exactly k bases (A/C/G/T) and one base. */
    public double probability(String context, char base) {
        if (context.length() != k) throw new IllegalArgumentException("context must have " + k + " bases, got '" + context + "'");
        int ctx = 0;
        for (int i = 0; i < k; i++) {
            int c = Bases.code(context.charAt(i));
            if (c < 0) throw new IllegalArgumentException("context '" + context + "' has a base other than A/C/G/T");
            ctx = (ctx << 2) | c;
        }
        int b = Bases.code(base);
        if (b < 0) throw new IllegalArgumentException("base '" + base + "' is not A/C/G/T");
        return probability(ctx, b);
    }

    private double probability(int ctx, int b) {
        int row = ctx << 2;
        long total = counts[row] + counts[row + 1] + counts[row + 2] + counts[row + 3];
        return (counts[row | b] + 1.0) / (total + 4.0);
    }

    /** Scores held-out DNA (see the class comment for which bases are scored). */
    public Evaluation evaluate(CharSequence dna) {
        double bits = 0;
        long scored = 0, skipped = 0;
        int ctx = 0, run = 0;
        double ln2 = Math.log(2);
        for (int i = 0; i < dna.length(); i++) {
            int b = Bases.code(dna.charAt(i));
            if (b < 0) {
                run = 0;
                ctx = 0;
                skipped++;
                continue;
            }
            if (run >= k) {
                bits -= Math.log(probability(ctx, b)) / ln2;
                scored++;
            } else {
                skipped++;
            }
            ctx = k == 0 ? 0 : ((ctx << 2) | b) & contextMask;
            run++;
        }
        return new Evaluation(scored == 0 ? Double.NaN : bits / scored, scored, skipped, bits);
    }

    /** Mean bits per scored base of held-out DNA. */
    public double bitsPerBase(CharSequence dna) {
        return evaluate(dna).bitsPerBase();
    }
}
