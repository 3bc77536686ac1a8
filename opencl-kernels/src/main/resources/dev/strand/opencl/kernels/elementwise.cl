// Elementwise kernels over strided, broadcast operands: one work item per output element.
// The op codes (UNARY_*, BINARY_*) are defined by the host from the Java enums.

#define SQRT_2_OVER_PI 0.7978845608028654f
#define INV_SQRT_2 0.7071067811865476f
#define INV_SQRT_2PI 0.3989422804014327f

// erfc(z) for z >= 0: the same Chebyshev fit as the CPU kernels (fractional error below 1.2e-7).
inline float erfc_fit(float z) {
    float t = 1.0f / (1.0f + 0.5f * z);
    float p = -1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f + t * (-0.18628806f
            + t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f + t * (-0.82215223f + t * 0.17087277f))))))));
    return t * exp(-z * z + p);
}

inline float normal_cdf(float x) {
    float e = erfc_fit(fabs(x) * INV_SQRT_2);
    return x >= 0.0f ? 1.0f - 0.5f * e : 0.5f * e;
}

inline float unary_op(int op, float x) {
    switch (op) {
        case UNARY_IDENTITY: return x;
        case UNARY_NEG: return -x;
        case UNARY_EXP: return exp(x);
        case UNARY_LOG: return log(x);
        case UNARY_SQRT: return sqrt(x);
        case UNARY_TANH: return tanh(x);
        case UNARY_SIGMOID: return 1.0f / (1.0f + exp(-x));
        case UNARY_RELU: return x > 0.0f ? x : 0.0f;
        case UNARY_GELU_ERF: return x * normal_cdf(x);
        case UNARY_GELU_TANH: return 0.5f * x * (1.0f + tanh(SQRT_2_OVER_PI * (x + 0.044715f * x * x * x)));
        case UNARY_ABS: return fabs(x);
        case UNARY_RECIPROCAL: return 1.0f / x;
        case UNARY_SQUARE: return x * x;
        default: return NAN;
    }
}

inline float binary_op(int op, float a, float b) {
    switch (op) {
        case BINARY_ADD: return a + b;
        case BINARY_SUB: return a - b;
        case BINARY_MUL: return a * b;
        case BINARY_DIV: return a / b;
        case BINARY_POW: return pow(a, b);
        case BINARY_MAXIMUM: return max_nan(a, b);
        case BINARY_MINIMUM: return min_nan(a, b);
        case BINARY_EQ: return a == b ? 1.0f : 0.0f;
        case BINARY_NE: return a != b ? 1.0f : 0.0f;
        case BINARY_LT: return a < b ? 1.0f : 0.0f;
        case BINARY_LE: return a <= b ? 1.0f : 0.0f;
        case BINARY_GT: return a > b ? 1.0f : 0.0f;
        case BINARY_GE: return a >= b ? 1.0f : 0.0f;
        case BINARY_RELU_BACKWARD: return a > 0.0f ? b : 0.0f;
        case BINARY_GELU_ERF_BACKWARD:
            return b * (normal_cdf(a) + a * INV_SQRT_2PI * exp(-0.5f * a * a));
        case BINARY_GELU_TANH_BACKWARD: {
            float t = tanh(SQRT_2_OVER_PI * (a + 0.044715f * a * a * a));
            float d_inner = SQRT_2_OVER_PI * (1.0f + 3.0f * 0.044715f * a * a);
            return b * (0.5f * (1.0f + t) + 0.5f * a * (1.0f - t * t) * d_inner);
        }
        default: return NAN;
    }
}

__kernel void fill(const int n, __global float* out, const float value, const Layout l) {
    int e = get_global_id(0);
    if (e >= n) return;
    int off[MAX_OPERANDS];
    layout_offsets(&l, e, off);
    out[off[0]] = value;
}

// A bit-exact copy of 32-bit elements (floats or ints).
__kernel void copy_bits(const int n, __global uint* out, __global const uint* x, const Layout l) {
    int e = get_global_id(0);
    if (e >= n) return;
    int off[MAX_OPERANDS];
    layout_offsets(&l, e, off);
    out[off[0]] = x[off[1]];
}

__kernel void unary(const int n, const int op, __global float* out, __global const float* x, const Layout l) {
    int e = get_global_id(0);
    if (e >= n) return;
    int off[MAX_OPERANDS];
    layout_offsets(&l, e, off);
    out[off[0]] = unary_op(op, x[off[1]]);
}

__kernel void binary(const int n, const int op, __global float* out, __global const float* a,
                     __global const float* b, const Layout l) {
    int e = get_global_id(0);
    if (e >= n) return;
    int off[MAX_OPERANDS];
    layout_offsets(&l, e, off);
    out[off[0]] = binary_op(op, a[off[1]], b[off[2]]);
}

__kernel void where_select(const int n, __global float* out, __global const float* cond, __global const float* a,
                           __global const float* b, const Layout l) {
    int e = get_global_id(0);
    if (e >= n) return;
    int off[MAX_OPERANDS];
    layout_offsets(&l, e, off);
    out[off[0]] = cond[off[1]] != 0.0f ? a[off[2]] : b[off[3]];
}

// Int to float, exactly as Java's (float) i.
__kernel void int_to_float(const int n, __global float* out, __global const int* x, const Layout l) {
    int e = get_global_id(0);
    if (e >= n) return;
    int off[MAX_OPERANDS];
    layout_offsets(&l, e, off);
    out[off[0]] = convert_float_rte(x[off[1]]);
}

// Float to int toward zero, saturating, NaN to 0: exactly Java's (int) f.
__kernel void float_to_int(const int n, __global int* out, __global const float* x, const Layout l) {
    int e = get_global_id(0);
    if (e >= n) return;
    int off[MAX_OPERANDS];
    layout_offsets(&l, e, off);
    out[off[0]] = convert_int_sat_rtz(x[off[1]]);
}
