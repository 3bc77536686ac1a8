package dev.strand.genomics.data;

import dev.strand.genomics.io.Bases;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.tensor.Generator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PretrainingWindowsTest {
    private static TestDoubleInMemoryGenome genome() {
        Generator g = new Generator(100);
        String a = TestDoubleInMemoryGenome.randomDna(10_000, g);
        // an N stretch in the middle of chrA and soft-masked lowercase in chrB
        a = a.substring(0, 4000) + "N".repeat(500) + a.substring(4500);
        String b = TestDoubleInMemoryGenome.randomDna(5_000, g).toLowerCase();
        return new TestDoubleInMemoryGenome("mem:test").add("chrA", a).add("chrB", b);
    }

    @Test
    void trainingWindowsNeverTouchHeldOutTail() {
        TestDoubleInMemoryGenome g = genome();
        PretrainingWindows w = new PretrainingWindows(List.of(g), 200, PretrainingWindows.HeldOut.lastFraction(0.1), PretrainingWindows.NPolicy.SKIP_ANY);
        assertEquals(List.of(new PretrainingWindows.Region(0, "chrA", 0, 9000), new PretrainingWindows.Region(0, "chrB", 0, 4500)), w.trainRegions());
        assertEquals(List.of(new PretrainingWindows.Region(0, "chrA", 9000, 10_000), new PretrainingWindows.Region(0, "chrB", 4500, 5000)), w.heldOutRegions());
        Generator gen = new Generator(1);
        int reverse = 0, chrB = 0, n = 4000;
        for (PretrainingWindows.Window x : w.next(n, gen)) {
            assertEquals(200, x.sequence().length());
            int cut = x.contig().equals("chrA") ? 9000 : 4500;
            assertTrue(x.start() >= 0 && x.end() <= cut, x.toString());
            for (PretrainingWindows.Region h : w.heldOutRegions()) assertFalse(x.region().overlaps(h));
            assertFalse(x.sequence().toUpperCase().contains("N"), "N windows are skipped");
            String fwd = g.fetch(x.contig(), x.start(), x.end());
            assertEquals(x.reverse() ? Bases.reverseComplement(fwd) : fwd, x.sequence());
            if (x.reverse()) reverse++;
            if (x.contig().equals("chrB")) chrB++;
        }
        assertEquals(0.5, (double) reverse / n, 0.03);
        // starts are uniform over valid starts: chrB offers 4301 of (8801 − N-overlapping) + 4301
        double validA = 8801 - 699, validB = 4301;
        assertEquals(validB / (validA + validB), (double) chrB / n, 0.03);
    }

    @Test
    void shardsSplitTheTrainingStartsBetweenThemEachStartInExactlyOne() {
        PretrainingWindows w = new PretrainingWindows(List.of(genome()), 200, PretrainingWindows.HeldOut.lastFraction(0.1), PretrainingWindows.NPolicy.SKIP_ANY);
        int count = 3;
        java.util.Map<String, Integer> owner = new java.util.HashMap<>();
        long starts = 0;
        for (int s = 0; s < count; s++) {
            PretrainingWindows shard = w.shard(s, count);
            assertEquals(w.heldOutRegions(), shard.heldOutRegions(), "validation is the same in every shard");
            long own = 0;
            for (PretrainingWindows.Region r : shard.trainRegions()) {
                for (int start = r.start(); start + 200 <= r.end(); start++) {
                    assertEquals(null, owner.put(r.contig() + ":" + start, s), "start " + r.contig() + ":" + start + " in two shards");
                    own++;
                }
            }
            starts += own;
            assertEquals((8801 + 4301) / 3.0, own, 1.0, "shards are equal slices");
            for (PretrainingWindows.Window x : shard.next(300, new Generator(s))) {   // drawn from the shard's own DNA only
                assertEquals(s, owner.get(x.contig() + ":" + x.start()));
            }
        }
        assertEquals(8801 + 4301, starts, "together the shards hold every start of the whole");
        assertThrows(IllegalArgumentException.class, () -> w.shard(3, 3));
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class, () -> w.shard(0, 20_000));
        assertTrue(tooMany.getMessage().contains("13102 window starts"), tooMany.getMessage());
    }

    @Test
    void reverseComplementKeepsCaseAndIupac() {
        assertEquals("acgtN", Bases.reverseComplement("Nacgt"));
        assertEquals("NYRMKSWBVDH", Bases.reverseComplement("DHBVWSMKYRN").replace("n", "N"));
    }

    @Test
    void keepPolicyKeepsNWindows() {
        PretrainingWindows w = new PretrainingWindows(List.of(genome()), 200, PretrainingWindows.HeldOut.none(), PretrainingWindows.NPolicy.KEEP);
        boolean sawN = false;
        for (PretrainingWindows.Window x : w.next(2000, new Generator(2))) sawN |= x.sequence().contains("N");
        assertTrue(sawN);
        PretrainingWindows half = new PretrainingWindows(List.of(genome()), 200, PretrainingWindows.HeldOut.none(), new PretrainingWindows.NPolicy(0.5));
        for (PretrainingWindows.Window x : half.next(2000, new Generator(2))) {
            assertTrue(x.sequence().chars().filter(c -> c == 'N').count() <= 100);
        }
    }

    @Test
    void reproducibleAndResumableFromGeneratorState() {
        PretrainingWindows w = new PretrainingWindows(List.of(genome()), 100, PretrainingWindows.HeldOut.lastFraction(0.2), PretrainingWindows.NPolicy.SKIP_ANY);
        Generator g = new Generator(77);
        List<PretrainingWindows.Window> first = w.next(50, g);
        long state = g.state();
        List<PretrainingWindows.Window> second = w.next(50, g);
        Generator again = new Generator(77);
        assertEquals(first, w.next(50, again));
        Generator resumed = new Generator(77);
        resumed.setState(state);
        assertEquals(second, w.next(50, resumed));
        assertFalse(first.equals(second));
        assertFalse(first.equals(w.next(50, new Generator(78))));
    }

    @Test
    void heldOutContigsAndValidationTiles() {
        TestDoubleInMemoryGenome g = genome();
        PretrainingWindows w = new PretrainingWindows(List.of(g, g), 300, PretrainingWindows.HeldOut.contigs(Set.of("chrB")), PretrainingWindows.NPolicy.SKIP_ANY);
        for (PretrainingWindows.Window x : w.next(500, new Generator(3))) assertEquals("chrA", x.contig());
        List<PretrainingWindows.Window> val = w.validationWindows(1000);
        assertEquals(2 * (5000 / 300), val.size()); // chrB of both genomes, 16 tiles each
        for (int i = 1; i < val.size(); i++) {
            PretrainingWindows.Window a = val.get(i - 1), b = val.get(i);
            assertFalse(a.region().overlaps(b.region()));
            assertFalse(b.reverse());
        }
        assertEquals(5, w.validationWindows(5).size());
        PretrainingWindows tail = new PretrainingWindows(List.of(g), 300, PretrainingWindows.HeldOut.lastFraction(0.5), PretrainingWindows.NPolicy.SKIP_ANY);
        // chrA's held-out half [5000, 10000) holds no N; 16 tiles; chrB [2500, 5000): 8 tiles
        assertEquals(16 + 8, tail.validationWindows(1000).size());
    }

    @Test
    void trainingOnlyGenomeKeepsNoHeldOutPartAndIsDrawnWhole() {
        TestDoubleInMemoryGenome genome = genome();
        // short records, like a task's 300-bp training sequences: a tenth held out would leave no room
        TestDoubleInMemoryGenome task = new TestDoubleInMemoryGenome("mem:task");
        Generator g = new Generator(5);
        for (int i = 0; i < 20; i++) task.add("row" + i, TestDoubleInMemoryGenome.randomDna(300, g));
        PretrainingWindows w = new PretrainingWindows(List.of(genome, task), 250,
                List.of(PretrainingWindows.HeldOut.lastFraction(0.1), PretrainingWindows.HeldOut.none()), PretrainingWindows.NPolicy.SKIP_ANY, 0.5);
        assertEquals(2 + 20, w.trainRegions().size());
        for (PretrainingWindows.Region r : w.trainRegions()) if (r.genome() == 1) assertEquals(300, r.length());
        assertEquals(List.of(new PretrainingWindows.Region(0, "chrA", 9000, 10_000), new PretrainingWindows.Region(0, "chrB", 4500, 5000)), w.heldOutRegions());
        int lastBaseSeen = 0, fromTask = 0;
        for (PretrainingWindows.Window x : w.next(3000, new Generator(6))) {
            if (x.genome() != 1) continue;
            fromTask++;
            if (x.end() == 300) lastBaseSeen++;
        }
        // 20 × 51 starts of 8002 + 4251 + 1020 valid ones (chrA: 8751 less 749 that touch N); the last start of a record ends at its last base
        assertEquals(1020.0 / (8002 + 4251 + 1020), fromTask / 3000.0, 0.03);
        assertTrue(lastBaseSeen > 0, "training-only records are used to their last base");
        for (PretrainingWindows.Window x : w.validationWindows(100)) assertEquals(0, x.genome());
        assertThrows(IllegalArgumentException.class, () -> new PretrainingWindows(List.of(genome, task), 250,
                List.of(PretrainingWindows.HeldOut.none()), PretrainingWindows.NPolicy.KEEP, 0.5));
    }

    @Test
    void errors() {
        TestDoubleInMemoryGenome g = genome();
        assertThrows(IllegalArgumentException.class, () -> new PretrainingWindows(List.of(g), 20_000, PretrainingWindows.HeldOut.none(), PretrainingWindows.NPolicy.KEEP));
        assertThrows(IllegalArgumentException.class, () -> new PretrainingWindows(List.of(g), 100, PretrainingWindows.HeldOut.contigs(Set.of("chrZ")), PretrainingWindows.NPolicy.KEEP));
        assertThrows(IllegalArgumentException.class, () -> PretrainingWindows.HeldOut.lastFraction(1.0));
        TestDoubleInMemoryGenome allN = new TestDoubleInMemoryGenome("mem:n").add("chrN", "N".repeat(1000));
        PretrainingWindows w = new PretrainingWindows(List.of(allN), 100, PretrainingWindows.HeldOut.none(), PretrainingWindows.NPolicy.SKIP_ANY);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.next(new Generator(1)));
        assertTrue(e.getMessage().contains("mem:n"), e.getMessage());
    }
}
