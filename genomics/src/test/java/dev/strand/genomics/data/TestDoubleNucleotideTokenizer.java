package dev.strand.genomics.data;

import dev.strand.genomics.tokenize.Tokenizer;
import java.nio.file.Path;
import java.util.List;

/**
 * TEST DOUBLE — not the real single-nucleotide tokenizer. [PAD]=0, [UNK]=1, [CLS]=2, [SEP]=3,
 * [MASK]=4, then A=5, C=6, G=7, T=8, N=9; any other letter is [UNK].
 */
public final class TestDoubleNucleotideTokenizer implements Tokenizer {
    private static final String BASES = "ACGTN";
    private static final String[] SPECIALS = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"};

    @Override
    public String kind() {
        return "nucleotide";
    }

    @Override
    public int vocabSize() {
        return 10;
    }

    @Override
    public int[] encode(String sequence) {
        int[] out = new int[sequence.length()];
        for (int i = 0; i < out.length; i++) {
            int b = BASES.indexOf(Character.toUpperCase(sequence.charAt(i)));
            out[i] = b < 0 ? unk() : 5 + b;
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) if (!isSpecial(id)) sb.append(BASES.charAt(id - 5));
        return sb.toString();
    }

    @Override
    public String token(int id) {
        return id < 5 ? SPECIALS[id] : String.valueOf(BASES.charAt(id - 5));
    }

    @Override
    public int id(String token) {
        for (int i = 0; i < SPECIALS.length; i++) if (SPECIALS[i].equals(token)) return i;
        int b = token.length() == 1 ? BASES.indexOf(token.charAt(0)) : -1;
        return b < 0 ? unk() : 5 + b;
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
