package dev.strand.nn.attention;

import dev.strand.autograd.Attention;
import dev.strand.autograd.Shaping;
import dev.strand.autograd.Variable;
import dev.strand.nn.Module;
import dev.strand.tensor.BlockPattern;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * Multi-head BigBird attention: the query, key, value and output projections of dense attention
 * (same names, so dense checkpoints load), with each query block attending only to the key blocks
 * its {@link BigBirdLayout} allows, in one softmax over their union. The sequence is padded to a
 * multiple of the block size, the padding hidden as keys and cut off again; memory and time grow
 * as T·b·(blocks per row), not T². An encoder's attention: no causal mask, no KV cache, and no
 * dropout on the weights (Hugging Face's block-sparse path has none either).
 *
 * <p>B = batch, T = tokens, Tp = T padded to a multiple of b, d = model width, H = heads, hd = d / H.
 * The weights recorded for looking at are [B, H, T, T] at the true length, zero outside the allowed blocks.
 * A GENA layout's random blocks are the buffer {@code layout} [H, blocks, r], saved with the model.
 */
public final class BigBirdAttention extends ProjectedAttention {
    private BigBirdLayout layout;
    private final Tensor table;           // GENA: the drawn random blocks [H, blocks, r]; null for ITC
    private int[] tableSeen;              // the table's contents that layout was built from

    /** Separate query, key and value projections; rope may be null. */
    public BigBirdAttention(int dim, int heads, BigBirdLayout layout, Rope rope, Generator gen) {
        this(dim, heads, layout, false, rope, gen);
    }

    /** With one fused query-key-value projection if {@code fused}; rope may be null. */
    public BigBirdAttention(int dim, int heads, BigBirdLayout layout, boolean fused, Rope rope, Generator gen) {
        super(dim, heads, fused, rope, gen);
        if (layout.heads != heads) throw new IllegalArgumentException("a BigBird layout for " + layout.heads + " heads on a layer of " + heads);
        this.layout = layout;
        int[][][] drawn = layout.randomTable();
        this.table = drawn == null ? null : buffer("layout", toTensor(drawn));
        this.tableSeen = table == null ? null : table.toIntArray();
    }

    /** The BigBird attention layers of {@code model}, in order; empty for a dense model. */
    public static List<BigBirdAttention> in(Module model) {
        return model.namedModules().values().stream().filter(BigBirdAttention.class::isInstance).map(BigBirdAttention.class::cast).toList();
    }

    /** The layout now in use: after a checkpoint is loaded, the one saved with it. */
    public BigBirdLayout layout() {
        if (table != null) {
            int[] now = table.toIntArray();
            if (!Arrays.equals(now, tableSeen)) {
                layout = BigBirdLayout.gena(layout.blockSize, layout.window, layout.globals, heads, unflatten(now, table.shape()));
                tableSeen = now;
            }
        }
        return layout;
    }

    @Override
    public Variable forward(Variable x, AttentionMask mask, KvCache cache) {
        if (cache != null || mask.isCausal()) throw new UnsupportedOperationException("BigBird attention is an encoder's: no causal mask, no KV cache");
        BigBirdLayout l = layout();
        int b = x.size(0), t = x.size(1), bs = l.blockSize;
        int padded = (t + bs - 1) / bs * bs;
        if (padded > t) x = Shaping.concat(List.of(x, Variable.constant(Tensor.zeros(b, padded - t, dim))), 1);   // [B, Tp, d]
        Variable[] qkv = project(x);                                                // 3 × [B, Tp, d]
        Variable q = splitHeads(qkv[0], b, padded);                                 // [B, H, Tp, hd]
        Variable k = splitHeads(qkv[1], b, padded);                                 // [B, H, Tp, hd]
        Variable v = splitHeads(qkv[2], b, padded);                                 // [B, H, Tp, hd]
        if (rope != null) {
            q = rope.apply(q, 0);                                                   // [B, H, Tp, hd]
            k = rope.apply(k, 0);                                                   // [B, H, Tp, hd]
        }
        Tensor keyPadding = paddedKeys(mask.keyPadding(), b, t, padded);            // [B, Tp] or null
        BlockPattern pattern = l.pattern(padded / bs, isTraining());
        float scale = (float) (1.0 / Math.sqrt(headDim));
        Variable y = Attention.blockSparse(q, k, v, pattern, keyPadding, mask.alibiSlopes(), scale);   // [B, H, Tp, hd]
        if (recording()) keep(weights(q.data(), k.data(), pattern, keyPadding, mask.alibiSlopes(), scale, t));
        y = y.narrow(2, 0, t).transpose(1, 2).reshape(b, t, dim);                   // [B, T, d]
        return output.forward(y);                                                   // [B, T, d]
    }

    /** The mask's key padding [B, T] (or none) extended with the block padding: [B, Tp], or null when nothing is padded. */
    private static Tensor paddedKeys(Tensor keyPadding, int b, int t, int padded) {
        if (padded == t) return keyPadding;
        Tensor tail = Tensor.ones(b, padded - t);
        Tensor head = keyPadding == null ? Tensor.zeros(b, t) : keyPadding.toFloat();
        return Tensor.concat(List.of(head, tail), 1);
    }

    /**
     * The attention weights for looking at, [B, H, T, T] at the true length: exp(score − logsumexp)
     * at the keys each query's blocks read (a block read twice gets twice its weight), 0 elsewhere.
     * Only when recording; the map is as large as dense attention's.
     */
    private static Tensor weights(Tensor q, Tensor k, BlockPattern pattern, Tensor keyPadding, float[] slopes, float scale, int t) {
        int[][][] times = pattern.multiplicity();
        int b = q.size(0), h = q.size(1), tp = q.size(2), bs = pattern.blockSize;
        if ((long) b * h * tp * tp > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("attention maps of " + b + " × " + h + " heads × " + tp + "² weights do not fit one array; record shorter sequences");
        }
        float[] bias = new float[h * tp * tp];
        for (int head = 0; head < h; head++) {
            for (int i = 0; i < tp; i++) {
                for (int j = 0; j < tp; j++) {
                    int n = times[head][i / bs][j / bs];
                    bias[(head * tp + i) * tp + j] = n == 0 ? Float.NEGATIVE_INFINITY : (float) Math.log(n);
                }
            }
        }
        Tensor dense = Tensor.of(bias, 1, h, tp, tp);                                // [1, H, Tp, Tp]
        if (slopes != null) dense = dense.add(Alibi.bias(slopes, tp, tp, 0));        // [1, H, Tp, Tp]
        if (keyPadding != null) dense = dense.add(AttentionMask.paddingBias(keyPadding));   // [B, H, Tp, Tp]
        Tensor w = Tensor.attentionWeights(q, k, dense, false, scale);               // [B, H, Tp, Tp]
        return w.narrow(2, 0, t).narrow(3, 0, t).contiguous();                       // [B, H, T, T]
    }

    private static Tensor toTensor(int[][][] table) {
        int h = table.length, n = table[0].length, r = n == 0 ? 0 : table[0][0].length;
        int[] flat = new int[h * n * r];
        for (int i = 0; i < h; i++) for (int j = 0; j < n; j++) System.arraycopy(table[i][j], 0, flat, (i * n + j) * r, r);
        return Tensor.ofInts(flat, h, n, r);
    }

    private static int[][][] unflatten(int[] flat, int[] shape) {
        int h = shape[0], n = shape[1], r = shape[2];
        int[][][] out = new int[h][n][r];
        for (int i = 0; i < h; i++) for (int j = 0; j < n; j++) System.arraycopy(flat, (i * n + j) * r, out[i][j], 0, r);
        return out;
    }
}
