package dev.strand.genomics.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strand.genomics.RandomDna;
import dev.strand.genomics.io.Bases;
import java.util.List;
import org.junit.jupiter.api.Test;

class KmerFeaturesTest {
    /** Index of a k-mer: base 4 with A=0, C=1, G=2, T=3. */
    private static int index(String kmer) {
        int v = 0;
        for (char ch : kmer.toCharArray()) v = v * 4 + "ACGT".indexOf(ch);
        return v;
    }

    @Test
    void countsOverlappingKmersSkippingNonAcgt() {
        KmerFeatures kf = new KmerFeatures(2, false);
        assertEquals(16, kf.size());
        float[] f = new float[16];
        kf.features("ACgTNAAx", f, 0);   // AC CG GT | AA | (x ends it)
        float[] expected = new float[16];
        for (String k : List.of("AC", "CG", "GT", "AA")) expected[index(k)] += 0.25f;
        assertArrayEquals(expected, f);
    }

    @Test
    void bothStrandsCountsEachKmerForItsReverseComplement() {
        KmerFeatures kf = new KmerFeatures(3, true);
        float[] f = new float[kf.size()];
        kf.features("AACG", f, 0);   // AAC (rc GTT), ACG (rc CGT)
        float[] expected = new float[kf.size()];
        for (String k : List.of("AAC", "GTT", "ACG", "CGT")) expected[index(k)] += 0.25f;
        assertArrayEquals(expected, f);

        String s = RandomDna.random(200, 3);
        float[] a = new float[kf.size()], b = new float[kf.size()];
        kf.features(s, a, 0);
        kf.features(Bases.reverseComplement(s), b, 0);
        assertArrayEquals(a, b, 1e-7f, "a sequence and its reverse complement look the same");
    }

    @Test
    void shortOrEmptySequencesGiveZerosAndBadKIsRejected() {
        float[] m = new KmerFeatures(4, false).matrix(List.of("ACG", "NNNNNN"));
        for (float v : m) assertEquals(0f, v);
        assertThrows(IllegalArgumentException.class, () -> new KmerFeatures(0, false));
        assertThrows(IllegalArgumentException.class, () -> new KmerFeatures(9, false));
    }
}
