package dev.strand.nn.lora;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strand.nn.LoraAdapter;
import dev.strand.nn.Module;
import dev.strand.nn.checkpoint.AtomicFiles;
import dev.strand.nn.checkpoint.SafeTensors;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An adapter as Hugging Face PEFT saves it, so either side reads the other's:
 * {@code adapter_config.json} (r, lora_alpha, lora_dropout, target_modules, bias, task_type,
 * use_rslora, rank_pattern, alpha_pattern, base_model_name_or_path, modules_to_save) and
 * {@code adapter_model.safetensors}, whose keys are {@code base_model.model.<module>.lora_A.weight}
 * (A [r, in]) and {@code ….lora_B.weight} (B [out, r]), with every tensor of the modules to save
 * (the task head) under {@code base_model.model.<module>.<name>}. Module names are the other
 * framework's, through {@link ModuleNames}.
 */
public final class PeftAdapter {
    public static final String CONFIG = "adapter_config.json", WEIGHTS = "adapter_model.safetensors";
    private static final String PREFIX = "base_model.model.";
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private PeftAdapter() {}

    /** Writes the adapters of {@code model}, made with {@code config}, and its modules to save into {@code dir}. */
    public static void save(Path dir, Module model, LoraConfig config, ModuleNames names) throws IOException {
        Files.createDirectories(dir);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Lora.adapters(model).forEach((name, a) -> {
            String other = names.toOther(name);
            tensors.put(PREFIX + other + ".lora_A.weight", a.a.weight.data());
            tensors.put(PREFIX + other + ".lora_B.weight", a.b.weight.data());
        });
        if (tensors.isEmpty()) throw new IllegalArgumentException("the model carries no LoRA adapter to save");
        Lora.modulesToSave(model, config, names).forEach((module, m) ->
                m.stateDict().forEach((name, t) -> tensors.put(PREFIX + names.toOther(module + "." + name), t)));
        SafeTensors.write(dir.resolve(WEIGHTS), tensors, Map.of("format", "pt"));
        AtomicFiles.write(dir.resolve(CONFIG), JSON.writeValueAsBytes(configJson(config)));
    }

    private static ObjectNode configJson(LoraConfig c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("peft_type", "LORA");
        o.put("task_type", c.taskType());
        o.put("base_model_name_or_path", c.baseModel());
        o.put("r", c.r());
        o.put("lora_alpha", c.alpha());
        o.put("lora_dropout", c.dropout());
        if (c.targets().regex() != null) o.put("target_modules", c.targets().regex());
        else c.targets().names().forEach(o.putArray("target_modules")::add);
        o.put("bias", "none");
        o.put("use_rslora", c.useRslora());
        ObjectNode ranks = o.putObject("rank_pattern"), alphas = o.putObject("alpha_pattern");
        c.rankPattern().forEach(ranks::put);
        c.alphaPattern().forEach(alphas::put);
        if (c.modulesToSave().isEmpty()) o.putNull("modules_to_save");
        else c.modulesToSave().forEach(o.putArray("modules_to_save")::add);
        o.put("fan_in_fan_out", false);
        o.put("init_lora_weights", true);
        o.put("use_dora", false);
        o.put("inference_mode", true);
        return o;
    }

