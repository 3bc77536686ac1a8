package dev.strand.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strand.genomics.metrics.TaskScores;
import dev.strand.nn.checkpoint.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Metrics files the commands write: a JSON object, pretty-printed, written atomically. */
final class ScoresJson {
    static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ScoresJson() {}

    /** A new object holding {@code scores}: {"kind": …, "n": …, "accuracy": …, …}. */
    static ObjectNode of(TaskScores scores) {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", scores.kind());
        o.put("n", scores.n());
        scores.values().forEach(o::put);
        return o;
    }

    /** Writes {@code o} to {@code file}, creating its directory. */
    static void write(Path file, ObjectNode o) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        AtomicFiles.write(file, JSON.writeValueAsBytes(o));
    }
}
