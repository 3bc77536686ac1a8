package dev.strand.nn.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.strand.nn.checkpoint.Checkpoint;
import dev.strand.nn.checkpoint.SafeTensors;
import dev.strand.nn.transformer.TransformerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz tests of what a checkpoint is read from: a safetensors file and a model's config.json. On
 * any bytes each may only return a result or throw an IOException (SafeTensorsFormatException for
 * safetensors) whose message names the file. In CI each replays its corpus from
 * {@code src/test/resources/dev/strand/nn/fuzz/CheckpointFuzzTestInputs/METHOD/}; with
 * {@code JAZZER_FUZZ=1} it fuzzes.
 */
class CheckpointFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void safetensors(byte[] input) {
        inTempDir((dir) -> {
            Path file = dir.resolve("model.safetensors");
            Files.write(file, input);
            try {
                SafeTensors.read(file);
            } catch (IOException e) {
                assertTrue(e.getMessage() != null && e.getMessage().contains("model.safetensors"), e.getMessage());
            }
        });
    }

    @FuzzTest(maxDuration = "10m")
    void configJson(byte[] input) {
        inTempDir((dir) -> {
            Files.write(dir.resolve("config.json"), input);
            try {
                Checkpoint.readConfig(dir, TransformerConfig.class);
            } catch (IOException e) {
                assertTrue(e.getMessage() != null && e.getMessage().contains("config.json"), e.getMessage());
            }
        });
    }

    @FunctionalInterface
    private interface InDir {
        void run(Path dir) throws IOException;
    }

    private static void inTempDir(InDir body) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("strand-fuzz");
            body.run(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                try (var paths = Files.walk(dir)) {
                    paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // a temp directory left behind is not the reader's fault
                }
            }
        }
    }
}
