package dev.strand.genomics.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.genomics.RandomDna;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fast trainer and encoder against a naive BPE that recounts everything at every step. */
class BpeReferenceTest {
    /** Naive training with the documented rules; returns merges as "left right". */
    static List<String> naiveMerges(List<String> words, int maxMerges, int minFrequency) {
        List<List<String>> ws = new ArrayList<>();
        for (String w : words) {
            List<String> s = new ArrayList<>();
            for (char c : w.toCharArray()) s.add(String.valueOf(c));
            ws.add(s);
        }
        Map<String, Integer> ids = new HashMap<>();
        for (String s : BpeTokenizer.SPECIALS) ids.put(s, ids.size());
        for (char c : BpeTokenizer.GENA_ALPHABET.toCharArray()) ids.put(String.valueOf(c), ids.size());
        Set<String> dropped = new HashSet<>();
        List<String> merges = new ArrayList<>();
        while (merges.size() < maxMerges) {
            Map<String, Integer> counts = new HashMap<>();
            for (List<String> w : ws) {
                for (int i = 0; i + 1 < w.size(); i++) counts.merge(w.get(i) + " " + w.get(i + 1), 1, Integer::sum);
            }
            String best = null;
            int bestCount = 0;
            for (var e : counts.entrySet()) {
                if (dropped.contains(e.getKey())) continue;
                String[] p = e.getKey().split(" ");
                if (best == null || e.getValue() > bestCount || (e.getValue() == bestCount && less(ids, p, best.split(" ")))) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            if (best == null || bestCount < minFrequency) break;
            String[] p = best.split(" ");
            String merged = p[0] + p[1];
            if (ids.containsKey(merged)) {
                dropped.add(best);
                continue;
            }
            ids.put(merged, ids.size());
            merges.add(best);
            for (List<String> w : ws) mergeLeftToRight(w, p[0], p[1]);
        }
        return merges;
    }

    private static boolean less(Map<String, Integer> ids, String[] a, String[] b) {
        int la = ids.get(a[0]), lb = ids.get(b[0]);
        if (la != lb) return la < lb;
        return ids.get(a[1]) < ids.get(b[1]);
    }

    private static void mergeLeftToRight(List<String> w, String a, String b) {
        for (int i = 0; i + 1 < w.size(); i++) {
            if (w.get(i).equals(a) && w.get(i + 1).equals(b)) {
                w.set(i, a + b);
                w.remove(i + 1);
            }
        }
    }

    /** Naive encoding: each merge in learned order, applied left to right over the word. */
    static List<String> naiveEncode(String word, List<String> merges) {
        List<String> w = new ArrayList<>();
        for (char c : word.toCharArray()) w.add(String.valueOf(c));
        for (String m : merges) {
            String[] p = m.split(" ");
            mergeLeftToRight(w, p[0], p[1]);
        }
        return w;
    }

    @Test
    void trainerMatchesNaiveBpe() {
        Random rng = new Random(12);
        for (int trial = 0; trial < 300; trial++) {
            String letters = switch (trial % 5) {
                case 0 -> "A";
                case 1 -> "AC";
                case 2 -> "ACGT";
                case 3 -> "AAC";
                default -> "ACGTTTTTAAN";
            };
            List<String> words = new ArrayList<>();
            int nWords = 1 + rng.nextInt(5);
            for (int i = 0; i < nWords; i++) words.add(RandomDna.random(1 + rng.nextInt(trial < 250 ? 60 : 400), letters, rng));
            int maxMerges = 1 + rng.nextInt(60);
            int minFrequency = 1 + rng.nextInt(2);
            List<String> expected = naiveMerges(words, maxMerges, minFrequency);
            BpeTokenizer t = new BpeTrainer(18 + maxMerges).minFrequency(minFrequency).train(words);
            assertEquals(expected, t.merges(), "trial " + trial + " words " + words);
            for (String w : words) {
                List<String> got = new ArrayList<>();
                for (int id : t.encode(w)) got.add(t.token(id));
                assertEquals(naiveEncode(w, t.merges()), got, "trial " + trial + " word " + w);
            }
        }
    }

    @Test
    void encoderMatchesNaiveEncodingOnUnseenDna() {
        BpeTokenizer t = new BpeTrainer(600).train(BpeTest.genomeLike(200_000, 13));
        Random rng = new Random(14);
        for (int trial = 0; trial < 30; trial++) {
            String s = trial % 2 == 0 ? RandomDna.random(1 + rng.nextInt(1000), rng) : BpeTest.genomeLike(1000, trial).replace("N", "");
            List<String> got = new ArrayList<>();
            for (int id : t.encode(s)) got.add(t.token(id));
            assertEquals(naiveEncode(s, t.merges()), got);
        }
        assertArrayEquals(t.encode("ACGT"), t.encode("acgt"));
    }

    @Test
    void heapAndBucketEncodersAgree() {
        BpeTokenizer t = new BpeTrainer(800).train(BpeTest.genomeLike(100_000, 15));
        Random rng = new Random(16);
        for (int trial = 0; trial < 20; trial++) {
            String s = trial % 2 == 0 ? RandomDna.random(1 + rng.nextInt(5000), "ACGTACGTACGTAAAAN", rng)
                    : BpeTest.genomeLike(1 + rng.nextInt(40_000), trial);
            assertArrayEquals(t.encode(s, false), t.encode(s, true), "trial " + trial);
        }
    }
}
