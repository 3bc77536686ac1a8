package dev.strand.genomics.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The Hugging Face {@code tokenizers} normalisers Strand reproduces, as steps applied in order
 * ({@code Sequence} is flattened): {@code Strip} (Unicode whitespace at either end), {@code
 * Replace} (every match of a literal {@code String} or a {@code Regex} becomes {@code content};
 * GENA-LM turns {@code N{10,}} into {@code -}), {@code Lowercase}, {@code Uppercase} and {@code
 * NFC NFD NFKC NFKD}. Steps read and write tokenizer.json's own JSON shape, which is also how
 * Strand saves them. Anything else (BertNormalizer, Precompiled, ...) is refused.
 */
final class HfNormalizer {
    private HfNormalizer() {}

    /** One normalising step. */
    interface Step {
        String apply(String text);

        /** The step as tokenizer.json writes it. */
        ObjectNode toJson();
    }

    record Strip(boolean left, boolean right) implements Step {
        @Override
        public String apply(String text) {
            int start = 0, end = text.length();
            while (left && start < end && isWhite(text.codePointAt(start))) start += Character.charCount(text.codePointAt(start));
            while (right && end > start && isWhite(text.codePointBefore(end))) end -= Character.charCount(text.codePointBefore(end));
            return text.substring(start, end);
        }

        @Override
        public ObjectNode toJson() {
            return node("Strip").put("strip_left", left).put("strip_right", right);
        }
    }

    /** Every match of {@code pattern} (a regex when {@code regex}, else literal text) replaced by {@code content}. */
    record Replace(String pattern, boolean regex, String content, Pattern compiled) implements Step {
        Replace(String pattern, boolean regex, String content) {
            this(pattern, regex, content, compile(pattern, regex));
        }

        @Override
        public String apply(String text) {
            return compiled.matcher(text).replaceAll(Matcher.quoteReplacement(content));
        }

        @Override
        public ObjectNode toJson() {
            ObjectNode n = node("Replace");
            n.putObject("pattern").put(regex ? "Regex" : "String", pattern);
            return n.put("content", content);
        }
    }

    record Case(boolean upper) implements Step {
        @Override
        public String apply(String text) {
            return upper ? text.toUpperCase(Locale.ROOT) : text.toLowerCase(Locale.ROOT);
        }

        @Override
        public ObjectNode toJson() {
            return node(upper ? "Uppercase" : "Lowercase");
        }
    }

    record Unicode(java.text.Normalizer.Form form) implements Step {
        @Override
        public String apply(String text) {
            return java.text.Normalizer.normalize(text, form);
        }

        @Override
        public ObjectNode toJson() {
            return node(form.name());
        }
    }

    /** The steps of a tokenizer.json "normalizer" (null: none), or of Strand's saved list of them. */
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
            case "Sequence" -> parseInto(node.get("normalizers"), out);
            case "Strip" -> out.add(new Strip(node.path("strip_left").asBoolean(true), node.path("strip_right").asBoolean(true)));
            case "Replace" -> {
                JsonNode p = node.path("pattern");
                boolean regex = p.has("Regex");
                JsonNode source = regex ? p.get("Regex") : p.get("String");
                JsonNode content = node.get("content");
                if (source == null || !source.isTextual() || content == null || !content.isTextual()) {
                    throw new IllegalArgumentException("normalizer Replace needs a \"pattern\" {\"String\" or \"Regex\"} and a text \"content\", got " + node);
                }
                out.add(new Replace(source.asText(), regex, content.asText()));
            }
            case "Lowercase" -> out.add(new Case(false));
            case "Uppercase" -> out.add(new Case(true));
            case "NFC", "NFD", "NFKC", "NFKD" -> out.add(new Unicode(java.text.Normalizer.Form.valueOf(type)));
            default -> throw new IllegalArgumentException("normalizer type \"" + type + "\" is not supported (Strand reproduces "
                    + "Sequence, Strip, Replace, Lowercase, Uppercase, NFC, NFD, NFKC, NFKD)");
        }
    }

    static String apply(List<Step> steps, String text) {
        for (Step s : steps) text = s.apply(text);
        return text;
    }

    static ArrayNode toJson(List<Step> steps) {
        ArrayNode a = Tokenizers.JSON.createArrayNode();
        for (Step s : steps) a.add(s.toJson());
        return a;
    }

    static ObjectNode node(String type) {
        return Tokenizers.JSON.createObjectNode().put("type", type);
    }

    /** A literal or regex pattern as {@code tokenizers} matches it (Unicode classes for \w, \s, \d). */
    static Pattern compile(String pattern, boolean regex) {
        if (pattern.isEmpty()) throw new IllegalArgumentException("empty pattern");
        try {
            return regex ? Pattern.compile(pattern, Pattern.UNICODE_CHARACTER_CLASS) : Pattern.compile(Pattern.quote(pattern));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("regex \"" + pattern + "\" is not one Java reads (" + e.getDescription() + ")");
        }
    }

    /** Rust's {@code char::is_whitespace}: the Unicode White_Space property. */
    static boolean isWhite(int c) {
        return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
    }
}
