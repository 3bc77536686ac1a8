package dev.strand.genomics.tasks;

/**
 * One labelled example built from annotations: {@code sequence} (uppercase, in the orientation the
 * model sees), its class {@code label}, and where it comes from: bases {@code [start, end)} of
 * {@code contig} (0-based, half-open), {@code strand} '+' or '-' (the sequence is the reverse
 * complement of the interval when '-'), and {@code origin}, a word saying how it was made
 * ("promoter", "background", "shuffled", "donor", "acceptor", "gt", "ag").
 */
public record TaskRow(String sequence, int label, String contig, int start, int end, char strand, String origin) {
    public boolean overlaps(TaskRow o) {
        return contig.equals(o.contig) && start < o.end && o.start < end;
    }
}
