package dev.strand.genomics.tokenize;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Byte-pair encoding on DNA, with GENA-LM's conventions (DNABERT-2 and GROVER use the same scheme).
 *
 * <p>Vocabulary: {@code [UNK]=0, [CLS]=1, [SEP]=2, [PAD]=3, [MASK]=4}, and {@code -}=5 standing
 * for a run of 10 or more {@code N}; then the alphabet's letters (by default GENA-LM's 12: {@code A
 * B C G K M N R S T W Y}, ids 6…17); then one token per merge, in the order the merges were learned
 * (merge rank r has id 6 + |alphabet| + r); then control tags. So the number of merges is always
 * the base vocabulary size − 6 specials − |alphabet| (32,000 − 6 − 12 = 31,982 for GENA-LM).
 *
 * <p>Encoding: uppercase; each run of ≥10 {@code N} (and a literal {@code -}) becomes {@code -};
 * a character outside the alphabet becomes [UNK]; each remaining stretch of letters is a word,
 * which starts as one token per letter and has merges applied in the order they were learned
 * (lowest rank first; among equal ranks the leftmost first), as BPE encoders do. Merges never
 * cross a {@code -} or [UNK]. Decoding concatenates the tokens' letters, writes {@code -} as 10
 * {@code N} (the shortest run it stands for) and skips [UNK], the other special tokens and control
 * tags. Learn merges with {@link BpeTrainer}.
 */
public final class BpeTokenizer extends BaseTokenizer {
    public static final int UNK = 0, CLS = 1, SEP = 2, PAD = 3, MASK = 4, GAP = 5;

    static final List<String> SPECIALS = List.of("[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]", "-");

    /** GENA-LM's alphabet: the 12 letters its tokenizer starts from, in its id order. */
    public static final String GENA_ALPHABET = "ABCGKMNRSTWY";

    /** A run of at least this many N is one {@code -} token. */
    public static final int MIN_GAP_RUN = 10;

    static final int FIRST_LETTER = SPECIALS.size();

    private final String alphabet;
    /** merges[r] = {left id, right id}; their token has id firstMerge + r. */
    private final int[][] merges;
    private final int firstMerge;
    private final int[] letterId = new int[128];
    private final LongIntMap rankOf;

    /** A tokenizer from merges given as ids (left, right): merge r makes token 6 + |alphabet| + r. */
    BpeTokenizer(String alphabet, int[][] merges, List<String> controlTags) {
        super(baseVocab(checkAlphabet(alphabet), merges), new Specials(PAD, UNK, CLS, SEP, MASK), controlTags);
        this.alphabet = alphabet;
        this.merges = new int[merges.length][];
        for (int r = 0; r < merges.length; r++) this.merges[r] = merges[r].clone();
        this.firstMerge = FIRST_LETTER + alphabet.length();
        Arrays.fill(letterId, -1);
        for (int i = 0; i < alphabet.length(); i++) {
            char c = alphabet.charAt(i);
            letterId[c] = FIRST_LETTER + i;
            letterId[Character.toLowerCase(c)] = FIRST_LETTER + i;
        }
        this.rankOf = new LongIntMap(merges.length);
        for (int r = 0; r < merges.length; r++) rankOf.put(LongIntMap.key(merges[r][0], merges[r][1]), r);
    }

    /**
     * A tokenizer from merges written as token pairs ("TG A" or {"TG", "A"}), in learned order.
     *
     * @param alphabet the letters of ids 6, 7, … (e.g. {@link #GENA_ALPHABET})
     * @param merges each "left right", separated by one space; both sides must already be tokens
     */
    public static BpeTokenizer fromMerges(String alphabet, List<String> merges, List<String> controlTags) {
        checkAlphabet(alphabet);
        List<String> vocab = new ArrayList<>(SPECIALS);
        for (char c : alphabet.toCharArray()) vocab.add(String.valueOf(c));
        java.util.Map<String, Integer> ids = new java.util.HashMap<>();
        for (int i = 0; i < vocab.size(); i++) ids.put(vocab.get(i), i);
        int[][] pairs = new int[merges.size()][];
        for (int r = 0; r < merges.size(); r++) {
            String m = merges.get(r);
            String[] parts = m.split(" ", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("merge " + r + " \"" + m + "\" is not two tokens separated by one space");
            }
            Integer left = ids.get(parts[0]), right = ids.get(parts[1]);
            if (left == null || right == null || left < FIRST_LETTER || right < FIRST_LETTER) {
                throw new IllegalArgumentException("merge " + r + " \"" + m + "\" uses "
                        + (left == null || left < FIRST_LETTER ? parts[0] : parts[1])
                        + ", which is neither a letter of the alphabet " + alphabet + " nor made by an earlier merge");
            }
            pairs[r] = new int[] {left, right};
            String merged = parts[0] + parts[1];
            ids.putIfAbsent(merged, vocab.size());
            vocab.add(merged);
        }
        return new BpeTokenizer(alphabet, pairs, controlTags);
    }

