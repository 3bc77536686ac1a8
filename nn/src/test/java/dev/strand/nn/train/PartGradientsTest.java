package dev.strand.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.strand.autograd.Variable;
import dev.strand.nn.BatchNorm;
import dev.strand.nn.Dropout;
import dev.strand.nn.Linear;
import dev.strand.nn.Module;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A step computed in parts: a part's dropout masks are the same on any copy of the model given the
 * part's seed, and parts computed on another copy and summed there ({@link GradientSum}) leave the
 * trained model exactly as parts computed on the model itself: gradients and batch-norm running
 * estimates.
 */
class PartGradientsTest {
    /** Linear → batch norm → dropout; loss: the summed squares of its outputs. */
    static final class Net extends Module {
        final Linear linear;
        final BatchNorm norm;
        final Dropout dropout;

        Net(Generator gen) {
            linear = child("linear", new Linear(4, 3, true, gen));
            norm = child("norm", new BatchNorm(3));
            dropout = child("dropout", new Dropout(0.5f, gen));
        }

        Variable forward(Tensor x) {
            return dropout.forward(norm.forward(linear.forward(Variable.constant(x))));
        }
    }

    /** Rows x [b, 4]; its loss sums over rows, its weight is the rows. */
    record Replica(long seed) implements ShardedObjective.Replica {
        @Override
        public Module build() {
            return new Net(new Generator(seed));
        }

        @Override
        public ShardedObjective.Part loss(Module model, Batch rows) {
            Variable out = ((Net) model).forward(rows.get("x"));
            return new ShardedObjective.Part(out.mul(out).sum(), rows.rows(), rows.rows());
        }
    }

    private static Batch rows(long seed, int n) {
        Generator g = new Generator(seed);
        float[] x = new float[n * 4];
        for (int i = 0; i < x.length; i++) x[i] = g.nextFloat() * 2 - 1;
        return new Batch(Map.of("x", Tensor.of(x, n, 4)));
    }

    private static Map<String, Tensor> copy(Module from, Module to) {
        to.stateDict().forEach((name, t) -> t.copyFrom(from.stateDict().get(name)));
        return to.stateDict();
    }

    @Test
    void aPartsDropoutMasksAreTheSameOnAnyCopyGivenItsSeed() {
        Replica recipe = new Replica(1);
        Net a = (Net) recipe.build(), b = new Net(new Generator(99));    // another generator: other masks of its own
        copy(a, b);
        Batch x = rows(3, 6);
        PartGradients pa = PartGradients.of(recipe, a, x, 42L), pb = PartGradients.of(recipe, b, x, 42L);
        for (int i = 0; i < pa.gradients().length; i++) assertArrayEquals(pa.gradients()[i], pb.gradients()[i]);
        PartGradients own = PartGradients.of(recipe, b, x, null);
        assertFalse(Arrays.equals(pa.gradients()[0], own.gradients()[0]), "without a seed each copy draws its own masks");
    }

    @Test
    void partsComputedElsewhereLeaveTheModelAsPartsComputedOnIt() {
        Replica recipe = new Replica(1);
        Net here = (Net) recipe.build(), there = (Net) recipe.build(), target = (Net) recipe.build();
        copy(here, there);
        copy(here, target);
        List<Batch> parts = List.of(rows(5, 4), rows(6, 3));

        GradientSum local = new GradientSum();
        for (int s = 0; s < parts.size(); s++) local.add(PartGradients.of(recipe, here, parts.get(s), 10L + s));
        here.zeroGrad();
        GradientSource.Step a = local.applyTo(here);

        GradientSum remote = new GradientSum();
        for (int s = 0; s < parts.size(); s++) remote.add(PartGradients.of(recipe, there, parts.get(s), 10L + s));
        target.zeroGrad();
        GradientSource.Step b = remote.applyTo(target);

        assertEquals(a, b);
        assertEquals(7, a.examples());
        for (String name : here.namedParameters().keySet()) {
            assertArrayEquals(here.namedParameters().get(name).grad().toFloatArray(), target.namedParameters().get(name).grad().toFloatArray(), name);
        }
        assertArrayEquals(here.norm.runningMean.toFloatArray(), target.norm.runningMean.toFloatArray());
        assertArrayEquals(here.norm.runningVar.toFloatArray(), target.norm.runningVar.toFloatArray());
        assertFalse(Arrays.equals(new float[3], here.norm.runningMean.toFloatArray()), "the running mean moved");
        assertArrayEquals(new float[3], there.norm.runningMean.toFloatArray(), "a part leaves its copy's running estimates as they were");
    }
}
