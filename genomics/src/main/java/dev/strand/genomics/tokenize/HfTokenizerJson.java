package dev.strand.genomics.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The parts of a Hugging Face tokenizer.json that {@link HfBpeTokenizer} needs, checked: a BPE
 * model (no dropout, no subword prefix or word suffix, no byte fallback, an unk token), the added
 * tokens, the normaliser and pre-tokeniser ({@link HfNormalizer}, {@link HfPreTokenizer}) and the
 * post-processor (BertProcessing, RobertaProcessing or a TemplateProcessing whose single template
 * is specials, {@code $A}, specials). Anything else is refused with what is unsupported; the
 * caller names the file. The decoder and the truncation settings are not used.
 */
final class HfTokenizerJson {
    private HfTokenizerJson() {}

    /**
     * What tokenizer.json says: {@code cls}/{@code sep} are the post-processor's first and last
     * special tokens and {@code pad} the padding token, null where it has none.
     */
    record Parsed(List<String> vocab, List<String> merges, boolean fuseUnk, boolean ignoreMerges,
            List<HfBpeTokenizer.AddedToken> addedTokens, List<HfNormalizer.Step> normalizer,
            List<HfPreTokenizer.Step> preTokenizer, List<Integer> prefix, List<Integer> suffix,
            String unk, String cls, String sep, String pad) {}

    static Parsed parse(JsonNode root) {
        if (root == null || !root.isObject()) throw new IllegalArgumentException("no JSON object");
        JsonNode model = root.get("model");
        if (model == null || !model.isObject()) throw new IllegalArgumentException("no \"model\" object");
        String type = model.path("type").asText(model.has("merges") ? "BPE" : "");
        if (!type.equals("BPE")) throw new IllegalArgumentException("model type \"" + type + "\" is not supported (Strand reads BPE)");
        if (model.hasNonNull("dropout") && model.get("dropout").asDouble() != 0) {
            throw new IllegalArgumentException("BPE dropout " + model.get("dropout") + " is not supported");
        }
        for (String field : List.of("continuing_subword_prefix", "end_of_word_suffix")) {
            if (!model.path(field).asText("").isEmpty()) {
                throw new IllegalArgumentException("BPE " + field + " " + model.get(field) + " is not supported");
            }
        }
        if (model.path("byte_fallback").asBoolean(false)) throw new IllegalArgumentException("BPE byte_fallback is not supported");
        JsonNode unk = model.get("unk_token");
        if (unk == null || !unk.isTextual()) throw new IllegalArgumentException("BPE without an unk_token is not supported");

        List<HfBpeTokenizer.AddedToken> added = addedTokens(root.get("added_tokens"));
        List<String> vocab = vocabulary(model.get("vocab"), added);
        if (!vocab.contains(unk.asText())) throw new IllegalArgumentException("unk_token \"" + unk.asText() + "\" is not in the vocabulary");

        List<Integer> prefix = new ArrayList<>(), suffix = new ArrayList<>();
        String[] clsSep = postProcessor(root.get("post_processor"), vocab, prefix, suffix);
        JsonNode padding = root.path("padding");
        String pad = padding.path("pad_token").isTextual() ? padding.get("pad_token").asText() : null;
        return new Parsed(vocab, merges(model.get("merges")), model.path("fuse_unk").asBoolean(false),
                model.path("ignore_merges").asBoolean(false), added, HfNormalizer.parse(root.get("normalizer")),
                HfPreTokenizer.parse(root.get("pre_tokenizer")), prefix, suffix, unk.asText(), clsSep[0], clsSep[1], pad);
    }

    private static List<HfBpeTokenizer.AddedToken> addedTokens(JsonNode node) {
        List<HfBpeTokenizer.AddedToken> out = new ArrayList<>();
        if (node == null || node.isNull()) return out;
        if (!node.isArray()) throw new IllegalArgumentException("\"added_tokens\" is not a list");
        for (JsonNode a : node) {
            JsonNode id = a.get("id"), content = a.get("content");
            if (id == null || !id.isIntegralNumber() || content == null || !content.isTextual()) {
                throw new IllegalArgumentException("added token without an integer \"id\" and a text \"content\": " + a);
            }
            if (a.path("single_word").asBoolean(false)) {
                throw new IllegalArgumentException("added token \"" + content.asText() + "\" with single_word true is not supported");
            }
            out.add(new HfBpeTokenizer.AddedToken(id.asInt(), content.asText(), a.path("special").asBoolean(false),
                    a.path("normalized").asBoolean(false), a.path("lstrip").asBoolean(false), a.path("rstrip").asBoolean(false)));
        }
        return out;
    }

