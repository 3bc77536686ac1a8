package dev.strand.genomics.tokenize;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strand.genomics.io.Bases;
import java.util.ArrayList;
import java.util.List;

/**
 * Overlapping k-mers, as DNABERT tokenizes DNA (k = 3, 4, 5 or 6).
 *
 * <p>A sequence of length L gives the L−k+1 tokens {@code seq[i:i+k]} for i = 0 … L−k (none when
 * L &lt; k). Ids: {@code [PAD]=0, [UNK]=1, [CLS]=2, [SEP]=3, [MASK]=4}, then 5 + the rank of the
 * k-mer in the product order over {@code A, T, C, G} (AAAAAA=5, AAAAAT=6, AAAAAC=7, AAAAAG=8,
 * AAAATA=9 … for k = 6), 4^k + 5 ids in all, then control tags. A k-mer holding anything but
 * A/C/G/T (either case) is [UNK]. Decoding takes the first base of each k-mer and then the last
 * k-mer whole; special tokens, [UNK] and control tags are skipped.
 */
public final class KmerTokenizer extends BaseTokenizer {
    public static final int PAD = 0, UNK = 1, CLS = 2, SEP = 3, MASK = 4;

    static final List<String> SPECIALS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");

    /** DNABERT's digit order: A=0, T=1, C=2, G=3. */
    static final String ORDER = "ATCG";

    private static final int FIRST_KMER = SPECIALS.size();

    private final int k;

    public KmerTokenizer(int k) {
        this(k, List.of());
    }

    /** A k-mer tokenizer whose control tags get ids 4^k + 5, … in the order given. */
    public KmerTokenizer(int k, List<String> controlTags) {
        super(baseVocab(checkK(k)), new Specials(PAD, UNK, CLS, SEP, MASK), controlTags);
        this.k = k;
    }

    private static int checkK(int k) {
        if (k < 3 || k > 6) throw new IllegalArgumentException("DNABERT k-mers have k = 3…6, not " + k);
        return k;
    }

    private static List<String> baseVocab(int k) {
        List<String> v = new ArrayList<>(SPECIALS);
        v.addAll(productOrder(k));
        return v;
    }

    /** All k-mers over A, T, C, G in product order (the last position varies fastest). */
    static List<String> productOrder(int k) {
        int count = 1 << (2 * k);
        List<String> out = new ArrayList<>(count);
        char[] buf = new char[k];
        for (int r = 0; r < count; r++) {
            int x = r;
            for (int p = k - 1; p >= 0; p--) {
                buf[p] = ORDER.charAt(x & 3);
                x >>>= 2;
            }
            out.add(new String(buf));
        }
        return out;
    }

    /** DNABERT digit of each {@link Bases#code}: the base's position in {@link #ORDER}. */
    private static final int[] DIGIT = new int[4];

    static {
        for (int d = 0; d < ORDER.length(); d++) DIGIT[Bases.code(ORDER.charAt(d))] = d;
    }

    /** DNABERT digit of a base (A=0, T=1, C=2, G=3, either case), or −1 for anything else. */
    static int digit(char c) {
        int b = Bases.code(c);
        return b < 0 ? -1 : DIGIT[b];
    }

    public int k() {
        return k;
    }

    /** The same tokenizer with these control tags (replacing any it had). */
    public KmerTokenizer withControlTags(List<String> tags) {
        return new KmerTokenizer(k, tags);
    }

    @Override
    public String kind() {
        return "kmer";
    }

    @Override
    public int[] encode(String sequence) {
        int n = sequence.length();
        if (n < k) return new int[0];
        int[] out = new int[n - k + 1];
        int mask = (1 << (2 * k)) - 1;
        int code = 0;
        int lastBad = -1; // position of the last non-ACGT character seen
        for (int i = 0; i < n; i++) {
            int d = digit(sequence.charAt(i));
            if (d < 0) {
                lastBad = i;
                d = 0;
            }
            code = ((code << 2) | d) & mask;
            int start = i - k + 1;
            if (start >= 0) out[start] = lastBad >= start ? UNK : FIRST_KMER + code;
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length + k);
        int last = -1;
        for (int id : ids) {
            checkId(id);
            if (!isKmer(id)) continue;
            if (last >= 0) sb.append(token(last).charAt(0));
            last = id;
        }
        if (last >= 0) sb.append(token(last));
        return sb.toString();
    }

    private boolean isKmer(int id) {
        return id >= FIRST_KMER && id < baseVocabSize();
    }

    /**
     * Overlapping k-mers cover one new base each: the bases decoded from the k-mer ids among
     * {@code ids} (first base of each plus the last k-mer's k−1 more) over their number, so bits per
     * token convert to bits per base correctly. (The interface's default would decode every k-mer on
     * its own and report k.)
     */
    @Override
    public double basesPerToken(int[] ids) {
        long kmers = 0;
        for (int id : ids) if (isKmer(id)) kmers++;
        return kmers == 0 ? 0 : (double) (kmers + k - 1) / kmers;
    }






    @Override
    boolean isBaseSpecial(int id) {
        return id >= 0 && id < FIRST_KMER;
    }

    @Override
    void writeFields(ObjectNode root) {
        root.put("k", k);
    }
}
