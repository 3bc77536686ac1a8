// Counter-based random numbers, bit for bit those of dev.strand.tensor.Generator and the CPU
// kernels: element i depends only on (seed, counter + i), never on the work-item layout.
#pragma OPENCL FP_CONTRACT OFF

// SplitMix64's finaliser over seed and stream position (Generator.mix).
inline ulong mix(ulong seed, ulong index) {
    ulong z = seed * 0x9E3779B97F4A7C15UL + (index + 1UL) * 0xBF58476D1CE4E5B9UL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
    return z ^ (z >> 31);
}

// A uniform float in [0, 1) from 24 random bits (Generator.uniformAt).
inline float uniform_at(ulong seed, ulong index) {
    return (float) (uint) (mix(seed, index) >> 40) * 0x1.0p-24f;
}

__kernel void uniform(const int n, __global float* out, const int oo, const ulong seed, const ulong counter,
                      const float low, const float high) {
    int i = get_global_id(0);
    if (i >= n) return;
    float scale = high - low;
    out[oo + i] = low + scale * uniform_at(seed, counter + i);
}

// Box–Muller: pair p uses U(counter + 2p) and U(counter + 2p + 1); in double where the device has it,
// as on the CPU.
#ifdef cl_khr_fp64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double real;
#define TWO_PI 6.283185307179586
#else
typedef float real;
#define TWO_PI 6.2831855f
#endif

__kernel void normal(const int n, __global float* out, const int oo, const ulong seed, const ulong counter,
                     const float mean, const float std) {
    int p = get_global_id(0);
    if (2 * p >= n) return;
    real u1 = uniform_at(seed, counter + 2UL * p);
    real u2 = uniform_at(seed, counter + 2UL * p + 1UL);
    real r = sqrt(-2 * log(1 - u1));
    real theta = TWO_PI * u2;
    out[oo + 2 * p] = (float) (mean + std * r * cos(theta));
    if (2 * p + 1 < n) out[oo + 2 * p + 1] = (float) (mean + std * r * sin(theta));
}

// Inverted dropout (RandomKernels.dropout): one 64-bit hash serves four elements; element 4g + k
// keeps its value when bits [16k, 16k + 16) of mix(seed, counter + g) are at least the threshold.
__kernel void dropout(const int n, __global const float* x, const int xo, __global float* out, const int oo,
                      const ulong seed, const ulong counter, const int threshold, const float scale) {
    int g = get_global_id(0);
    int base = 4 * g;
    if (base >= n) return;
    ulong bits = mix(seed, counter + g);
    for (int k = 0; k < 4 && base + k < n; k++) {
        int u = (int) (bits >> (16 * k)) & 0xFFFF;
        out[oo + base + k] = u >= threshold ? x[xo + base + k] * scale : 0.0f;
    }
}
