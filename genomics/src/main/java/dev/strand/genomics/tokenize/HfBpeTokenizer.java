package dev.strand.genomics.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Byte-pair encoding over any vocabulary, as Hugging Face {@code tokenizers} runs a tokenizer.json
 * with a BPE model (DNABERT-2, GENA-LM): read by {@link HuggingFaceTokenizers#read}.
 *
 * <p>Ids are the file's own: vocabulary index = id, then control tags. Encoding, in the order
 * {@code tokenizers} applies it: uppercase (Strand's DNA is case-insensitive; skipped when a
 * non-special token has lowercase letters); cut out the added tokens (leftmost, longest first;
 * those marked {@code normalized} only after normalising); apply the {@link HfNormalizer} steps to
 * the rest; split it into words with the {@link HfPreTokenizer} steps; and encode each word: one
 * symbol per character (a character outside the vocabulary is the unk token, consecutive ones one
 * unk when {@code fuse_unk}), then the merges, lowest rank first and among equal ranks the
 * leftmost first, until none applies. {@link #encodeWithSpecials} adds the post-processor's tokens
 * ({@code [CLS] $A [SEP]}). Decoding concatenates the tokens that are not special.
 *
 * <p>Saved as kind "hf-bpe" with everything above (vocabulary, merges, added tokens, steps,
 * template, special roles), so a run directory needs no Hugging Face file.
 */
public final class HfBpeTokenizer extends BaseTokenizer {
    /** An entry of tokenizer.json's "added_tokens": cut out of the text before the model runs. */
    record AddedToken(int id, String content, boolean special, boolean normalized, boolean lstrip, boolean rstrip) {}

    /** Everything but the control tags, as read from tokenizer.json or a saved file. */
    record Spec(List<String> vocab, List<String> merges, boolean fuseUnk, boolean ignoreMerges,
            List<AddedToken> addedTokens, List<HfNormalizer.Step> normalizer, List<HfPreTokenizer.Step> preTokenizer,
            List<Integer> prefix, List<Integer> suffix, SpecialNames specials) {}

    private final Spec spec;
    private final Map<String, Integer> exact;
    private final int[] asciiId = new int[128];
    private final LongIntMap rankOf;
    private final int[] mergeLeft, mergeRight, mergeId;
    private final AddedToken[] rawAdded, normalizedAdded;
    private final boolean[] special;
    private final boolean uppercase;

    HfBpeTokenizer(Spec spec, List<String> controlTags) {
        super(spec.vocab(), spec.specials().resolve(index(spec.vocab())), controlTags);
        this.spec = spec;
        List<String> vocab = spec.vocab();
        exact = index(vocab);
        if (spec.specials().unk() == null) throw new IllegalArgumentException("BPE without an unk token is not supported");
        Arrays.fill(asciiId, -1);
        for (char c = 0; c < 128; c++) asciiId[c] = exact.getOrDefault(String.valueOf(c), -1);

        int n = spec.merges().size();
        mergeLeft = new int[n];
        mergeRight = new int[n];
        mergeId = new int[n];
        rankOf = new LongIntMap(n);
        for (int r = 0; r < n; r++) {
            String m = spec.merges().get(r);
            String[] parts = m.split(" ", -1);
            if (parts.length != 2) throw new IllegalArgumentException("merge " + r + " \"" + m + "\" is not two tokens separated by one space");
            Integer left = exact.get(parts[0]), right = exact.get(parts[1]), merged = exact.get(parts[0] + parts[1]);
            if (left == null || right == null || merged == null) {
                throw new IllegalArgumentException("merge " + r + " \"" + m + "\": \""
                        + (left == null ? parts[0] : right == null ? parts[1] : parts[0] + parts[1]) + "\" is not in the vocabulary");
            }
            long key = LongIntMap.key(left, right);
            if (rankOf.get(key, -1) >= 0) throw new IllegalArgumentException("merge " + r + " \"" + m + "\" is listed twice");
            rankOf.put(key, r);
            mergeLeft[r] = left;
            mergeRight[r] = right;
            mergeId[r] = merged;
        }

        special = new boolean[vocab.size()];
        List<AddedToken> raw = new ArrayList<>(), normalized = new ArrayList<>();
        for (AddedToken a : spec.addedTokens()) {
            if (a.id() < 0 || a.id() >= vocab.size() || !vocab.get(a.id()).equals(a.content())) {
                throw new IllegalArgumentException("added token \"" + a.content() + "\" (id " + a.id() + ") is not that entry of the vocabulary");
            }
            if (a.content().isEmpty()) throw new IllegalArgumentException("empty added token (id " + a.id() + ")");
            special[a.id()] |= a.special();
            (a.normalized() ? normalized : raw).add(a);
        }
        Comparator<AddedToken> longestFirst = Comparator.comparingInt((AddedToken a) -> -a.content().length());
        rawAdded = raw.stream().sorted(longestFirst).toArray(AddedToken[]::new);
        normalizedAdded = normalized.stream().sorted(longestFirst).toArray(AddedToken[]::new);
        for (int id : new int[] {pad(), unk(), cls(), sep(), mask()}) if (id >= 0) special[id] = true;
        for (int id : joined(spec.prefix(), spec.suffix())) {
            if (id < 0 || id >= vocab.size()) throw new IllegalArgumentException("post-processor id " + id + " is outside the vocabulary");
        }
        boolean upper = true;
        for (int id = 0; id < vocab.size() && upper; id++) {
            String t = vocab.get(id);
            upper = special[id] || t.equals(t.toUpperCase(Locale.ROOT));
        }
        uppercase = upper;
    }

    private static Map<String, Integer> index(List<String> vocab) {
        Map<String, Integer> ids = HashMap.newHashMap(vocab.size());
        for (int i = 0; i < vocab.size(); i++) ids.put(vocab.get(i), i);
        return ids;
    }

    private static List<Integer> joined(List<Integer> a, List<Integer> b) {
        List<Integer> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** The same tokenizer with these control tags (replacing any it had). */
    public HfBpeTokenizer withControlTags(List<String> tags) {
        return new HfBpeTokenizer(spec, tags);
    }

    @Override
    public String kind() {
        return "hf-bpe";
    }

    /** Number of merges. */
    public int mergeCount() {
        return mergeId.length;
    }

    @Override
    public int[] encode(String sequence) {
        String text = uppercase ? sequence.toUpperCase(Locale.ROOT) : sequence;
        IntStream.Builder out = IntStream.builder();
        cutAdded(text, rawAdded, out, piece -> cutAdded(HfNormalizer.apply(spec.normalizer(), piece), normalizedAdded, out,
                part -> HfPreTokenizer.apply(spec.preTokenizer(), part).forEach(word -> encodeWord(word, out))));
        return out.build().toArray();
    }

    /**
     * Emits the added tokens found in {@code text} (leftmost match, longest first; {@code lstrip} /
     * {@code rstrip} take the whitespace beside them) and hands the text between them to {@code rest}.
     */
    private static void cutAdded(String text, AddedToken[] added, IntStream.Builder out, Consumer<String> rest) {
        int from = 0, n = text.length();
        StringBuilder firsts = new StringBuilder();
        for (AddedToken a : added) firsts.append(a.content().charAt(0));
        for (int i = 0; i < n && added.length > 0; i++) {
            if (firsts.indexOf(String.valueOf(text.charAt(i))) < 0) continue;
            AddedToken hit = null;
            for (AddedToken a : added) {
                if (text.startsWith(a.content(), i)) {
                    hit = a;
                    break;
                }
            }
            if (hit == null) continue;
            int start = i, end = i + hit.content().length();
            if (hit.lstrip()) while (start > from && HfNormalizer.isWhite(text.charAt(start - 1))) start--;
            if (hit.rstrip()) while (end < n && HfNormalizer.isWhite(text.charAt(end))) end++;
            if (start > from) rest.accept(text.substring(from, start));
            out.add(hit.id());
            from = end;
            i = end - 1;
        }
        if (from < n) rest.accept(from == 0 ? text : text.substring(from));
    }

    private void encodeWord(String word, IntStream.Builder out) {
        if (spec.ignoreMerges()) {
            Integer id = exact.get(word);
            if (id != null) {
                out.add(id);
                return;
            }
        }
        int[] sym = new int[word.length()];
        int m = 0;
        boolean lastUnknown = false;
        for (int i = 0; i < word.length(); ) {
            int c = word.codePointAt(i);
            int id = c < 128 ? asciiId[c] : exact.getOrDefault(Character.toString(c), -1);
            i += Character.charCount(c);
            if (id < 0) {
                if (!(spec.fuseUnk() && lastUnknown)) sym[m++] = unk();
                lastUnknown = true;
            } else {
                sym[m++] = id;
                lastUnknown = false;
            }
        }
        merge(sym, m, out);
    }

    /** Applies the merges to {@code sym[0..m)}: lowest rank first, among equal ranks leftmost first. */
    private void merge(int[] sym, int m, IntStream.Builder out) {
        if (m >= 2 && mergeId.length > 0) {
            int[] next = new int[m], prev = new int[m];
            BpeTokenizer.LongHeap heap = new BpeTokenizer.LongHeap(m);
            for (int i = 0; i < m; i++) {
                next[i] = i + 1 < m ? i + 1 : -1;
                prev[i] = i - 1;
                if (next[i] >= 0) push(heap, sym[i], sym[i + 1], i);
            }
            while (!heap.isEmpty()) {
                long top = heap.pop();
                int r = (int) (top >>> 32), i = (int) top, j = next[i];
                if (j < 0 || sym[i] != mergeLeft[r] || sym[j] != mergeRight[r]) continue; // stale
                sym[i] = mergeId[r];
                sym[j] = -1;
                int nj = next[j];
                next[i] = nj;
                if (nj >= 0) prev[nj] = i;
                if (prev[i] >= 0) push(heap, sym[prev[i]], sym[i], prev[i]);
                if (nj >= 0) push(heap, sym[i], sym[nj], i);
            }
        }
        for (int i = 0; i < m; i++) if (sym[i] >= 0) out.add(sym[i]);
    }

    private void push(BpeTokenizer.LongHeap heap, int left, int right, int position) {
        int r = rankOf.get(LongIntMap.key(left, right), -1);
        if (r >= 0) heap.push(((long) r << 32) | position);
    }

    /** The post-processor's tokens around the encoding (e.g. {@code [CLS] … [SEP]}). */
    @Override
    public int[] encodeWithSpecials(String sequence) {
        return IntStream.concat(IntStream.concat(spec.prefix().stream().mapToInt(Integer::intValue),
                IntStream.of(encode(sequence))), spec.suffix().stream().mapToInt(Integer::intValue)).toArray();
    }

    @Override
    public String decode(int[] ids) {
        return joinNonSpecial(ids, 4);
    }

    /** Added tokens marked special, and the tokens of the five roles. */
    @Override
    boolean isBaseSpecial(int id) {
        return id >= 0 && id < special.length && special[id];
    }

    @Override
    void writeFields(ObjectNode root) {
        ArrayNode vocab = root.putArray("vocab");
        spec.vocab().forEach(vocab::add);
        ArrayNode merges = root.putArray("merges");
        spec.merges().forEach(merges::add);
        root.put("fuseUnk", spec.fuseUnk());
        root.put("ignoreMerges", spec.ignoreMerges());
        ArrayNode added = root.putArray("addedTokens");
        for (AddedToken a : spec.addedTokens()) {
            added.addObject().put("id", a.id()).put("content", a.content()).put("special", a.special())
                    .put("normalized", a.normalized()).put("lstrip", a.lstrip()).put("rstrip", a.rstrip());
        }
        root.set("normalizer", HfNormalizer.toJson(spec.normalizer()));
        root.set("preTokenizer", HfPreTokenizer.toJson(spec.preTokenizer()));
        ObjectNode template = root.putObject("template");
        spec.prefix().forEach(template.putArray("prefix")::add);
        spec.suffix().forEach(template.putArray("suffix")::add);
        spec.specials().write(root);
    }

    /** Reads the fields {@link #writeFields} wrote. */
    static HfBpeTokenizer fromJson(JsonNode root, List<String> controlTags) {
        List<AddedToken> added = new ArrayList<>();
        for (JsonNode a : array(root, "addedTokens")) {
            JsonNode id = a.get("id"), content = a.get("content");
            if (id == null || !id.isIntegralNumber() || !id.canConvertToInt() || content == null || !content.isTextual()) {
                throw new IllegalArgumentException("added token without an integer \"id\" and a text \"content\": " + a);
            }
            added.add(new AddedToken(id.asInt(), content.asText(), a.path("special").asBoolean(), a.path("normalized").asBoolean(),
                    a.path("lstrip").asBoolean(), a.path("rstrip").asBoolean()));
        }
        JsonNode template = root.path("template");
        Spec spec = new Spec(texts(root, "vocab"), texts(root, "merges"), root.path("fuseUnk").asBoolean(),
                root.path("ignoreMerges").asBoolean(), added, HfNormalizer.parse(array(root, "normalizer")),
                HfPreTokenizer.parse(array(root, "preTokenizer")), ints(template, "prefix"), ints(template, "suffix"),
                SpecialNames.read(root));
        return new HfBpeTokenizer(spec, controlTags);
    }

    static JsonNode array(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.isArray()) throw new IllegalArgumentException("missing list field \"" + field + "\"");
        return n;
    }

    static List<String> texts(JsonNode root, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : array(root, field)) {
            if (!e.isTextual()) throw new IllegalArgumentException("\"" + field + "\" holds a non-text entry " + e);
            out.add(e.asText());
        }
        return out;
    }

    private static List<Integer> ints(JsonNode root, String field) {
        List<Integer> out = new ArrayList<>();
        for (JsonNode e : array(root, field)) {
            if (!e.isIntegralNumber() || !e.canConvertToInt()) throw new IllegalArgumentException("\"" + field + "\" holds a non-integer entry " + e);
            out.add(e.asInt());
        }
        return out;
    }
}
