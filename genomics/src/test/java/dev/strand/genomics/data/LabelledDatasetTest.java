package dev.strand.genomics.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.RandomDna;
import dev.strand.genomics.io.Bases;
import dev.strand.genomics.io.GenomicsFormatException;
import dev.strand.genomics.data.LabelledDataset.Batching;
import dev.strand.genomics.data.LabelledDataset.Task;
import dev.strand.genomics.data.LabelledDataset.Truncation;
import dev.strand.tensor.DType;
import dev.strand.tensor.Generator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelledDatasetTest {
    @TempDir
    Path dir;

    private final TestDoubleNucleotideTokenizer tok = new TestDoubleNucleotideTokenizer();

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void readsGueCsvAndBatchesWithPadding() throws IOException {
        Path f = write("train.csv", "sequence,label\nACGT,1\nAC,0\n\nacgtNA,2\n");
        LabelledDataset d = LabelledDataset.read(f, Task.CLASSIFICATION);
        assertEquals(3, d.size());
        assertEquals(3, d.numClasses());
        assertEquals(5, d.row(2).line()); // header 1, rows 2 and 3, blank 4
        assertArrayEquals(new int[] {1, 0, 2}, d.classLabels());
        Batch b = d.batch(0, 3, tok, Batching.longest());
        assertArrayEquals(new int[] {3, 8}, b.ids().shape()); // [CLS] acgtNA [SEP] = 8
        assertEquals(DType.INT32, b.ids().dtype());
        assertArrayEquals(new int[] {2, 5, 6, 7, 8, 3, 0, 0, 2, 5, 6, 3, 0, 0, 0, 0, 2, 5, 6, 7, 8, 9, 5, 3}, b.ids().toIntArray());
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0}, b.padding().toFloatArray());
        assertEquals(DType.INT32, b.labels().dtype());
        assertArrayEquals(new int[] {1, 0, 2}, b.labels().toIntArray());
    }

    @Test
    void readsTsvRegressionWithSeveralTargets() throws IOException {
        Path f = write("expr.tsv", "y1\tsequence\ty2\n0.5\tACG\t-1e-3\n2\tTTTT\t3.25\n");
        LabelledDataset d = LabelledDataset.read(f, Task.REGRESSION);
        assertEquals(List.of("y1", "y2"), d.labelNames());
        assertEquals(2, d.numClasses());
        Batch b = d.batch(0, 2, tok, Batching.longest());
        assertEquals(DType.FLOAT32, b.labels().dtype());
        assertArrayEquals(new int[] {2, 2}, b.labels().shape());
        assertArrayEquals(new float[] {0.5f, -1e-3f, 2f, 3.25f}, b.labels().toFloatArray());
        assertArrayEquals(new int[] {2, 6}, b.ids().shape());
    }

    @Test
    void truncationKeepsSpecialsAndPadsToMax() throws IOException {
        LabelledDataset d = LabelledDataset.classification("mem", List.of("AACCGGTT", "AC"), new int[] {0, 1});
        // [CLS] A A C C G G T T [SEP] = 10 tokens; max 6 keeps 4 body tokens
        assertArrayEquals(new int[] {2, 5, 5, 6, 6, 3}, row0(d, new Batching(6, Truncation.RIGHT, false)));
        assertArrayEquals(new int[] {2, 7, 7, 8, 8, 3}, row0(d, new Batching(6, Truncation.LEFT, false)));
        assertArrayEquals(new int[] {2, 6, 6, 7, 7, 3}, row0(d, new Batching(6, Truncation.CENTER, false)));
        assertThrows(IllegalArgumentException.class, () -> row0(d, new Batching(6, Truncation.ERROR, false)));
        Batch b = d.batch(1, 2, tok, new Batching(12, Truncation.RIGHT, true));
        assertArrayEquals(new int[] {1, 12}, b.ids().shape());
        assertEquals(8f, sum(b.padding().toFloatArray()));
    }

    private int[] row0(LabelledDataset d, Batching b) {
        return d.batch(0, 1, tok, b).ids().toIntArray();
    }

    private static float sum(float[] a) {
        float s = 0;
        for (float x : a) s += x;
        return s;
    }

    @Test
    void malformedInputNamesFileAndLine() throws IOException {
        assertError(write("cols.csv", "sequence,label\nACGT,1\nACGT,1,7\n"), Task.CLASSIFICATION, 3, "3 columns");
        assertError(write("nan.csv", "sequence,label\nACGT,1\nACGT,yes\n"), Task.CLASSIFICATION, 3, "not a number");
        assertError(write("float.csv", "sequence,label\nACGT,1.5\n"), Task.CLASSIFICATION, 2, "not a non-negative integer");
        assertError(write("empty.csv", ""), Task.CLASSIFICATION, 1, "empty file");
        assertError(write("blank.csv", "\n\n"), Task.CLASSIFICATION, 2, "empty file");
        assertError(write("header.csv", "sequence,label\n"), Task.CLASSIFICATION, 1, "no data rows");
        assertError(write("noseq.csv", "seq,label\nACGT,1\n"), Task.CLASSIFICATION, 1, "no 'sequence' column");
        assertError(write("badseq.csv", "sequence,label\nAC GT,1\n"), Task.CLASSIFICATION, 2, "only letters");
        assertError(write("emptyseq.csv", "sequence,label\n,1\n"), Task.CLASSIFICATION, 2, "empty sequence");
        assertError(write("two.csv", "sequence,a,b\nACGT,1,2\n"), Task.CLASSIFICATION, 1, "exactly one label column");
        assertError(write("inf.tsv", "sequence\tlabel\nACGT\tNaN\n"), Task.REGRESSION, 2, "not finite");
        assertThrows(java.io.FileNotFoundException.class, () -> LabelledDataset.read(dir.resolve("missing.csv"), Task.CLASSIFICATION));
    }

    private static void assertError(Path f, Task task, int line, String what) {
        GenomicsFormatException e = assertThrows(GenomicsFormatException.class, () -> LabelledDataset.read(f, task));
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith(f + ", line " + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }

    @Test
    void deterministicSplitsPartitionTheRows() {
        List<String> seqs = new ArrayList<>();
        int[] labels = new int[1000];
        Generator g = new Generator(1);
        for (int i = 0; i < 1000; i++) {
            seqs.add(TestDoubleInMemoryGenome.randomDna(20, g));
            labels[i] = i % 2;
        }
        LabelledDataset d = LabelledDataset.classification("mem", seqs, labels);
        LabelledDataset.Splits s = d.split(0.8, 0.1, 42);
        assertEquals(800, s.train().size());
        assertEquals(100, s.dev().size());
        assertEquals(100, s.test().size());
        Set<String> all = new HashSet<>();
        for (LabelledDataset part : List.of(s.train(), s.dev(), s.test())) for (LabelledDataset.Row r : part.rows()) all.add(r.sequence());
        assertEquals(new HashSet<>(seqs), all);
        LabelledDataset.Splits again = d.split(0.8, 0.1, 42);
        assertEquals(s.test().rows(), again.test().rows());
        assertNotEquals(s.test().rows(), d.split(0.8, 0.1, 43).test().rows());
        assertThrows(IllegalArgumentException.class, () -> d.split(0.8, 0.3, 1));
    }

    @Test
    void givenSplitFilesAndShuffledBatches() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("gue"));
        Files.writeString(sub.resolve("train.csv"), "sequence,label\nA,0\nC,1\nG,0\nT,1\nAA,0\n");
        Files.writeString(sub.resolve("dev.csv"), "sequence,label\nAC,1\n");
        Files.writeString(sub.resolve("test.csv"), "sequence,label\nGT,0\n");
        LabelledDataset.Splits s = LabelledDataset.readDirectory(sub, Task.CLASSIFICATION);
        assertEquals(5, s.train().size());
        assertEquals(1, s.dev().size());
        assertEquals(1, s.test().size());
        int rows = 0, batches = 0;
        for (Batch b : s.train().batches(2, tok, Batching.longest(), new Generator(5))) {
            rows += b.size();
            batches++;
        }
        assertEquals(5, rows);
        assertEquals(3, batches);
        List<Integer> order1 = firstIds(s.train(), 5), order2 = firstIds(s.train(), 5);
        assertEquals(order1, order2);
        Files.writeString(sub.resolve("bad.csv"), "sequence,y\nGT,0\n");
        assertThrows(IOException.class, () -> LabelledDataset.readSplits(sub.resolve("train.csv"), null, sub.resolve("bad.csv"), Task.CLASSIFICATION));
    }

    private List<Integer> firstIds(LabelledDataset d, long seed) {
        List<Integer> out = new ArrayList<>();
        for (Batch b : d.batches(1, tok, Batching.longest(), new Generator(seed))) out.add(b.ids().toIntArray()[1]);
        return out;
    }

    @Test
    void writeThenReadRoundTrips() throws IOException {
        LabelledDataset d = LabelledDataset.classification("mem", List.of("ACGT", "GGCC"), new int[] {1, 0});
        Path f = dir.resolve("out/rt.csv");
        d.write(f);
        assertEquals("sequence,label\nACGT,1\nGGCC,0\n", Files.readString(f).replace(System.lineSeparator(), "\n"));
        assertArrayEquals(new int[] {1, 0}, LabelledDataset.read(f, Task.CLASSIFICATION).classLabels());
    }

    @Test
    void randomStrandsReverseComplementAboutHalfTheRowsAndKeepTheirLabels() {
        List<String> seqs = new ArrayList<>();
        int[] labels = new int[400];
        Random rng = new Random(5);
        for (int i = 0; i < labels.length; i++) {
            seqs.add(RandomDna.random(12, rng));
            labels[i] = i % 3 == 0 ? 1 : 0;
        }
        LabelledDataset d = LabelledDataset.classification("rows", seqs, labels);
        LabelledDataset once = d.withRandomStrands(new Generator(9));
        int flipped = 0;
        for (int i = 0; i < d.size(); i++) {
            String s = d.row(i).sequence(), t = once.row(i).sequence();
            assertTrue(t.equals(s) || t.equals(Bases.reverseComplement(s)), t + " is neither strand of " + s);
            if (!t.equals(s)) flipped++;
            assertEquals(d.row(i).classLabel(), once.row(i).classLabel());
            assertEquals(d.row(i).line(), once.row(i).line());
        }
        assertTrue(flipped > 160 && flipped < 240, "about half of 400 rows flipped, got " + flipped);
        assertEquals(rowsOf(once), rowsOf(d.withRandomStrands(new Generator(9))), "the strands come from the generator");
        assertNotEquals(rowsOf(once), rowsOf(once.withRandomStrands(new Generator(10))));
    }

    private static List<String> rowsOf(LabelledDataset d) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) out.add(d.row(i).sequence());
        return out;
    }
}
