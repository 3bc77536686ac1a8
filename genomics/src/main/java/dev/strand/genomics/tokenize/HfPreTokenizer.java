package dev.strand.genomics.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Hugging Face {@code tokenizers} pre-tokenisers Strand reproduces, as steps that each split
 * every piece further ({@code Sequence} is flattened): {@code Whitespace} (the words {@code
 * \w+|[^\w\s]+}), {@code WhitespaceSplit} (runs of non-whitespace) and {@code Split} on a literal
 * {@code String} or a {@code Regex}, with behaviour {@code Removed} (matches dropped) or {@code
 * Isolated} (matches kept as pieces of their own), optionally inverted. Empty pieces are dropped,
 * as {@code tokenizers} drops them. Read and written in tokenizer.json's own JSON shape.
 */
final class HfPreTokenizer {
    private HfPreTokenizer() {}

    /** One splitting step. */
    interface Step {
        /** Adds the non-empty pieces of {@code piece} to {@code out}. */
        void split(String piece, List<String> out);

        ObjectNode toJson();
    }

    private static final Pattern WORDS = Pattern.compile("\\w+|[^\\w\\s]+", Pattern.UNICODE_CHARACTER_CLASS);

    record Whitespace() implements Step {
        @Override
        public void split(String piece, List<String> out) {
            Matcher m = WORDS.matcher(piece);
            while (m.find()) out.add(m.group());
        }

        @Override
        public ObjectNode toJson() {
            return HfNormalizer.node("Whitespace");
        }
    }

    record WhitespaceSplit() implements Step {
        @Override
        public void split(String piece, List<String> out) {
            int start = -1;
            for (int i = 0; i < piece.length(); ) {
                int c = piece.codePointAt(i);
                if (HfNormalizer.isWhite(c)) {
                    if (start >= 0) out.add(piece.substring(start, i));
                    start = -1;
                } else if (start < 0) {
                    start = i;
                }
                i += Character.charCount(c);
            }
            if (start >= 0) out.add(piece.substring(start));
        }

        @Override
        public ObjectNode toJson() {
            return HfNormalizer.node("WhitespaceSplit");
        }
    }

    /** Split at the matches of {@code pattern}: {@code isolated} keeps them as pieces, else they are removed. */
    record Split(String pattern, boolean regex, boolean isolated, boolean invert, Pattern compiled) implements Step {
        Split(String pattern, boolean regex, boolean isolated, boolean invert) {
            this(pattern, regex, isolated, invert, HfNormalizer.compile(pattern, regex));
        }

        @Override
        public void split(String piece, List<String> out) {
            Matcher m = compiled.matcher(piece);
            int prev = 0;
            while (m.find()) {
                add(piece, prev, m.start(), invert, out);
                add(piece, m.start(), m.end(), !invert, out);
                prev = m.end();
            }
            add(piece, prev, piece.length(), invert, out);
        }

        private void add(String piece, int start, int end, boolean match, List<String> out) {
            if (end > start && (isolated || !match)) out.add(piece.substring(start, end));
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode n = HfNormalizer.node("Split");
            n.putObject("pattern").put(regex ? "Regex" : "String", pattern);
            return n.put("behavior", isolated ? "Isolated" : "Removed").put("invert", invert);
        }
    }

    /** The steps of a tokenizer.json "pre_tokenizer" (null: none), or of Strand's saved list of them. */
    static List<Step> parse(JsonNode node) {
        List<Step> out = new ArrayList<>();
        parseInto(node, out);
        return List.copyOf(out);
    }

    private static void parseInto(JsonNode node, List<Step> out) {
        if (node == null || node.isNull()) return;
        if (node.isArray()) {
            for (JsonNode n : node) parseInto(n, out);
            return;
        }
        String type = node.path("type").asText("");
        switch (type) {
            case "Sequence" -> parseInto(node.get("pretokenizers"), out);
            case "Whitespace" -> out.add(new Whitespace());
            case "WhitespaceSplit" -> out.add(new WhitespaceSplit());
            case "Split" -> {
                JsonNode p = node.path("pattern");
                boolean regex = p.has("Regex");
                JsonNode source = regex ? p.get("Regex") : p.get("String");
                if (source == null || !source.isTextual()) {
                    throw new IllegalArgumentException("pre_tokenizer Split needs a \"pattern\" {\"String\" or \"Regex\"}, got " + node);
                }
                String behavior = node.path("behavior").asText("");
                if (!behavior.equals("Isolated") && !behavior.equals("Removed")) {
                    throw new IllegalArgumentException("pre_tokenizer Split behavior \"" + behavior
                            + "\" is not supported (Strand reproduces Isolated and Removed)");
                }
                out.add(new Split(source.asText(), regex, behavior.equals("Isolated"), node.path("invert").asBoolean(false)));
            }
            default -> throw new IllegalArgumentException("pre_tokenizer type \"" + type + "\" is not supported (Strand "
                    + "reproduces Sequence, Whitespace, WhitespaceSplit, Split)");
        }
    }

    /** The words of {@code text}: the text itself when there are no steps (and it is not empty). */
    static List<String> apply(List<Step> steps, String text) {
        List<String> pieces = new ArrayList<>();
        if (!text.isEmpty()) pieces.add(text);
        for (Step s : steps) {
            List<String> next = new ArrayList<>();
            for (String p : pieces) s.split(p, next);
            pieces = next;
        }
        return pieces;
    }

    static ArrayNode toJson(List<Step> steps) {
        ArrayNode a = Tokenizers.JSON.createArrayNode();
        for (Step s : steps) a.add(s.toJson());
        return a;
    }
}
