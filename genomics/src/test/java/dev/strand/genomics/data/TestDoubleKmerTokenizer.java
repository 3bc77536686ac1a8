package dev.strand.genomics.data;

import dev.strand.genomics.tokenize.Tokenizer;
import java.nio.file.Path;
import java.util.List;

/**
 * TEST DOUBLE — not the real k-mer tokenizer. DNABERT's layout (SPECS §1): [PAD]=0, [UNK]=1,
 * [CLS]=2, [SEP]=3, [MASK]=4, then overlapping k-mers at 5 + rank in A, T, C, G order.
 */
public final class TestDoubleKmerTokenizer implements Tokenizer {
    private static final String ALPHABET = "ATCG";
    private final int k;

    public TestDoubleKmerTokenizer(int k) {
        this.k = k;
    }

    @Override
    public String kind() {
        return "kmer";
    }

    @Override
    public int vocabSize() {
        return (1 << (2 * k)) + 5;
    }

    @Override
    public int[] encode(String s) {
        int n = Math.max(0, s.length() - k + 1);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = id(s.substring(i, i + k).toUpperCase());
        return out;
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder();
        String last = null;
        for (int id : ids) {
            if (isSpecial(id)) continue;
            last = token(id);
            sb.append(last.charAt(0));
        }
        if (last != null) sb.append(last, 1, k);
        return sb.toString();
    }

    @Override
    public String token(int id) {
        if (id < 5) return new String[] {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}[id];
        int r = id - 5;
        char[] c = new char[k];
        for (int i = k - 1; i >= 0; i--) {
            c[i] = ALPHABET.charAt(r & 3);
            r >>= 2;
        }
        return new String(c);
    }

    @Override
    public int id(String token) {
        if (token.length() != k) return unk();
        int r = 0;
        for (int i = 0; i < k; i++) {
            int b = ALPHABET.indexOf(token.charAt(i));
            if (b < 0) return unk();
            r = (r << 2) | b;
        }
        return 5 + r;
    }

    @Override
    public int pad() {
        return 0;
    }

    @Override
    public int unk() {
        return 1;
    }

    @Override
    public int cls() {
        return 2;
    }

    @Override
    public int sep() {
        return 3;
    }

    @Override
    public int mask() {
        return 4;
    }

    @Override
    public boolean isSpecial(int id) {
        return id < 5;
    }

    @Override
    public List<String> controlTags() {
        return List.of();
    }

    @Override
    public void save(Path file) {
        throw new UnsupportedOperationException("test double");
    }
}
