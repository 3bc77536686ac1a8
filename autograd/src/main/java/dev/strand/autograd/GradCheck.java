package dev.strand.autograd;

import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Checks analytic gradients against central finite differences.
 *
 * <p>The function's output is projected onto a fixed random direction w, L = Σ w·f(x), so one
 * backward pass checks every output element. Each input element is nudged by ±h in float32; the
 * two values of L are summed in double precision, and the quotient divides by the nudge that float32
 * actually applied, so rounding of x ± h does not bias it.
 */
public final class GradCheck {
    private GradCheck() {}

    /** Step, and tolerances |analytic − numeric| ≤ atol + rtol·|numeric|. */
    public record Options(double step, double rtol, double atol) {
        public static final Options DEFAULT = new Options(1e-2, 2e-2, 2e-3);
    }

    /** Checks {@code f} at {@code inputs} with default options; throws AssertionError naming the first mismatch. */
    public static void check(Function<List<Variable>, Variable> f, Tensor... inputs) {
        check(f, Options.DEFAULT, inputs);
    }

    public static void check(Function<List<Variable>, Variable> f, Options options, Tensor... inputs) {
        List<Variable> vars = new ArrayList<>();
        for (Tensor t : inputs) vars.add(Variable.param(t.copy()));
        Variable out = f.apply(vars);
        Tensor w = Tensor.uniform(new Generator(12345), -1f, 1f, out.shape());
        out.mul(Variable.constant(w)).sum().backward();

        for (int i = 0; i < vars.size(); i++) {
            Tensor x = vars.get(i).data();
            Tensor analytic = vars.get(i).grad();
            float[] a = analytic == null ? new float[x.numel()] : analytic.toFloatArray();
            float[] xs = x.toFloatArray();
            for (int e = 0; e < xs.length; e++) {
                float original = xs[e];
                float plus = (float) (original + options.step()), minus = (float) (original - options.step());
                double lPlus = projected(f, vars, w, i, e, plus);
                double lMinus = projected(f, vars, w, i, e, minus);
                set(x, e, original);
                double numeric = (lPlus - lMinus) / ((double) plus - (double) minus);
                if (!(Math.abs(a[e] - numeric) <= options.atol() + options.rtol() * Math.abs(numeric))) {
                    throw new AssertionError("gradient of input " + i + " element " + e + ": analytic " + a[e]
                            + ", numeric " + numeric + " (input value " + original + ")");
                }
            }
        }
    }

    private static double projected(Function<List<Variable>, Variable> f, List<Variable> vars, Tensor w, int input, int element, float value) {
        set(vars.get(input).data(), element, value);
        try (var s = GradMode.off()) {
            float[] out = f.apply(vars).data().toFloatArray();
            float[] ws = w.toFloatArray();
            double sum = 0;
            for (int k = 0; k < out.length; k++) sum += (double) out[k] * ws[k];
            return sum;
        }
    }

    /** Writes one element (row-major index) of a contiguous tensor in place. */
    private static void set(Tensor x, int element, float value) {
        x.reshape(x.numel()).narrow(0, element, 1).fill(value);
    }
}
