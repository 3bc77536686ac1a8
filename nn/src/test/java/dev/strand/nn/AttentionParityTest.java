package dev.strand.nn;

import static dev.strand.autograd.TorchFixtures.assertClose;

import dev.strand.autograd.Variable;
import dev.strand.nn.attention.AttentionMask;
import dev.strand.nn.attention.MultiHeadAttention;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.TransformerBlock;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * MultiHeadAttention against torch.nn.MultiheadAttention (padding and causal masks), and one
 * encoder layer against torch.nn.TransformerEncoderLayer (norm_first true and false): outputs,
 * attention weights and gradients of the input and every parameter, relative 1e-4.
 */
class AttentionParityTest {
    private static final Map<String, Map<String, Tensor>> FIX = dev.strand.autograd.TorchFixtures.load("/torch/nn.txt");

    /** Copies torch's packed in_proj [3d, d] and out_proj into query/key/value/output. */
    private static void loadAttention(MultiHeadAttention m, Map<String, Tensor> f, String prefix) {
        int d = m.dim;
        Tensor w = f.get(prefix + "in_proj_weight"), b = f.get(prefix + "in_proj_bias");
        m.query.weight.data().copyFrom(w.narrow(0, 0, d));
        m.key.weight.data().copyFrom(w.narrow(0, d, d));
        m.value.weight.data().copyFrom(w.narrow(0, 2 * d, d));
        m.query.bias.data().copyFrom(b.narrow(0, 0, d));
        m.key.bias.data().copyFrom(b.narrow(0, d, d));
        m.value.bias.data().copyFrom(b.narrow(0, 2 * d, d));
        m.output.weight.data().copyFrom(f.get(prefix + "out_proj.weight"));
        m.output.bias.data().copyFrom(f.get(prefix + "out_proj.bias"));
    }

    private static void checkAttentionGrads(MultiHeadAttention m, Map<String, Tensor> f, String prefix, String what) {
        int d = m.dim;
        Tensor gw = f.get("grad_" + prefix + "in_proj_weight"), gb = f.get("grad_" + prefix + "in_proj_bias");
        assertClose(gw.narrow(0, 0, d), m.query.weight.grad(), what + " grad query.weight");
        assertClose(gw.narrow(0, d, d), m.key.weight.grad(), what + " grad key.weight");
        assertClose(gw.narrow(0, 2 * d, d), m.value.weight.grad(), what + " grad value.weight");
        assertClose(gb.narrow(0, 0, d), m.query.bias.grad(), what + " grad query.bias");
        assertClose(gb.narrow(0, d, d), m.key.bias.grad(), what + " grad key.bias");
        assertClose(gb.narrow(0, 2 * d, d), m.value.bias.grad(), what + " grad value.bias");
        assertClose(f.get("grad_" + prefix + "out_proj.weight"), m.output.weight.grad(), what + " grad output.weight");
        assertClose(f.get("grad_" + prefix + "out_proj.bias"), m.output.bias.grad(), what + " grad output.bias");
    }

    private static void attentionCase(String name, boolean causal) {
        Map<String, Tensor> f = FIX.get(name);
        MultiHeadAttention mha = new MultiHeadAttention(16, 4, 0f, null, new Generator(0));
        loadAttention(mha, f, "");
        mha.recordAttention(true);
        // PyTorch's masks are its own; ours come from the AttentionMask that encoders and decoders build.
        AttentionMask mask = causal ? AttentionMask.causal() : AttentionMask.keyPadding(f.get("key_padding_mask"));
        Variable x = Variable.param(f.get("x"));
        Variable out = mha.forward(x, mask);
        assertClose(f.get("out"), out.data(), name + " out");
        assertClose(f.get("attn"), mha.lastAttention(), name + " attention weights");
        out.backward(f.get("gout"), false);
        assertClose(f.get("grad_x"), x.grad(), name + " grad x");
        checkAttentionGrads(mha, f, "", name);
    }

    @Test
    void multiHeadAttentionWithPaddingMask() {
        attentionCase("mha_padding", false);
    }

    @Test
    void multiHeadAttentionWithCausalMask() {
        attentionCase("mha_causal", true);
    }

    private static void encoderCase(String name, boolean preNorm) {
        Map<String, Tensor> f = FIX.get(name);
        TransformerConfig config = new TransformerConfig(1, 16, 1, 4, 32, 1, 0f, preNorm, Positions.LEARNED, 1e-5f);
        TransformerBlock layer = new TransformerBlock(config, 0, new Generator(0));
        loadAttention((MultiHeadAttention) layer.attention, f, "self_attn.");
        Map<String, Variable> p = layer.namedParameters();
        for (String torchName : new String[] {"linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias",
                                              "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"}) {
            String ours = torchName.startsWith("linear") ? "ffn." + torchName : torchName;
            p.get(ours).data().copyFrom(f.get(torchName));
        }
        Variable x = Variable.param(f.get("x"));
        Variable out = layer.forward(x, AttentionMask.keyPadding(f.get("key_padding_mask")));
        assertClose(f.get("out"), out.data(), name + " out");
        out.backward(f.get("gout"), false);
        assertClose(f.get("grad_x"), x.grad(), name + " grad x");
        checkAttentionGrads((MultiHeadAttention) layer.attention, f, "self_attn.", name);
        for (String torchName : new String[] {"linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias",
                                              "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"}) {
            String ours = torchName.startsWith("linear") ? "ffn." + torchName : torchName;
            assertClose(f.get("grad_" + torchName), p.get(ours).grad(), name + " grad " + ours);
        }
    }

    @Test
    void postNormEncoderLayer() {
        encoderCase("enc_postnorm", false);
    }

    @Test
    void preNormEncoderLayer() {
        encoderCase("enc_prenorm", true);
    }
}
