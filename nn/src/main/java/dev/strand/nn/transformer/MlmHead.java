package dev.strand.nn.transformer;

import dev.strand.autograd.Variable;
import dev.strand.nn.Embedding;
import dev.strand.nn.LayerNorm;
import dev.strand.nn.Linear;
import dev.strand.nn.Module;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;

/**
 * BERT's masked-language-model head: Linear → GELU → LayerNorm → logits over the vocabulary,
 * the output matrix tied to the token embedding (one matrix read both ways) plus its own bias.
 */
public final class MlmHead extends Module {
    public final Linear dense;
    public final LayerNorm norm;
    public final Variable decoderWeight;   // shared with the token embedding
    public final Variable bias;

    public MlmHead(TransformerConfig c, Embedding tokens, Generator gen) {
        this.dense = child("dense", new Linear(c.dim(), c.dim(), true, gen));
        this.norm = child("norm", new LayerNorm(c.dim(), c.layerNormEps()));
        this.decoderWeight = sharedParameter("decoder_weight", tokens.weight);
        this.bias = parameter("bias", Tensor.zeros(c.vocabSize()));
    }

    /** hidden [..., d] → logits [..., V]. */
    public Variable forward(Variable hidden) {
        Variable h = norm.forward(dense.forward(hidden).gelu());                 // [..., d]
        return h.matmul(decoderWeight.transpose(0, 1)).add(bias);               // [..., V]
    }
}
