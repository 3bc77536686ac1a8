package dev.strand.genomics.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LbfgsTest {
    @Test
    void findsTheMinimumOfAnIllConditionedQuadratic() {
        // f(x) = Σ c_i (x_i − i)², c_i from 1 to 1000: minimum 0 at x_i = i
        int n = 20;
        Lbfgs.Objective f = (x, g) -> {
            double v = 0;
            for (int i = 0; i < n; i++) {
                double c = Math.pow(1000, i / (n - 1.0)), d = x[i] - i;
                v += c * d * d;
                g[i] = 2 * c * d;
            }
            return v;
        };
        Lbfgs.Result r = Lbfgs.minimize(f, new double[n], 500, 1e-8, 10);
        assertTrue(r.converged());
        for (int i = 0; i < n; i++) assertEquals(i, r.x()[i], 1e-6);
        assertEquals(0, r.value(), 1e-10);
    }

    @Test
    void solvesRosenbrock() {
        Lbfgs.Objective f = (x, g) -> {
            double a = 1 - x[0], b = x[1] - x[0] * x[0];
            g[0] = -2 * a - 400 * x[0] * b;
            g[1] = 200 * b;
            return a * a + 100 * b * b;
        };
        double[] start = {-1.2, 1};
        Lbfgs.Result r = Lbfgs.minimize(f, start, 1000, 1e-9, 5);
        assertEquals(1, r.x()[0], 1e-5);
        assertEquals(1, r.x()[1], 1e-5);
        assertEquals(-1.2, start[0], "the start is not modified");
    }
}
