package dev.strand.nn;

import static dev.strand.autograd.TorchFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.autograd.Variable;
import dev.strand.nn.loss.Losses;
import dev.strand.nn.optim.AdamW;
import dev.strand.tensor.Tensor;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Losses and AdamW steps against PyTorch (fixtures from make_nn_fixtures.py), relative 1e-4. */
class LossAndOptimizerParityTest {
    private static final Map<String, Map<String, Tensor>> FIX = dev.strand.autograd.TorchFixtures.load("/torch/nn.txt");

    private static void lossCase(String name, String input, Function<Variable, Variable> loss) {
        Map<String, Tensor> f = FIX.get(name);
        Variable x = Variable.param(f.get(input));
        Variable out = loss.apply(x);
        assertClose(f.get("out"), out.data(), name + " loss");
        out.backward(f.get("gout"), false);
        assertClose(f.get("grad_" + input), x.grad(), name + " gradient");
    }

    @Test
    void crossEntropyWithIgnoreIndexAndLabelSmoothing() {
        Tensor target = FIX.get("xent_smooth").get("target").toInt();
        lossCase("xent_smooth", "logits", l -> Losses.crossEntropy(l, target, Losses.IGNORE_INDEX, 0.1f));
        lossCase("xent_plain", "logits", l -> Losses.crossEntropy(l, FIX.get("xent_plain").get("target").toInt()));
    }

    @Test
    void binaryCrossEntropyMseAndPoisson() {
        lossCase("bce_logits", "x", x -> Losses.binaryCrossEntropyWithLogits(x, Variable.constant(FIX.get("bce_logits").get("y"))));
        lossCase("mse", "a", a -> Losses.mse(a, Variable.constant(FIX.get("mse").get("b"))));
        lossCase("poisson_nll", "pred", p -> Losses.poissonNll(p, Variable.constant(FIX.get("poisson_nll").get("y"))));
    }

    private static void adamCase(String name, float lr, float b1, float b2, float wd) {
        Map<String, Tensor> f = FIX.get(name);
        Variable p = Variable.param(f.get("p").copy());
        AdamW opt = new AdamW(Map.of("p", p), lr, b1, b2, 1e-8f, wd, true);
        for (int t = 1; t <= 3; t++) {
            p.zeroGrad();
            p.accumulate(f.get("grad" + t));
            opt.step();
            assertClose(f.get("p" + t), p.data(), name + " after step " + t);
        }
        assertEquals(3, opt.stepCount());
    }

    @Test
    void adamWStepsMatchTorch() {
        adamCase("adamw", 1e-2f, 0.9f, 0.999f, 0.01f);
        adamCase("adamw_amsgrad_off_wd0", 3e-3f, 0.8f, 0.99f, 0f);
    }
}
