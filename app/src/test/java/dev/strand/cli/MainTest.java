package dev.strand.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class MainTest {
    private static String captureOut(Runnable r) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            r.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString();
    }

    @Test
    void runningOutOfMemoryIsOneLineThatSaysWhatToChange(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        // A feed-forward weight of 4·23,000 × 23,000 floats (8.5 GB) cannot fit the tests' 4 GB heap.
        CliRun r = CliRun.of("pretrain", "--fasta", CliRun.resource("lambda_virus.fa").toString(), "--out", dir.resolve("big").toString(),
                "--steps", "1", "--batch", "1", "--window", "32", "--dim", "23000", "--layers", "1", "--heads", "1");
        assertEquals(1, r.exit());
        String line = r.errorLine();
        assertTrue(line.contains("out of memory") && line.contains("MiB") && line.contains("--dim") && line.contains("-Xmx"), line);
        assertFalse(r.err().contains("\tat "), r.err());
        // A weight too large for one Java array (50,000 × 50,000 floats) says which options size it.
        CliRun huge = CliRun.of("pretrain", "--fasta", CliRun.resource("lambda_virus.fa").toString(), "--out", dir.resolve("huge").toString(),
                "--steps", "1", "--batch", "1", "--window", "32", "--dim", "50000", "--layers", "1", "--heads", "1");
        assertEquals(1, huge.exit());
        assertTrue(huge.errorLine().contains("more than 2^31 elements") && huge.errorLine().contains("--dim"), huge.err());
    }

    @Test
    void infoReportsSimdAndThreads() {
        String out = captureOut(() -> assertEquals(0, Main.run("info")));
        assertTrue(out.contains("simd:") && out.contains("threads:"), out);
    }

    @Test
    void devicesListsTheCpu() {
        assertTrue(captureOut(() -> assertEquals(0, Main.run("devices"))).startsWith("cpu"));
    }

    @Test
    void explainAttentionWalksThroughTheExample() {
        String out = captureOut(() -> assertEquals(0, Main.run("explain-attention")));
        assertTrue(out.contains("softmax([14, 12]) = [0.881, 0.119]"), out);
        assertTrue(out.contains("8. Output weights·V"), out);
        String random = captureOut(() -> assertEquals(0, Main.run("explain-attention", "--tokens", "ACGT", "--dim", "3")));
        assertTrue(random.contains("key T"), random);
        assertNotEquals(0, Main.run("explain-attention", "--tokens", "ACGTACGTACGTACGT"));
    }

    @Test
    void tokenizeShowsTokensAndIds() {
        String nt = captureOut(() -> assertEquals(0, Main.run("tokenize", "--tokenizer", "nt6", "--specials", "ACGTGTACNTGCACGG")));
        assertTrue(nt.contains("<cls>") && nt.contains("ACGTGT(") && nt.contains("TGCACG("), nt);
        String kmer = captureOut(() -> assertEquals(0, Main.run("tokenize", "AAAAAAT")));
        assertTrue(kmer.contains("AAAAAA(5) AAAAAT(6)"), kmer);
        assertNotEquals(0, Main.run("tokenize", "--tokenizer", "kmer:x", "ACGT"));
    }

    @Test
    void unknownCommandFails() {
        assertNotEquals(0, Main.run("no-such-command"));
    }

    @Test
    void everyComputingCommandTakesADeviceAndRejectsAnUnknownOne() {
        for (String command : new String[] {"pretrain", "finetune", "evaluate", "generate", "score-variants", "attention", "quickstart"}) {
            String help = captureOut(() -> assertEquals(0, Main.run(command, "--help")));
            assertTrue(help.contains("--device=DEVICE"), command + " lists --device");
        }
        java.io.PrintStream old = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true));
        try {
            assertNotEquals(0, Main.run("pretrain", "--fasta", "x.fa", "--device", "tpu"));
        } finally {
            System.setErr(old);
        }
        assertTrue(err.toString().startsWith("strand: unknown device 'tpu'"), err.toString());
    }
}
