package dev.strand.genomics.io;

import java.util.Objects;

/**
 * One FASTA record: the name (first word of the header, after {@code >}), the rest of the header
 * line as description (empty when absent), and the sequence with line breaks removed and case
 * kept (lowercase = soft-masked).
 */
public record FastaRecord(String name, String description, String sequence) {
    public FastaRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(sequence, "sequence");
    }

    public int length() {
        return sequence.length();
    }

    /** The header line without {@code >}: the name, then one space and the description if there is one. */
    public String header() {
        return description.isEmpty() ? name : name + " " + description;
    }

    @Override
    public String toString() {
        return "FastaRecord[" + name + (description.isEmpty() ? "" : " " + description)
                + ", " + sequence.length() + " bp]";
    }
}
