package dev.strand.opencl;

/**
 * How the kernels cut long lines of work into pieces when a shape has too few outputs to keep a
 * GPU busy: reductions over long lines (bias and layer-norm gradients) and products with few tiles
 * of C but a long k (split-K). Each piece is reduced on its own and the partials reduced again.
 * The cuts follow the shape alone, never the device, so results are the same on every device.
 */
final class Splits {
    private Splits() {}

    /**
     * How long a piece of each reduced line of {@code d} elements is, from the shape alone (so that
     * results do not depend on the device): the whole line when there are outputs enough to keep a
     * GPU busy, else short enough for enough pieces, each of at least 4096 elements (contiguous
     * {@code rows}, a work group each) or 32 (strided, a work item each), and, strided, about √d of
     * them, so that neither pass walks much more than √d elements in a row.
     */
    static int reductionChunk(int outputs, int d, boolean rows) {
        long wanted = rows ? Math.ceilDiv(256, Math.max(outputs, 1)) : Math.ceilDiv(65536, Math.max(outputs, 1));
        long most = rows ? Math.ceilDiv(d, 4096) : Math.min(Math.ceilDiv(d, 32), (long) Math.ceil(Math.sqrt(d)));
        return Math.max(1, Math.ceilDiv(d, (int) Math.max(1, Math.min(wanted, most))));
    }

    /** How many pieces of {@code chunk} cover {@code d} (at least one), as the kernels count them. */
    static int pieces(int d, int chunk) {
        return d > chunk ? Math.ceilDiv(d, chunk) : 1;
    }

    /**
     * How deep a slice of k each work group takes (split-K), from the shape alone so that results do
     * not depend on the device: all of k while C has 128 tiles of 128x128 or k is short, else a
     * multiple of 16, at least 128, that gives about 256 such tiles' worth of work groups. A 256x256
     * weight gradient over 4096 rows runs in 32 slices instead of 4 work groups walking 4096 each.
     */
    static int matmulSliceDepth(int m, int n, int k, int batch) {
        long tiles = (long) Math.ceilDiv(m, 128) * Math.ceilDiv(n, 128) * batch;
        if (tiles >= 128 || k < 1024) return k;
        int slices = (int) Math.min(Math.ceilDiv(256, tiles), k / 128);
        return Math.ceilDiv(Math.ceilDiv(k, slices), 16) * 16;
    }
}
