package dev.strand.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.autograd.Variable;
import dev.strand.nn.loss.Losses;
import dev.strand.nn.optim.AdamW;
import dev.strand.nn.optim.Optimizer;
import dev.strand.nn.transformer.BertModel;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A small BERT trains the same on both backends: same initial weights (the same counter-based
 * random streams), the same dropout masks, and losses that agree step by step to float rounding.
 * nn and autograd run unchanged; only the default device differs.
 */
class BertTrainingParityTest {
    private static final int STEPS = 4, BATCH = 4, LENGTH = 16, VOCAB = 12;

    @BeforeAll
    static void device() {
        TestDevice.require();
    }

    /** Losses of STEPS AdamW steps (with gradient clipping) and the final value of one weight. */
    private static float[] train(Positions positions) {
        Generator gen = new Generator(31);
        var config = new TransformerConfig(VOCAB, 32, 2, 4, 64, LENGTH, 0.1f, true, positions, 1e-5f);
        BertModel bert = new BertModel(config, gen);
        AdamW opt = AdamW.adamW(bert.namedParameters(), 1e-2f, 0.01f);
        Generator data = new Generator(32);
        float[] out = new float[STEPS + 1];
        for (int step = 0; step < STEPS; step++) {
            int[] ids = new int[BATCH * LENGTH], labels = new int[BATCH * LENGTH], pad = new int[BATCH * LENGTH];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = 4 + data.nextInt(VOCAB - 4);
                boolean masked = data.nextFloat() < 0.25f;
                labels[i] = masked ? ids[i] : Losses.IGNORE_INDEX;
                if (masked) ids[i] = 3;                                     // a [MASK] id
                pad[i] = i % LENGTH >= LENGTH - 1 - i / LENGTH ? 1 : 0;     // the last b + 1 positions of row b are padding
                if (pad[i] == 1) labels[i] = Losses.IGNORE_INDEX;
            }
            labels[0] = ids[0] == 3 ? labels[0] : ids[0];
            Variable loss = bert.mlmLoss(Tensor.ofInts(ids, BATCH, LENGTH), Tensor.ofInts(pad, BATCH, LENGTH), Tensor.ofInts(labels, BATCH, LENGTH));
            out[step] = loss.item();
            opt.zeroGrad();
            loss.backward();
            Optimizer.clipGradNorm(bert.parameters(), 1f);
            opt.step();
        }
        Map<String, Variable> params = bert.namedParameters();
        out[STEPS] = params.get("encoder.layers.1.ffn.linear2.weight").data().sum().item();
        return out;
    }

    @Test
    void lossesMatchStepByStep() {
        for (Positions p : new Positions[] {Positions.LEARNED, Positions.ROPE}) {
            float[] cpu = train(p);
            OpenClBackend.Transfers before = TestDevice.backend().transfers();
            float[] dev = TestDevice.withDefaultDevice(() -> train(p));
            // Floats cross to the host for the loss and the gradient norm of each step (and the
            // weight's sum at the end), nothing else: not a read per parameter.
            assertEquals(2 * STEPS + 1, TestDevice.backend().transfers().floatReads() - before.floatReads(), p + " float reads");
            for (int i = 0; i < STEPS; i++) {
                assertEquals(cpu[i], dev[i], 5e-5 * Math.abs(cpu[i]), p + " loss at step " + i + ": cpu " + Arrays.toString(cpu) + ", device " + Arrays.toString(dev));
            }
            assertEquals(cpu[STEPS], dev[STEPS], 1e-3 * Math.max(1, Math.abs(cpu[STEPS])), p + " a trained weight's sum");
            assertTrue(cpu[STEPS - 1] < cpu[0], p + ": the model learns on the CPU " + Arrays.toString(cpu));
        }
    }
}
