package dev.strand.nn.lora;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What to adapt and how, with the meaning and defaults of PEFT's {@code LoraConfig}.
 *
 * @param r             rank of every adapter unless {@code rankPattern} names another (PEFT's default 8)
 * @param alpha         scaling numerator: s = α/r, or α/√r with {@code useRslora} (default 8)
 * @param dropout       dropout on the adapter branch's input (default 0)
 * @param targets       which linear layers carry an adapter, chosen by module name
 * @param useRslora     scale by α/√r (rank-stabilised LoRA)
 * @param rankPattern   per-module ranks: key → r, a key matching a module name as a name suffix at a
 *                      dot boundary or as a regular expression over the name's end ({@code (.*\.)?key$})
 * @param alphaPattern  per-module α, keys as in {@code rankPattern}
 * @param modulesToSave modules trained whole and saved with the adapter (a task head), by name
 *                      as targets are
 * @param taskType      PEFT's task type ({@code SEQ_CLS}, {@code FEATURE_EXTRACTION}, …)
 * @param baseModel     the base model's name or path, recorded in the adapter's config
 */
public record LoraConfig(int r, float alpha, float dropout, Targets targets, boolean useRslora, Map<String, Integer> rankPattern,
                         Map<String, Float> alphaPattern, List<String> modulesToSave, String taskType, String baseModel) implements java.io.Serializable {
    public LoraConfig {
        if (r < 1) throw new IllegalArgumentException("LoRA rank r must be at least 1, got " + r);
        if (!(alpha > 0)) throw new IllegalArgumentException("LoRA alpha must be positive, got " + alpha);
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
        rankPattern = Map.copyOf(rankPattern);
        alphaPattern = Map.copyOf(alphaPattern);
        rankPattern.forEach((k, v) -> {
            if (v < 1) throw new IllegalArgumentException("LoRA rank for '" + k + "' must be at least 1, got " + v);
        });
        modulesToSave = List.copyOf(modulesToSave);
        if (useRslora && (!rankPattern.isEmpty() || !alphaPattern.isEmpty())) {
            throw new IllegalArgumentException("rsLoRA cannot be combined with per-module ranks or alphas (PEFT refuses it too)");
        }
    }

    /** PEFT's defaults (r 8, α 8, dropout 0) on {@code targets}, no head. */
    public static LoraConfig of(Targets targets) {
        return new LoraConfig(8, 8f, 0f, targets, false, Map.of(), Map.of(), List.of(), "FEATURE_EXTRACTION", "");
    }

    public LoraConfig withRank(int rank, float a) {
        return new LoraConfig(rank, a, dropout, targets, useRslora, rankPattern, alphaPattern, modulesToSave, taskType, baseModel);
    }

    public LoraConfig withDropout(float p) {
        return new LoraConfig(r, alpha, p, targets, useRslora, rankPattern, alphaPattern, modulesToSave, taskType, baseModel);
    }

    public LoraConfig withModulesToSave(List<String> modules, String task) {
        return new LoraConfig(r, alpha, dropout, targets, useRslora, rankPattern, alphaPattern, modules, task, baseModel);
    }

    public LoraConfig withBaseModel(String name) {
        return new LoraConfig(r, alpha, dropout, targets, useRslora, rankPattern, alphaPattern, modulesToSave, taskType, name);
    }

    /** The rank of the module with these names (Strand's, another framework's): the first pattern's that matches one, else r. */
    public int rankOf(String... names) {
        return patterned(rankPattern, names, r);
    }

    /** α of the module with these names: the first pattern's that matches one, else alpha. */
    public float alphaOf(String... names) {
        return patterned(alphaPattern, names, alpha);
    }

    /** s of the module with these names: α/r, or α/√r with rsLoRA. */
    public float scaleOf(String... names) {
        int rank = rankOf(names);
        float a = alphaOf(names);
        return useRslora ? (float) (a / Math.sqrt(rank)) : a / rank;
    }

    /** PEFT's get_pattern_key: the first key whose {@code (.*\.)?key$} matches a name. */
    private static <V> V patterned(Map<String, V> pattern, String[] names, V fallback) {
        for (var e : pattern.entrySet()) {
            Pattern key = Pattern.compile("(.*\\.)?(" + e.getKey() + ")$");
            for (String name : names) if (key.matcher(name).matches()) return e.getValue();
        }
        return fallback;
    }

    /**
     * Module names that carry an adapter, as PEFT's {@code target_modules}: a list, each entry
     * matching a name exactly or as a suffix at a dot boundary ({@code value} matches
     * {@code layers.0.attention.value}, not {@code …attention.qvalue}); or one regular expression
     * that must match the whole name.
     */
    public record Targets(List<String> names, String regex) implements java.io.Serializable {
        public Targets {
            names = names == null ? List.of() : List.copyOf(names);
            if (names.isEmpty() == (regex == null)) throw new IllegalArgumentException("LoRA targets are a list of names or one regular expression");
            if (regex != null) Pattern.compile(regex);   // a malformed expression fails here, with its position
        }

        public static Targets of(String... names) {
            return new Targets(List.of(names), null);
        }

        public static Targets regex(String regex) {
            return new Targets(null, regex);
        }

        /** Whether the module named {@code name} is a target. */
        public boolean matches(String name) {
            if (regex != null) return Pattern.compile(regex).matcher(name).matches();
            for (String t : names) if (name.equals(t) || name.endsWith("." + t)) return true;
            return false;
        }
    }
}