    /** Reads {@code adapter_config.json} in {@code dir}; an error names the file and what is wrong. */
    public static LoraConfig readConfig(Path dir) throws IOException {
        Path file = dir.resolve(CONFIG);
        if (!Files.exists(file)) throw new IllegalArgumentException("no " + CONFIG + " in " + dir + ": not a LoRA adapter directory");
        JsonNode o;
        try {
            o = JSON.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage());
        }
        try {
            if (!o.isObject()) throw new IllegalArgumentException("it is not a JSON object");
            if (o.has("peft_type") && !"LORA".equals(o.get("peft_type").asText())) {
                throw new IllegalArgumentException("peft_type is " + o.get("peft_type").asText() + ", not LORA");
            }
            if (o.path("use_dora").asBoolean(false)) throw new IllegalArgumentException("use_dora is true; Strand reads LoRA adapters, not DoRA");
            if (o.path("fan_in_fan_out").asBoolean(false)) throw new IllegalArgumentException("fan_in_fan_out is true (GPT-2 Conv1D weights); Strand's layers are [out, in]");
            String bias = o.path("bias").asText("none");
            if (!bias.equals("none")) throw new IllegalArgumentException("bias is '" + bias + "'; Strand reads adapters with bias \"none\"");
            JsonNode t = o.get("target_modules");
            if (t == null || t.isNull()) throw new IllegalArgumentException("target_modules is missing");
            LoraConfig.Targets targets = t.isTextual() ? LoraConfig.Targets.regex(t.asText()) : new LoraConfig.Targets(strings(t, "target_modules"), null);
            Map<String, Integer> ranks = new HashMap<>();
            o.path("rank_pattern").properties().forEach(e -> ranks.put(e.getKey(), e.getValue().asInt()));
            Map<String, Float> alphas = new HashMap<>();
            o.path("alpha_pattern").properties().forEach(e -> alphas.put(e.getKey(), (float) e.getValue().asDouble()));
            JsonNode save = o.get("modules_to_save");
            return new LoraConfig(required(o, "r").asInt(), (float) o.path("lora_alpha").asDouble(8), (float) o.path("lora_dropout").asDouble(0),
                    targets, o.path("use_rslora").asBoolean(false), ranks, alphas,
                    save == null || save.isNull() ? List.of() : strings(save, "modules_to_save"),
                    o.path("task_type").asText("FEATURE_EXTRACTION"), o.path("base_model_name_or_path").asText(""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is not a LoRA adapter config: " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isNumber()) throw new IllegalArgumentException(field + " is missing or not a number");
        return v;
    }

    private static List<String> strings(JsonNode array, String field) {
        if (!array.isArray()) throw new IllegalArgumentException(field + " must be a list of names");
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /**
     * Puts the adapter in {@code dir} onto {@code model}: adapters on the layers its config
     * targets, their A and B from the file, the modules to save with their trained tensors. Keys
     * PEFT writes in a full state dict ({@code lora_A.default.weight}) read as well. Returns the
     * config.
     *
     * @throws IllegalArgumentException naming the tensor for one that fits no layer of the model,
     *                                  with both shapes for one of another size (an adapter made
     *                                  for another base model)
     */
    public static LoraConfig load(Path dir, Module model, ModuleNames names) throws IOException {
        LoraConfig config = readConfig(dir);
        Map<String, LoraAdapter> adapters = Lora.apply(model, config, names, new Generator(0));   // A and B come from the file
        Map<String, Tensor> state = model.stateDict();
        Map<String, Tensor> file = SafeTensors.read(dir.resolve(WEIGHTS)).tensors();
        List<String> filled = new ArrayList<>();
        for (var e : file.entrySet()) {
            String key = e.getKey().replace(".default.", ".");
            if (!key.startsWith(PREFIX)) throw new IllegalArgumentException(dir.resolve(WEIGHTS) + ": tensor " + e.getKey() + " does not start with " + PREFIX);
            String name = names.toStrand(key.substring(PREFIX.length()));
            Tensor target = state.get(name);
            if (target == null) {
                throw new IllegalArgumentException(dir.resolve(WEIGHTS) + ": tensor " + e.getKey() + " (" + name + " here) fits no "
                        + (name.contains(".lora_") ? "adapted layer; the adapted layers are " + adapters.keySet() : "tensor of this model"));
            }
            if (!Arrays.equals(target.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException(dir.resolve(WEIGHTS) + ": tensor " + e.getKey() + " is " + Arrays.toString(e.getValue().shape())
                        + " but " + name + " here is " + Arrays.toString(target.shape()) + "; the adapter was made for another base model");
            }
            target.copyFrom(e.getValue());
            filled.add(name);
        }
        for (String layer : adapters.keySet()) {
            for (String part : new String[] {".lora_A.weight", ".lora_B.weight"}) {
                if (!filled.contains(layer + part)) throw new IllegalArgumentException(dir.resolve(WEIGHTS) + " has no " + PREFIX + names.toOther(layer) + part);
            }
        }
        return config;
    }
}
