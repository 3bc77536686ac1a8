package dev.strand.genomics.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Which vocabulary entries play the interface's five special roles, by their text, null where the
 * vocabulary has none (NT v1 has no {@code <eos>}, so its {@link Tokenizer#sep()} is −1). Used by
 * the tokenizers read from Hugging Face files, whose special ids are wherever the vocabulary puts
 * them; saved as {@code "specials": {"pad": "[PAD]", "unk": "[UNK]", ...}}.
 */
record SpecialNames(String pad, String unk, String cls, String sep, String mask) {

    /** The ids of these tokens in {@code ids} (−1 for a role without a token). */
    BaseTokenizer.Specials resolve(Map<String, Integer> ids) {
        return new BaseTokenizer.Specials(id(ids, "pad", pad), id(ids, "unk", unk), id(ids, "cls", cls),
                id(ids, "sep", sep), id(ids, "mask", mask));
    }

    private static int id(Map<String, Integer> ids, String role, String token) {
        if (token == null) return -1;
        Integer id = ids.get(token);
        if (id == null) throw new IllegalArgumentException(role + " token \"" + token + "\" is not in the vocabulary");
        return id;
    }

    void write(ObjectNode root) {
        ObjectNode s = root.putObject("specials");
        s.put("pad", pad);
        s.put("unk", unk);
        s.put("cls", cls);
        s.put("sep", sep);
        s.put("mask", mask);
    }

    static SpecialNames read(JsonNode root) {
        JsonNode s = root.get("specials");
        if (s == null || !s.isObject()) throw new IllegalArgumentException("missing object field \"specials\"");
        return new SpecialNames(text(s, "pad"), text(s, "unk"), text(s, "cls"), text(s, "sep"), text(s, "mask"));
    }

    private static String text(JsonNode s, String role) {
        JsonNode n = s.get(role);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw new IllegalArgumentException("\"specials\".\"" + role + "\" is not text or null");
        return n.asText();
    }
}
