package dev.strand.nn.lora;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How Strand's module and parameter names read in another framework's model, for adapter files:
 * pairs of templates where {@code {i}} stands for a layer number, e.g.
 * {@code encoder.layers.{i}.attention.query} ↔ {@code bert.encoder.layer.{i}.attention.self.query}.
 * A template covers a name and everything below it ({@code ….query.lora_A.weight}); names no
 * template covers are the same in both. A user adds a mapping for another model with
 * {@link #of}, one pair per module that differs.
 */
public final class ModuleNames {
    /** Strand's names as they are: adapters that Strand writes for Strand. */
    public static final ModuleNames IDENTITY = new ModuleNames(List.of());

    /**
     * Strand's BERT encoder and sequence head as Hugging Face's {@code BertForSequenceClassification}
     * names them (so PEFT adapters made for a BERT-family model map onto Strand's, and "dense"
     * targets the attention output and both feed-forward layers, as it does there).
     */
    public static final ModuleNames HUGGING_FACE_BERT = of(
            "encoder.layers.{i}.attention.query", "bert.encoder.layer.{i}.attention.self.query",
            "encoder.layers.{i}.attention.key", "bert.encoder.layer.{i}.attention.self.key",
            "encoder.layers.{i}.attention.value", "bert.encoder.layer.{i}.attention.self.value",
            "encoder.layers.{i}.attention.output", "bert.encoder.layer.{i}.attention.output.dense",
            "encoder.layers.{i}.ffn.linear1", "bert.encoder.layer.{i}.intermediate.dense",
            "encoder.layers.{i}.ffn.linear2", "bert.encoder.layer.{i}.output.dense",
            "head.output", "classifier");

    private record Rule(Pattern strand, String strandTemplate, Pattern other, String otherTemplate) {}

    private final List<Rule> rules;

    private ModuleNames(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** Pairs of templates: Strand's name, then the other framework's, and so on. */
    public static ModuleNames of(String... strandThenOther) {
        if (strandThenOther.length % 2 != 0) throw new IllegalArgumentException("module names come in pairs: Strand's, then the other's");
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < strandThenOther.length; i += 2) {
            rules.add(new Rule(pattern(strandThenOther[i]), strandThenOther[i], pattern(strandThenOther[i + 1]), strandThenOther[i + 1]));
        }
        return new ModuleNames(rules);
    }

    /** Strand's name → the other framework's. */
    public String toOther(String strandName) {
        for (Rule r : rules) {
            String mapped = rewrite(r.strand(), r.otherTemplate(), strandName);
            if (mapped != null) return mapped;
        }
        return strandName;
    }

    /** The other framework's name → Strand's. */
    public String toStrand(String otherName) {
        for (Rule r : rules) {
            String mapped = rewrite(r.other(), r.strandTemplate(), otherName);
            if (mapped != null) return mapped;
        }
        return otherName;
    }

    /** A template as a regular expression over a name and what lies below it: {i} is the layer number. */
    private static Pattern pattern(String template) {
        return Pattern.compile(Pattern.quote(template).replace("{i}", "\\E(\\d+)\\Q") + "((?:\\..*)?)");
    }

    private static String rewrite(Pattern from, String toTemplate, String name) {
        Matcher m = from.matcher(name);
        if (!m.matches()) return null;
        String layer = m.groupCount() > 1 ? m.group(1) : null;
        String rest = m.group(m.groupCount());
        return (layer == null ? toTemplate : toTemplate.replace("{i}", layer)) + rest;
    }
}
