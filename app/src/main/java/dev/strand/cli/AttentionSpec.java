package dev.strand.cli;

import dev.strand.nn.attention.AttentionConfig;
import java.util.Locale;

/**
 * The value of {@code --attention}: {@code dense}, or
 * {@code bigbird[:block=64,window=3,global=2,random=3,layout=gena|itc,itc-eval=block-zero|random]}
 * with GENA-LM's sparse models' settings for whatever is left out.
 */
final class AttentionSpec {
    private AttentionSpec() {}

    static AttentionConfig parse(String spec) {
        String s = spec.strip();
        if (s.equalsIgnoreCase("dense")) return AttentionConfig.dense();
        String kind = s.contains(":") ? s.substring(0, s.indexOf(':')) : s;
        if (!kind.equalsIgnoreCase("bigbird")) throw new IllegalArgumentException("--attention: '" + kind + "' is not dense or bigbird");
        AttentionConfig.BigBird d = AttentionConfig.BigBird.gena();
        int block = d.block(), window = d.window(), global = d.global(), random = d.random();
        String layout = d.layout(), itcEval = d.itcEval();
        String settings = s.contains(":") ? s.substring(s.indexOf(':') + 1) : "";
        for (String part : settings.split(",")) {
            part = part.strip();
            if (part.isEmpty()) continue;
            int eq = part.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("--attention: '" + part + "' is not key=value; keys are block, window, global, random, layout and itc-eval");
            String key = part.substring(0, eq).strip().toLowerCase(Locale.ROOT), value = part.substring(eq + 1).strip();
            switch (key) {
                case "block" -> block = whole(key, value);
                case "window" -> window = whole(key, value);
                case "global" -> global = whole(key, value);
                case "random" -> random = whole(key, value);
                case "layout" -> layout = value.toLowerCase(Locale.ROOT);
                case "itc-eval" -> itcEval = value.toLowerCase(Locale.ROOT);
                default -> throw new IllegalArgumentException("--attention: unknown key '" + key + "'; keys are block, window, global, random, layout and itc-eval");
            }
        }
        try {
            return new AttentionConfig.BigBird(block, window, global, random, layout, itcEval);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--attention: " + e.getMessage(), e);
        }
    }

    private static int whole(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--attention: " + key + " must be a whole number, got '" + value + "'");
        }
    }
}
