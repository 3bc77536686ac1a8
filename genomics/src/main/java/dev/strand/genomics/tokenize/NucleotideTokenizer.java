package dev.strand.genomics.tokenize;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One token per base, as HyenaDNA, Caduceus and Enformer's one-hot input see DNA.
 *
 * <p>Ids follow HyenaDNA's character tokenizer: {@code [CLS]=0, [SEP]=1, [BOS]=2, [MASK]=3,
 * [PAD]=4, [RESERVED]=5, [UNK]=6}, then {@code A=7, C=8, G=9, T=10, N=11}; Strand adds the IUPAC
 * ambiguity letters {@code R Y K M S W B D H V} as their own tokens at 12…21 (HyenaDNA maps them
 * to [UNK]), then control tags from 22. Lowercase (soft-masked) letters encode as their uppercase
 * base; anything else is [UNK].
 */
public final class NucleotideTokenizer extends BaseTokenizer {
    /** HyenaDNA's special tokens, at ids 0…6. */
    static final List<String> SPECIALS =
            List.of("[CLS]", "[SEP]", "[BOS]", "[MASK]", "[PAD]", "[RESERVED]", "[UNK]");

    /** The letters, in id order from 7: bases, N, then IUPAC ambiguity codes. */
    public static final String LETTERS = "ACGTNRYKMSWBDHV";

    public static final int CLS = 0, SEP = 1, BOS = 2, MASK = 3, PAD = 4, RESERVED = 5, UNK = 6;

    private static final int FIRST_LETTER = SPECIALS.size();
    private static final int[] LETTER_ID = new int[128];

    static {
        java.util.Arrays.fill(LETTER_ID, UNK);
        for (int i = 0; i < LETTERS.length(); i++) {
            char c = LETTERS.charAt(i);
            LETTER_ID[c] = FIRST_LETTER + i;
            LETTER_ID[Character.toLowerCase(c)] = FIRST_LETTER + i;
        }
    }

    public NucleotideTokenizer() {
        this(List.of());
    }

    /** A tokenizer whose control tags get ids 22, 23, … in the order given. */
    public NucleotideTokenizer(List<String> controlTags) {
        super(baseVocab(), new Specials(PAD, UNK, CLS, SEP, MASK), controlTags);
    }

    private static List<String> baseVocab() {
        List<String> v = new ArrayList<>(SPECIALS);
        for (char c : LETTERS.toCharArray()) v.add(String.valueOf(c));
        return v;
    }

    /** The same tokenizer with these control tags (replacing any it had). */
    public NucleotideTokenizer withControlTags(List<String> tags) {
        return new NucleotideTokenizer(tags);
    }

    @Override
    public String kind() {
        return "nucleotide";
    }

    @Override
    public int[] encode(String sequence) {
        int n = sequence.length();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            char c = sequence.charAt(i);
            out[i] = c < 128 ? LETTER_ID[c] : UNK;
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int id : ids) {
            checkId(id);
            if (id >= FIRST_LETTER && id < FIRST_LETTER + LETTERS.length()) {
                sb.append(LETTERS.charAt(id - FIRST_LETTER));
            }
        }
        return sb.toString();
    }






    @Override
    boolean isBaseSpecial(int id) {
        return id >= 0 && id < FIRST_LETTER;
    }

    @Override
    void writeFields(ObjectNode root) {}
}
