package dev.strand.examples;

import dev.strand.autograd.GradMode;
import dev.strand.autograd.Variable;
import dev.strand.nn.Module;
import dev.strand.nn.loss.Losses;
import dev.strand.nn.optim.AdamW;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.SequenceHead;
import dev.strand.nn.transformer.Transformer;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;

/**
 * Trains a small transformer to tell random DNA from random DNA that contains the 8-mer
 * TATAAAAG somewhere, then reports test accuracy. Run: {@code java … MotifClassifier [steps]}.
 */
public final class MotifClassifier {
    static final int LENGTH = 48, BATCH = 32;

    /** Encoder + mean-pooled classification head. */
    static final class Model extends Module {
        final Transformer encoder;
        final SequenceHead head;

        Model(TransformerConfig config, Generator gen) {
            encoder = child("encoder", new Transformer(config, gen));
            head = child("head", new SequenceHead(config.dim(), 2, SequenceHead.Pooling.MEAN, 0f, gen));
        }

        Variable forward(Tensor ids) {
            return head.forward(encoder.forward(ids, null), null);   // [B, 2]
        }
    }

    public static double run(int steps) {
        Generator gen = new Generator(7);
        var config = new TransformerConfig(4, 32, 2, 4, 64, LENGTH, 0f, true, Positions.ROPE, 1e-5f);
        Model model = new Model(config, gen);
        AdamW optimizer = AdamW.adamW(model.namedParameters(), 3e-3f, 0.01f);
        for (int step = 0; step < steps; step++) {
            Batch b = Batch.random(BATCH, gen);
            Variable loss = Losses.crossEntropy(model.forward(b.ids), b.labels);
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
        }
        model.eval();
        try (var noGrad = GradMode.off()) {
            Batch test = Batch.random(1000, new Generator(99));
            Tensor predicted = model.forward(test.ids).data().argmax(1, false);
            return predicted.eq(test.labels).mean().item();
        }
    }

    /** Random sequences (A, C, G, T = 0 … 3); label 1 plants TATAAAAG at a random place. */
    record Batch(Tensor ids, Tensor labels) {
        static final int[] MOTIF = {3, 0, 3, 0, 0, 0, 0, 2};

        static Batch random(int n, Generator gen) {
            int[] ids = new int[n * LENGTH], labels = new int[n];
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < LENGTH; t++) ids[i * LENGTH + t] = gen.nextInt(4);
                labels[i] = gen.nextInt(2);
                if (labels[i] == 1) System.arraycopy(MOTIF, 0, ids, i * LENGTH + gen.nextInt(LENGTH - MOTIF.length + 1), MOTIF.length);
            }
            return new Batch(Tensor.ofInts(ids, n, LENGTH), Tensor.ofInts(labels, n));
        }
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 1600;
        System.out.printf("test accuracy after %d steps: %.3f%n", steps, run(steps));
    }
}