    static String checkAlphabet(String alphabet) {
        if (alphabet.isEmpty()) throw new IllegalArgumentException("empty BPE alphabet");
        for (int i = 0; i < alphabet.length(); i++) {
            char c = alphabet.charAt(i);
            if (c < 'A' || c > 'Z') {
                throw new IllegalArgumentException("BPE alphabet \"" + alphabet + "\" holds '" + c
                        + "': letters must be uppercase A–Z");
            }
            if (alphabet.indexOf(c) != i) {
                throw new IllegalArgumentException("BPE alphabet \"" + alphabet + "\" holds '" + c + "' twice");
            }
        }
        return alphabet;
    }

    private static List<String> baseVocab(String alphabet, int[][] merges) {
        List<String> v = new ArrayList<>(SPECIALS.size() + alphabet.length() + merges.length);
        v.addAll(SPECIALS);
        for (char c : alphabet.toCharArray()) v.add(String.valueOf(c));
        for (int r = 0; r < merges.length; r++) {
            int[] m = merges[r];
            int limit = v.size();
            if (m.length != 2 || m[0] < FIRST_LETTER || m[1] < FIRST_LETTER || m[0] >= limit || m[1] >= limit) {
                throw new IllegalArgumentException("merge " + r + " " + Arrays.toString(m)
                        + " must join two ids of letters or earlier merges, in [" + FIRST_LETTER + ", " + limit + ")");
            }
            v.add(v.get(m[0]) + v.get(m[1]));
        }
        return v;
    }

    /** The same tokenizer with these control tags (replacing any it had). */
    public BpeTokenizer withControlTags(List<String> tags) {
        return new BpeTokenizer(alphabet, merges, tags);
    }

    @Override
    public String kind() {
        return "bpe";
    }

    /** The letters of ids 6, 7, …. */
    public String alphabet() {
        return alphabet;
    }

    /** Number of merges: vocabulary size − 6 specials − |alphabet| − control tags. */
    public int mergeCount() {
        return merges.length;
    }

    /** The merges in learned order, each "left right" as tokens. */
    public List<String> merges() {
        List<String> out = new ArrayList<>(merges.length);
        for (int[] m : merges) out.add(token(m[0]) + " " + token(m[1]));
        return out;
    }

    /** Id of the token merge {@code rank} makes. */
    public int mergeId(int rank) {
        return firstMerge + rank;
    }

    @Override
    public int[] encode(String sequence) {
        return encode(sequence, null);
    }

    /** Encodes with the heap (false), the per-rank buckets (true) or by length (null). */
    int[] encode(String sequence, Boolean buckets) {
        int n = sequence.length();
        int[] sym = new int[n];
        int m = 0;
        for (int i = 0; i < n; ) {
            char c = sequence.charAt(i);
            if (c == 'N' || c == 'n') {
                int j = i;
                while (j < n && (sequence.charAt(j) == 'N' || sequence.charAt(j) == 'n')) j++;
                if (j - i >= MIN_GAP_RUN) {
                    sym[m++] = GAP;
                    i = j;
                    continue;
                }
            }
            if (c == '-') sym[m++] = GAP;
            else {
                int id = c < 128 ? letterId[c] : -1;
                sym[m++] = id < 0 ? UNK : id;
            }
            i++;
        }
        return merge(sym, m, buckets != null ? buckets : m >= BUCKET_MIN);
    }

    /** Words at least this long are encoded with per-rank buckets instead of a heap. */
    static final int BUCKET_MIN = 1 << 14;

    /**
     * Applies the merges lowest rank first, and among pairs of one rank left to right. Short inputs
     * keep (rank, position) pairs in a heap; long ones keep one position list per rank and visit the
     * ranks in increasing order (no log factor per pair; a merge only creates pairs of higher rank, so
     * each rank's list is complete when its turn comes). Both give the same tokens.
     */
    private int[] merge(int[] sym, int m, boolean buckets) {
        if (merges.length == 0 || m < 2) return Arrays.copyOf(sym, m);
        int[] next = new int[m];
        int[] prev = new int[m];
        Queue queue = buckets ? new Buckets(merges.length) : new HeapQueue(m);
        for (int i = 0; i < m; i++) {
            boolean letter = sym[i] >= FIRST_LETTER;
            next[i] = i + 1 < m && letter && sym[i + 1] >= FIRST_LETTER ? i + 1 : -1;
            prev[i] = i > 0 && letter && sym[i - 1] >= FIRST_LETTER ? i - 1 : -1;
            if (next[i] >= 0) {
                int r = rankOf.get(LongIntMap.key(sym[i], sym[i + 1]), -1);
                if (r >= 0) queue.add(r, i);
            }
        }
        int removed = 0;
        while (queue.next()) {
            int r = queue.rank(), i = queue.position();
            int j = next[i];
            if (sym[i] < 0 || j < 0 || sym[i] != merges[r][0] || sym[j] != merges[r][1]) continue; // stale
            int z = firstMerge + r;
            sym[i] = z;
            sym[j] = -1;
            removed++;
            int p = prev[i];
            if (p >= 0) {
                int rl = rankOf.get(LongIntMap.key(sym[p], z), -1);
                if (rl >= 0) queue.add(rl, p);
            }
            int nj = next[j];
            next[i] = nj;
            if (nj >= 0) {
                prev[nj] = i;
                int rr = rankOf.get(LongIntMap.key(z, sym[nj]), -1);
                if (rr >= 0) queue.add(rr, i);
            }
        }
        int[] out = new int[m - removed];
        int k = 0;
        for (int i = 0; i < m; i++) if (sym[i] >= 0) out[k++] = sym[i];
        return out;
    }

