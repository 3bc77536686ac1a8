package dev.strand.genomics.tokenize;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Non-overlapping 6-mers with a single-base fallback, as the Nucleotide Transformer tokenizes DNA.
 *
 * <p>The sequence is split at every character that is not A/C/G/T (either case); each ACGT piece is
 * cut left to right into 6-mers, and its leftover bases (fewer than 6) become single-base tokens;
 * each {@code N} is the token {@code N} and any other character {@code <unk>}. So {@code
 * ACGTGTACNTGCACGG} → {@code ACGTGT A C N TGCACG G}.
 *
 * <p>Vocabulary in NT's order: {@code <unk>=0, <pad>=1, <mask>=2, <cls>=3}, the 4096 6-mers in
 * product order over {@code A, T, C, G} (4…4099), {@code A, T, C, G, N} (4100…4104), {@code
 * <eos>=4105, <bos>=4106}; 4107 ids, then control tags.
 *
 * <p>Mapping onto the interface: {@link #pad()} = {@code <pad>}, {@link #unk()} = {@code <unk>},
 * {@link #cls()} = {@code <cls>}, {@link #mask()} = {@code <mask>}, and {@link #sep()} = {@code
 * <eos>}, the token NT has for closing a sequence. NT feeds a sequence as {@code <cls>} followed by
 * its tokens, with nothing appended, so {@link #encodeWithSpecials} here prepends {@code <cls>}
 * only. {@code <bos>} counts as special too.
 */
public final class NonOverlappingTokenizer extends BaseTokenizer {
    public static final int UNK = 0, PAD = 1, MASK = 2, CLS = 3;
    /** First 6-mer id (AAAAAA). */
    public static final int FIRST_KMER = 4;
    /** Id of the single-base token A; then T, C, G, N. */
    public static final int FIRST_BASE = FIRST_KMER + 4096;
    public static final int N_ID = FIRST_BASE + 4;
    public static final int EOS = FIRST_BASE + 5, BOS = FIRST_BASE + 6;

    private static final int K = 6;

    public NonOverlappingTokenizer() {
        this(List.of());
    }

    /** A tokenizer whose control tags get ids 4107, 4108, … in the order given. */
    public NonOverlappingTokenizer(List<String> controlTags) {
        super(baseVocab(), new Specials(PAD, UNK, CLS, EOS, MASK), controlTags);
    }

    private static List<String> baseVocab() {
        List<String> v = new ArrayList<>(List.of("<unk>", "<pad>", "<mask>", "<cls>"));
        v.addAll(KmerTokenizer.productOrder(K));
        v.addAll(List.of("A", "T", "C", "G", "N", "<eos>", "<bos>"));
        return v;
    }

    /** The same tokenizer with these control tags (replacing any it had). */
    public NonOverlappingTokenizer withControlTags(List<String> tags) {
        return new NonOverlappingTokenizer(tags);
    }

    @Override
    public String kind() {
        return "nt6";
    }

    @Override
    public int[] encode(String sequence) {
        int n = sequence.length();
        int[] out = new int[n];
        int count = 0;
        int i = 0;
        while (i < n) {
            // the ACGT piece starting at i
            int end = i;
            while (end < n && KmerTokenizer.digit(sequence.charAt(end)) >= 0) end++;
            int p = i;
            for (; p + K <= end; p += K) {
                int code = 0;
                for (int j = p; j < p + K; j++) code = (code << 2) | KmerTokenizer.digit(sequence.charAt(j));
                out[count++] = FIRST_KMER + code;
            }
            for (; p < end; p++) out[count++] = FIRST_BASE + KmerTokenizer.digit(sequence.charAt(p));
            if (end < n) {
                char c = sequence.charAt(end);
                out[count++] = c == 'N' || c == 'n' ? N_ID : UNK;
                end++;
            }
            i = end;
        }
        return java.util.Arrays.copyOf(out, count);
    }

    /** {@code <cls>} followed by the tokens, as NT feeds sequences (no closing token). */
    @Override
    public int[] encodeWithSpecials(String sequence) {
        int[] body = encode(sequence);
        int[] out = new int[body.length + 1];
        out[0] = CLS;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length * K);
        for (int id : ids) {
            checkId(id);
            if (id >= FIRST_KMER && id <= N_ID) sb.append(token(id));
        }
        return sb.toString();
    }






    @Override
    boolean isBaseSpecial(int id) {
        return (id >= 0 && id < FIRST_KMER) || id == EOS || id == BOS;
    }

    @Override
    void writeFields(ObjectNode root) {}
}