    /** The model's vocabulary and the added tokens, index = id; every id from 0 up must be used once. */
    private static List<String> vocabulary(JsonNode node, List<HfBpeTokenizer.AddedToken> added) {
        if (node == null || !node.isObject()) throw new IllegalArgumentException("BPE model without a \"vocab\" object");
        int size = 0;
        for (var e : node.properties()) {
            if (!e.getValue().isIntegralNumber() || e.getValue().asLong() < 0 || e.getValue().asLong() > 1 << 26) {
                throw new IllegalArgumentException("vocab entry \"" + e.getKey() + "\" has id " + e.getValue());
            }
            size = Math.max(size, e.getValue().asInt() + 1);
        }
        for (HfBpeTokenizer.AddedToken a : added) size = Math.max(size, a.id() + 1);
        String[] tokens = new String[size];
        for (var e : node.properties()) put(tokens, e.getValue().asInt(), e.getKey());
        for (HfBpeTokenizer.AddedToken a : added) {
            if (a.id() < 0) throw new IllegalArgumentException("added token \"" + a.content() + "\" has id " + a.id());
            if (tokens[a.id()] == null || !tokens[a.id()].equals(a.content())) put(tokens, a.id(), a.content());
        }
        for (int i = 0; i < size; i++) if (tokens[i] == null) throw new IllegalArgumentException("no token has id " + i);
        return Arrays.asList(tokens);
    }

    private static void put(String[] tokens, int id, String token) {
        if (tokens[id] != null) {
            throw new IllegalArgumentException("id " + id + " is both \"" + tokens[id] + "\" and \"" + token + "\"");
        }
        tokens[id] = token;
    }

    /** Merges as "left right", from either form tokenizer.json uses ("A T" or ["A", "T"]). */
    private static List<String> merges(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) return out;
        if (!node.isArray()) throw new IllegalArgumentException("BPE \"merges\" is not a list");
        for (JsonNode m : node) {
            if (m.isTextual()) {
                out.add(m.asText());
            } else if (m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual()
                    && !m.get(0).asText().contains(" ") && !m.get(1).asText().contains(" ")) {
                out.add(m.get(0).asText() + " " + m.get(1).asText());
            } else {
                throw new IllegalArgumentException("merge " + m + " is neither \"left right\" nor a pair of tokens without spaces");
            }
        }
        return out;
    }

    /** Fills the ids put before and after the sequence; returns the names of its first and last special tokens. */
    private static String[] postProcessor(JsonNode node, List<String> vocab, List<Integer> prefix, List<Integer> suffix) {
        if (node == null || node.isNull()) return new String[2];
        String type = node.path("type").asText("");
        switch (type) {
            case "BertProcessing", "RobertaProcessing" -> {
                String cls = pairName(node, "cls", vocab), sep = pairName(node, "sep", vocab);
                prefix.add(node.get("cls").get(1).asInt());
                suffix.add(node.get("sep").get(1).asInt());
                return new String[] {cls, sep};
            }
            case "TemplateProcessing" -> {
                JsonNode single = node.get("single"), specials = node.path("special_tokens");
                if (single == null || !single.isArray()) throw new IllegalArgumentException("TemplateProcessing without a \"single\" list");
                List<String> names = new ArrayList<>();
                boolean seenA = false;
                for (JsonNode piece : single) {
                    if (piece.has("Sequence") && piece.get("Sequence").path("id").asText("").equals("A") && !seenA) {
                        seenA = true;
                    } else if (piece.has("SpecialToken")) {
                        String name = piece.get("SpecialToken").path("id").asText();
                        JsonNode ids = specials.path(name).path("ids");
                        if (!ids.isArray() || ids.isEmpty()) throw new IllegalArgumentException("TemplateProcessing special token \"" + name + "\" has no ids");
                        for (JsonNode id : ids) {
                            if (!id.isIntegralNumber() || id.asInt() < 0 || id.asInt() >= vocab.size()) {
                                throw new IllegalArgumentException("TemplateProcessing special token \"" + name + "\" has id " + id + " outside the vocabulary");
                            }
                            (seenA ? suffix : prefix).add(id.asInt());
                        }
                        names.add(name);
                    } else {
                        throw new IllegalArgumentException("TemplateProcessing single template piece " + piece
                                + " is not supported (Strand reads special tokens around one $A)");
                    }
                }
                if (!seenA) throw new IllegalArgumentException("TemplateProcessing single template without $A");
                return new String[] {prefix.isEmpty() ? null : names.getFirst(), suffix.isEmpty() ? null : names.getLast()};
            }
            default -> throw new IllegalArgumentException("post_processor type \"" + type + "\" is not supported (Strand reads "
                    + "BertProcessing, RobertaProcessing, TemplateProcessing)");
        }
    }

    /** BertProcessing's ["[CLS]", 1]: the name, checked against the vocabulary at that id. */
    private static String pairName(JsonNode node, String field, List<String> vocab) {
        JsonNode p = node.get(field);
        if (p == null || !p.isArray() || p.size() != 2 || !p.get(0).isTextual() || !p.get(1).isIntegralNumber()) {
            throw new IllegalArgumentException("post_processor " + field + " is not [token, id]: " + p);
        }
        int id = p.get(1).asInt();
        if (id < 0 || id >= vocab.size() || !vocab.get(id).equals(p.get(0).asText())) {
            throw new IllegalArgumentException("post_processor " + field + " " + p + " disagrees with the vocabulary");
        }
        return p.get(0).asText();
    }

    /** The token a special_tokens_map.json or tokenizer_config.json value names: a string or {"content": ...}; null for null. */
    static String tokenText(JsonNode value) {
        if (value == null || value.isNull()) return null;
        if (value.isTextual()) return value.asText();
        if (value.isObject() && value.path("content").isTextual()) return value.get("content").asText();
        throw new IllegalArgumentException("special token " + value + " is neither text nor {\"content\": ...}");
    }
}
