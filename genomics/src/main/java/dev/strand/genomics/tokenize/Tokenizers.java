package dev.strand.genomics.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reading saved tokenizers back, and control-tag conditioning.
 *
 * <p>Saved form (UTF-8 JSON, written atomically by {@link Tokenizer#save}):
 *
 * <pre>{@code
 * {"kind": "kmer", "format": 1, "k": 6, "controlTags": ["<species=dmel>"]}
 * {"kind": "nucleotide", "format": 1, "controlTags": []}
 * {"kind": "nt6", "format": 1, "controlTags": []}
 * {"kind": "bpe", "format": 1, "alphabet": "ABCGKMNRSTWY",
 *  "merges": ["T T", "A A", ...], "vocab": ["[UNK]", ..., "TT", "AA", ...], "controlTags": []}
 * {"kind": "hf-bpe", "format": 1, "vocab": ["[UNK]", "[CLS]", ...], "merges": ["A A", ...],
 *  "fuseUnk": false, "ignoreMerges": false,
 *  "addedTokens": [{"id": 0, "content": "[UNK]", "special": true, "normalized": false,
 *                   "lstrip": false, "rstrip": false}, ...],
 *  "normalizer": [{"type": "Strip", "strip_left": true, "strip_right": true},
 *                 {"type": "Replace", "pattern": {"Regex": "N{10,}"}, "content": "-"}],
 *  "preTokenizer": [{"type": "Split", "pattern": {"String": "-"}, "behavior": "Isolated", "invert": false}],
 *  "template": {"prefix": [1], "suffix": [2]},
 *  "specials": {"pad": "[PAD]", "unk": "[UNK]", "cls": "[CLS]", "sep": "[SEP]", "mask": "[MASK]"},
 *  "controlTags": []}
 * {"kind": "hf-kmer", "format": 1, "vocab": ["<unk>", "<pad>", "<mask>", "<cls>", "<eos>", "<bos>", "AAAAAA", ...],
 *  "specials": {"pad": "<pad>", "unk": "<unk>", "cls": "<cls>", "sep": "<eos>", "mask": "<mask>"},
 *  "appendSep": false, "controlTags": []}
 * }</pre>
 *
 * BPE merges are "left right" in learned order; "vocab" (specials, letters, merged tokens, tags
 * excluded) is written for readers and checked against the merges on load. The "hf-" kinds are
 * tokenizers read from Hugging Face files by {@link HuggingFaceTokenizers#read}, saved whole:
 * "vocab" is the full vocabulary in id order, "specials" the tokens of the five roles (null where
 * none), "normalizer" and "preTokenizer" steps in tokenizer.json's own shape ({@link
 * HfBpeTokenizer}); "appendSep" says whether {@code encodeWithSpecials} ends with the sep token
 * ({@link HfKmerTokenizer}).
 */
public final class Tokenizers {
    private Tokenizers() {}

    static final ObjectMapper JSON = new ObjectMapper();

    /** Reads a tokenizer that {@link Tokenizer#save} wrote. Errors name the file and what is wrong. */
    public static Tokenizer load(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        JsonNode root;
        try {
            root = JSON.readTree(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));   // UTF-8, not Jackson's guess from the first bytes
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + " is not a saved tokenizer (not JSON: " + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isObject()) throw new IOException(file + " is not a saved tokenizer (no JSON object)");
        try {
            return fromJson(root);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** The tokenizer in its saved JSON form, as text (what travels to a data-parallel replica). */
    public static String toJson(Tokenizer tokenizer) {
        return ((BaseTokenizer) tokenizer).toJson().toString();
    }

    /** A tokenizer from {@link #toJson}'s text. */
    public static Tokenizer fromJson(String json) {
        try {
            return fromJson(JSON.readTree(json));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("not a saved tokenizer (not JSON: " + e.getOriginalMessage() + ")", e);
        }
    }

    static Tokenizer fromJson(JsonNode root) {
        String kind = text(root, "kind");
        int format = root.path("format").asInt(BaseTokenizer.FORMAT);
        if (format > BaseTokenizer.FORMAT) {
            throw new IllegalArgumentException("tokenizer format " + format + " is newer than this Strand reads ("
                    + BaseTokenizer.FORMAT + ")");
        }
        List<String> tags = strings(root, "controlTags", false);
        return switch (kind) {
            case "nucleotide" -> new NucleotideTokenizer(tags);
            case "kmer" -> {
                JsonNode k = root.get("k");
                if (k == null || !k.canConvertToInt()) throw new IllegalArgumentException("kmer tokenizer without an integer \"k\"");
                yield new KmerTokenizer(k.asInt(), tags);
            }
            case "nt6" -> new NonOverlappingTokenizer(tags);
            case "bpe" -> {
                BpeTokenizer bpe = BpeTokenizer.fromMerges(text(root, "alphabet"), strings(root, "merges", true), tags);
                if (root.has("vocab")) {
                    List<String> vocab = strings(root, "vocab", true);
                    List<String> rebuilt = bpe.vocabulary().subList(0, bpe.baseVocabSize());
                    if (!vocab.equals(rebuilt)) {
                        int i = 0;
                        while (i < Math.min(vocab.size(), rebuilt.size()) && vocab.get(i).equals(rebuilt.get(i))) i++;
                        throw new IllegalArgumentException("bpe \"vocab\" disagrees with its merges at id " + i + " (saved "
                                + (i < vocab.size() ? "\"" + vocab.get(i) + "\"" : "nothing") + ", merges give "
                                + (i < rebuilt.size() ? "\"" + rebuilt.get(i) + "\"" : "nothing") + ")");
                    }
                }
                yield bpe;
            }
            case "hf-bpe" -> HfBpeTokenizer.fromJson(root, tags);
            case "hf-kmer" -> HfKmerTokenizer.fromJson(root, tags);
            default -> throw new IllegalArgumentException("unknown tokenizer kind \"" + kind
                    + "\" (known: nucleotide, kmer, nt6, bpe, hf-bpe, hf-kmer)");
        };
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.isTextual()) throw new IllegalArgumentException("missing text field \"" + field + "\"");
        return n.asText();
    }

    private static List<String> strings(JsonNode root, String field, boolean required) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            if (required) throw new IllegalArgumentException("missing list field \"" + field + "\"");
            return List.of();
        }
        if (!n.isArray()) throw new IllegalArgumentException("\"" + field + "\" is not a list");
        List<String> out = new ArrayList<>(n.size());
        for (JsonNode e : n) {
            if (!e.isTextual()) throw new IllegalArgumentException("\"" + field + "\" holds a non-text entry " + e);
            out.add(e.asText());
        }
        return out;
    }

    /**
     * Conditions an encoding on control tags, ProGen/CTRL style: the tags' ids go in front of the
     * sequence's tokens, after a leading [CLS] if {@code ids} starts with one (so [CLS] stays at
     * position 0 for classification heads). {@code tokenizer.prependTags(tokenizer.encode(s),
     * "<species=dmel>")} gives {@code <species=dmel> tokens…}.
     *
     * @throws IllegalArgumentException for a tag the tokenizer was not built with
     */
    public static int[] prependTags(Tokenizer tokenizer, int[] ids, String... tags) {
        int[] tagIds = new int[tags.length];
        for (int t = 0; t < tags.length; t++) {
            int id = tokenizer.controlTags().contains(tags[t]) ? tokenizer.id(tags[t]) : -1;
            if (id < 0) {
                throw new IllegalArgumentException("\"" + tags[t] + "\" is not a control tag of this " + tokenizer.kind()
                        + " tokenizer (its tags: " + tokenizer.controlTags() + ")");
            }
            tagIds[t] = id;
        }
        int at = ids.length > 0 && ids[0] == tokenizer.cls() ? 1 : 0;
        int[] out = new int[ids.length + tags.length];
        System.arraycopy(ids, 0, out, 0, at);
        System.arraycopy(tagIds, 0, out, at, tagIds.length);
        System.arraycopy(ids, at, out, at + tagIds.length, ids.length - at);
        return out;
    }

    /** Ids with every control tag removed (e.g. to score only the DNA). */
    public static int[] stripTags(Tokenizer tokenizer, int[] ids) {
        java.util.Set<Integer> tagIds = new java.util.HashSet<>();
        for (String tag : tokenizer.controlTags()) tagIds.add(tokenizer.id(tag));
        return Arrays.stream(ids).filter(id -> !tagIds.contains(id)).toArray();
    }
}
