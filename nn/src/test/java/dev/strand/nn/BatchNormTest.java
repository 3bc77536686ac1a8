package dev.strand.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.strand.autograd.GradCheck;
import dev.strand.autograd.Variable;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batch normalisation against a scalar reference, its gradient by finite differences, and its running statistics. */
class BatchNormTest {
    private static final float EPS = 1e-5f;

    @Test
    void trainingNormalisesEachFeatureWithTheBatchStatistics() {
        int rows = 5, dim = 3;
        Tensor x = Tensor.randn(new Generator(1), rows, dim).mul(2f).add(0.7f);
        float[] out = new BatchNorm(dim).forward(Variable.constant(x)).data().toFloatArray();
        float[] in = x.toFloatArray();
        for (int f = 0; f < dim; f++) {
            double mean = 0, var = 0;
            for (int i = 0; i < rows; i++) mean += in[i * dim + f] / rows;
            for (int i = 0; i < rows; i++) var += (in[i * dim + f] - mean) * (in[i * dim + f] - mean) / rows;
            for (int i = 0; i < rows; i++) assertEquals((in[i * dim + f] - mean) / Math.sqrt(var + EPS), out[i * dim + f], 1e-5);
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        BatchNorm norm = new BatchNorm(4);
        Tensor weights = Tensor.randn(new Generator(3), 6, 4);
        // A weighted sum, so the gradient is not the zero that a plain sum of normalised values has.
        GradCheck.check(in -> norm.forward(in.get(0)).mul(Variable.constant(weights)).sum(), Tensor.randn(new Generator(2), 6, 4));
    }

    @Test
    void runningStatisticsFollowTheBatchesAndServeEvaluation() {
        BatchNorm norm = new BatchNorm(2, EPS, 0.1f);
        Tensor x = Tensor.of(new float[] {1, 10, 3, 20, 5, 60}).view(3, 2);   // means 3, 30; unbiased variances 4, 700
        norm.forward(Variable.constant(x));
        assertArrayEquals(new float[] {0.3f, 3f}, norm.runningMean.toFloatArray(), 1e-5f);
        assertArrayEquals(new float[] {0.9f + 0.4f, 0.9f + 70f}, norm.runningVar.toFloatArray(), 1e-4f);

        norm.eval();
        Tensor row = Tensor.of(new float[] {2, 4}).view(1, 2);
        float[] out = norm.forward(Variable.constant(row)).data().toFloatArray();
        assertEquals((2 - 0.3) / Math.sqrt(1.3 + EPS), out[0], 1e-5);
        assertEquals((4 - 3) / Math.sqrt(70.9 + EPS), out[1], 1e-5);
        assertArrayEquals(new float[] {0.3f, 3f}, norm.runningMean.toFloatArray(), 1e-6f, "evaluation leaves them alone");

        norm.train(true);
        assertArrayEquals(out, norm.forward(Variable.constant(row)).data().toFloatArray(), 1e-6f,
                "a training batch of one row has no variance of its own: it uses the running statistics");
        assertArrayEquals(new float[] {0.3f, 3f}, norm.runningMean.toFloatArray(), 1e-6f);
    }

    @Test
    void runningStatisticsAreBuffersInTheStateDict() {
        Module model = new Module() {
            final BatchNorm norm = child("norm", new BatchNorm(3));
            final Linear out = child("out", new Linear(3, 2, true, new Generator(1)));
        };
        BatchNorm norm = (BatchNorm) model.children().get("norm");
        assertEquals(List.of("out.weight", "out.bias", "norm.running_mean", "norm.running_var"), List.copyOf(model.stateDict().keySet()),
                "parameters first, then buffers: a checkpoint holds both");
        assertEquals(List.of("out.weight", "out.bias"), List.copyOf(model.namedParameters().keySet()), "buffers are not trained");
        assertSame(norm.runningMean, model.stateDict().get("norm.running_mean"), "shared storage, so loading a checkpoint fills them");
    }
}
