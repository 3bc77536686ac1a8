package dev.strand.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;

/** Graph behaviour: accumulation, zeroing, no-grad, detach, freezing, and release of buffers. */
class VariableTest {
    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroed() {
        Variable x = Variable.param(Tensor.of(new float[] {1, 2, 3}));
        x.mul(x).sum().backward();               // d/dx Σx² = 2x
        assertArrayEquals(new float[] {2, 4, 6}, x.grad().toFloatArray());
        x.mul(3f).sum().backward();              // + 3
        assertArrayEquals(new float[] {5, 7, 9}, x.grad().toFloatArray());
        x.zeroGrad();
        assertNull(x.grad());
        x.sum().backward();
        assertArrayEquals(new float[] {1, 1, 1}, x.grad().toFloatArray());
    }

    @Test
    void aVariableUsedTwiceGetsBothContributionsWithoutCorruptingShared() {
        Variable a = Variable.param(Tensor.of(new float[] {1, 2}));
        Variable b = Variable.param(Tensor.of(new float[] {3, 4}));
        Variable s = a.add(b);                   // a and b receive the same gradient tensor
        s.add(a).sum().backward();
        assertArrayEquals(new float[] {2, 2}, a.grad().toFloatArray());
        assertArrayEquals(new float[] {1, 1}, b.grad().toFloatArray());
    }

    @Test
    void noGradScopeRecordsNothing() {
        Variable x = Variable.param(Tensor.ones(3));
        Variable y;
        try (var s = GradMode.off()) {
            y = x.mul(2f).exp();
            assertFalse(GradMode.enabled());
        }
        assertTrue(GradMode.enabled());
        assertFalse(y.requiresGrad());
        assertTrue(y.isLeaf());
    }

    @Test
    void detachCutsTheGraph() {
        Variable x = Variable.param(Tensor.of(new float[] {2}));
        Variable y = x.mul(x);
        Variable z = y.detach().mul(x);           // only the direct x path carries gradient
        z.sum().backward();
        assertEquals(4f, x.grad().item());
    }

    @Test
    void frozenParametersGetNoGradient() {
        Variable w = Variable.param(Tensor.ones(2, 2)).setRequiresGrad(false);
        Variable x = Variable.param(Tensor.ones(3, 2));
        x.matmul(w).sum().backward();
        assertNull(w.grad());
        assertArrayEquals(new float[] {2, 2, 2, 2, 2, 2}, x.grad().toFloatArray());
    }

    @Test
    void backwardNeedsAScalarAndAGraph() {
        assertThrows(IllegalStateException.class, () -> Variable.param(Tensor.ones(2)).mul(2f).backward());
        assertThrows(IllegalStateException.class, () -> Variable.constant(Tensor.ones(1)).backward());
    }

    @Test
    void intermediateBuffersAreReleasedAfterBackward() {
        Variable w = Variable.param(Tensor.randn(new Generator(1), 64, 64));
        Variable x = Variable.constant(Tensor.randn(new Generator(2), 8, 64));
        Variable hidden = x.matmul(w).tanh();
        WeakReference<Tensor> hiddenValue = new WeakReference<>(hidden.data());
        Variable loss = hidden.mul(hidden).mean();
        hidden = null;
        loss.backward();
        assertTrue(loss.isLeaf(), "closures are dropped after backward");
        loss = null;
        for (int i = 0; i < 20 && hiddenValue.get() != null; i++) {
            System.gc();
            Thread.onSpinWait();
        }
        assertNull(hiddenValue.get(), "the graph's intermediate values can be collected after backward");
        assertTrue(w.grad() != null);
    }

    @Test
    void deepGraphsDoNotOverflowTheStack() {
        Variable x = Variable.param(Tensor.ones(1));
        Variable y = x;
        for (int i = 0; i < 50_000; i++) y = y.mul(1f);
        y.sum().backward();
        assertEquals(1f, x.grad().item());
    }
}
