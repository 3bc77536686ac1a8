package dev.strand.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Option values of the form {@code key=value,key=value}, as {@code --attention} and {@code --rmt} take them. */
final class KeyValues {
    private KeyValues() {}

    /**
     * The pairs in order, keys lower-cased; a part that is not key=value, or a key not in
     * {@code keys}, is an error that names {@code option} and the keys it knows.
     */
    static Map<String, String> parse(String option, String text, List<String> keys) {
        String known = String.join(", ", keys.subList(0, keys.size() - 1)) + " and " + keys.getLast();
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            part = part.strip();
            if (part.isEmpty()) continue;
            int eq = part.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException(option + ": '" + part + "' is not key=value; keys are " + known);
            String key = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            if (!keys.contains(key)) throw new IllegalArgumentException(option + ": unknown key '" + key + "'; keys are " + known);
            out.put(key, part.substring(eq + 1).strip());
        }
        return out;
    }

    /** {@code value} as a whole number, or an error naming the option and key. */
    static int whole(String option, String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": " + key + " must be a whole number, got '" + value + "'");
        }
    }
}
