package dev.strand.nn.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strand.nn.Module;
import dev.strand.nn.optim.Optimizer;
import dev.strand.tensor.Generator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training run's checkpoints: {@code run/step-0000100/} holding {@code model.safetensors},
 * {@code config.json}, {@code optimizer.safetensors} and {@code state.json} (step, learning rate,
 * random-generator counters), plus {@code run/latest} naming the newest one.
 *
 * <p>A checkpoint directory is written under a temp name and renamed into place, and {@code latest}
 * is replaced atomically after it, so a crash at any moment leaves the previous checkpoint intact
 * and {@code latest} pointing at a complete one. Restoring model, optimizer and generators resumes
 * a run exactly: the same weights as a run that was never interrupted.
 */
public final class Checkpoint {
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    static final String MODEL = "model.safetensors", OPTIMIZER = "optimizer.safetensors", CONFIG = "config.json", STATE = "state.json", LATEST = "latest";

    private Checkpoint() {}

    /** What {@link #restore} brings back besides tensors. */
    public record State(int step, float lr) {}

    /**
     * Saves a checkpoint for {@code step} under {@code runDir} and points {@code latest} at it.
     * {@code config} is any JSON-serialisable object (a record); optimizer may be null. A model or
     * optimizer state holding NaN or an infinity is refused (IllegalStateException naming the tensor),
     * so a checkpoint never carries a diverged run.
     *
     * @return the checkpoint directory
     */
    public static Path save(Path runDir, int step, Module model, Object config, Optimizer optimizer,
                            Map<String, Generator> generators) throws IOException {
        String bad = NonFinite.first(model.stateDict());
        if (bad == null && optimizer != null) bad = NonFinite.first(optimizer.state());
        if (bad != null) {
            throw new IllegalStateException("refusing to checkpoint step " + step + " into " + runDir + ": " + bad
                    + " (the run diverged; its last good checkpoint is left as it was)");
        }
        Files.createDirectories(runDir);
        String name = String.format("step-%07d", step);
        Path tmp = AtomicFiles.tempFor(runDir.resolve(name));
        Files.createDirectory(tmp);
        try {
            SafeTensors.write(tmp.resolve(MODEL), model.stateDict(), Map.of("format", "strand"));
            AtomicFiles.write(tmp.resolve(CONFIG), JSON.writeValueAsBytes(config));
            if (optimizer != null) SafeTensors.write(tmp.resolve(OPTIMIZER), optimizer.state(), Map.of());
            ObjectNode state = JSON.createObjectNode();
            state.put("step", step);
            state.put("optimizer_steps", optimizer == null ? 0 : optimizer.stepCount());
            state.put("lr", optimizer == null ? 0f : optimizer.lr());
            ObjectNode gens = state.putObject("generators");
            generators.forEach((k, g) -> gens.putObject(k).put("seed", g.seed()).put("counter", g.state()));
            AtomicFiles.write(tmp.resolve(STATE), JSON.writeValueAsBytes(state));
            Path target = runDir.resolve(name);
            AtomicFiles.deleteTree(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.syncDirectory(runDir);
            AtomicFiles.write(runDir.resolve(LATEST), (name + "\n").getBytes(StandardCharsets.UTF_8));
            return target;
        } finally {
            AtomicFiles.deleteTree(tmp);
        }
    }

    /** The checkpoint folders ({@code step-*}) in a run directory, sorted by name, complete or not named by latest. */
    public static List<Path> stepFolders(Path runDir) throws IOException {
        if (!Files.isDirectory(runDir)) return List.of();
        try (var entries = Files.list(runDir)) {
            return entries.filter(p -> p.getFileName().toString().matches("step-\\d+") && Files.isDirectory(p)).sorted().toList();
        }
    }

    /** The newest complete checkpoint of a run, or null if it has none. */
    public static Path latest(Path runDir) throws IOException {
        Path pointer = runDir.resolve(LATEST);
        if (!Files.exists(pointer)) return null;
        Path dir = runDir.resolve(Files.readString(pointer).trim());
        if (!Files.isDirectory(dir)) throw new IOException(pointer + " names " + dir + ", which does not exist");
        return dir;
    }

    /** The config saved with a checkpoint. */
    public static <C> C readConfig(Path checkpoint, Class<C> type) throws IOException {
        Path file = checkpoint.resolve(CONFIG);
        try {
            return JSON.readValue(new String(Files.readAllBytes(file), StandardCharsets.UTF_8), type);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + " is not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage() + location(e));
        }
    }

    /**
     * Loads a checkpoint's weights into {@code model}; every parameter must be present with its
     * shape, else the error names the tensor that does not fit.
     */
    public static void loadModel(Path checkpoint, Module model) throws IOException {
        SafeTensors.loadInto(model.stateDict(), SafeTensors.read(checkpoint.resolve(MODEL)), true);
    }

    /**
     * Restores weights, optimizer state and generator counters for an exact resume; with a null
     * optimizer, weights, step and generators only (the optimizer starts fresh). A checkpoint without
     * optimizer state is an error unless the optimizer is null. Generators are matched by name and
     * must have the seeds they were saved with.
     */
    public static State restore(Path checkpoint, Module model, Optimizer optimizer, Map<String, Generator> generators) throws IOException {
        loadModel(checkpoint, model);
        JsonNode state;
        try {
            state = JSON.readTree(new String(Files.readAllBytes(checkpoint.resolve(STATE)), StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(checkpoint.resolve(STATE) + " is not valid JSON: " + e.getOriginalMessage() + location(e));
        }
        if (state == null || !state.path("step").isInt()) throw new IOException(checkpoint.resolve(STATE) + " has no step number: it is damaged");
        if (optimizer != null) {
            if (!Files.exists(checkpoint.resolve(OPTIMIZER))) {
                throw new IOException(checkpoint + " has no " + OPTIMIZER + ", which an exact resume needs; "
                        + "resume from its weights alone with a fresh optimizer, or start a new run");
            }
            Map<String, dev.strand.tensor.Tensor> saved = SafeTensors.read(checkpoint.resolve(OPTIMIZER)).tensors();
            optimizer.loadState(new LinkedHashMap<>(saved), state.path("optimizer_steps").asInt());
            optimizer.setLr((float) state.path("lr").asDouble());
        }
        Map<String, JsonNode> gens = new HashMap<>();
        state.path("generators").fields().forEachRemaining(e -> gens.put(e.getKey(), e.getValue()));
        for (var e : generators.entrySet()) {
            JsonNode g = gens.get(e.getKey());
            if (g == null) throw new IOException(checkpoint + " has no state for generator '" + e.getKey() + "'");
            if (g.path("seed").asLong() != e.getValue().seed()) {
                throw new IOException("generator '" + e.getKey() + "' was saved with seed " + g.path("seed").asLong()
                        + " but this run uses seed " + e.getValue().seed() + "; resume with the seed the run started with (" + g.path("seed").asLong() + ")");
            }
            e.getValue().setState(g.path("counter").asLong());
        }
        return new State(state.path("step").asInt(), (float) state.path("lr").asDouble());
    }

    /** " (line L, column C)" of a JSON error, or nothing when the parser knows no place. */
    private static String location(com.fasterxml.jackson.core.JacksonException e) {
        var at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

}