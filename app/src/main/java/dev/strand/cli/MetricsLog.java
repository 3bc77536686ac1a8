package dev.strand.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.strand.nn.checkpoint.AtomicFiles;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Metrics a person can plot: one JSON object per line ({@code {"step": 10, "split": "train",
 * "loss": 1.84, …}}), flushed as written. Appends, so a resumed run continues the same file.
 */
public final class MetricsLog implements AutoCloseable {
    private static final JsonMapper JSON = new JsonMapper();
    private final BufferedWriter out;

    public MetricsLog(Path file) {
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open metrics file " + file, e);
        }
    }

    /**
     * Removes the records of steps after {@code step} from a metrics file (atomically): a resumed
     * run redoes them, and would otherwise log them twice. A missing file is left missing.
     */
    public static void dropAfter(Path file, int step) throws IOException {
        if (!Files.exists(file)) return;
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            JsonNode record;
            try {
                record = JSON.readTree(line);
            } catch (IOException e) {
                continue;   // a line torn by a kill mid-write
            }
            if (record.path("step").asInt(Integer.MAX_VALUE) <= step) kept.add(line);
        }
        AtomicFiles.write(file, (kept.isEmpty() ? "" : String.join("\n", kept) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Writes one record. */
    public void log(int step, String split, Map<String, ? extends Number> values) {
        ObjectNode o = JSON.createObjectNode();
        o.put("step", step);
        o.put("split", split);
        o.put("time", System.currentTimeMillis() / 1000.0);
        values.forEach((k, v) -> o.put(k, v.doubleValue()));
        try {
            out.write(JSON.writeValueAsString(o));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics", e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
