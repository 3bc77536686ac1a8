package dev.strand.genomics.train;

import dev.strand.genomics.tokenize.BpeTokenizer;
import dev.strand.genomics.tokenize.KmerTokenizer;
import dev.strand.genomics.tokenize.NonOverlappingTokenizer;
import dev.strand.genomics.tokenize.NucleotideTokenizer;
import dev.strand.genomics.tokenize.Tokenizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Control tags as the command line writes them ({@code species=dmel}) and as tokenizers hold them
 * ({@code <species=dmel>}), and giving a tokenizer the tags a run needs (ProGen/CTRL conditioning:
 * a sequence's tags go in front of its DNA, see {@link dev.strand.genomics.tokenize.Tokenizers#prependTags}).
 */
public final class ControlTags {
    private ControlTags() {}

    /** {@code species=dmel} or {@code <species=dmel>} → {@code <species=dmel>}. */
    public static String token(String tag) {
        String t = tag.trim();
        if (t.startsWith("<") && t.endsWith(">")) t = t.substring(1, t.length() - 1);
        if (t.isEmpty() || t.indexOf('<') >= 0 || t.indexOf('>') >= 0 || t.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("bad control tag '" + tag + "': write it as key=value, e.g. species=dmel (no spaces or angle brackets)");
        }
        return "<" + t + ">";
    }

    /** {@link #token} of each tag. */
    public static List<String> tokens(List<String> tags) {
        return tags.stream().map(ControlTags::token).toList();
    }

    /**
     * The tokenizer with {@code tags} added after the control tags it already has (each tag once,
     * in order of first appearance); the tokenizer itself when it has them all.
     */
    public static Tokenizer withTags(Tokenizer tokenizer, List<String> tags) {
        LinkedHashSet<String> all = new LinkedHashSet<>(tokenizer.controlTags());
        all.addAll(tags);
        if (all.size() == tokenizer.controlTags().size()) return tokenizer;
        List<String> merged = new ArrayList<>(all);
        return switch (tokenizer) {
            case NucleotideTokenizer t -> t.withControlTags(merged);
            case KmerTokenizer t -> t.withControlTags(merged);
            case NonOverlappingTokenizer t -> t.withControlTags(merged);
            case BpeTokenizer t -> t.withControlTags(merged);
            default -> throw new IllegalArgumentException("cannot add control tags to a " + tokenizer.kind() + " tokenizer");
        };
    }
}
