package dev.strand.genomics.io;

import java.util.List;
import java.util.Map;

/**
 * One entry of a GenBank feature table: its key ({@code CDS}, {@code gene}, {@code tRNA}, …), its
 * location and its qualifiers (values unquoted; a flag such as {@code /pseudo} has the value
 * {@code ""}). {@code line} is where the feature starts in the file.
 */
public record GenBankFeature(String key, GenBankLocation location, Map<String, List<String>> qualifiers, long line) {
    public GenBankFeature {
        qualifiers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(qualifiers));
    }

    /** The first value of a qualifier, or null when absent. */
    public String qualifier(String name) {
        List<String> v = qualifiers.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public boolean has(String name) {
        return qualifiers.containsKey(name);
    }

    @Override
    public String toString() {
        return key + " " + location;
    }
}
