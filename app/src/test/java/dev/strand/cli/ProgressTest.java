package dev.strand.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressTest {
    @Test
    void barShowsStepMetricsRateAndEta() {
        ProgressBar bar = new ProgressBar("pretrain", 1000, "tok/s", new PrintStream(new ByteArrayOutputStream()));
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", 1.8421);
        String line = bar.render(250, 780_000, m, 100);
        assertEquals("pretrain [#####---------------]  250/1000  loss 1.842  7,800 tok/s  ETA 5m 00s", line);
        assertTrue(bar.render(1000, 10, Map.of(), 3725).endsWith("done in 1h 02m"));
        assertEquals("14s", ProgressBar.duration(14.2));
        // resumed at step 800 of 1000 with 800 units done: 100 more steps in 50 s leave 100 steps, 50 s, at 2 units/s
        String resumed = bar.render(900, 900, Map.of(), 50, 800, 800);
        assertTrue(resumed.endsWith("  2 tok/s  ETA 50s"), resumed);
    }

    @Test
    void metricsAreJsonLinesAppendedAcrossRuns(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("runs/metrics.jsonl");
        try (MetricsLog log = new MetricsLog(f)) {
            log.log(1, "train", Map.of("loss", 2.5));
        }
        try (MetricsLog log = new MetricsLog(f)) {
            log.log(2, "valid", Map.of("bits_per_base", 1.9));
        }
        List<String> lines = Files.readAllLines(f);
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).startsWith("{\"step\":1,\"split\":\"train\"") && lines.get(0).contains("\"loss\":2.5"), lines.get(0));
        assertTrue(lines.get(1).contains("\"bits_per_base\":1.9"), lines.get(1));
    }
}
