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

// A reduced line of d elements is split into pieces of `chunk` (one piece unless the host splits the
// long lines of a few outputs, so that a GPU has enough work groups; it then reduces the partials
// again). MEAN divides by `divisor`, the length of the whole line.

// inner == 1: one ROW_LOCAL work group per piece of a row of d contiguous elements; the pieces of
// row r write out[r * pieces + p].
__kernel void reduce_rows(const int op, const int d, const int chunk, const int divisor,
                          __global const float* x, const int xo, __global float* out, const int oo) {
    __local float vals[ROW_LOCAL];
    __local int idx[ROW_LOCAL];
    const int g = get_group_id(0), t = get_local_id(0), n = pieces(d, chunk);
    const int row = g / n, from = (g % n) * chunk, to = min(d, from + chunk);
    __global const float* r = x + xo + (long) row * d;
    if (op == REDUCE_ARGMAX) {
        float m = NAN;
        int j = INT_MAX;
        for (int i = from + t; i < to; i += ROW_LOCAL) {
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
        if (t == 0) ((__global int*) out)[oo + g] = idx[0];
        return;
    }
    float acc = identity_of(op);
    for (int i = from + t; i < to; i += ROW_LOCAL) acc = combine(op, acc, r[i]);
    vals[t] = acc;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = ROW_LOCAL / 2; s > 0; s >>= 1) {
        if (t < s) vals[t] = combine(op, vals[t], vals[t + s]);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (t == 0) out[oo + g] = op == REDUCE_MEAN ? vals[0] / divisor : vals[0];
}

// inner > 1: one work item per (outer, piece, inner) output, walking its piece of d in order (reads
// coalesce over inner); it writes out[(o * pieces + p) * inner + i].
__kernel void reduce_cols(const int op, const int outer, const int d, const int inner, const int chunk, const int divisor,
                          __global const float* x, const int xo, __global float* out, const int oo) {
    const int n = pieces(d, chunk), e = get_global_id(0);
    if (e >= outer * n * inner) return;
    const int i = e % inner, p = e / inner % n, o = e / inner / n;
    const int from = p * chunk, to = min(d, from + chunk);
    __global const float* c = x + xo + (long) o * d * inner + i;
    if (op == REDUCE_ARGMAX) {
        float m = c[(long) from * inner];
        int best = from;
        for (int j = from + 1; j < to; j++) {
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
    for (int j = from; j < to; j++) acc = combine(op, acc, c[(long) j * inner]);
    out[oo + e] = op == REDUCE_MEAN ? acc / divisor : acc;
}

// out[j] += Σ_r x[r * n + j] over rows r in order: the second pass of column sums split into pieces.
__kernel void add_column_sums(const int rows, const int n, __global const float* x, const int xo,
                              __global float* out, const int oo) {
    const int j = get_global_id(0);
    if (j >= n) return;
    float acc = 0.0f;
    for (int r = 0; r < rows; r++) acc += x[xo + (long) r * n + j];
    out[oo + j] += acc;
}
