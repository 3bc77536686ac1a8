package dev.strand.genomics.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strand.genomics.RandomDna;
import dev.strand.genomics.attention.CandidateRegions.Region;
import dev.strand.genomics.attention.MotifFinder.Motif;
import dev.strand.genomics.attention.MotifFinder.RegionCall;
import dev.strand.genomics.attention.MotifFinder.Scored;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A planted motif end to end: synthetic attention peaks on a TATA box planted in every positive
 * (on one base more in half of them) and on a decoy that is as common in the negatives; the TATA
 * box is found with its counts, its longer variant merged into it, the decoy rejected.
 */
class MotifFinderTest {
    static final String TATA = "TATAAAAG", TATA_C = "TATAAAAGC", DECOY = "CCCGGGAT";
    static final int LENGTH = 60, TATA_AT = 10, DECOY_AT = 40;

    /** Random DNA that holds none of the planted words by chance. */
    static String background(Random rng) {
        while (true) {
            String s = RandomDna.random(LENGTH, rng);
            if (!s.contains("TATAAAA") && !s.contains("CCCGGGA") && !s.contains("ATAAAAG")) return s;
        }
    }

    static String plant(String s, int at, String word) {
        return s.substring(0, at) + word + s.substring(at + word.length());
    }

    @Test
    void findsThePlantedMotifWithItsCountsMergesItsVariantAndRejectsTheDecoy() {
        Random rng = new Random(7);
        List<Scored> positives = new ArrayList<>();
        List<String> negatives = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            boolean longer = i % 2 == 1;
            String seq = plant(plant(background(rng), TATA_AT, longer ? TATA_C : TATA + "T"), DECOY_AT, DECOY);
            float[] scores = new float[LENGTH];
            for (int b = 0; b < LENGTH; b++) scores[b] = 0.5f + rng.nextFloat();   // background attention in [0.5, 1.5)
            for (int b = 0; b < (longer ? 9 : 8); b++) scores[TATA_AT + b] = 20f;    // the peak on the TATA box
            for (int b = 0; b < 8; b++) scores[DECOY_AT + b] = 20f;                  // and on the decoy
            positives.add(new Scored("pos" + i, seq, AttentionTrack.normalise(scores)));
            negatives.add(plant(background(rng), DECOY_AT, DECOY.toLowerCase()));   // soft-masked: still counts
        }

        MotifFinder.Result r = MotifFinder.find(positives, negatives, MotifFinder.Settings.defaults());

        assertEquals(3, r.tested(), "TATAAAAG, TATAAAAGC and the decoy each have 10+ instances");
        assertEquals(1, r.motifs().size(), r.motifs().toString());
        Motif m = r.motifs().get(0);
        assertEquals(TATA, m.motif());
        assertEquals(List.of(TATA, TATA_C), m.members());
        assertEquals(20, m.positives());
        assertEquals(0, m.negatives());
        assertEquals(20, m.instances(), "10 regions of each member");
        // all 20 sequences holding TATAAAAG are positive: p = 1 / C(40, 20); rank 1 of 3 tests
        double p = 1 / EnrichmentTest.choose(40, 20).doubleValue();
        assertEquals(p, m.p(), 1e-9 * p);
        assertEquals(3 * p, m.q(), 1e-9 * p);

        assertEquals(40, r.regions().size(), "two regions per positive");
        RegionCall first = r.regions().get(0);
        assertEquals("pos0", first.sequence());
        assertEquals(new Region(TATA_AT, TATA_AT + 8), first.region());
        assertEquals(TATA, first.bases());
        assertEquals(TATA, first.motif());
        RegionCall longer = r.regions().get(2);
        assertEquals(new Region(TATA_AT, TATA_AT + 9), longer.region());
        assertEquals(TATA, longer.motif(), "the variant's regions belong to the merged motif");
        RegionCall decoy = r.regions().get(1);
        assertEquals(DECOY, decoy.bases());
        assertNull(decoy.motif(), "the decoy is in every negative too: p = 1");
        assertEquals(1.0, Enrichment.hypergeometricUpperTail(40, 20, 40, 20));
    }

    @Test
    void tooFewInstancesAreNotTestedAndMergingNeedsEnoughMatchingBases() {
        Random rng = new Random(11);
        List<Scored> positives = new ArrayList<>();
        List<String> negatives = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String word = i < 10 ? "GATTACAG" : "CTGACTGA";    // two unrelated motifs: best overlap below 5 bases
            String seq = plant(background(rng), 20, word);
            float[] scores = new float[LENGTH];
            java.util.Arrays.fill(scores, 1f);
            java.util.Arrays.fill(scores, 20, 28, 30f);
            positives.add(new Scored("p" + i, seq, scores));
            negatives.add(background(rng));
        }
        MotifFinder.Result r = MotifFinder.find(positives, negatives, MotifFinder.Settings.defaults());
        assertEquals(2, r.motifs().size(), "unrelated motifs stay apart");
        assertEquals(10, r.motifs().get(0).instances());
        MotifFinder.Result strict = MotifFinder.find(positives, negatives, new MotifFinder.Settings(5, 10, 0.005, 11, 5));
        assertEquals(0, strict.tested(), "10 instances each, 11 needed");
        assertEquals(20, strict.regions().size());
        assertEquals(1, MotifFinder.find(positives, negatives, new MotifFinder.Settings(5, 10, 0.005, 3, 2)).motifs().size(),
                "with 2 matching bases enough, GATTACAG and CTGACTGA merge");

        assertThrows(IllegalArgumentException.class, () -> MotifFinder.find(positives, List.of(), MotifFinder.Settings.defaults()));
        assertThrows(IllegalArgumentException.class, () -> new MotifFinder.Settings(5, 10, 0, 3, 5));
    }
}
