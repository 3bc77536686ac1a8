package dev.strand.cli;

import dev.strand.nn.attention.AttentionConfig;
import java.util.List;
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
        var pairs = KeyValues.parse("--attention", settings, List.of("block", "window", "global", "random", "layout", "itc-eval"));
        for (var e : pairs.entrySet()) {
            String key = e.getKey(), value = e.getValue();
            switch (key) {
                case "block" -> block = KeyValues.whole("--attention", key, value);
                case "window" -> window = KeyValues.whole("--attention", key, value);
                case "global" -> global = KeyValues.whole("--attention", key, value);
                case "random" -> random = KeyValues.whole("--attention", key, value);
                case "layout" -> layout = value.toLowerCase(Locale.ROOT);
                default -> itcEval = value.toLowerCase(Locale.ROOT);
            }
        }
        try {
            return new AttentionConfig.BigBird(block, window, global, random, layout, itcEval);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--attention: " + e.getMessage(), e);
        }
    }
}
