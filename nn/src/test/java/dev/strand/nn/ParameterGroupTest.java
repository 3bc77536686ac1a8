package dev.strand.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.autograd.Variable;
import dev.strand.nn.optim.AdamW;
import dev.strand.nn.optim.Optimizer.ParamGroup;
import dev.strand.nn.optim.Sgd;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Optimizer parameter groups: each group's own learning rate and weight decay, and no state for frozen parameters. */
class ParameterGroupTest {
    private static Map<String, Variable> params(long seed, String prefix) {
        Generator g = new Generator(seed);
        Map<String, Variable> p = new LinkedHashMap<>();
        p.put(prefix + "weight", Variable.param(Tensor.randn(g, 3, 4)));
        p.put(prefix + "bias", Variable.param(Tensor.randn(g, 4)));
        return p;
    }

    /** Sets every gradient to a fixed random tensor. */
    private static void grads(Map<String, Variable> p, long seed) {
        Generator g = new Generator(seed);
        for (Variable v : p.values()) {
            v.zeroGrad();
            v.accumulate(Tensor.randn(g, v.shape()));
        }
    }

    @Test
    void oneOptimizerWithGroupsStepsAsOneOptimizerPerGroup() {
        Map<String, Variable> a1 = params(1, "enc."), b1 = params(2, "head."), a2 = params(1, "enc."), b2 = params(2, "head.");
        AdamW grouped = AdamW.adamW(List.of(ParamGroup.of(a1, 0.01f), new ParamGroup(b1, 3f, 0.1f)), 1e-2f);
        AdamW encoder = AdamW.adamW(a2, 1e-2f, 0.01f), head = AdamW.adamW(b2, 1e-2f * 3f, 0.1f);
        for (int step = 0; step < 3; step++) {
            float lr = 1e-2f / (step + 1);
            grouped.setLr(lr);
            encoder.setLr(lr);
            head.setLr(lr * 3f);
            grads(a1, 10 + step);
            grads(b1, 20 + step);
            grads(a2, 10 + step);
            grads(b2, 20 + step);
            grouped.step();
            encoder.step();
            head.step();
        }
        for (String k : a1.keySet()) assertArrayEquals(a2.get(k).data().toFloatArray(), a1.get(k).data().toFloatArray(), k);
        for (String k : b1.keySet()) assertArrayEquals(b2.get(k).data().toFloatArray(), b1.get(k).data().toFloatArray(), k);
        Map<String, Tensor> state = grouped.state();
        assertEquals(8, state.size(), "two moments for each of four parameters, by parameter name: " + state.keySet());
        assertTrue(state.containsKey("exp_avg/head.weight") && state.containsKey("exp_avg_sq/enc.bias"), state.keySet().toString());
    }

    @Test
    void weightDecayOfAGroupReachesItsMatricesOnly() {
        Map<String, Variable> p = params(3, "");
        float[] w = p.get("weight").data().toFloatArray(), b = p.get("bias").data().toFloatArray();
        Sgd sgd = new Sgd(p, 0.5f, 0f, 0.1f);
        for (Variable v : p.values()) v.accumulate(Tensor.zeros(v.shape()));   // zero gradients: only decay moves a parameter
        sgd.step();
        float[] w1 = p.get("weight").data().toFloatArray();
        for (int i = 0; i < w.length; i++) assertEquals(w[i] * (1 - 0.5f * 0.1f), w1[i], 1e-6f, "decayed matrix");
        assertArrayEquals(b, p.get("bias").data().toFloatArray(), "biases never decay");
    }

    @Test
    void frozenParametersHoldNoStateAndDoNotMove() {
        Map<String, Variable> frozen = params(4, "frozen."), trained = params(5, "trained.");
        frozen.values().forEach(v -> v.setRequiresGrad(false));
        float[] before = frozen.get("frozen.weight").data().toFloatArray();
        AdamW opt = AdamW.adamW(List.of(ParamGroup.of(frozen, 0.01f), ParamGroup.of(trained, 0.01f)), 1e-2f);
        grads(trained, 6);
        opt.step();
        assertArrayEquals(before, frozen.get("frozen.weight").data().toFloatArray());
        assertTrue(opt.state().keySet().stream().noneMatch(k -> k.contains("frozen.")), opt.state().keySet().toString());
        assertEquals(4, opt.state().size());
    }

    @Test
    void aParameterInTwoGroupsIsAnError() {
        Map<String, Variable> p = params(7, "x.");
        var e = assertThrows(IllegalArgumentException.class, () -> AdamW.adamW(List.of(ParamGroup.of(p, 0f), ParamGroup.of(p, 0f)), 1e-3f));
        assertTrue(e.getMessage().contains("'x.weight' is in two optimizer groups"), e.getMessage());
    }
}
