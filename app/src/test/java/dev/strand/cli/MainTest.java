package dev.strand.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void infoReportsSimdAndThreads() {
        String out = captureOut(() -> assertEquals(0, Main.run("info")));
        assertTrue(out.contains("simd:") && out.contains("threads:"), out);
    }

    @Test
    void devicesListsTheCpu() {
        assertTrue(captureOut(() -> assertEquals(0, Main.run("devices"))).startsWith("cpu"));
    }

    @Test
    void unknownCommandFails() {
        assertNotEquals(0, Main.run("no-such-command"));
    }
}
