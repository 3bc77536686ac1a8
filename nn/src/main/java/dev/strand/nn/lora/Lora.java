package dev.strand.nn.lora;

import dev.strand.nn.Linear;
import dev.strand.nn.LoraAdapter;
import dev.strand.nn.Module;
import dev.strand.tensor.Generator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * LoRA on a whole model, as PEFT's {@code get_peft_model} does it: every linear layer whose name
 * {@link LoraConfig.Targets matches} gets an adapter, every other parameter is frozen except those
 * of the modules to save (a task head), which train whole. Parameter names of the base model do not
 * change, so base checkpoints load into an adapted model as before.
 */
public final class Lora {
    private Lora() {}

    /**
     * Adapts {@code model}; {@code names} gives the other framework's name of each module, which
     * targets may use too ({@code dense} for Hugging Face BERT's dense layers). Returns the adapted
     * layers by Strand name.
     *
     * @throws IllegalArgumentException if no linear layer matches, listing the linear layers there are
     */
    public static Map<String, LoraAdapter> apply(Module model, LoraConfig config, ModuleNames names, Generator gen) {
        Map<String, Module> modules = new LinkedHashMap<>(model.namedModules());   // before adapters add their own layers
        Map<String, Module> saved = modulesToSave(model, config, names);
        model.freeze(true);
        Map<String, LoraAdapter> adapted = new LinkedHashMap<>();
        List<String> linear = new ArrayList<>();
        for (var e : modules.entrySet()) {
            String name = e.getKey();
            if (!(e.getValue() instanceof Linear layer) || inside(name, saved.keySet())) continue;
            String other = names.toOther(name);
            linear.add(other.equals(name) ? name : name + " (" + other + ")");
            if (!config.targets().matches(name) && !config.targets().matches(other)) continue;
            adapted.put(name, layer.addLora(config.rankOf(name, other), config.scaleOf(name, other), config.dropout(), gen));
        }
        if (adapted.isEmpty()) {
            throw new IllegalArgumentException("LoRA targets " + describe(config.targets()) + " match no linear layer; the linear layers are: "
                    + String.join(", ", linear));
        }
        saved.values().forEach(m -> m.freeze(false));
        return adapted;
    }

    /**
     * The modules {@code config.modulesToSave()} names (a name, or a suffix at a dot boundary, in
     * Strand's or the other framework's names), outermost first: one inside another is not listed.
     * They train whole and are saved whole with the adapters.
     */
    public static Map<String, Module> modulesToSave(Module model, LoraConfig config, ModuleNames names) {
        Map<String, Module> out = new LinkedHashMap<>();
        model.namedModules().forEach((name, m) -> {
            if (!name.isEmpty() && !inside(name, out.keySet()) && selects(config.modulesToSave(), name, names)) out.put(name, m);
        });
        return out;
    }

    /** Whether module {@code name} is one of {@code outer} or lies below one. */
    private static boolean inside(String name, Set<String> outer) {
        for (String o : outer) if (name.equals(o) || name.startsWith(o + ".")) return true;
        return false;
    }

    private static boolean selects(List<String> entries, String name, ModuleNames names) {
        String other = names.toOther(name);
        for (String t : entries) {
            if (name.equals(t) || name.endsWith("." + t) || other.equals(t) || other.endsWith("." + t)) return true;
        }
        return false;
    }

    private static String describe(LoraConfig.Targets t) {
        return t.regex() != null ? "/" + t.regex() + "/" : String.join(",", t.names());
    }

    /** Every adapter in {@code model} by the Strand name of its layer. */
    public static Map<String, LoraAdapter> adapters(Module model) {
        Map<String, LoraAdapter> out = new LinkedHashMap<>();
        model.namedModules().forEach((name, m) -> {
            if (m instanceof Linear l && l.lora() != null) out.put(name, l.lora());
        });
        return out;
    }

    /** Folds every adapter into its base weight (W ← W + s·B·A). */
    public static void merge(Module model) {
        adapters(model).values().forEach(LoraAdapter::merge);
    }

    /** Takes every adapter out of its base weight again. */
    public static void unmerge(Module model) {
        adapters(model).values().forEach(LoraAdapter::unmerge);
    }

    /**
     * PEFT's {@code print_trainable_parameters}: "trainable params: 294,912 || all params:
     * 109,779,456 || trainable%: 0.2686", adapters counted in both.
     */
    public static String trainableSummary(Module model) {
        long trainable = model.trainableParameterCount(), all = model.parameterCount();
        return String.format(Locale.ROOT, "trainable params: %,d || all params: %,d || trainable%%: %.4f", trainable, all, 100.0 * trainable / all);
    }
}
