package dev.strand.genomics.variants;

import dev.strand.genomics.io.VcfVariant;

/**
 * One allele to score: the variant, its ALT, where it came from, its windows and their token ids
 * (with specials and control tags).
 */
record Allele(VcfVariant variant, String alt, VariantScore.Origin origin, VariantWindow window, int[] refIds, int[] altIds) {}
