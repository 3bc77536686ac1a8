package dev.strand.tensor;

import static dev.strand.tensor.Assertions2.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The fused Adam/AdamW step: known answers for a first step, and the argument checks. */
class OptimizerKernelsTest {
    private static float[] f(float... v) {
        return v;
    }

    @Test
    void firstAdamStepMovesEachParameterByAboutLrAgainstItsGradient() {
        // Step 1 from zero moments: m̂ = g and v̂ = g², so the update is lr·g/(|g| + eps) ≈ lr·sign(g).
        Tensor p = Tensor.of(f(1f, -2f)), g = Tensor.of(f(0.5f, -0.25f)), m = Tensor.zeros(2), v = Tensor.zeros(2);
        OptimizerKernels.adamStep(p, g, m, v, 0.1f, 0.9f, 0.999f, 1e-8f, 0f, 0f, 1);
        assertClose(f(0.9f, -1.9f), p.toFloatArray(), 1e-6, 1e-6, "param");
        assertClose(f(0.05f, -0.025f), m.toFloatArray(), 1e-6, 1e-9, "m = (1 − β1)·g");
        assertClose(f(0.00025f, 0.0000625f), v.toFloatArray(), 1e-4, 0, "v = (1 − β2)·g², 1 − β2 rounded to float");
    }

    @Test
    void decoupledDecayShrinksTheParameterBeforeTheAdamUpdate() {
        Tensor p = Tensor.of(f(1f, -2f)), g = Tensor.of(f(0.5f, -0.25f));
        OptimizerKernels.adamStep(p, g, Tensor.zeros(2), Tensor.zeros(2), 0.1f, 0.9f, 0.999f, 1e-8f, 0.5f, 0f, 1);
        assertClose(f(0.85f, -1.8f), p.toFloatArray(), 1e-6, 1e-6, "p·(1 − lr·wd) − lr·sign(g)");
    }

    @Test
    void refusesMismatchedShapesAndStridedBuffers() {
        Tensor p = Tensor.zeros(2, 3), g = Tensor.zeros(2, 3);
        var shape = assertThrows(IllegalArgumentException.class,
                () -> OptimizerKernels.adamStep(p, g, Tensor.zeros(3, 2), Tensor.zeros(2, 3), 0.1f, 0.9f, 0.999f, 1e-8f, 0f, 0f, 1));
        assertEquals("adamStep: shapes [2, 3] and [3, 2] differ", shape.getMessage());
        var strided = assertThrows(IllegalArgumentException.class,
                () -> OptimizerKernels.adamStep(p, g, Tensor.zeros(3, 2).t(), Tensor.zeros(2, 3), 0.1f, 0.9f, 0.999f, 1e-8f, 0f, 0f, 1));
        assertEquals("adamStep needs contiguous parameter and moment buffers", strided.getMessage());
    }
}
