package dev.strand.autograd;

import static dev.strand.autograd.Broadcasting.sumTo;

import dev.strand.tensor.BinaryOp;
import dev.strand.tensor.Tensor;

/** Elementwise operations with NumPy broadcasting; gradients are summed back to each input's shape. */
public final class Elementwise {
    private Elementwise() {}

    public static Variable add(Variable a, Variable b) {
        Tensor out = a.data().add(b.data());
        return Variable.result("add", out, g -> {
            if (a.requiresGrad()) a.accumulate(sumTo(g, a.shape()));
            if (b.requiresGrad()) b.accumulate(sumTo(g, b.shape()));
        }, a, b);
    }

    public static Variable sub(Variable a, Variable b) {
        Tensor out = a.data().sub(b.data());
        return Variable.result("sub", out, g -> {
            if (a.requiresGrad()) a.accumulate(sumTo(g, a.shape()));
            if (b.requiresGrad()) b.accumulate(sumTo(g.neg(), b.shape()));
        }, a, b);
    }

    public static Variable mul(Variable a, Variable b) {
        Tensor out = a.data().mul(b.data());
        return Variable.result("mul", out, g -> {
            if (a.requiresGrad()) a.accumulate(sumTo(g.mul(b.data()), a.shape()));
            if (b.requiresGrad()) b.accumulate(sumTo(g.mul(a.data()), b.shape()));
        }, a, b);
    }

    public static Variable div(Variable a, Variable b) {
        Tensor out = a.data().div(b.data());
        return Variable.result("div", out, g -> {
            Tensor gOverB = g.div(b.data());
            if (a.requiresGrad()) a.accumulate(sumTo(gOverB, a.shape()));
            if (b.requiresGrad()) b.accumulate(sumTo(gOverB.mul(out).neg(), b.shape())); // −g·a/b²
        }, a, b);
    }

    /** a^b elementwise (a > 0 where b's gradient is needed). */
    public static Variable pow(Variable a, Variable b) {
        Tensor out = a.data().pow(b.data());
        return Variable.result("pow", out, g -> {
            if (a.requiresGrad()) a.accumulate(sumTo(g.mul(b.data()).mul(a.data().pow(b.data().sub(1f))), a.shape()));
            if (b.requiresGrad()) b.accumulate(sumTo(g.mul(out).mul(a.data().log()), b.shape()));
        }, a, b);
    }

    public static Variable addScalar(Variable a, float s) {
        return Variable.result("add", a.data().add(s), a::accumulate, a);
    }

    public static Variable mulScalar(Variable a, float s) {
        return Variable.result("mul", a.data().mul(s), g -> a.accumulate(g.mul(s)), a);
    }

    public static Variable powScalar(Variable a, float p) {
        return Variable.result("pow", a.data().pow(p), g -> a.accumulate(g.mul(a.data().pow(p - 1f).mul(p))), a);
    }

    public static Variable square(Variable a) {
        return Variable.result("square", a.data().square(), g -> a.accumulate(g.mul(a.data()).mul(2f)), a);
    }

    /** |a|; the gradient at 0 is 0. */
    public static Variable abs(Variable a) {
        return Variable.result("abs", a.data().abs(), g -> a.accumulate(g.mul(a.data().gt(0f).sub(a.data().lt(0f)))), a);
    }

    public static Variable exp(Variable a) {
        Tensor out = a.data().exp();
        return Variable.result("exp", out, g -> a.accumulate(g.mul(out)), a);
    }

    public static Variable log(Variable a) {
        return Variable.result("log", a.data().log(), g -> a.accumulate(g.div(a.data())), a);
    }

    public static Variable sqrt(Variable a) {
        Tensor out = a.data().sqrt();
        return Variable.result("sqrt", out, g -> a.accumulate(g.div(out).mul(0.5f)), a);
    }

    public static Variable tanh(Variable a) {
        Tensor out = a.data().tanh();
        return Variable.result("tanh", out, g -> a.accumulate(g.mul(out.square().neg().add(1f))), a);   // 1 − tanh²
    }

    public static Variable sigmoid(Variable a) {
        Tensor out = a.data().sigmoid();
        return Variable.result("sigmoid", out, g -> a.accumulate(g.mul(out.mul(out.neg().add(1f)))), a);   // σ(1 − σ)
    }

    public static Variable relu(Variable a) {
        return Variable.result("relu", a.data().relu(), g -> a.accumulate(a.data().zip(BinaryOp.RELU_BACKWARD, g)), a);
    }

    /** GELU, exact (erf) or its tanh approximation. */
    public static Variable gelu(Variable a, boolean tanhApproximation) {
        Tensor out = tanhApproximation ? a.data().geluTanh() : a.data().gelu();
        BinaryOp derivative = tanhApproximation ? BinaryOp.GELU_TANH_BACKWARD : BinaryOp.GELU_ERF_BACKWARD;
        return Variable.result("gelu", out, g -> a.accumulate(a.data().zip(derivative, g)), a);
    }

    /**
     * Inverted dropout with the mask at stream positions {@code counter …} of {@code seed}; the
     * backward pass regenerates the same mask rather than storing it.
     */
    public static Variable dropout(Variable a, float p, long seed, long counter) {
        return Variable.result("dropout", a.data().dropout(p, seed, counter), g -> a.accumulate(g.dropout(p, seed, counter)), a);
    }

    /** a with {@code value} wherever mask (broadcast, nonzero = true) is set; no gradient flows there. */
    public static Variable maskedFill(Variable a, Tensor mask, float value) {
        Tensor out = a.data().maskedFill(mask, value);
        return Variable.result("maskedFill", out, g -> a.accumulate(sumTo(g.maskedFill(mask, 0f), a.shape())), a);
    }

    /**
     * Pairs (i, i + D/2) of a [..., T, D] rotated by the angles of cos and sin [T, D/2], as
     * {@link Tensor#rotateHalf}; the gradient is the rotation back (sin negated).
     */
    public static Variable rotateHalf(Variable a, Tensor cos, Tensor sin) {
        return Variable.result("rotateHalf", a.data().rotateHalf(cos, sin), g -> a.accumulate(g.rotateHalf(cos, sin.neg())), a);
    }

    /** cond != 0 ? a : b, broadcasting all three. */
    public static Variable where(Tensor cond, Variable a, Variable b) {
        Tensor out = Tensor.where(cond, a.data(), b.data());
        return Variable.result("where", out, g -> {
            Tensor zero = Tensor.scalar(0f);
            if (a.requiresGrad()) a.accumulate(sumTo(Tensor.where(cond, g, zero), a.shape()));
            if (b.requiresGrad()) b.accumulate(sumTo(Tensor.where(cond, zero, g), b.shape()));
        }, a, b);
    }
}
