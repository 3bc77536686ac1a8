package dev.strand.opencl;

import static dev.strand.opencl.TestDevice.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.autograd.Elementwise;
import dev.strand.autograd.Variable;
import dev.strand.nn.loss.Losses;
import dev.strand.tensor.Device;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Autograd runs unchanged on device tensors: the same graphs give the same loss and the same
 * gradients of every input on the CPU and on the device.
 */
class AutogradParityTest {
    @BeforeAll
    static void device() {
        TestDevice.require();
    }

    /** A loss over parameters made from {@code inputs} (CPU tensors, moved to the device for the device run). */
    private static void sameGradients(String what, double rtol, double atol, List<Tensor> inputs,
                                      Function<List<Variable>, Variable> loss) {
        List<Variable> cpu = new ArrayList<>();
        for (Tensor t : inputs) cpu.add(Variable.param(t));
        Variable cpuLoss = loss.apply(cpu);
        cpuLoss.backward();
        List<Variable> dev = TestDevice.withDefaultDevice(() -> {
            List<Variable> params = new ArrayList<>();
            for (Tensor t : inputs) params.add(Variable.param(t.to(TestDevice.require())));
            Variable l = loss.apply(params);
            assertEquals(TestDevice.require(), l.data().device(), what + ": the loss is computed on the device");
            l.backward();
            params.add(l);
            return params;
        });
        assertClose(cpuLoss.data(), dev.getLast().data(), rtol, atol, what + ": loss");
        for (int i = 0; i < inputs.size(); i++) {
            assertEquals(TestDevice.require(), dev.get(i).grad().device(), what + ": gradient " + i + " device");
            assertClose(cpu.get(i).grad(), dev.get(i).grad(), rtol, atol, what + ": gradient of input " + i);
        }
    }

    @Test
    void mlpWithGeluAndCrossEntropy() {
        Generator g = new Generator(20);
        Tensor x = Tensor.uniform(g, -1f, 1f, 7, 33), w1 = Tensor.uniform(g, -0.3f, 0.3f, 33, 129), b1 = Tensor.uniform(g, -0.1f, 0.1f, 129);
        Tensor w2 = Tensor.uniform(g, -0.3f, 0.3f, 129, 5);
        int[] labels = {0, 4, 2, 2, 1, 3, 0};
        sameGradients("mlp", 1e-4, 1e-5, List.of(x, w1, b1, w2), p -> {
            Variable h = p.get(0).matmul(p.get(1)).add(p.get(2)).gelu();
            return Losses.crossEntropy(h.matmul(p.get(3)), Tensor.ofInts(labels));
        });
    }

    @Test
    void maskedAttentionWithHeadsAndDropout() {
        Generator g = new Generator(21);
        Tensor q = Tensor.uniform(g, -1f, 1f, 2, 7, 16), k = Tensor.uniform(g, -1f, 1f, 2, 7, 16), v = Tensor.uniform(g, -1f, 1f, 2, 7, 16);
        float[] causal = new float[7 * 7];
        for (int i = 0; i < 7; i++) for (int j = i + 1; j < 7; j++) causal[i * 7 + j] = 1f;
        sameGradients("attention", 1e-4, 1e-5, List.of(q, k, v), p -> {
            Variable qh = p.get(0).view(2, 7, 4, 4).transpose(1, 2);                         // [B, H, T, hd]
            Variable kh = p.get(1).view(2, 7, 4, 4).transpose(1, 2);
            Variable vh = p.get(2).view(2, 7, 4, 4).transpose(1, 2);
            Variable scores = qh.matmul(kh.transpose(-2, -1)).mul(0.5f)
                    .maskedFill(Tensor.of(causal, 7, 7), Float.NEGATIVE_INFINITY);           // [B, H, T, T]
            Variable weights = Elementwise.dropout(scores.softmax(-1), 0.2f, 99, 1234);
            Variable out = weights.matmul(vh).transpose(1, 2).reshape(2, 7, 16);              // [B, T, d]
            return out.square().mean();
        });
    }

    @Test
    void layerNormEmbeddingAndShapeOps() {
        Generator g = new Generator(22);
        Tensor table = Tensor.uniform(g, -1f, 1f, 11, 33), w = Tensor.uniform(g, 0.5f, 1.5f, 33), b = Tensor.uniform(g, -0.5f, 0.5f, 33);
        sameGradients("layer norm, embedding, max, var, split", 1e-4, 1e-5, List.of(table, w, b), p -> {
            Tensor ids = Tensor.ofInts(new int[] {3, 3, 0, 10, 7, 3, 1}, 7);                 // on the default device
            Variable e = p.get(0).indexSelect(0, ids);                                        // [7, 33]
            Variable n = e.layerNorm(p.get(1), p.get(2), 1e-5f);
            List<Variable> parts = n.split(1, 10, 23);
            Variable a = parts.get(0).tanh().max(1, false).sum();
            Variable c = parts.get(1).sigmoid().var(0, false, true).sum();
            Variable d = n.narrow(0, 2, 3).expand(2, 3, 33).relu().mean();
            return a.add(c).add(d);
        });
    }

    @Test
    void resultsStayOnTheirDevice() {
        Device dev = TestDevice.require();
        Tensor x = Tensor.uniform(new Generator(23), -1f, 1f, 3, 4).to(dev);
        for (Tensor r : List.of(x.exp(), x.softmax(1), x.layerNorm(null, null, 1e-5f).out(), x.dropout(0.5f, 1, 2),
                x.sum(0, false), x.argmax(1, false), x.matmul(x.t()), x.toInt(), x.add(1f))) {
            assertEquals(dev, r.device(), r.toString());
        }
    }
}
