package dev.strand.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.io.FastaReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * attention end to end with a tiny masked LM pretrained here on phage lambda (2 layers × 2 heads, learned positions,
 * windows of 48 bases, so at most 50 tokens): PNGs decode at the sizes their layout gives, TSVs
 * parse and agree with the sequence, motif finding writes its tables, bad input fails in one line.
 */
class AttentionCommandTest {
    @TempDir
    static Path dir;
    static Path run;
    static String lambda;

    @BeforeAll
    static void pretrainATinyModel() throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path fasta = Path.of(AttentionCommandTest.class.getResource("/lambda_virus.fa").toURI());
        lambda = FastaReader.readAll(fasta).get(0).sequence();
        run = dir.resolve("run");
        String[] out = new String[1];
        int code = quietly(out, () -> Main.run("pretrain", "--fasta", fasta.toString(), "--out", run.toString(), "--steps", "2", "--batch", "2",
                "--window", "48", "--dim", "16", "--layers", "2", "--heads", "2", "--eval-every", "2", "--checkpoint-every", "2", "--positions", "LEARNED"));
        assertEquals(0, code, out[0]);
    }

    /** Runs with stdout and stderr captured into {@code text[0]}; returns the exit code. */
    static int quietly(String[] text, java.util.function.IntSupplier body) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buf, true);
        System.setOut(capture);
        System.setErr(capture);
        try {
            return body.getAsInt();
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            text[0] = buf.toString();
        }
    }

    static String[] args(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("attention", "--model", run.toString(), "--out", out.toString()));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    @Test
    void oneSequenceGivesHeatmapsAGridAndAScoreTrack() throws Exception {
        Path out = dir.resolve("one");
        String seq = lambda.substring(1000, 1040);
        String[] text = new String[1];
        assertEquals(0, quietly(text, () -> Main.run(args(out, "--sequence", seq))), text[0]);
        assertTrue(text[0].contains("sequence: 40 bases, 42 tokens"), text[0]);
        Path d = out.resolve("sequence");

        // 42 tokens: 21-px cells, a 47-px label margin ("[CLS]"), 30 px of title: 30 + 47 + 42·21 + 20 high
        for (int l = 1; l <= 2; l++) {
            for (int h = 1; h <= 2; h++) {
                BufferedImage img = ImageIO.read(d.resolve("layer" + l + "_head" + h + ".png").toFile());
                assertEquals(979, img.getHeight());
                assertTrue(img.getWidth() >= 51 + 42 * 21 + 90, "cells, labels and colour bar fit: " + img.getWidth());
            }
        }
        BufferedImage grid = ImageIO.read(d.resolve("all_heads.png").toFile());
        assertEquals(48 + 2 * (220 + 8) + 20, grid.getHeight(), "2 layers of 220-px panels");
        assertTrue(grid.getWidth() >= 60 + 2 * (220 + 8) + 60);
        BufferedImage track = ImageIO.read(d.resolve("scores.png").toFile());
        assertEquals(64 + 480 + 24, track.getWidth());
        assertEquals(40 + 220 + 56, track.getHeight());

        List<String> rows = Files.readAllLines(d.resolve("scores.tsv"));
        assertEquals("position\tbase\tscore", rows.get(0));
        assertEquals(41, rows.size());
        double squares = 0;
        for (int b = 0; b < 40; b++) {
            String[] f = rows.get(b + 1).split("\t");
            assertEquals(b + 1, Integer.parseInt(f[0]));
            assertEquals(String.valueOf(seq.charAt(b)), f[1]);
            double score = Double.parseDouble(f[2]);
            assertTrue(score > 0, "every base is covered and attended a little");
            squares += score * score;
        }
        assertEquals(1.0, squares, 1e-4, "normalised to unit length");
        List<String> regions = Files.readAllLines(d.resolve("regions.tsv"));
        assertEquals("start\tend\tbases\tmean_score", regions.get(0));
        for (String r : regions.subList(1, regions.size())) {
            String[] f = r.split("\t");
            int start = Integer.parseInt(f[0]), end = Integer.parseInt(f[1]);
            assertTrue(end - start + 1 >= 5);
            assertEquals(seq.substring(start - 1, end), f[2]);
        }
    }

    @Test
    void aFastaIsCutAtMaxAndRecordsGetTheirOwnDirectories() throws Exception {
        Path fa = dir.resolve("three.fa");
        Files.writeString(fa, ">a x\n" + lambda.substring(0, 30) + "\n>a\n" + lambda.substring(30, 60) + "\n>c\n" + lambda.substring(60, 90) + "\n");
        Path out = dir.resolve("fasta");
        String[] text = new String[1];
        assertEquals(0, quietly(text, () -> Main.run(args(out, "--fasta", fa.toString(), "--max", "2", "--no-heatmaps"))), text[0]);
        assertTrue(Files.exists(out.resolve("a/all_heads.png")) && Files.exists(out.resolve("a_2/scores.tsv")), "repeated names stay apart");
        assertFalse(Files.exists(out.resolve("c")), "--max 2");
        assertFalse(Files.exists(out.resolve("a/layer1_head1.png")), "--no-heatmaps");
    }

    @Test
    void motifFindingWritesTablesThatAgreeWithTheSequences() throws Exception {
        Random rng = new Random(3);
        StringBuilder pos = new StringBuilder(), neg = new StringBuilder(), tsv = new StringBuilder("sequence\tlabel\n");
        List<String> positives = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int at = rng.nextInt(lambda.length() - 100);
            String p = lambda.substring(at, at + 20) + "TATAAAAG" + lambda.substring(at + 28, at + 48);
            String n = lambda.substring(at + 50, at + 98);
            positives.add(p);
            pos.append(">p").append(i).append('\n').append(p).append('\n');
            neg.append(">n").append(i).append('\n').append(n).append('\n');
            tsv.append(p).append("\t1\n").append(n).append("\t0\n");
        }
        Files.writeString(dir.resolve("pos.fa"), pos);
        Files.writeString(dir.resolve("neg.fa"), neg);
        Files.writeString(dir.resolve("labelled.tsv"), tsv);
        Path out = dir.resolve("motifs");
        String[] text = new String[1];
        assertEquals(0, quietly(text, () -> Main.run(args(out, "--positives", dir.resolve("pos.fa").toString(), "--negatives", dir.resolve("neg.fa").toString(),
                "--fdr", "0.5", "--min-instances", "1", "--min-length", "3", "--times-minimum", "1"))), text[0]);
        assertTrue(text[0].contains("in 12 positives against 12 negatives"), text[0]);

        List<String> motifs = Files.readAllLines(out.resolve("motifs.tsv"));
        assertEquals("motif\tinstances\tpositives\tnegatives\tp\tq\tmerged", motifs.get(0));
        for (String m : motifs.subList(1, motifs.size())) {
            String[] f = m.split("\t");
            assertEquals(7, f.length, m);
            assertTrue(f[0].matches("[ACGTN]{3,}"), m);
            int inPositives = (int) positives.stream().filter(p -> p.contains(f[0])).count();
            assertEquals(inPositives, Integer.parseInt(f[2]), m);
            double p = Double.parseDouble(f[4]), q = Double.parseDouble(f[5]);
            assertTrue(p >= 0 && p <= q && q < 0.5, m);
        }
        List<String> regions = Files.readAllLines(out.resolve("motif_regions.tsv"));
        assertEquals("sequence\tstart\tend\tbases\tmean_score\tmotif", regions.get(0));
        assertTrue(regions.size() > 1, "a track always has bases above its mean");
        for (String r : regions.subList(1, regions.size())) {
            String[] f = r.split("\t");
            String p = positives.get(Integer.parseInt(f[0].substring(1)));
            assertEquals(p.substring(Integer.parseInt(f[1]) - 1, Integer.parseInt(f[2])), f[3], r);
        }

        Path fromTsv = dir.resolve("motifs-tsv");
        assertEquals(0, quietly(text, () -> Main.run(args(fromTsv, "--labelled", dir.resolve("labelled.tsv").toString(), "--min-length", "3",
                "--times-minimum", "1"))), text[0]);
        assertEquals(regions.size(), Files.readAllLines(fromTsv.resolve("motif_regions.tsv")).size(), "the same sequences from a labelled table");
    }

    @Test
    void badInputFailsWithOneClearLine() {
        String ok = lambda.substring(0, 40);
        assertFails("no model at", "attention", "--model", dir.resolve("missing").toString(), "--sequence", ok);
        assertFails("this model takes at most 50 tokens", args(dir.resolve("e1"), "--sequence", lambda.substring(0, 60)));
        assertFails("sequence has 'X' at base 5; only A, C, G, T and N are allowed", args(dir.resolve("e2"), "--sequence", "ACGTXACGT"));
        assertFails("not both", args(dir.resolve("e3"), "--sequence", ok, "--fasta", "x.fa"));
        assertFails("needs both --positives and --negatives", args(dir.resolve("e4"), "--positives", "x.fa"));
        assertFails("nothing to do", args(dir.resolve("e5")));
        assertFails("--layer must be 1 to 2", args(dir.resolve("e6"), "--sequence", ok, "--layer", "3"));
    }

    @Test
    void aCausalModelHasNoEncoderToRead() {
        Path causal = dir.resolve("causal");
        String[] text = new String[1];
        assertEquals(0, quietly(text, () -> Main.run("pretrain", "--fasta", CliRun.resource("lambda_virus.fa").toString(), "--objective", "causal",
                "--out", causal.toString(), "--steps", "1", "--batch", "2", "--window", "32", "--dim", "16", "--layers", "1", "--heads", "2",
                "--eval-every", "0")), text[0]);
        assertFails("holds a causal model; this needs a mlm one", "attention", "--model", causal.toString(), "--sequence", lambda.substring(0, 20),
                "--out", dir.resolve("e7").toString());
    }

    private static void assertFails(String message, String... args) {
        String[] text = new String[1];
        int code = quietly(text, () -> Main.run(args));
        assertEquals(1, code, text[0]);
        String err = text[0].strip();
        assertTrue(err.startsWith("strand: ") && err.contains(message) && !err.contains("\n"), err);
    }
}
