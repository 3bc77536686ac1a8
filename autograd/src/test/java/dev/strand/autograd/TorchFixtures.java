package dev.strand.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.strand.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads PyTorch fixtures (made by the {@code make_*fixtures.py} scripts beside them): one tensor
 * per line, {@code case/name shape v1 v2 …}, grouped by case; and compares Strand's results to them.
 * Shared with later modules' tests through this module's test-jar.
 */
public final class TorchFixtures {
    private TorchFixtures() {}

    /**
     * Relative 1e-4, with a floor of 1e-2 × the tensor's largest magnitude for entries near 0 and an
     * absolute 1e-6 for tensors that are zero in exact arithmetic (float32 sums of O(1) terms).
     */
    public static void assertClose(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        double scale = 0;
        for (float x : e) scale = Math.max(scale, Math.abs(x));
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(a[i] - e[i]) <= 1e-4 * Math.max(Math.abs(e[i]), 1e-2 * scale) + 1e-6)) {
                fail(what + "[" + i + "] = " + a[i] + ", PyTorch " + e[i]);
            }
        }
    }

    public static Map<String, Map<String, Tensor>> load(String resource) {
        Map<String, Map<String, Tensor>> cases = new LinkedHashMap<>();
        try (var in = TorchFixtures.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing test resource " + resource);
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] parts = line.trim().split("\\s+");
                String[] key = parts[0].split("/", 2);
                int[] shape = parts[1].equals("scalar") ? new int[0]
                        : java.util.Arrays.stream(parts[1].split(",")).mapToInt(Integer::parseInt).toArray();
                float[] values = new float[parts.length - 2];
                for (int i = 0; i < values.length; i++) values[i] = Float.parseFloat(parts[i + 2]);
                cases.computeIfAbsent(key[0], k -> new LinkedHashMap<>()).put(key[1], Tensor.of(values, shape));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return cases;
    }
}
