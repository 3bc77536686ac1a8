package dev.strand.genomics.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.data.TestDoubleInMemoryGenome;
import dev.strand.genomics.tasks.GeneStructure.Exon;
import dev.strand.tensor.Generator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpliceSiteTaskTest {
    /** Genes with canonical GT…AG introns planted into random DNA (AC…CT as seen on '+' for '−' genes). */
    static final class Planted {
        final StringBuilder dna;
        final List<GeneStructure> genes = new ArrayList<>();
        final Set<String> donors = new HashSet<>(), acceptors = new HashSet<>(); // "strand:junction"

        Planted(long seed, int length) {
            dna = new StringBuilder(TestDoubleInMemoryGenome.randomDna(length, new Generator(seed)));
        }

        GeneStructure gene(String id, char strand, int... bounds) {
            List<Exon> exons = new ArrayList<>();
            for (int i = 0; i < bounds.length; i += 2) exons.add(new Exon(bounds[i], bounds[i + 1]));
            for (int i = 1; i < exons.size(); i++) {
                int left = exons.get(i - 1).end(), right = exons.get(i).start();
                if (strand == '+') {
                    dna.replace(left, left + 2, "GT");
                    dna.replace(right - 2, right, "AG");
                    donors.add("+:" + left);
                    acceptors.add("+:" + right);
                } else {
                    dna.replace(right - 2, right, "AC");
                    dna.replace(left, left + 2, "CT");
                    donors.add("-:" + right);
                    acceptors.add("-:" + left);
                }
            }
            GeneStructure g = new GeneStructure(id, "chrS", strand, exons);
            genes.add(g);
            return g;
        }

        TestDoubleInMemoryGenome genome() {
            return new TestDoubleInMemoryGenome("mem:splice").add("chrS", dna.toString());
        }
    }

    private static Planted planted() {
        Planted p = new Planted(5, 60_000);
        p.gene("g1", '+', 1000, 1300, 1800, 2000, 2600, 3000);
        p.gene("g2", '-', 5000, 5200, 5700, 6100, 6400, 6500, 7000, 7300);
        p.gene("g3", '+', 10_000, 10_500, 11_000, 11_200);
        p.gene("g4", '-', 20_000, 20_300, 21_000, 21_400);
        p.gene("t1", '+', 40_000, 40_400, 40_900, 41_100, 41_500, 41_800);
        p.gene("t2", '-', 50_000, 50_250, 50_800, 51_000);
        return p;
    }

    @Test
    void threeClassRowsFromPlantedGenes() {
        Planted p = planted();
        TestDoubleInMemoryGenome genome = p.genome();
        TaskData d = SpliceSiteTask.build(genome, p.genes.subList(0, 4), p.genes.subList(4, 6), SpliceSiteTask.Config.defaults(SpliceSiteTask.Mode.THREE_CLASS, 1));
        System.out.println(d.summary());
        assertEquals(List.of("neither", "donor", "acceptor"), d.classNames());
        // introns: g1 2, g2 3, g3 1, g4 1 = 7 train; t1 2, t2 1 = 3 test
        int[] tr = d.labelCounts(d.train()), te = d.labelCounts(d.test());
        assertEquals(7, tr[SpliceSiteTask.DONOR]);
        assertEquals(7, tr[SpliceSiteTask.ACCEPTOR]);
        assertEquals(3, te[SpliceSiteTask.DONOR]);
        assertEquals(3, te[SpliceSiteTask.ACCEPTOR]);
        assertNull(d.counts().get("nonCanonicalDonors"));
        assertNull(d.counts().get("nonCanonicalAcceptors"));
        // negatives: round(0.5 · sites) of each kind per gene: g1 1+1, g2 2+2, g3 1+1 (round(0.5) = 1), g4 1+1
        assertEquals(10, tr[SpliceSiteTask.NEITHER]);
        List<TaskRow> all = new ArrayList<>(d.train());
        all.addAll(d.test());
        for (TaskRow r : all) {
            assertEquals(400, r.sequence().length());
            String fwd = genome.fetch("chrS", r.start(), r.end());
            assertEquals(r.strand() == '+' ? fwd : SequenceUtil.reverseComplement(fwd), r.sequence());
            int junction = r.start() + 200;
            String key = r.strand() + ":" + junction;
            switch (r.origin()) {
                case "donor" -> {
                    assertEquals("GT", r.sequence().substring(200, 202));
                    assertTrue(p.donors.contains(key));
                }
                case "acceptor" -> {
                    assertEquals("AG", r.sequence().substring(198, 200));
                    assertTrue(p.acceptors.contains(key));
                }
                case "gt" -> {
                    assertEquals(SpliceSiteTask.NEITHER, r.label());
                    assertEquals("GT", r.sequence().substring(200, 202));
                    assertFalse(p.donors.contains(key) || p.acceptors.contains(key));
                }
                case "ag" -> {
                    assertEquals(SpliceSiteTask.NEITHER, r.label());
                    assertEquals("AG", r.sequence().substring(198, 200));
                    assertFalse(p.donors.contains(key) || p.acceptors.contains(key));
                }
                default -> throw new AssertionError(r.origin());
            }
            // decoys lie inside their gene
            GeneStructure g = p.genes.stream().filter(x -> x.strand() == r.strand() && junction >= x.start() && junction <= x.end()).findFirst().orElseThrow();
            assertTrue(junction >= g.start() && junction <= g.end());
        }
        assertEquals(0, TaskData.overlapping(d.train(), d.test()));
        // reproducible
        assertEquals(d.train(), SpliceSiteTask.build(genome, p.genes.subList(0, 4), p.genes.subList(4, 6), SpliceSiteTask.Config.defaults(SpliceSiteTask.Mode.THREE_CLASS, 1)).train());
    }

    @Test
    void devRowsComeFromWholeHeldOutTrainGenes() {
        Planted p = planted();
        TaskData d = SpliceSiteTask.build(p.genome(), p.genes.subList(0, 4), p.genes.subList(4, 6),
                SpliceSiteTask.Config.defaults(SpliceSiteTask.Mode.THREE_CLASS, 1).withDevFraction(0.25));
        assertEquals(1L, d.counts().get("devGenes"));
        assertEquals(3L, d.counts().get("trainGenes"));
        assertFalse(d.dev().isEmpty());
        // every dev junction lies in one gene, and no train junction does
        List<GeneStructure> holding = new ArrayList<>();
        for (TaskRow r : d.dev()) {
            int junction = r.start() + 200;
            holding.add(p.genes.subList(0, 4).stream().filter(g -> g.strand() == r.strand() && junction >= g.start() && junction <= g.end()).findFirst().orElseThrow());
        }
        GeneStructure devGene = holding.get(0);
        assertTrue(holding.stream().allMatch(devGene::equals), "dev rows come from one gene");
        for (TaskRow r : d.train()) {
            int junction = r.start() + 200;
            assertFalse(r.strand() == devGene.strand() && junction >= devGene.start() && junction <= devGene.end(), r + " is in the dev gene");
        }
        assertEquals(0, TaskData.overlapping(d.dev(), d.train()));
        assertEquals(0, TaskData.overlapping(d.test(), d.dev()));
        assertEquals(d.test(), SpliceSiteTask.build(p.genome(), p.genes.subList(0, 4), p.genes.subList(4, 6),
                SpliceSiteTask.Config.defaults(SpliceSiteTask.Mode.THREE_CLASS, 1)).test(), "dev genes leave test as it is");
    }

    @Test
    void binaryDonorTaskAndNonCanonicalSites() {
        Planted p = planted();
        // break one donor: the first intron of g1 no longer starts with GT
        p.dna.replace(1300, 1302, "CC");
        TaskData d = SpliceSiteTask.build(p.genome(), p.genes.subList(0, 4), p.genes.subList(4, 6), SpliceSiteTask.Config.defaults(SpliceSiteTask.Mode.DONOR, 2));
        assertEquals(List.of("not-donor", "donor"), d.classNames());
        assertEquals(1L, d.counts().get("nonCanonicalDonors"));
        for (TaskRow r : d.train()) assertTrue(r.origin().equals("donor") || r.origin().equals("gt"), r.origin());
        int[] tr = d.labelCounts(d.train());
        assertEquals(7, tr[1]);
        assertEquals(7, tr[0]); // one decoy per donor
        TaskData a = SpliceSiteTask.build(p.genome(), p.genes.subList(0, 4), p.genes.subList(4, 6), SpliceSiteTask.Config.defaults(SpliceSiteTask.Mode.ACCEPTOR, 2));
        for (TaskRow r : a.test()) assertTrue(r.origin().equals("acceptor") || r.origin().equals("ag"), r.origin());
        assertEquals(3, a.labelCounts(a.test())[1]);
    }

    @Test
    void testRowsOverlappingTrainAreDroppedAndEdgesCounted() {
        Planted p = planted();
        GeneStructure g3 = p.genes.get(2);
        GeneStructure near = new GeneStructure("g3-again", g3.contig(), g3.strand(), g3.exons()); // a train gene listed again for test
        GeneStructure edge = p.gene("edge", '+', 10, 100, 300, 400);       // donor at 100: window runs off the contig
        TaskData d = SpliceSiteTask.build(p.genome(), p.genes.subList(0, 4), List.of(near, edge), SpliceSiteTask.Config.defaults(SpliceSiteTask.Mode.THREE_CLASS, 3));
        // g3-again's donor and acceptor rows are g3's train rows again; its decoys overlap if drawn near g3's rows
        assertTrue(d.counts().get("testRowsDroppedForOverlap") >= 2, d.counts().toString());
        for (TaskRow r : d.test()) assertFalse(r.origin().equals("donor") && r.start() + 200 == 10_500, "g3's donor is in train only");
        assertTrue(d.counts().get("windowsOffContig") > 0, d.counts().toString());
        assertEquals(0, TaskData.overlapping(d.train(), d.test()));
        d.assertNoOverlap();
    }

    @Test
    void testRowsRepeatingTrainSequencesAreDropped() {
        Planted p = planted();
        // a duplicated gene: g3's region copied 20 kb downstream, listed for test
        p.dna.replace(29_500, 31_700, p.dna.substring(9_500, 11_700));
        GeneStructure copy = new GeneStructure("g3-copy", "chrS", '+', List.of(new Exon(30_000, 30_500), new Exon(31_000, 31_200)));
        TaskData d = SpliceSiteTask.build(p.genome(), p.genes.subList(0, 4), List.of(copy), SpliceSiteTask.Config.defaults(SpliceSiteTask.Mode.THREE_CLASS, 4));
        assertTrue(d.counts().get("testRowsDroppedAsTrainDuplicate") >= 2, d.counts().toString());
        for (TaskRow r : d.test()) assertFalse(r.origin().equals("donor") || r.origin().equals("acceptor"), r.toString());
    }

    @Test
    void geneStructureValidation() {
        assertThrows(IllegalArgumentException.class, () -> new GeneStructure("x", "c", '.', List.of(new Exon(1, 2))));
        assertThrows(IllegalArgumentException.class, () -> new GeneStructure("x", "c", '+', List.of(new Exon(5, 9), new Exon(1, 2))));
        assertThrows(IllegalArgumentException.class, () -> new GeneStructure("x", "c", '+', List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Exon(4, 4));
    }
}
