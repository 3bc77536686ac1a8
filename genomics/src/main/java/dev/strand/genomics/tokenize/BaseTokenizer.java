package dev.strand.genomics.tokenize;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strand.nn.checkpoint.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every tokenizer shares: a vocabulary laid out as the reference model's base vocabulary
 * followed by control tags, token/id look-ups, the special-id checks, equality and atomic saving.
 */
abstract class BaseTokenizer implements Tokenizer {
    /** Version of the saved JSON layout, written as "format". */
    static final int FORMAT = 1;

    private final String[] tokens;
    private final Map<String, Integer> ids;
    private final int baseSize;
    private final List<String> controlTags;
    private final Specials specials;

    /** The ids of a scheme's special tokens, in its reference model's numbering. */
    record Specials(int pad, int unk, int cls, int sep, int mask) {}

    /**
     * @param baseVocab the reference vocabulary, index = id
     * @param specials where its special tokens are
     * @param controlTags tags appended after it, in order
     */
    BaseTokenizer(List<String> baseVocab, Specials specials, List<String> controlTags) {
        this.specials = specials;
        this.baseSize = baseVocab.size();
        this.controlTags = List.copyOf(controlTags);
        this.tokens = new String[baseSize + this.controlTags.size()];
        this.ids = HashMap.newHashMap(tokens.length);
        for (int i = 0; i < baseSize; i++) put(i, baseVocab.get(i), "token");
        for (int i = 0; i < this.controlTags.size(); i++) {
            String tag = this.controlTags.get(i);
            checkTag(tag);
            put(baseSize + i, tag, "control tag");
        }
    }

    private void put(int id, String token, String what) {
        Integer old = ids.putIfAbsent(token, id);
        if (old != null) {
            throw new IllegalArgumentException(
                    what + " \"" + token + "\" (id " + id + ") is already in the " + kind()
                            + " vocabulary with id " + old);
        }
        tokens[id] = token;
    }

    @Override
    public final int pad() {
        return specials.pad();
    }

    @Override
    public final int unk() {
        return specials.unk();
    }

    @Override
    public final int cls() {
        return specials.cls();
    }

    @Override
    public final int sep() {
        return specials.sep();
    }

    @Override
    public final int mask() {
        return specials.mask();
    }

    private static void checkTag(String tag) {
        if (tag == null || tag.isEmpty()) throw new IllegalArgumentException("empty control tag");
        for (int i = 0; i < tag.length(); i++) {
            if (Character.isWhitespace(tag.charAt(i))) {
                throw new IllegalArgumentException("control tag \"" + tag + "\" contains whitespace");
            }
        }
    }

    /** Size of the reference vocabulary, before control tags: the id of the first tag. */
    public final int baseVocabSize() {
        return baseSize;
    }

    @Override
    public final int vocabSize() {
        return tokens.length;
    }

    @Override
    public final String token(int id) {
        if (id < 0 || id >= tokens.length) {
            throw new IndexOutOfBoundsException("token id " + id + " is outside the " + kind()
                    + " vocabulary [0, " + tokens.length + ")");
        }
        return tokens[id];
    }

    @Override
    public final int id(String token) {
        Integer id = ids.get(token);
        if (id == null) id = ids.get(token.toUpperCase(java.util.Locale.ROOT));
        return id == null ? unk() : id;
    }

    /** True when {@code token} is in the vocabulary (exactly as written, or uppercased). */
    public final boolean contains(String token) {
        return ids.containsKey(token) || ids.containsKey(token.toUpperCase(java.util.Locale.ROOT));
    }

    @Override
    public final List<String> controlTags() {
        return controlTags;
    }

    /** True for ids of control tags. */
    final boolean isControlTag(int id) {
        return id >= baseSize && id < tokens.length;
    }

    @Override
    public boolean isSpecial(int id) {
        return isControlTag(id) || isBaseSpecial(id);
    }

    /** True for the reference vocabulary's own special ids ([PAD], [UNK], ...). */
    abstract boolean isBaseSpecial(int id);

    /** The text of every id that is not special, in order: how a vocabulary read from a file decodes. */
    final String joinNonSpecial(int[] ids, int charsPerToken) {
        StringBuilder sb = new StringBuilder(ids.length * charsPerToken);
        for (int id : ids) {
            checkId(id);
            if (!isSpecial(id)) sb.append(token(id));
        }
        return sb.toString();
    }

    /** Id checks shared by decoders: an id outside the vocabulary is an error naming it. */
    final void checkId(int id) {
        if (id < 0 || id >= tokens.length) {
            throw new IllegalArgumentException("token id " + id + " is outside the " + kind()
                    + " vocabulary [0, " + tokens.length + ")");
        }
    }

    /** The whole vocabulary, index = id. */
    public final List<String> vocabulary() {
        return List.of(tokens);
    }

    /** The JSON written by {@link #save}: "kind", "format", the scheme's own fields, "controlTags". */
    final ObjectNode toJson() {
        ObjectNode root = Tokenizers.JSON.createObjectNode();
        root.put("kind", kind());
        root.put("format", FORMAT);
        writeFields(root);
        ArrayNode tags = root.putArray("controlTags");
        controlTags.forEach(tags::add);
        return root;
    }

    /** Adds the scheme's own fields (k, alphabet, merges ...) to the saved JSON. */
    abstract void writeFields(ObjectNode root);

    @Override
    public final void save(Path file) throws IOException {
        byte[] bytes = Tokenizers.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson());
        AtomicFiles.write(file, bytes);
    }

    /** Prepends control tags to an encoding; see {@link Tokenizers#prependTags}. */
    public final int[] prependTags(int[] ids, String... tags) {
        return Tokenizers.prependTags(this, ids, tags);
    }

    /** Tokenizers are equal when they are the same scheme with the same vocabulary, merges and tags. */
    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (o == null || o.getClass() != getClass()) return false;
        return toJson().equals(((BaseTokenizer) o).toJson());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tokens);
    }

    @Override
    public String toString() {
        return kind() + " tokenizer (" + vocabSize() + " ids"
                + (controlTags.isEmpty() ? "" : ", control tags " + controlTags) + ")";
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a.size() + b.size());
        out.addAll(a);
        out.addAll(b);
        return out;
    }
}
