package dev.strand.genomics.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gene structures of an AUGUSTUS training file ({@code genes.gb}, {@code genes.gb.train},
 * {@code genes.gb.test}), placed on their chromosome.
 *
 * <p>These files are GenBank (read with {@link GenBankReader}): each record is a gene region
 * named {@code <contig>_<start>-<end>} (1-based, inclusive) with one {@code CDS} feature, a
 * {@code join(…)} of coding exons, possibly inside {@code complement(…)}, in coordinates of the
 * region's own ORIGIN sequence. The name's coordinates count from the start of the sequence
 * AUGUSTUS was trained on, which need not be the whole chromosome: in the AUGUSTUS tutorial
 * ({@code augustus-doc}) that is {@code chr2R.2M-7M.fa}, i.e. chr2R from base 2,000,001, so the
 * regions lie at {@code name start + 2,000,000} on {@code chr2R.fa}
 * ({@link #TUTORIAL_CHR2R_OFFSET}; all 586 regions of the tutorial's {@code genes.gb} match
 * chr2R exactly there). {@link #verify} checks the placement against a genome.
 */
public final class AugustusGenes {
    /** Offset of the AUGUSTUS tutorial's training regions on dm3 chr2R (its chr2R.2M-7M.fa starts at 2,000,001). */
    public static final int TUTORIAL_CHR2R_OFFSET = 2_000_000;

    private static final Pattern LOCUS = Pattern.compile("(.+)_(\\d+)-(\\d+)");

    private AugustusGenes() {}

    /**
     * One CDS of a training region, in 0-based half-open chromosome coordinates: the region
     * [{@code regionStart}, {@code regionEnd}) and the CDS location (exons = its segments).
     */
    public record Gene(String locus, String contig, int regionStart, int regionEnd, String geneId,
                       GenBankLocation cds, String regionSequence, String source, long line) {
        /** {@code '+'} or {@code '-'}. */
        public char strand() {
            return cds.strand();
        }

        /** Coding exons, sorted along the chromosome. */
        public List<GenBankLocation.Segment> exons() {
            return cds.sortedSegments();
        }

        /** Introns between consecutive exons, sorted along the chromosome. */
        public List<GenBankLocation.Segment> introns() {
            return cds.gaps();
        }

        /** The spliced coding sequence (reverse-complemented on the minus strand). */
        public String codingSequence() {
            return cds.shifted(-regionStart).extract(regionSequence);
        }
    }

    /**
     * Reads a training file and places its regions on their contig, adding {@code offset} to the
     * coordinates in the record names ({@link #TUTORIAL_CHR2R_OFFSET} for the tutorial's files
     * against chr2R.fa, 0 when they already count from the contig's start).
     */
    public static List<Gene> read(Path file, int offset) {
        return fromRecords(GenBankReader.readAll(file), offset);
    }

    /** Places already-read records, as {@link #read}. */
    public static List<Gene> fromRecords(List<GenBankRecord> records, int offset) {
        List<Gene> out = new ArrayList<>();
        for (GenBankRecord r : records) {
            Matcher m = LOCUS.matcher(r.locus());
            if (!m.matches()) {
                throw new GenomicsFormatException(r.source(), r.line(), "LOCUS name '" + r.locus()
                        + "' does not give the region: expected '<contig>_<start>-<end>' as AUGUSTUS writes it");
            }
            long s1 = Long.parseLong(m.group(2));
            long e1 = Long.parseLong(m.group(3));
            if (e1 < s1 || e1 - s1 + 1 != r.sequence().length()) {
                throw new GenomicsFormatException(r.source(), r.line(), "LOCUS name '" + r.locus() + "' spans "
                        + (e1 - s1 + 1) + " bases but the record's ORIGIN holds " + r.sequence().length());
            }
            long start = s1 - 1 + offset;
            if (start < 0 || e1 + offset > Integer.MAX_VALUE) {
                throw new GenomicsFormatException(r.source(), r.line(), "region '" + r.locus() + "' with offset "
                        + offset + " lies outside 0 … " + Integer.MAX_VALUE);
            }
            List<GenBankFeature> cdss = r.features("CDS");
            if (cdss.isEmpty()) {
                throw new GenomicsFormatException(r.source(), r.line(), "record '" + r.locus()
                        + "' has no CDS feature: expected one gene structure per record");
            }
            for (GenBankFeature f : cdss) {
                String id = f.qualifier("gene");
                out.add(new Gene(r.locus(), m.group(1), (int) start, (int) (e1 + offset),
                        id == null ? r.locus() : id, f.location().shifted((int) start), r.sequence(),
                        r.source(), f.line()));
            }
        }
        return out;
    }

    /**
     * Checks that each region's sequence equals the genome's bases where it was placed
     * (case-insensitively); the first mismatch is a {@link GenomicsFormatException} naming the
     * record, its line, and how many regions failed.
     */
    public static void verify(List<Gene> genes, Genome genome) {
        Gene first = null;
        String why = null;
        int bad = 0;
        for (Gene g : genes) {
            String problem = null;
            if (!genome.contigs().contains(g.contig())) {
                problem = "contig '" + g.contig() + "' is not in " + genome.source();
            } else if (g.regionEnd() > genome.length(g.contig())) {
                problem = "region ends at " + g.regionEnd() + ", past the end of " + g.contig() + " (length "
                        + genome.length(g.contig()) + ")";
            } else if (!genome.fetch(g.contig(), g.regionStart(), g.regionEnd()).equalsIgnoreCase(g.regionSequence())) {
                problem = "the record's sequence differs from " + g.contig() + ":[" + g.regionStart() + ", "
                        + g.regionEnd() + ") of " + genome.source();
            }
            if (problem != null) {
                bad++;
                if (first == null) {
                    first = g;
                    why = problem;
                }
            }
        }
        if (first != null) {
            throw new GenomicsFormatException(first.source(), first.line(), "region '" + first.locus() + "': " + why
                    + " (" + bad + " of " + genes.size() + " regions fail; is the offset right? the AUGUSTUS tutorial's"
                    + " files need " + TUTORIAL_CHR2R_OFFSET + " against chr2R.fa)");
        }
    }
}
