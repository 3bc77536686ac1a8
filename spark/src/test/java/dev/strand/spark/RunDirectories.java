package dev.strand.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strand.nn.checkpoint.SafeTensors;
import dev.strand.tensor.DType;
import dev.strand.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What two training runs left in their directories, compared: the losses of metrics.jsonl and the newest checkpoint. */
final class RunDirectories {
    private RunDirectories() {}

    static List<Double> losses(Path run) throws IOException {
        List<Double> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode n = json.readTree(line);
            if (n.path("split").asText().equals("train")) out.add(n.get("loss").asDouble());
        }
        return out;
    }

    static Map<String, Tensor> weights(Path run) throws IOException {
        return SafeTensors.read(run.resolve(Files.readString(run.resolve("latest")).strip()).resolve("model.safetensors")).tensors();
    }

    /** The same losses and the same checkpoint, bit for bit. */
    static void assertIdentical(Path expected, Path got) throws IOException {
        assertEquals(losses(expected), losses(got));
        Map<String, Tensor> a = weights(expected), b = weights(got);
        assertEquals(a.keySet(), b.keySet());
        a.forEach((name, t) -> {
            if (t.dtype() == DType.INT32) assertArrayEquals(t.toIntArray(), b.get(name).toIntArray(), name);   // a BigBird layout
            else assertArrayEquals(t.toFloatArray(), b.get(name).toFloatArray(), name);
        });
    }
}
