// Reductions over one dim of a contiguous x seen as [outer, d, inner] (REDUCE_* codes from the host).
// ARGMAX writes ints into the same buffer argument and follows the CPU: the first maximum, or the
// first NaN if there is one.

// True if candidate (v, i) beats the current best (m, j) for ARGMAX.
inline bool argmax_better(float v, int i, float m, int j) {
    if (isnan(v) || isnan(m)) return isnan(v) && (!isnan(m) || i < j);
    return v > m || (v == m && i < j);
}

inline float combine(int op, float acc, float v) {
    switch (op) {
        case REDUCE_MAX: return max_nan(acc, v);
        case REDUCE_MIN: return min_nan(acc, v);
        default: return acc + v;
    }
}

inline float identity_of(int op) {
    switch (op) {
        case REDUCE_MAX: return -INFINITY;
        case REDUCE_MIN: return INFINITY;
        default: return 0.0f;
    }
}

// inner == 1: one ROW_LOCAL work group per row of d contiguous elements.
__kernel void reduce_rows(const int op, const int d, __global const float* x, const int xo,
                          __global float* out, const int oo) {
    __local float vals[ROW_LOCAL];
    __local int idx[ROW_LOCAL];
    int row = get_group_id(0), t = get_local_id(0);
    __global const float* r = x + xo + (long) row * d;
    if (op == REDUCE_ARGMAX) {
        float m = NAN;
        int j = INT_MAX;
        for (int i = t; i < d; i += ROW_LOCAL) {
            if (j == INT_MAX || argmax_better(r[i], i, m, j)) {
                m = r[i];
                j = i;
            }
        }
        vals[t] = m;
        idx[t] = j;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int s = ROW_LOCAL / 2; s > 0; s >>= 1) {
            if (t < s && idx[t + s] != INT_MAX
                    && (idx[t] == INT_MAX || argmax_better(vals[t + s], idx[t + s], vals[t], idx[t]))) {
                vals[t] = vals[t + s];
                idx[t] = idx[t + s];
            }
            barrier(CLK_LOCAL_MEM_FENCE);
        }
        if (t == 0) ((__global int*) out)[oo + row] = idx[0];
        return;
    }
    float acc = identity_of(op);
    for (int i = t; i < d; i += ROW_LOCAL) acc = combine(op, acc, r[i]);
    vals[t] = acc;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = ROW_LOCAL / 2; s > 0; s >>= 1) {
        if (t < s) vals[t] = combine(op, vals[t], vals[t + s]);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (t == 0) out[oo + row] = op == REDUCE_MEAN ? vals[0] / d : vals[0];
}

// inner > 1: one work item per (outer, inner) output, walking d in order (reads coalesce over inner).
__kernel void reduce_cols(const int op, const int outer, const int d, const int inner,
                          __global const float* x, const int xo, __global float* out, const int oo) {
    int e = get_global_id(0);
    if (e >= outer * inner) return;
    int o = e / inner, i = e % inner;
    __global const float* c = x + xo + (long) o * d * inner + i;
    if (op == REDUCE_ARGMAX) {
        float m = c[0];
        int best = 0;
        for (int j = 1; j < d; j++) {
            float v = c[(long) j * inner];
            if (v > m || (isnan(v) && !isnan(m))) {
                m = v;
                best = j;
            }
        }
        ((__global int*) out)[oo + e] = best;
        return;
    }
    float acc = identity_of(op);
    for (int j = 0; j < d; j++) acc = combine(op, acc, c[(long) j * inner]);
    out[oo + e] = op == REDUCE_MEAN ? acc / d : acc;
}