    /** Candidate merges (rank, position), handed out by increasing rank, then position. */
    private interface Queue {
        void add(int rank, int position);

        /** Moves to the next candidate; false when none is left. */
        boolean next();

        int rank();

        int position();
    }

    private static final class HeapQueue implements Queue {
        private final LongHeap heap;
        private long current;

        HeapQueue(int capacity) {
            heap = new LongHeap(Math.max(16, capacity));
        }

        @Override
        public void add(int rank, int position) {
            heap.push(((long) rank << 32) | position);
        }

        @Override
        public boolean next() {
            if (heap.isEmpty()) return false;
            current = heap.pop();
            return true;
        }

        @Override
        public int rank() {
            return (int) (current >>> 32);
        }

        @Override
        public int position() {
            return (int) current;
        }
    }

    private static final class Buckets implements Queue {
        private final int[][] positions;
        private final int[] length;
        private final LongHeap ranks = new LongHeap(64);
        private int rank = -1, index, end;
        private int[] list;

        Buckets(int ranks) {
            positions = new int[ranks][];
            length = new int[ranks];
        }

        @Override
        public void add(int r, int position) {
            int[] a = positions[r];
            int n = length[r];
            if (a == null) {
                positions[r] = a = new int[8];
                ranks.push(r);
            } else if (n == a.length) {
                positions[r] = a = Arrays.copyOf(a, n + (n >> 1));
            }
            a[n] = position;
            length[r] = n + 1;
        }

        @Override
        public boolean next() {
            while (true) {
                if (list != null) {
                    // skip repeats of the same position
                    while (++index < end && list[index] == list[index - 1]) {}
                    if (index < end) return true;
                    positions[rank] = null;
                    list = null;
                }
                if (ranks.isEmpty()) return false;
                rank = (int) ranks.pop();
                list = positions[rank];
                end = length[rank];
                boolean sorted = true;
                for (int k = 1; k < end && sorted; k++) sorted = list[k - 1] <= list[k];
                if (!sorted) Arrays.sort(list, 0, end);
                index = 0;
                return true;
            }
        }

        @Override
        public int rank() {
            return rank;
        }

        @Override
        public int position() {
            return list[index];
        }
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length * 8);
        for (int id : ids) {
            checkId(id);
            if (id == GAP) sb.append("N".repeat(MIN_GAP_RUN));
            else if (id >= FIRST_LETTER && id < baseVocabSize()) sb.append(token(id));
        }
        return sb.toString();
    }






    /** [UNK], [CLS], [SEP], [PAD], [MASK] and {@code -} (a gap is not DNA to mask or predict). */
    @Override
    boolean isBaseSpecial(int id) {
        return id >= 0 && id < FIRST_LETTER;
    }

    @Override
    void writeFields(ObjectNode root) {
        root.put("alphabet", alphabet);
        ArrayNode ms = root.putArray("merges");
        for (String m : merges()) ms.add(m);
        ArrayNode vocab = root.putArray("vocab");
        for (int id = 0; id < baseVocabSize(); id++) vocab.add(token(id));
    }

    /** Min-heap of longs. */
    static final class LongHeap {
        private long[] a;
        private int size;

        LongHeap(int capacity) {
            a = new long[Math.max(1, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(long v) {
            if (size == a.length) a = Arrays.copyOf(a, a.length * 2);
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (a[parent] <= v) break;
                a[i] = a[parent];
                i = parent;
            }
            a[i] = v;
        }

        long pop() {
            long top = a[0];
            long last = a[--size];
            int i = 0;
            int half = size >>> 1;
            while (i < half) {
                int c = 2 * i + 1;
                if (c + 1 < size && a[c + 1] < a[c]) c++;
                if (a[c] >= last) break;
                a[i] = a[c];
                i = c;
            }
            a[i] = last;
            return top;
        }
    }
}
