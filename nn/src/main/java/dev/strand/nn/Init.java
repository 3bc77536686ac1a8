package dev.strand.nn;

import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;

/** Seeded parameter initialisers, matching PyTorch's definitions. */
public final class Init {
    private Init() {}

    /** Normal(0, std), e.g. std 0.02 as BERT and GPT-2 do. */
    public static Tensor normal(Generator gen, float std, int... shape) {
        return Tensor.normal(gen, 0f, std, shape);
    }

    /** Xavier/Glorot uniform: U(±√(6 / (fanIn + fanOut))) for a [fanOut, fanIn] weight. */
    public static Tensor xavierUniform(Generator gen, int fanOut, int fanIn) {
        float bound = (float) Math.sqrt(6.0 / (fanIn + fanOut));
        return Tensor.uniform(gen, -bound, bound, fanOut, fanIn);
    }

    /**
     * nn.Linear's default: Kaiming-uniform with a = √5, which is U(±1/√fanIn); PyTorch uses the
     * same bound for the bias.
     */
    public static Tensor kaimingUniform(Generator gen, int fanIn, int... shape) {
        float bound = (float) (1.0 / Math.sqrt(fanIn));
        return Tensor.uniform(gen, -bound, bound, shape);
    }
}
