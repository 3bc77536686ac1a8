package dev.strand.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strand.autograd.Variable;
import dev.strand.nn.attention.Alibi;
import dev.strand.nn.attention.Rope;
import dev.strand.nn.generate.Sampler;
import dev.strand.nn.optim.Optimizer;
import dev.strand.nn.optim.Schedule;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Known answers for positions, sampling, schedules, clipping, dropout and initialisation. */
class ComponentsTest {
    @Test
    void alibiSlopesFollowThePaper() {
        assertArrayEquals(new float[] {0.25f, 0.0625f, 0.015625f, 0.00390625f}, Alibi.slopes(4));   // 2^(-8h/4)
        float[] twelve = Alibi.slopes(12);
        for (int h = 0; h < 8; h++) assertEquals(Math.pow(2, -(h + 1)), twelve[h], 1e-7);
        float[] extra = {(float) Math.pow(2, -0.5), (float) Math.pow(2, -1.5), (float) Math.pow(2, -2.5), (float) Math.pow(2, -3.5)};
        for (int i = 0; i < 4; i++) assertEquals(extra[i], twelve[8 + i], 1e-7);
        assertEquals(-0.25f * 3, Alibi.bias(4, 5, 5, 0).get(0, 4, 1), 1e-7);
        assertEquals(-0.0625f * 2, Alibi.bias(4, 1, 5, 4).get(1, 0, 2), 1e-7);
    }

    @Test
    void ropeScoresDependOnlyOnRelativePosition() {
        Rope rope = new Rope(8);
        Generator g = new Generator(1);
        Variable q = Variable.constant(Tensor.randn(g, 1, 1, 1, 8)), k = Variable.constant(Tensor.randn(g, 1, 1, 1, 8));
        float near = rope.apply(q, 5).data().mul(rope.apply(k, 3).data()).sum().item();
        float far = rope.apply(q, 105).data().mul(rope.apply(k, 103).data()).sum().item();
        assertEquals(near, far, 1e-4f);
        assertNotEquals(near, rope.apply(q, 5).data().mul(rope.apply(k, 4).data()).sum().item(), 1e-4f);
        assertArrayEquals(q.data().toFloatArray(), rope.apply(q, 0).data().toFloatArray(), 1e-6f, "position 0 is the identity");
    }

    @Test
    void samplerGreedyTopKAndSeeds() {
        Tensor logits = Tensor.of(new float[] {1f, 3f, 2f, 0.5f});
        assertEquals(1, Sampler.GREEDY.next(logits, new Generator(0)));
        assertEquals(1, new Sampler(1f, 1, 1f).next(logits, new Generator(0)), "top-1 is greedy");
        assertEquals(1, new Sampler(1f, 0, 0.01f).next(logits, new Generator(0)), "a tiny nucleus is the argmax");
        int[] counts = new int[4];
        Generator g = new Generator(3);
        Sampler topTwo = new Sampler(1f, 2, 1f);
        for (int i = 0; i < 4000; i++) counts[topTwo.next(logits, g)]++;
        assertEquals(0, counts[0] + counts[3], "only the top two tokens are drawn");
        assertEquals(1 / (1 + Math.exp(-1)), counts[1] / 4000.0, 0.03);
        assertEquals(new Sampler(0.7f, 0, 0.9f).next(logits, new Generator(9)), new Sampler(0.7f, 0, 0.9f).next(logits, new Generator(9)));
    }

    @Test
    void schedulesHaveTheirShapes() {
        Schedule cos = Schedule.warmupCosine(1f, 10, 110, 0.1f);
        assertEquals(0.1f, cos.lr(0), 1e-6);
        assertEquals(1f, cos.lr(9), 1e-6);
        assertEquals(0.55f, cos.lr(60), 1e-6);
        assertEquals(0.1f, cos.lr(110), 1e-6);
        Schedule lin = Schedule.warmupLinear(2f, 4, 104);
        assertEquals(1f, lin.lr(1), 1e-6);
        assertEquals(1f, lin.lr(54), 1e-6);
        assertEquals(0f, lin.lr(104), 1e-6);
        Schedule tri = Schedule.cyclical(0.1f, 1.1f, 10);
        assertEquals(0.1f, tri.lr(0), 1e-6);
        assertEquals(1.1f, tri.lr(10), 1e-6);
        assertEquals(0.6f, tri.lr(15), 1e-6);
        assertEquals(0.1f, tri.lr(20), 1e-6);
    }

    @Test
    void clippingScalesToTheMaximumNormWithoutTouchingSharedGradients() {
        Variable a = Variable.param(Tensor.zeros(2)), b = Variable.param(Tensor.zeros(2));
        Tensor shared = Tensor.of(new float[] {3, 4});
        a.accumulate(shared);
        b.accumulate(shared);
        float norm = Optimizer.clipGradNorm(List.of(a, b), 1f);
        assertEquals(Math.sqrt(50), norm, 1e-5);
        assertEquals(1f, (float) Math.sqrt(a.grad().square().sum().item() + b.grad().square().sum().item()), 1e-5f);
        assertArrayEquals(new float[] {3, 4}, shared.toFloatArray(), "the shared tensor is not scaled in place");
    }

    @Test
    void gradientAccumulationOverMicroBatchesEqualsOneBigBatch() {
        Generator g = new Generator(4);
        Linear layer = new Linear(5, 3, true, g);
        Tensor x = Tensor.randn(g, 8, 5), y = Tensor.randn(g, 8, 3);
        dev.strand.nn.loss.Losses.mse(layer.forward(Variable.constant(x)), Variable.constant(y)).backward();
        Tensor whole = layer.weight.grad();
        layer.zeroGrad();
        for (int half = 0; half < 2; half++) {
            Variable xs = Variable.constant(x.narrow(0, 4 * half, 4)), ys = Variable.constant(y.narrow(0, 4 * half, 4));
            dev.strand.nn.loss.Losses.mse(layer.forward(xs), ys).div(2f).backward();
        }
        assertArrayEquals(whole.toFloatArray(), layer.weight.grad().toFloatArray(), 1e-6f);
    }

    @Test
    void dropoutIsIdentityInEvalAndSeededInTraining() {
        Dropout d = new Dropout(0.5f, new Generator(1));
        Variable x = Variable.constant(Tensor.ones(1000));
        d.eval();
        assertSame(x, d.forward(x));
        d.train(true);
        float kept = d.forward(x).data().gt(0f).mean().item();
        assertEquals(0.5, kept, 0.06);
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1f, new Generator(0)));
    }

    @Test
    void linearInitialisationMatchesPyTorchBounds() {
        Linear l = new Linear(100, 50, true, new Generator(2));
        float bound = 0.1f;
        for (float w : l.weight.data().toFloatArray()) assertEquals(0, w, bound);
        assertArrayEquals(new int[] {50, 100}, l.weight.shape());
        Tensor xavier = Init.xavierUniform(new Generator(3), 30, 70);
        float max = xavier.abs().max(0, false).max(0, false).item();
        assertEquals(Math.sqrt(6.0 / 100), max, 0.02);
    }
}
