package dev.strand.genomics.io;

import java.util.List;
import java.util.Map;

/**
 * One GFF3 feature line, with coordinates converted from the file's 1-based inclusive
 * {@code start..end} to 0-based half-open [start, end) (so {@code start = fileStart − 1},
 * {@code end = fileEnd}). Score is {@code NaN} when {@code "."}; strand is {@code '+'},
 * {@code '-'}, {@code '.'} or {@code '?'}; phase is 0–2 or −1 when {@code "."}. Attribute values
 * are percent-decoded and split at commas; keys keep file order.
 */
public record GffFeature(String seqid, String source, String type, int start, int end, double score, char strand,
                         int phase, Map<String, List<String>> attributes, long line) {
    public GffFeature {
        attributes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
    }

    public int length() {
        return end - start;
    }

    /** The first value of an attribute, or null when absent. */
    public String attribute(String key) {
        List<String> v = attributes.get(key);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** The {@code ID} attribute, or null. */
    public String id() {
        return attribute("ID");
    }

    /** The {@code Parent} attribute's values (empty when none). */
    public List<String> parents() {
        return attributes.getOrDefault("Parent", List.of());
    }

    /** The feature's bases, reverse-complemented on the minus strand. */
    public String sequence(Genome genome) {
        String s = genome.fetch(seqid, start, end);
        return strand == '-' ? Bases.reverseComplement(s) : s;
    }

    @Override
    public String toString() {
        return seqid + ":[" + start + ", " + end + ") " + type + " " + strand;
    }
}
