package dev.strand.cli;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
