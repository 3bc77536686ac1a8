package dev.strand.nn.transformer;

import dev.strand.autograd.Variable;
import dev.strand.nn.Embedding;
import dev.strand.nn.FeedForward;
import dev.strand.nn.Init;
import dev.strand.nn.LayerNorm;
import dev.strand.nn.Linear;
import dev.strand.nn.Module;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;

/**
 * BERT's masked-language-model head: Linear → GELU → LayerNorm → logits over the vocabulary,
 * the output matrix tied to the token embedding (one matrix read both ways) plus its own bias.
 * ESM's head is the same with an output matrix of its own ({@link Architecture#tiedOutput} false);
 * a model whose MLP uses the tanh GELU uses it here too, as Hugging Face's heads read {@code hidden_act}.
 */
public final class MlmHead extends Module {
    public final Linear dense;
    public final LayerNorm norm;
    public final Variable decoderWeight;   // [V, d], shared with the token embedding when tied
    public final Variable bias;
    private final boolean tanhGelu;        // the model's hidden_act is "gelu_new"

    public MlmHead(TransformerConfig c, Embedding tokens, Generator gen) {
        this.dense = child("dense", new Linear(c.dim(), c.dim(), true, gen));
        this.norm = child("norm", new LayerNorm(c.dim(), c.layerNormEps()));
        this.decoderWeight = c.architecture().tiedOutput() ? sharedParameter("decoder_weight", tokens.weight)
                : parameter("decoder_weight", Init.normal(gen, 0.02f, c.vocabSize(), c.dim()));
        this.bias = parameter("bias", Tensor.zeros(c.vocabSize()));
        this.tanhGelu = c.architecture().ffn() == FeedForward.Kind.GELU_TANH;
    }

    /** hidden [..., d] → logits [..., V]. */
    public Variable forward(Variable hidden) {
        Variable z = dense.forward(hidden);                                     // [..., d]
        Variable h = norm.forward(tanhGelu ? z.geluTanh() : z.gelu());          // [..., d]
        return h.matmul(decoderWeight.transpose(0, 1)).add(bias);               // [..., V]
    }
}
