package dev.strand.genomics.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.strand.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenRowsTest {
    @Test
    void shorterRowsArePaddedOnTheRightAndMasked() {
        Tensor ids = TokenRows.padded(List.of(new int[] {5, 6, 7}, new int[] {8}), 0);
        assertArrayEquals(new int[] {2, 3}, ids.shape());
        assertArrayEquals(new int[] {5, 6, 7, 8, 0, 0}, ids.toIntArray());
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1}, TokenRows.paddingMask(ids, 0).toFloatArray());
    }

    @Test
    void rowsOfOneLengthNeedNoMask() {
        Tensor ids = TokenRows.padded(List.of(new int[] {5, 6}, new int[] {7, 8}), 0);
        assertNull(TokenRows.paddingMask(ids, 0));
    }
}
