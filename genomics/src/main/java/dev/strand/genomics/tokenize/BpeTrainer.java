package dev.strand.genomics.tokenize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Learns BPE merges from DNA, GENA-LM style (see {@link BpeTokenizer} for the vocabulary layout).
 *
 * <p><b>Corpus.</b> Sequences are uppercased; every run of ≥10 {@code N}, every {@code -} and
 * every character outside the alphabet ends a word (no merge crosses it), and so does the end of
 * each sequence. Shorter N runs are letters like any other.
 *
 * <p><b>Rule.</b> Start from one token per letter. Repeatedly take the adjacent pair of tokens
 * that occurs most often in the corpus (every adjacent occurrence counts, overlapping ones in runs
 * such as {@code AAA} too), replace its occurrences left to right by a new token, and record the
 * merge. <b>Ties</b> go to the pair whose left token has the smallest id, then whose right token
 * has the smallest id — ids being the vocabulary's (specials, alphabet letters in alphabet order,
 * then merged tokens in the order they were made); this is the order Hugging Face's BPE trainer
 * uses. Every merge adds exactly one new token, so merges = vocabulary − 6 specials − |alphabet|:
 * a pair whose concatenation is already a token (say {@code A+AA} after {@code AA+A} made {@code
 * AAA}) would be dropped rather than merged — a guard only, this has not been seen to happen with
 * left-to-right merging — as is a pair longer than {@link #maxTokenLength(int) maxTokenLength}.
 * Training stops when the vocabulary reaches the size asked for or no pair occurs at least {@link
 * #minFrequency(int) minFrequency} times.
 *
 * <p><b>Algorithm.</b> The corpus is held once as an array of token ids with a doubly linked list
 * over positions. A table holds, for each distinct adjacent pair, its exact count and the
 * positions where it has occurred; a max-heap ordered by (count, tie rule) picks the next merge,
 * its entries refreshed lazily (an entry whose count is out of date is re-queued with the current
 * one). Merging a pair visits only that pair's recorded positions, and for each occurrence updates
 * the counts of the pairs on either side (−1 for the pairs it destroys, +1 for the pairs with the
 * new token, whose positions are recorded); nothing is recounted. Total work is about linear in
 * the corpus size plus the merges' occurrences (the same incremental scheme as SentencePiece's
 * BPE trainer and Hugging Face tokenizers, without word deduplication, which does not help on DNA
 * where long words rarely repeat). The result is deterministic: it depends only on the sequences
 * (not on their order) and the settings.
 *
 * <p>Cost: 4,096 tokens from 10 Mb of D. melanogaster chr2R train in about 2–3 s on 2 cores
 * (single-threaded); memory is about 12 bytes per base plus the pair table (10 Mb fits a 1 GB
 * heap).
 */
public final class BpeTrainer {
    private final int vocabSize;
    private String alphabet = BpeTokenizer.GENA_ALPHABET;
    private int minFrequency = 1;
    private int maxTokenLength = Integer.MAX_VALUE;
    private List<String> controlTags = List.of();

    /** Statistics of the last {@link #train} call. */
    private Stats stats;

    /**
     * @param vocabSize the vocabulary size to reach, specials and alphabet included, control tags
     *     not (GENA-LM: 32,000; DNABERT-2: 4,096)
     */
    public BpeTrainer(int vocabSize) {
        this.vocabSize = vocabSize;
    }

    /** Letters of ids 6, 7, … (default {@link BpeTokenizer#GENA_ALPHABET}); all are in the vocabulary. */
    public BpeTrainer alphabet(String letters) {
        this.alphabet = BpeTokenizer.checkAlphabet(letters);
        return this;
    }

    /** Stop when the most frequent pair occurs fewer times than this (default 1: never early). */
    public BpeTrainer minFrequency(int count) {
        if (count < 1) throw new IllegalArgumentException("minFrequency must be at least 1, not " + count);
        this.minFrequency = count;
        return this;
    }

    /**
     * Longest token to learn, in letters (default unlimited, as GENA-LM): a pair that would make a
     * longer token is dropped, which keeps tandem repeats from becoming single tokens hundreds of
     * bases long.
     */
    public BpeTrainer maxTokenLength(int letters) {
        if (letters < 2) throw new IllegalArgumentException("maxTokenLength must be at least 2, not " + letters);
        this.maxTokenLength = letters;
        return this;
    }

    /** Control tags the trained tokenizer gets after its vocabulary. */
    public BpeTrainer controlTags(List<String> tags) {
        this.controlTags = List.copyOf(tags);
        return this;
    }

    /**
     * What the last training did: letters in the corpus, tokens they became, merges learned, pairs
     * dropped (too long or duplicate), wall time.
     */
    public record Stats(long letters, long tokensAfter, int merges, int droppedPairs, long millis) {}

    /** Statistics of the last training, or null before any. */
    public Stats stats() {
        return stats;
    }

    public BpeTokenizer train(String... sequences) {
        return train(Arrays.asList(sequences).iterator());
    }

    public BpeTokenizer train(Iterable<? extends CharSequence> sequences) {
        return train(sequences.iterator());
    }

    /** Trains on the sequences a supplier hands out until it returns null. */
    public BpeTokenizer train(Supplier<? extends CharSequence> sequences) {
        return train(new Iterator<CharSequence>() {
            CharSequence next = sequences.get();

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public CharSequence next() {
                CharSequence s = next;
                next = sequences.get();
                return s;
            }
        });
    }

    public BpeTokenizer train(Iterator<? extends CharSequence> sequences) {
        int base = BpeTokenizer.FIRST_LETTER + alphabet.length();
        if (vocabSize < base) {
            throw new IllegalArgumentException("vocabulary size " + vocabSize + " is smaller than the "
                    + BpeTokenizer.FIRST_LETTER + " special tokens plus the " + alphabet.length() + "-letter alphabet");
        }
        long t0 = System.nanoTime();
        Corpus corpus = Corpus.read(sequences, alphabet);
        Learner learner = new Learner(corpus, alphabet, vocabSize - base, minFrequency, maxTokenLength);
        int[][] merges = learner.run();
        stats = new Stats(corpus.size, learner.alive, merges.length, learner.dropped, (System.nanoTime() - t0) / 1_000_000);
        return new BpeTokenizer(alphabet, merges, controlTags);
    }

    /** The corpus as letter ids with word boundaries. */
    static final class Corpus {
        int[] sym;
        BitSet wordStart = new BitSet();
        int size;

        static Corpus read(Iterator<? extends CharSequence> sequences, String alphabet) {
            int[] letterId = new int[128];
            Arrays.fill(letterId, -1);
            for (int i = 0; i < alphabet.length(); i++) {
                char c = alphabet.charAt(i);
                letterId[c] = BpeTokenizer.FIRST_LETTER + i;
                letterId[Character.toLowerCase(c)] = BpeTokenizer.FIRST_LETTER + i;
            }
            Corpus c = new Corpus();
            c.sym = new int[1 << 16];
            while (sequences.hasNext()) {
                CharSequence s = Objects.requireNonNull(sequences.next(), "null sequence");
                c.add(s, letterId);
            }
            return c;
        }

        private void add(CharSequence s, int[] letterId) {
            int n = s.length();
            boolean boundary = true;
            for (int i = 0; i < n; ) {
                char ch = s.charAt(i);
                if (ch == 'N' || ch == 'n') {
                    int j = i;
                    while (j < n && (s.charAt(j) == 'N' || s.charAt(j) == 'n')) j++;
                    if (j - i >= BpeTokenizer.MIN_GAP_RUN) {
                        boundary = true;
                        i = j;
                        continue;
                    }
                }
                int id = ch < 128 ? letterId[ch] : -1;
                if (id < 0) {
                    boundary = true;
                } else {
                    if (size == sym.length) {
                        if (size == Integer.MAX_VALUE - 8) {
                            throw new IllegalArgumentException("BPE training corpus over " + size + " bases");
                        }
                        sym = Arrays.copyOf(sym, (int) Math.min(Integer.MAX_VALUE - 8, 2L * size));
                    }
                    if (boundary) wordStart.set(size);
                    sym[size++] = id;
                    boundary = false;
                }
                i++;
            }
        }
    }

    /** The incremental merge loop. */
    static final class Learner {
        private final int[] sym, prev, next;
        private final int maxMerges, minFrequency, maxTokenLength;
        private final List<String> tokens = new ArrayList<>();
        private final Map<String, Integer> tokenIds = new HashMap<>();
        long alive;
        int dropped;

        // pair table: index -> key, count, recorded positions
        private final LongIntMap pairIndex;
        private long[] pairKey = new long[1024];
        private int[] pairCount = new int[1024];
        private int[][] pairPos = new int[1024][];
        private int[] pairLen = new int[1024];
        private int[] pairTouch = new int[1024];
        private int pairs;

        // max-heap of (snapshot count, pair index)
        private int[] heapCount = new int[1024];
        private int[] heapPair = new int[1024];
        private int heapSize;

        private static final int[] EMPTY = new int[0];

        Learner(Corpus corpus, String alphabet, int maxMerges, int minFrequency, int maxTokenLength) {
            int n = corpus.size;
            this.sym = corpus.sym.length == n ? corpus.sym : Arrays.copyOf(corpus.sym, n);
            corpus.sym = null;
            this.prev = new int[n];
            this.next = new int[n];
            for (int i = 0; i < n; i++) {
                prev[i] = corpus.wordStart.get(i) ? -1 : i - 1;
                next[i] = i + 1 < n && !corpus.wordStart.get(i + 1) ? i + 1 : -1;
            }
            this.alive = n;
            this.maxMerges = maxMerges;
            this.minFrequency = minFrequency;
            this.maxTokenLength = maxTokenLength;
            for (String s : BpeTokenizer.SPECIALS) addToken(s);
            for (char c : alphabet.toCharArray()) addToken(String.valueOf(c));
            this.pairIndex = new LongIntMap(1 << 12);
            Arrays.fill(pairTouch, -1);
        }

        private void addToken(String s) {
            tokenIds.put(s, tokens.size());
            tokens.add(s);
        }

        int[][] run() {
            int n = sym.length;
            for (int i = 0; i < n; i++) {
                if (next[i] >= 0) add(sym[i], sym[next[i]], i, 1);
            }
            for (int p = 0; p < pairs; p++) if (pairCount[p] > 0) push(pairCount[p], p);

            List<int[]> merges = new ArrayList<>();
            int[] touched = new int[64];
            while (merges.size() < maxMerges && heapSize > 0) {
                int c = heapCount[0], p = heapPair[0];
                pop();
                if (pairCount[p] != c) { // stale entry: requeue with the current count
                    if (pairCount[p] > 0) push(pairCount[p], p);
                    continue;
                }
                if (c < minFrequency) break;
                int a = (int) (pairKey[p] >>> 32), b = (int) pairKey[p];
                String merged = tokens.get(a) + tokens.get(b);
                if (merged.length() > maxTokenLength || tokenIds.containsKey(merged)) {
                    // too long, or would duplicate a token: drop this pair for good (no later merge can
                    // change either, since new pairs always hold the newest token)
                    pairCount[p] = 0;
                    pairPos[p] = EMPTY;
                    dropped++;
                    continue;
                }
                int z = tokens.size();
                addToken(merged);
                merges.add(new int[] {a, b});

                int[] pos = pairPos[p];
                int len = pairLen[p];
                pairPos[p] = EMPTY;
                pairLen[p] = 0;
                if (a == b) Arrays.sort(pos, 0, len); // runs must merge left to right
                int nTouched = 0;
                int last = -1;
                for (int k = 0; k < len; k++) {
                    int i = pos[k];
                    if (i == last) continue;
                    last = i;
                    if (sym[i] != a) continue;
                    int j = next[i];
                    if (j < 0 || sym[j] != b) continue;
                    int pi = prev[i], nj = next[j];
                    if (pi >= 0) {
                        add(sym[pi], a, -1, -1);
                        int q = add(sym[pi], z, pi, 1);
                        if (pairTouch[q] != z) {
                            pairTouch[q] = z;
                            if (nTouched == touched.length) touched = Arrays.copyOf(touched, 2 * nTouched);
                            touched[nTouched++] = q;
                        }
                    }
                    if (nj >= 0) {
                        add(b, sym[nj], -1, -1);
                        int q = add(z, sym[nj], i, 1);
                        if (pairTouch[q] != z) {
                            pairTouch[q] = z;
                            if (nTouched == touched.length) touched = Arrays.copyOf(touched, 2 * nTouched);
                            touched[nTouched++] = q;
                        }
                    }
                    sym[i] = z;
                    sym[j] = -1;
                    next[i] = nj;
                    if (nj >= 0) prev[nj] = i;
                    pairCount[p]--;
                    alive--;
                }
                if (pairCount[p] != 0) {
                    throw new IllegalStateException("BPE trainer lost count of pair " + merged + ": " + pairCount[p] + " left");
                }
                for (int t = 0; t < nTouched; t++) {
                    int q = touched[t];
                    if (pairCount[q] > 0) push(pairCount[q], q);
                }
            }
            return merges.toArray(new int[0][]);
        }

        /**
         * Adds {@code delta} to the count of pair (left, right) and, for position ≥ 0, records it.
         * Returns the pair's index.
         */
        private int add(int left, int right, int position, int delta) {
            long key = LongIntMap.key(left, right);
            int p = pairIndex.get(key, -1);
            if (p < 0) {
                if (delta < 0) throw new IllegalStateException("BPE trainer: pair (" + left + "," + right + ") went negative");
                p = newPair(key);
            }
            pairCount[p] += delta;
            if (position >= 0) {
                int[] pos = pairPos[p];
                int len = pairLen[p];
                if (len == pos.length) pairPos[p] = pos = Arrays.copyOf(pos, Math.max(4, len + (len >> 1)));
                pos[len] = position;
                pairLen[p] = len + 1;
            }
            return p;
        }

        private int newPair(long key) {
            int p = pairs++;
            if (p == pairKey.length) {
                int cap = p * 2;
                pairKey = Arrays.copyOf(pairKey, cap);
                pairCount = Arrays.copyOf(pairCount, cap);
                pairPos = Arrays.copyOf(pairPos, cap);
                pairLen = Arrays.copyOf(pairLen, cap);
                pairTouch = Arrays.copyOf(pairTouch, cap);
                Arrays.fill(pairTouch, p, cap, -1);
            }
            pairKey[p] = key;
            pairPos[p] = EMPTY;
            pairIndex.put(key, p);
            return p;
        }

        /** True when heap entry x should come out before y: higher count, then smaller (left, right). */
        private boolean before(int cx, int px, int cy, int py) {
            return cx != cy ? cx > cy : pairKey[px] < pairKey[py];
        }

        private void push(int count, int p) {
            if (heapSize == heapCount.length) {
                heapCount = Arrays.copyOf(heapCount, heapSize * 2);
                heapPair = Arrays.copyOf(heapPair, heapSize * 2);
            }
            int i = heapSize++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (!before(count, p, heapCount[parent], heapPair[parent])) break;
                heapCount[i] = heapCount[parent];
                heapPair[i] = heapPair[parent];
                i = parent;
            }
            heapCount[i] = count;
            heapPair[i] = p;
        }

        private void pop() {
            int c = heapCount[--heapSize], p = heapPair[heapSize];
            int i = 0;
            int half = heapSize >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                if (child + 1 < heapSize && before(heapCount[child + 1], heapPair[child + 1], heapCount[child], heapPair[child])) {
                    child++;
                }
                if (!before(heapCount[child], heapPair[child], c, p)) break;
                heapCount[i] = heapCount[child];
                heapPair[i] = heapPair[child];
                i = child;
            }
            if (heapSize > 0) {
                heapCount[i] = c;
                heapPair[i] = p;
            }
        }
    }
}
