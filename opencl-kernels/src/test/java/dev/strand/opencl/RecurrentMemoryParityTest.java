package dev.strand.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.autograd.Variable;
import dev.strand.nn.loss.Losses;
import dev.strand.nn.optim.AdamW;
import dev.strand.nn.transformer.GptModel;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.RecurrentMemory;
import dev.strand.nn.transformer.SequenceHead;
import dev.strand.nn.transformer.SequenceModel;
import dev.strand.nn.transformer.Transformer;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Recurrent-memory training steps, both forms, give the same losses on the device as on the CPU. */
class RecurrentMemoryParityTest {
    private static final int VOCAB = 12, STEPS = 3;

    @BeforeAll
    static void device() {
        TestDevice.require();
    }

    private static TransformerConfig config(int bptt) {
        return new TransformerConfig(VOCAB, 16, 2, 2, 32, 12, 0f, true, Positions.ROPE, 1e-5f)
                .withMemory(new RecurrentMemory(2, 12, bptt, null));
    }

    /** Rows [CLS] x [SEP] of 20 and 9 tokens (3 and 1 encoder segments of 7), padded. */
    private static Tensor[] rows() {
        int t = 22;
        int[] ids = new int[2 * t], pad = new int[2 * t];
        for (int b = 0; b < 2; b++) {
            int n = b == 0 ? 20 : 9;
            ids[b * t] = 2;
            for (int i = 1; i <= n; i++) ids[b * t + i] = 4 + (i * 5 + b) % 8;
            ids[b * t + n + 1] = 3;
            for (int j = n + 2; j < t; j++) pad[b * t + j] = 1;
        }
        return new Tensor[] {Tensor.ofInts(ids, 2, t), Tensor.ofInts(pad, 2, t)};
    }

    /** Losses of the encoder form (full BPTT, last segment's prediction) over a few AdamW steps. */
    private static float[] encoderSteps() {
        Generator gen = new Generator(21);
        SequenceModel model = new SequenceModel(new Transformer(config(-1), gen), new SequenceHead(16, 2, SequenceHead.Pooling.MEAN, 0f, gen), gen);
        AdamW opt = AdamW.adamW(model.namedParameters(), 1e-2f, 0.01f);
        Tensor[] b = rows();
        float[] losses = new float[STEPS];
        for (int s = 0; s < STEPS; s++) {
            Variable loss = Losses.crossEntropy(model.forward(b[0], b[1]), Tensor.ofInts(new int[] {0, 1}, 2));
            losses[s] = loss.item();
            opt.zeroGrad();
            loss.backward();
            opt.step();
        }
        return losses;
    }

    /** Losses of the decoder form with truncated BPTT, backpropagated at the cuts. */
    private static float[] decoderSteps() {
        GptModel model = new GptModel(config(1), new Generator(22));
        AdamW opt = AdamW.adamW(model.namedParameters(), 1e-2f, 0.01f);
        int[] ids = new int[30];
        for (int i = 0; i < ids.length; i++) ids[i] = 4 + (i * 3 + 1) % 8;
        Tensor stream = Tensor.ofInts(ids, 1, 30);
        float[] losses = new float[STEPS];
        for (int s = 0; s < STEPS; s++) {
            opt.zeroGrad();
            Variable loss = model.nextTokenLoss(stream.narrow(1, 0, 29), stream.narrow(1, 1, 29), true);
            loss.backward();
            losses[s] = loss.item();
            opt.step();
        }
        return losses;
    }

    @Test
    void anRmtStepGivesTheSameLossesOnTheDevice() {
        float[] cpuEncoder = encoderSteps(), cpuDecoder = decoderSteps();
        float[] devEncoder = TestDevice.withDefaultDevice(RecurrentMemoryParityTest::encoderSteps);
        float[] devDecoder = TestDevice.withDefaultDevice(RecurrentMemoryParityTest::decoderSteps);
        for (int s = 0; s < STEPS; s++) {
            assertEquals(cpuEncoder[s], devEncoder[s], 1e-4 * Math.max(1, Math.abs(cpuEncoder[s])),
                    "encoder step " + s + ": cpu " + Arrays.toString(cpuEncoder) + ", device " + Arrays.toString(devEncoder));
            assertEquals(cpuDecoder[s], devDecoder[s], 1e-4 * Math.max(1, Math.abs(cpuDecoder[s])),
                    "decoder step " + s + ": cpu " + Arrays.toString(cpuDecoder) + ", device " + Arrays.toString(devDecoder));
        }
    }
}
