package dev.strand.genomics.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.data.TestDoubleInMemoryGenome;
import dev.strand.genomics.io.FastaRecord;
import dev.strand.tensor.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromoterTaskTest {
    private static final String TATA = "TATAAAAG";

    @Test
    void parsesUpstreamHeaders() {
        PromoterTask.UpstreamHeader f = PromoterTask.UpstreamHeader.parse(">NM_078863_up_2000_chr2L_16764737_f chr2L:16764737-16766736");
        assertEquals(new PromoterTask.UpstreamHeader("NM_078863_up_2000_chr2L_16764737_f", "chr2L", 16764736, 16766736, '+'), f);
        assertEquals(16766736, f.tss());
        PromoterTask.UpstreamHeader r = PromoterTask.UpstreamHeader.parse("NM_1_up_2000_chr2R_101_r chr2R:101-2100");
        assertEquals(100, r.start());
        assertEquals(2100, r.end());
        assertEquals('-', r.strand());
        assertEquals(99, r.tss());
        // a range starting before the contig (as two real records on chr3R do) is clipped at 0
        PromoterTask.UpstreamHeader clipped = PromoterTask.UpstreamHeader.parse("NM_164313_up_2000_chr3R_-1646_f chr3R:-1646-353");
        assertEquals(0, clipped.start());
        assertEquals(353, clipped.end());
        // without the range word, the name carries contig, start and length
        assertEquals(new PromoterTask.UpstreamHeader("NM_9_up_2000_chrX_11_f", "chrX", 10, 2010, '+'), PromoterTask.UpstreamHeader.parse("NM_9_up_2000_chrX_11_f"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PromoterTask.UpstreamHeader.parse("NM_9 chrX:1-2000"));
        assertTrue(e.getMessage().contains("NM_9"));
        assertThrows(IllegalArgumentException.class, () -> PromoterTask.UpstreamHeader.parse("NM_9_f chrX:5-2"));
    }

    /** A genome with planted TSSs (a TATA box 30 bp upstream of each) and the matching upstream records. */
    static final class Planted {
        final TestDoubleInMemoryGenome genome;
        final List<FastaRecord> records = new ArrayList<>();
        final List<int[]> tss = new ArrayList<>(); // {contig index, position, strand +1/-1}
        final String[] names = {"chrA", "chrB"};

        Planted(long seed) {
            Generator g = new Generator(seed);
            int[] lengths = {400_000, 300_000};
            int[] counts = {20, 15};
            StringBuilder[] seqs = new StringBuilder[2];
            for (int c = 0; c < 2; c++) {
                seqs[c] = new StringBuilder(TestDoubleInMemoryGenome.randomDna(lengths[c], g));
                List<Integer> used = new ArrayList<>();
                for (int i = 0; i < counts[c]; ) {
                    int t = 3000 + g.nextInt(lengths[c] - 6000);
                    boolean plus = g.nextInt(2) == 0;
                    if (used.stream().anyMatch(u -> Math.abs(u - t) < 2500)) continue;
                    used.add(t);
                    i++;
                    // TATA box 30 bp upstream on the transcript strand
                    if (plus) seqs[c].replace(t - 30, t - 30 + TATA.length(), TATA);
                    else seqs[c].replace(t + 31 - TATA.length(), t + 31, SequenceUtil.reverseComplement(TATA));
                    tss.add(new int[] {c, t, plus ? 1 : -1});
                }
            }
            genome = new TestDoubleInMemoryGenome("mem:planted").add("chrA", seqs[0].toString()).add("chrB", seqs[1].toString());
            int k = 0;
            for (int[] t : tss) {
                String contig = names[t[0]];
                String name, range;
                String seq;
                if (t[2] > 0) {
                    name = "NM_" + (k++) + "_up_2000_" + contig + "_" + (t[1] - 1999) + "_f";
                    range = contig + ":" + (t[1] - 1999) + "-" + t[1];
                    seq = genome.fetch(contig, t[1] - 2000, t[1]);
                } else {
                    name = "NM_" + (k++) + "_up_2000_" + contig + "_" + (t[1] + 2) + "_r";
                    range = contig + ":" + (t[1] + 2) + "-" + (t[1] + 2001);
                    seq = SequenceUtil.reverseComplement(genome.fetch(contig, t[1] + 1, t[1] + 2001));
                }
                records.add(new FastaRecord(name, range, seq.toLowerCase()));
            }
        }
    }

    @Test
    void buildsPositivesNegativesAndAPositionalSplit() {
        Planted p = new Planted(1);
        List<FastaRecord> recs = new ArrayList<>(p.records);
        FastaRecord first = p.records.get(0);
        recs.add(new FastaRecord(first.name().replace("NM_0_", "NM_dup_"), first.description(), first.sequence())); // alternative transcript, same TSS
        recs.add(new FastaRecord("NM_z_up_2000_chrZ_1_f", "chrZ:1-2000", "A".repeat(2000))); // contig not in the genome
        FastaRecord third = p.records.get(2);
        recs.add(new FastaRecord(third.name().replace("NM_2_", "NM_bad_"), third.description(), "c" + third.sequence().substring(1).replace('a', 'c'))); // does not match
        PromoterTask.Config cfg = PromoterTask.Config.defaults(7).withBlockSize(50_000);
        TaskData d = PromoterTask.build(p.genome, recs, cfg);
        System.out.println(d.summary());

        int n = p.tss.size();
        assertEquals((long) n, d.counts().get("positives"));
        assertEquals(1L, d.counts().get("positivesDuplicateTss"));
        assertEquals(1L, d.counts().get("positivesOtherContig"));
        assertEquals(1L, d.counts().get("positivesNotMatchingGenome"));
        assertEquals(14L, d.counts().get("blocks"));
        assertEquals(3L, d.counts().get("testBlocks"));
        assertEquals(1L, d.counts().get("devBlocks"));

        List<TaskRow> all = new ArrayList<>(d.train());
        all.addAll(d.dev());
        all.addAll(d.test());
        int positives = 0;
        for (TaskRow r : all) {
            assertEquals(300, r.sequence().length());
            assertEquals(r.sequence().toUpperCase(), r.sequence());
            String fwd = p.genome.fetch(r.contig(), r.start(), r.end());
            assertEquals(r.strand() == '+' ? fwd : SequenceUtil.reverseComplement(fwd), r.sequence());
            if (r.label() == PromoterTask.POSITIVE) {
                positives++;
                assertEquals(TATA, r.sequence().substring(270, 278), "planted TATA box 30 bp upstream of the TSS");
            } else {
                assertEquals("background", r.origin());
                for (int[] t : p.tss) {
                    if (!p.names[t[0]].equals(r.contig())) continue;
                    int dist = t[1] < r.start() ? r.start() - t[1] : t[1] > r.end() - 1 ? t[1] - (r.end() - 1) : 0;
                    assertTrue(dist > 3000, "background window " + r + " is " + dist + " from a TSS");
                }
            }
        }
        assertEquals(n, positives);
        int[] tr = d.labelCounts(d.train()), dv = d.labelCounts(d.dev()), te = d.labelCounts(d.test());
        assertEquals(tr[0], tr[1]);
        assertEquals(dv[0], dv[1]);
        assertEquals(te[0], te[1]);
        assertTrue(te[1] > 0 && dv[1] > 0 && tr[1] > te[1]);

        // no overlap between the splits, checked by brute force, and no block shared between them
        List<List<TaskRow>> splits = List.of(d.train(), d.dev(), d.test());
        List<Set<String>> blocks = new ArrayList<>();
        for (List<TaskRow> split : splits) {
            Set<String> b = new HashSet<>();
            for (TaskRow r : split) b.add(r.contig() + r.start() / 50_000);
            blocks.add(b);
        }
        for (int i = 0; i < 3; i++) {
            for (int j = i + 1; j < 3; j++) {
                for (TaskRow a : splits.get(i)) for (TaskRow b : splits.get(j)) assertTrue(!a.overlaps(b), a + " overlaps " + b);
                Set<String> shared = new HashSet<>(blocks.get(i));
                shared.retainAll(blocks.get(j));
                assertEquals(Set.of(), shared);
            }
        }

        // reproducible from the seed
        assertEquals(d.train(), PromoterTask.build(p.genome, recs, cfg).train());
        assertNotEquals(d.train(), PromoterTask.build(p.genome, recs, PromoterTask.Config.defaults(8).withBlockSize(50_000)).train());
        // the datasets carry the rows
        assertEquals(d.train().size(), d.trainDataset().size());
    }

    @Test
    void shuffledNegativesKeepCompositionAndEightChunks() {
        Planted p = new Planted(2);
        TaskData d = PromoterTask.build(p.genome, p.records, PromoterTask.Config.defaults(3).withBlockSize(50_000).withShuffledNegatives(true));
        List<TaskRow> all = new ArrayList<>(d.train());
        all.addAll(d.dev());
        all.addAll(d.test());
        int shuffled = 0;
        for (TaskRow s : all) {
            if (!s.origin().equals("shuffled")) continue;
            shuffled++;
            TaskRow pos = all.stream().filter(r -> r.label() == 1 && r.start() == s.start() && r.contig().equals(s.contig())).findFirst().orElseThrow();
            assertNotEquals(pos.sequence(), s.sequence());
            char[] a = pos.sequence().toCharArray(), b = s.sequence().toCharArray();
            Arrays.sort(a);
            Arrays.sort(b);
            assertTrue(Arrays.equals(a, b), "same composition");
            int same = 0;
            for (int i = 0; i < 20; i++) if (pos.sequence().substring(i * 15, i * 15 + 15).equals(s.sequence().substring(i * 15, i * 15 + 15))) same++;
            assertTrue(same >= 8, "at least the 8 unpicked chunks stay in place, got " + same);
            assertEquals(d.train().contains(s), d.train().contains(pos), "a shuffled negative stays in its positive's split");
        }
        assertEquals(p.tss.size(), shuffled);
    }

    @Test
    void shuffleChunksPermutesOnlyTwelveOfTwenty() {
        String s = "ABCDEFGHIJKLMNOPQRST";
        String out = PromoterTask.shuffleChunks(s, 20, 12, new Generator(4));
        int moved = 0;
        for (int i = 0; i < 20; i++) if (s.charAt(i) != out.charAt(i)) moved++;
        assertTrue(moved <= 12 && moved >= 2, "moved " + moved);
        char[] a = out.toCharArray();
        Arrays.sort(a);
        assertEquals(s, new String(a));
    }
}
