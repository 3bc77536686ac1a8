package dev.strand.tensor;

/**
 * The factories behind {@link Tensor#zeros}, {@link Tensor#full}, {@link Tensor#arange},
 * {@link Tensor#of}, {@link Tensor#ofInts}, {@link Tensor#uniform} and {@link Tensor#normal}:
 * fresh contiguous tensors, on the default device unless one is named.
 */
final class Creation {
    private Creation() {}

    static Tensor zeros(Device device, DType dtype, int... shape) {
        int[] s = shape.clone();
        Storage st = Backends.of(device).allocate(dtype, Shapes.numel(s));
        return new Tensor(st, s, Shapes.contiguousStrides(s), 0);
    }

    static Tensor full(float value, int... shape) {
        Tensor t = Tensor.zeros(shape);
        if (value != 0f) t.backend().fill(t, value);
        return t;
    }

    static Tensor arange(float start, float end, float step) {
        if (step == 0 || (end - start) / step < 0) {
            throw new IllegalArgumentException("arange(" + start + ", " + end + ", " + step + ") is empty or infinite");
        }
        int n = (int) Math.ceil((end - start) / step);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = start + i * step;
        return of(v, n);
    }

    static Tensor of(float[] data, int... shape) {
        int[] s = shape.length == 0 && data.length != 1 ? new int[] {data.length} : shape.clone();
        if (Shapes.numel(s) != data.length) {
            throw new IllegalArgumentException(data.length + " values do not fill shape " + Shapes.str(s));
        }
        return new Tensor(Backends.of(Backends.defaultDevice()).upload(data), s, Shapes.contiguousStrides(s), 0);
    }

    static Tensor ofInts(int[] data, int... shape) {
        int[] s = shape.length == 0 ? new int[] {data.length} : shape.clone();
        if (Shapes.numel(s) != data.length) {
            throw new IllegalArgumentException(data.length + " values do not fill shape " + Shapes.str(s));
        }
        return new Tensor(Backends.of(Backends.defaultDevice()).upload(data), s, Shapes.contiguousStrides(s), 0);
    }

    static Tensor uniform(Generator gen, float low, float high, int... shape) {
        Tensor t = Tensor.zeros(shape);
        t.backend().random(t, gen.seed(), gen.advance(t.numel()), false, low, high);
        return t;
    }

    static Tensor normal(Generator gen, float mean, float std, int... shape) {
        Tensor t = Tensor.zeros(shape);
        // Box–Muller consumes two uniforms per pair of outputs.
        t.backend().random(t, gen.seed(), gen.advance(2L * ((t.numel() + 1) / 2)), true, mean, std);
        return t;
    }
}
