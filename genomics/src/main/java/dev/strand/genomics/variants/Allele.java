package dev.strand.genomics.variants;

import dev.strand.genomics.io.VcfVariant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One allele to score: the variant, its ALT, where it came from, its windows and their token ids
 * (with specials and control tags).
 */
record Allele(VcfVariant variant, String alt, VariantScore.Origin origin, VariantWindow window, int[] refIds, int[] altIds) {
    /** Each distinct token sequence of the alleles' REF and ALT windows, numbered in first-seen order. */
    static Map<TokenKey, Integer> distinctSequences(List<Allele> alleles) {
        Map<TokenKey, Integer> index = new LinkedHashMap<>();
        for (Allele a : alleles) {
            index.putIfAbsent(new TokenKey(a.refIds()), index.size());
            index.putIfAbsent(new TokenKey(a.altIds()), index.size());
        }
        return index;
    }

    /**
     * Each allele's score from one value per distinct sequence ({@code values[index.get(…)]}, as
     * {@link #distinctSequences} numbers them): the alt window's value minus the ref window's.
     */
    static double[] altMinusRef(List<Allele> alleles, Map<TokenKey, Integer> index, double[] values) {
        double[] scores = new double[alleles.size()];
        for (int i = 0; i < scores.length; i++) {
            Allele a = alleles.get(i);
            scores[i] = values[index.get(new TokenKey(a.altIds()))] - values[index.get(new TokenKey(a.refIds()))];
        }
        return scores;
    }
}
