package dev.strand.cli;

import dev.strand.nn.lora.LoraConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The value of {@code --lora}: {@code r=8,alpha=16,dropout=0.05,targets=query,key,value,dense}, any
 * subset, PEFT's defaults for the rest (r 8, α 8, dropout 0, targets query and value as for BERT).
 * Names after {@code targets=} run to the next {@code key=}; {@code targets=/regex/} is one regular
 * expression over the whole module name; {@code rslora} scales by α/√r.
 */
final class LoraSpec {
    private LoraSpec() {}

    static LoraConfig parse(String spec) {
        int r = 8;
        float alpha = 8f, dropout = 0f;
        boolean rslora = false;
        List<String> targets = new ArrayList<>();
        String regex = null, key = null;
        for (String part : spec.split(",")) {
            part = part.strip();
            if (part.isEmpty()) continue;
            int eq = part.indexOf('=');
            if (part.equals("rslora")) {
                rslora = true;
                key = part;
                continue;
            }
            if (eq < 0 && "targets".equals(key)) {
                targets.add(part);
                continue;
            }
            if (eq < 0) throw new IllegalArgumentException("--lora: '" + part + "' is not key=value; keys are r, alpha, dropout, targets and rslora");
            key = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = part.substring(eq + 1).strip();
            switch (key) {
                case "r" -> r = number(key, value).intValue();
                case "alpha" -> alpha = number(key, value).floatValue();
                case "dropout" -> dropout = number(key, value).floatValue();
                case "targets" -> {
                    if (value.length() > 1 && value.startsWith("/") && value.endsWith("/")) regex = value.substring(1, value.length() - 1);
                    else if (!value.isEmpty()) targets.add(value);
                }
                default -> throw new IllegalArgumentException("--lora: unknown key '" + key + "'; keys are r, alpha, dropout, targets and rslora");
            }
        }
        if (regex != null && !targets.isEmpty()) throw new IllegalArgumentException("--lora: targets are names or one /regex/, not both");
        LoraConfig.Targets t = regex != null ? LoraConfig.Targets.regex(regex)
                : LoraConfig.Targets.of(targets.isEmpty() ? new String[] {"query", "value"} : targets.toArray(String[]::new));
        try {
            return new LoraConfig(r, alpha, dropout, t, rslora, java.util.Map.of(), java.util.Map.of(), List.of(), "SEQ_CLS", "");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--lora: " + e.getMessage(), e);
        }
    }

    private static Double number(String key, String value) {
        try {
            double v = Double.parseDouble(value);
            if (key.equals("r") && v != Math.rint(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--lora: " + key + " must be a number" + (key.equals("r") ? " (a whole one)" : "") + ", got '" + value + "'");
        }
    }
}
