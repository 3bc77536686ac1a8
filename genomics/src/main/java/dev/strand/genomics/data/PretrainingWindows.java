package dev.strand.genomics.data;

import dev.strand.genomics.io.Bases;
import dev.strand.genomics.io.Genome;
import dev.strand.tensor.Generator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Random fixed-length windows of DNA for pretraining, drawn from one or more {@link Genome}s, with a
 * held-out validation region that training windows never touch.
 *
 * <p><b>Held-out region</b> ({@link HeldOut}): either the last fraction of every contig (training
 * windows lie wholly in {@code [0, floor(length·(1 − f)))}, validation in the rest), whole named
 * contigs, or nothing. {@link #trainRegions()} and {@link #heldOutRegions()} list them.
 *
 * <p><b>Sampling</b>: a training window's region is picked with probability proportional to the
 * number of window starts it offers (so every valid start of every genome is equally likely), then a
 * uniform start, then the reverse complement with probability {@code rcProbability} (0.5 by
 * default). Each attempt reserves three counter values of the {@link Generator}; windows that the
 * {@link NPolicy} rejects are redrawn (at most {@value #MAX_ATTEMPTS} attempts per window). The
 * stream of windows is therefore a function of the generator's seed and counter only: saving
 * {@link Generator#state()} and restoring it with {@link Generator#setState} resumes exactly.
 *
 * <p><b>Validation</b>: {@link #validationWindows} tiles the held-out regions left to right with
 * non-overlapping windows (forward strand, same N policy) — deterministic, no generator needed.
 *
 * <p>Bases come back as stored by the genome (soft-masked lowercase kept); the reverse complement
 * keeps case.
 */
public final class PretrainingWindows {
    static final int MAX_ATTEMPTS = 10_000;

    /** Which part of each genome is kept for validation. */
    public sealed interface HeldOut extends java.io.Serializable {
        /** The last {@code fraction} of every contig. */
        record LastFraction(double fraction) implements HeldOut {
            public LastFraction {
                if (!(fraction >= 0 && fraction < 1)) throw new IllegalArgumentException("held-out fraction must be in [0, 1), got " + fraction);
            }
        }

        /** Whole contigs, by name (in every genome that has them). */
        record Contigs(Set<String> names) implements HeldOut {
            public Contigs {
                names = Set.copyOf(names);
            }
        }

        static HeldOut lastFraction(double fraction) {
            return new LastFraction(fraction);
        }

        static HeldOut contigs(Collection<String> names) {
            return new Contigs(Set.copyOf(names));
        }

        static HeldOut none() {
            return new LastFraction(0);
        }
    }

    /**
     * Which windows to keep by their share of non-ACGT bases (N, IUPAC codes): windows whose share
     * exceeds {@code maxFraction} are skipped. {@link #KEEP} keeps everything; {@link #SKIP_ANY} skips any
     * window with at least one non-ACGT base.
     */
    public record NPolicy(double maxFraction) implements java.io.Serializable {
        public static final NPolicy KEEP = new NPolicy(1);
        public static final NPolicy SKIP_ANY = new NPolicy(0);

        public NPolicy {
            if (!(maxFraction >= 0 && maxFraction <= 1)) throw new IllegalArgumentException("N fraction must be in [0, 1], got " + maxFraction);
        }

        public boolean accepts(String bases) {
            if (maxFraction >= 1) return true;
            int n = 0;
            for (int i = 0; i < bases.length(); i++) if (!Bases.isAcgt(bases.charAt(i))) n++;
            return n <= maxFraction * bases.length();
        }
    }

    /** A stretch [start, end) of one contig of genome number {@code genome} (index into the list given). */
    public record Region(int genome, String contig, int start, int end) {
        public int length() {
            return end - start;
        }

        public boolean overlaps(Region o) {
            return genome == o.genome && contig.equals(o.contig) && start < o.end && o.start < end;
        }
    }

    /**
     * One window: bases {@code [start, end)} of {@code contig} in genome number {@code genome};
     * {@code sequence} is their reverse complement when {@code reverse}.
     */
    public record Window(int genome, String contig, int start, int end, boolean reverse, String sequence) {
        public Region region() {
            return new Region(genome, contig, start, end);
        }
    }

    private final List<Genome> genomes;
    private final Spec spec;
    private final int length;
    private final double rcProbability;
    private final NPolicy nPolicy;
    private final List<Region> train = new ArrayList<>();
    private final List<Region> heldOut = new ArrayList<>();
    private final long[] cumulativeStarts; // cumulative number of window starts over train regions
    private final long totalStarts;

    /** Windows of {@code length} bases, reverse complement with probability 0.5. */
    public PretrainingWindows(List<? extends Genome> genomes, int length, HeldOut heldOut, NPolicy nPolicy) {
        this(genomes, length, heldOut, nPolicy, 0.5);
    }

    public PretrainingWindows(List<? extends Genome> genomes, int length, HeldOut heldOut, NPolicy nPolicy, double rcProbability) {
        this(genomes, length, Collections.nCopies(genomes.size(), Objects.requireNonNull(heldOut, "heldOut")), nPolicy, rcProbability);
    }

    /** Per-genome held-out parts (see below), reverse complement with probability 0.5. */
    public PretrainingWindows(List<? extends Genome> genomes, int length, List<HeldOut> heldOutSpecs, NPolicy nPolicy) {
        this(genomes, length, heldOutSpecs, nPolicy, 0.5);
    }

    /**
     * Windows where each genome keeps its own held-out part: {@code heldOutSpecs.get(i)} for
     * genome {@code i}. {@link HeldOut#none()} makes a genome training-only, e.g. a task's unlabelled
     * training sequences in task-adaptive pretraining, whose records are too short to split.
     */
    public PretrainingWindows(List<? extends Genome> genomes, int length, List<HeldOut> heldOutSpecs, NPolicy nPolicy, double rcProbability) {
        this(genomes, new Spec(length, heldOutSpecs, nPolicy, rcProbability));
    }

    /**
     * Everything but the genomes that says which windows are drawn: what a data-parallel replica
     * needs, beside the genomes it opens itself, to draw the same windows.
     *
     * @param heldOut per genome, its held-out part
     */
    public record Spec(int length, List<HeldOut> heldOut, NPolicy nPolicy, double rcProbability) implements java.io.Serializable {
        public Spec {
            heldOut = List.copyOf(heldOut);
            if (length < 1) throw new IllegalArgumentException("window length must be positive, got " + length);
            if (!(rcProbability >= 0 && rcProbability <= 1)) throw new IllegalArgumentException("reverse-complement probability must be in [0, 1], got " + rcProbability);
            Objects.requireNonNull(nPolicy, "nPolicy");
        }
    }

    /** Windows of {@code genomes} as {@code spec} says. */
    public PretrainingWindows(List<? extends Genome> genomes, Spec spec) {
        if (genomes.isEmpty()) throw new IllegalArgumentException("no genomes to draw windows from");
        if (spec.heldOut().size() != genomes.size()) throw new IllegalArgumentException(genomes.size() + " genomes but " + spec.heldOut().size() + " held-out choices");
        this.genomes = List.copyOf(genomes);
        this.spec = spec;
        this.length = spec.length();
        this.rcProbability = spec.rcProbability();
        this.nPolicy = spec.nPolicy();
        for (HeldOut held : spec.heldOut()) {
            if (Objects.requireNonNull(held, "heldOut") instanceof HeldOut.Contigs c) {
                for (String name : c.names()) {
                    boolean found = false;
                    for (Genome g : this.genomes) found |= g.contigs().contains(name);
                    if (!found) throw new IllegalArgumentException("held-out contig " + name + " is in none of the genomes " + sources());
                }
            }
        }
        for (int gi = 0; gi < this.genomes.size(); gi++) {
            Genome g = this.genomes.get(gi);
            for (String contig : g.contigs()) {
                int len = g.length(contig);
                switch (spec.heldOut().get(gi)) {
                    case HeldOut.LastFraction f -> {
                        int cut = (int) Math.floor(len * (1 - f.fraction()));
                        if (cut > 0) train.add(new Region(gi, contig, 0, cut));
                        if (cut < len) heldOut.add(new Region(gi, contig, cut, len));
                    }
                    case HeldOut.Contigs c -> {
                        if (c.names().contains(contig)) heldOut.add(new Region(gi, contig, 0, len));
                        else if (len > 0) train.add(new Region(gi, contig, 0, len));
                    }
                }
            }
        }
        cumulativeStarts = new long[train.size()];
        totalStarts = countStarts();
        if (totalStarts == 0) {
            throw new IllegalArgumentException("no training region of " + sources() + " is as long as a window of " + length + " bases");
        }
    }

    /** A view of {@code of} that draws training windows from {@code train} only (see {@link #shard}). */
    private PretrainingWindows(PretrainingWindows of, List<Region> train) {
        this.genomes = of.genomes;
        this.spec = of.spec;
        this.length = of.length;
        this.rcProbability = of.rcProbability;
        this.nPolicy = of.nPolicy;
        this.heldOut.addAll(of.heldOut);
        this.train.addAll(train);
        this.cumulativeStarts = new long[train.size()];
        this.totalStarts = countStarts();
    }

    private long countStarts() {
        long total = 0;
        for (int i = 0; i < train.size(); i++) {
            total += Math.max(0, train.get(i).length() - length + 1);
            cumulativeStarts[i] = total;
        }
        return total;
    }

    /**
     * Shard {@code index} of {@code count}: the windows whose starts are the {@code index}-th of
     * {@code count} equal consecutive slices of all training starts (regions in order), so the
     * shards split the training DNA between them, each window start in exactly one. What one
     * data-parallel replica draws from; validation windows are the same in every shard.
     */
    public PretrainingWindows shard(int index, int count) {
        if (count < 1 || index < 0 || index >= count) throw new IllegalArgumentException("no shard " + index + " of " + count);
        if (totalStarts < count) throw new IllegalArgumentException(count + " shards of " + totalStarts + " window starts: use fewer shards or shorter windows");
        long lo = totalStarts * index / count, hi = totalStarts * (index + 1) / count;
        List<Region> part = new ArrayList<>();
        for (int r = 0; r < train.size(); r++) {
            long before = r == 0 ? 0 : cumulativeStarts[r - 1];
            long from = Math.max(lo, before), to = Math.min(hi, cumulativeStarts[r]);    // this region's starts in the slice
            if (from >= to) continue;
            Region region = train.get(r);
            int start = region.start() + (int) (from - before), lastStart = region.start() + (int) (to - 1 - before);
            part.add(new Region(region.genome(), region.contig(), start, lastStart + length));
        }
        return new PretrainingWindows(this, part);
    }

    /** What, beside the genomes, decides the windows. */
    public Spec spec() {
        return spec;
    }

    public int windowLength() {
        return length;
    }

    /** Regions training windows are drawn from (they never overlap {@link #heldOutRegions()}). */
    public List<Region> trainRegions() {
        return List.copyOf(train);
    }

    public List<Region> heldOutRegions() {
        return List.copyOf(heldOut);
    }

    /** The next random training window. */
    public Window next(Generator gen) {
        long seed = gen.seed();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            long at = gen.advance(3);
            long pick = Math.floorMod(Generator.mix(seed, at), totalStarts);
            int r = regionOf(pick);
            Region region = train.get(r);
            long before = r == 0 ? 0 : cumulativeStarts[r - 1];
            int start = region.start() + (int) (pick - before);
            boolean reverse = Generator.uniformAt(seed, at + 2) < rcProbability;
            String bases = genomes.get(region.genome()).fetch(region.contig(), start, start + length);
            if (!nPolicy.accepts(bases)) continue;
            return new Window(region.genome(), region.contig(), start, start + length, reverse, reverse ? Bases.reverseComplement(bases) : bases);
        }
        throw new IllegalStateException("no window of " + length + " bases passing " + nPolicy + " in " + MAX_ATTEMPTS
                + " attempts from " + sources() + ": too many N; relax the N policy");
    }

    /** The next {@code n} random training windows. */
    public List<Window> next(int n, Generator gen) {
        List<Window> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(next(gen));
        return out;
    }

    /**
     * Non-overlapping validation windows tiling the held-out regions from their starts, forward
     * strand, at most {@code max} of them (N policy applied; a rejected tile is skipped).
     */
    public List<Window> validationWindows(int max) {
        List<Window> out = new ArrayList<>();
        for (Region r : heldOut) {
            for (int s = r.start(); s + length <= r.end() && out.size() < max; s += length) {
                String bases = genomes.get(r.genome()).fetch(r.contig(), s, s + length);
                if (nPolicy.accepts(bases)) out.add(new Window(r.genome(), r.contig(), s, s + length, false, bases));
            }
        }
        return out;
    }

    private int regionOf(long pick) {
        int lo = 0, hi = cumulativeStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulativeStarts[mid] > pick) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    private String sources() {
        List<String> s = new ArrayList<>();
        for (Genome g : genomes) s.add(g.source());
        return s.toString();
    }
}
