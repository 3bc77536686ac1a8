package dev.strand.genomics.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Non-overlapping k-mers over a vocabulary read from a Nucleotide Transformer vocab.txt, as Hugging
 * Face's EsmTokenizer tokenizes DNA with it (NT v1, v2): read by {@link HuggingFaceTokenizers#read}.
 *
 * <p>Ids are the file's: line number = id, then control tags. The vocabulary must hold only special
 * tokens ({@code <...>} with a lowercase letter, e.g. {@code <cls>}), all 4^k k-mers over A, C, G,
 * T for one k (NT: 6) and single uppercase letters, A, C, G and T among them (NT adds N). EsmTokenizer
 * cuts the text at the longest vocabulary entry starting leftmost and passes unmatched text to
 * {@code str.split()}; with such a vocabulary that is: uppercase; cut each run of A/C/G/T into
 * k-mers from the left, its last fewer than k bases single letters; a letter with a token of its
 * own (N) is that token; whitespace is dropped; each run of other characters is one unk. So {@code
 * ACGTGTACNTGCACGG} gives {@code ACGTGT A C N TGCACG G}.
 *
 * <p>{@link #encodeWithSpecials} prepends the cls token and appends the sep (eos) token only when
 * tokenizer_config.json names an {@code eos_token}: NT sets it null, so {@code <cls>} alone. {@link
 * #sep()} is the eos token where the vocabulary has one (NT v2 {@code <eos>}=4; v1 has none: −1).
 * Saved as kind "hf-kmer" with the vocabulary, the special roles and "appendSep".
 */
public final class HfKmerTokenizer extends BaseTokenizer {
    private static final String BASES = "ACGT";

    private final SpecialNames names;
    private final boolean appendSep;
    private final int k;
    private final int[] kmerId;
    private final int[] letterId = new int[128];
    private final boolean[] special;

    HfKmerTokenizer(List<String> vocab, SpecialNames names, boolean appendSep, List<String> controlTags) {
        super(vocab, names.resolve(index(vocab)), controlTags);
        this.names = names;
        this.appendSep = appendSep;
        if (unk() < 0 || cls() < 0) throw new IllegalArgumentException("no " + (unk() < 0 ? "unk" : "cls") + " token");
        if (appendSep && sep() < 0) throw new IllegalArgumentException("appends a sep token but names none");
        Arrays.fill(letterId, -1);
        special = new boolean[vocab.size()];
        int kmerLength = -1, kmers = 0;
        for (int id = 0; id < vocab.size(); id++) {
            String t = vocab.get(id);
            if (t.length() == 1 && t.charAt(0) >= 'A' && t.charAt(0) <= 'Z') {
                letterId[t.charAt(0)] = id;
            } else if (t.length() > 1 && t.chars().allMatch(c -> BASES.indexOf(c) >= 0)) {
                if (kmerLength >= 0 && t.length() != kmerLength) {
                    throw new IllegalArgumentException("k-mers of two lengths, " + kmerLength + " and " + t.length() + " (\"" + t + "\", id " + id + ")");
                }
                kmerLength = t.length();
                kmers++;
            } else if (t.startsWith("<") && t.endsWith(">") && !t.equals(t.toUpperCase(Locale.ROOT))) {
                special[id] = true;
            } else {
                throw new IllegalArgumentException("token \"" + t + "\" (id " + id + ") is neither a k-mer over ACGT, "
                        + "a single uppercase letter nor a special token <...> with a lowercase letter");
            }
        }
        for (char c : BASES.toCharArray()) {
            if (letterId[c] < 0) throw new IllegalArgumentException("no single-letter token " + c);
        }
        if (kmerLength < 0 || kmerLength > 15 || kmers != 1 << (2 * kmerLength)) {
            throw new IllegalArgumentException(kmerLength < 0 ? "no k-mers" : kmers + " k-mers of length " + kmerLength
                    + ", not all " + (kmerLength > 15 ? "4^" + kmerLength : 1 << (2 * kmerLength)));
        }
        k = kmerLength;
        kmerId = new int[1 << (2 * k)];
        for (int id = 0; id < vocab.size(); id++) {
            String t = vocab.get(id);
            if (t.length() == k && !special[id]) {
                int code = 0;
                for (int j = 0; j < k; j++) code = (code << 2) | BASES.indexOf(t.charAt(j));
                kmerId[code] = id;
            }
        }
    }

    private static Map<String, Integer> index(List<String> vocab) {
        Map<String, Integer> ids = HashMap.newHashMap(vocab.size());
        for (int i = 0; i < vocab.size(); i++) ids.put(vocab.get(i), i);
        return ids;
    }

    /** The same tokenizer with these control tags (replacing any it had). */
    public HfKmerTokenizer withControlTags(List<String> tags) {
        return new HfKmerTokenizer(vocabulary().subList(0, baseVocabSize()), names, appendSep, tags);
    }

    @Override
    public String kind() {
        return "hf-kmer";
    }

    /** The k-mer length, from the vocabulary. */
    public int k() {
        return k;
    }

    private static int digit(char c) {
        return c < 128 ? BASES.indexOf(c) : -1;
    }

    @Override
    public int[] encode(String sequence) {
        String s = sequence.toUpperCase(Locale.ROOT);
        int n = s.length();
        int[] out = new int[n];
        int count = 0;
        boolean inUnknown = false;
        for (int i = 0; i < n; ) {
            if (digit(s.charAt(i)) >= 0) {
                int end = i;
                while (end < n && digit(s.charAt(end)) >= 0) end++;
                for (; i + k <= end; i += k) {
                    int code = 0;
                    for (int j = i; j < i + k; j++) code = (code << 2) | digit(s.charAt(j));
                    out[count++] = kmerId[code];
                }
                for (; i < end; i++) out[count++] = letterId[s.charAt(i)];
                inUnknown = false;
                continue;
            }
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            int id = c < 128 ? letterId[c] : -1;
            if (id >= 0) {
                out[count++] = id;
                inUnknown = false;
            } else if (isPythonSpace(c)) {
                inUnknown = false;
            } else if (!inUnknown) {
                out[count++] = unk();
                inUnknown = true;
            }
        }
        return Arrays.copyOf(out, count);
    }

    /** Python's {@code str.isspace}, where {@code str.split()} cuts. */
    private static boolean isPythonSpace(int c) {
        return Character.isWhitespace(c) || c == 0x85 || c == 0xA0 || c == 0x2007 || c == 0x202F;
    }

    /** The cls token, the tokens, and the sep token if this tokenizer appends one. */
    @Override
    public int[] encodeWithSpecials(String sequence) {
        int[] body = encode(sequence);
        int[] out = new int[body.length + (appendSep ? 2 : 1)];
        out[0] = cls();
        System.arraycopy(body, 0, out, 1, body.length);
        if (appendSep) out[out.length - 1] = sep();
        return out;
    }

    @Override
    public String decode(int[] ids) {
        return joinNonSpecial(ids, k);
    }

    /** The {@code <...>} tokens. */
    @Override
    boolean isBaseSpecial(int id) {
        return id >= 0 && id < special.length && special[id];
    }

    @Override
    void writeFields(ObjectNode root) {
        ArrayNode vocab = root.putArray("vocab");
        for (int id = 0; id < baseVocabSize(); id++) vocab.add(token(id));
        names.write(root);
        root.put("appendSep", appendSep);
    }

    /** Reads the fields {@link #writeFields} wrote. */
    static HfKmerTokenizer fromJson(JsonNode root, List<String> controlTags) {
        JsonNode append = root.get("appendSep");
        if (append == null || !append.isBoolean()) throw new IllegalArgumentException("missing boolean field \"appendSep\"");
        return new HfKmerTokenizer(HfBpeTokenizer.texts(root, "vocab"), SpecialNames.read(root), append.asBoolean(), controlTags);
    }
}
