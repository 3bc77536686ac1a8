package dev.strand.genomics.hub;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strand.nn.checkpoint.SafeTensors;
import dev.strand.nn.checkpoint.TorchStateDict;
import dev.strand.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The weights of a Hugging Face model directory, in either form the field ships: {@code
 * model.safetensors}, or {@code pytorch_model.bin} (a zip of a pickle, read by
 * {@link TorchStateDict}'s restricted unpickler, which refuses any global a state dict does not
 * need and never runs code), each possibly sharded with an {@code .index.json}. Safetensors is
 * preferred when both are there.
 */
public final class HubWeights {
    static final List<String> FILES = List.of("model.safetensors", "pytorch_model.bin");

    private HubWeights() {}

    /**
     * @param files the weight files read, in order
     * @param tensors name → tensor, every file's together
     */
    public record Loaded(List<Path> files, Map<String, Tensor> tensors) {}

    /** The weight file (or index) {@link #read} would read in {@code dir}, or an error listing what it looked for. */
    public static Path find(Path dir) {
        for (String name : FILES) {
            for (Path p : List.of(dir.resolve(name), dir.resolve(name + ".index.json"))) {
                if (Files.isRegularFile(p)) return p;
            }
        }
        throw new IllegalArgumentException(dir + " has no weights: expected model.safetensors or pytorch_model.bin (or their sharded .index.json)");
    }

    /** Reads the weights of {@code dir}. */
    public static Loaded read(Path dir) throws IOException {
        return readFile(find(dir));
    }

    /** Reads one weight file, or every shard an {@code .index.json} lists. */
    public static Loaded readFile(Path file) throws IOException {
        if (!file.getFileName().toString().endsWith(".index.json")) return new Loaded(List.of(file), one(file));
        Map<String, Tensor> all = new LinkedHashMap<>();
        List<Path> shards = new ArrayList<>();
        for (String shard : shards(file)) {
            Path p = file.resolveSibling(shard);
            if (!Files.isRegularFile(p)) throw new IllegalArgumentException(file + " lists the shard " + shard + ", which is not there");
            shards.add(p);
            all.putAll(one(p));
        }
        return new Loaded(shards, all);
    }

    private static Map<String, Tensor> one(Path file) throws IOException {
        return file.getFileName().toString().endsWith(".safetensors") ? SafeTensors.read(file).tensors() : TorchStateDict.read(file);
    }

    /** The shard files of an index's {@code weight_map}, in first-use order. */
    private static Set<String> shards(Path index) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(index));
        } catch (JacksonException e) {
            throw new IllegalArgumentException(index + " is not JSON: " + e.getOriginalMessage());
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject()) throw new IllegalArgumentException(index + " has no \"weight_map\" object");
        Set<String> out = new LinkedHashSet<>();
        for (Iterator<JsonNode> it = map.elements(); it.hasNext(); ) {
            JsonNode v = it.next();
            if (!v.isTextual() || v.asText().contains("/") || v.asText().contains("\\")) {
                throw new IllegalArgumentException(index + ": \"weight_map\" holds " + v + ", not a file name beside it");
            }
            out.add(v.asText());
        }
        return out;
    }
}
