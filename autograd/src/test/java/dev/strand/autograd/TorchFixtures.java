package dev.strand.autograd;

import dev.strand.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads fixtures written by {@code torch/make_fixtures.py}: one tensor per line,
 * {@code case/name shape v1 v2 …}, grouped by case.
 */
final class TorchFixtures {
    private TorchFixtures() {}

    static Map<String, Map<String, Tensor>> load(String resource) {
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
