package dev.strand.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.strand.autograd.Variable;
import dev.strand.nn.generate.Sampler;
import dev.strand.nn.optim.AdamW;
import dev.strand.nn.transformer.GptModel;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A small decoder learns to continue a repeated pattern within a bounded number of steps. */
class LearningTest {
    /** A period-7 pattern over a 4-letter alphabet: A C G T T G C. */
    private static final int[] PATTERN = {0, 1, 2, 3, 3, 2, 1};

    private static int[] periodic(int start, int length) {
        int[] s = new int[length];
        for (int i = 0; i < length; i++) s[i] = PATTERN[(start + i) % PATTERN.length];
        return s;
    }

    @Test
    void decoderContinuesARepeatedPattern() {
        Generator gen = new Generator(3);
        GptModel gpt = new GptModel(new TransformerConfig(4, 32, 2, 4, 64, 64, 0f, true, Positions.ROPE, 1e-5f), gen);
        AdamW opt = AdamW.adamW(gpt.namedParameters(), 3e-3f, 0f);
        for (int step = 0; step < 150; step++) {
            int[] batch = new int[16 * 24];
            for (int b = 0; b < 16; b++) System.arraycopy(periodic(gen.nextInt(PATTERN.length), 24), 0, batch, b * 24, 24);
            Variable loss = gpt.lmLoss(Tensor.ofInts(batch, 16, 24));
            opt.zeroGrad();
            loss.backward();
            opt.step();
        }
        gpt.eval();
        int[] prompt = periodic(3, 9);
        int[] out = gpt.generate(prompt, 21, Sampler.GREEDY, gen, true);
        assertArrayEquals(periodic(3, 30), out, "continuation of " + Arrays.toString(prompt));
    }
}
