package dev.strand.genomics.ml;

/**
 * Limited-memory BFGS (Nocedal & Wright, Numerical Optimization, algorithm 7.4) for smooth
 * objectives: the search direction comes from the last {@code memory} steps and gradient changes
 * (two-loop recursion, initial Hessian scaled by sᵀy / yᵀy), the step length from backtracking
 * until the Armijo condition holds. Deterministic: the same start gives the same iterates.
 */
public final class Lbfgs {
    /** An objective that writes its gradient at {@code x} into {@code gradient} and returns its value. */
    @FunctionalInterface
    public interface Objective {
        double valueAndGradient(double[] x, double[] gradient);
    }

    /**
     * Where the search ended.
     *
     * @param x          the last iterate
     * @param value      the objective there
     * @param iterations iterations taken
     * @param converged  whether the gradient's largest component fell below the tolerance (or the
     *                   value stopped changing) before {@code maxIterations}
     */
    public record Result(double[] x, double value, int iterations, boolean converged) {}

    private static final double ARMIJO = 1e-4;

    private Lbfgs() {}

    /** Minimises {@code f} from {@code start} (not modified). */
    public static Result minimize(Objective f, double[] start, int maxIterations, double gradientTolerance, int memory) {
        int n = start.length;
        double[] x = start.clone(), g = new double[n];
        double fx = f.valueAndGradient(x, g);
        double[][] s = new double[memory][], y = new double[memory][];
        double[] rho = new double[memory], alpha = new double[memory];
        int stored = 0, newest = -1;
        double[] xNew = new double[n], gNew = new double[n], d = new double[n];
        for (int iter = 0; iter < maxIterations; iter++) {
            if (maxAbs(g) < gradientTolerance) return new Result(x, fx, iter, true);
            // d = −H·g by the two-loop recursion over the stored pairs, newest first
            System.arraycopy(g, 0, d, 0, n);
            for (int j = 0; j < stored; j++) {
                int i = Math.floorMod(newest - j, memory);
                alpha[i] = rho[i] * dot(s[i], d);
                axpy(-alpha[i], y[i], d);
            }
            double gamma = stored == 0 ? 1 / Math.max(1e-12, Math.sqrt(dot(g, g))) : dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
            for (int k = 0; k < n; k++) d[k] *= gamma;
            for (int j = stored - 1; j >= 0; j--) {
                int i = Math.floorMod(newest - j, memory);
                double beta = rho[i] * dot(y[i], d);
                axpy(alpha[i] - beta, s[i], d);
            }
            for (int k = 0; k < n; k++) d[k] = -d[k];
            double slope = dot(g, d);
            if (slope >= 0) {   // not a descent direction (numerical trouble): restart from steepest descent
                stored = 0;
                for (int k = 0; k < n; k++) d[k] = -g[k] * gamma;
                slope = dot(g, d);
            }
            double t = 1, fNew = Double.NaN;
            boolean accepted = false;
            for (int halvings = 0; halvings < 60; halvings++, t *= 0.5) {
                for (int k = 0; k < n; k++) xNew[k] = x[k] + t * d[k];
                fNew = f.valueAndGradient(xNew, gNew);
                if (fNew <= fx + ARMIJO * t * slope) {
                    accepted = true;
                    break;
                }
            }
            if (!accepted) return new Result(x, fx, iter, false);
            double[] sk = new double[n], yk = new double[n];
            for (int k = 0; k < n; k++) {
                sk[k] = xNew[k] - x[k];
                yk[k] = gNew[k] - g[k];
            }
            double sy = dot(sk, yk);
            if (sy > 1e-12 * Math.sqrt(dot(sk, sk) * dot(yk, yk))) {   // keep curvature pairs that keep H positive definite
                newest = (newest + 1) % memory;
                s[newest] = sk;
                y[newest] = yk;
                rho[newest] = 1 / sy;
                stored = Math.min(stored + 1, memory);
            }
            double change = fx - fNew;
            System.arraycopy(xNew, 0, x, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            fx = fNew;
            if (change <= 1e-13 * Math.max(1, Math.abs(fx))) return new Result(x, fx, iter + 1, true);
        }
        return new Result(x, fx, maxIterations, maxAbs(g) < gradientTolerance);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) y[i] += a * x[i];
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) m = Math.max(m, Math.abs(v));
        return m;
    }
}
