package dev.strand.genomics.io;

import java.util.List;

/**
 * One GenBank record (LOCUS … //): the LOCUS name, the length the LOCUS line declares (−1 when it
 * gives none), DEFINITION and ACCESSION text (empty when absent), the feature table, and the
 * ORIGIN sequence (case as written, usually lowercase; empty for a record without ORIGIN).
 */
public record GenBankRecord(String locus, long declaredLength, String definition, String accession,
                            List<GenBankFeature> features, String sequence, String source, long line) {
    public GenBankRecord {
        features = List.copyOf(features);
    }

    /** Features with the given key (e.g. {@code "CDS"}), in file order. */
    public List<GenBankFeature> features(String key) {
        return features.stream().filter(f -> f.key().equals(key)).toList();
    }

    /** The record's sequence as a FASTA record named by its LOCUS. */
    public FastaRecord toFasta() {
        return new FastaRecord(locus, definition, sequence);
    }

    @Override
    public String toString() {
        return "GenBankRecord[" + locus + ", " + sequence.length() + " bp, " + features.size() + " features]";
    }
}
