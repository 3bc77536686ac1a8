// Softmax and log-softmax over contiguous rows of length n, forward and backward: one ROW_LOCAL
// work group per row, statistics by tree reductions in local memory.

__kernel void softmax_rows(const int n, const int log_softmax, __global const float* x, const int xo,
                           __global float* out, const int oo) {
    __local float scratch[ROW_LOCAL];
    int t = get_local_id(0);
    __global const float* xr = x + xo + (long) get_group_id(0) * n;
    __global float* yr = out + oo + (long) get_group_id(0) * n;
    float m = -INFINITY;
    for (int i = t; i < n; i += ROW_LOCAL) m = max_nan(m, xr[i]);
    m = group_max(m, scratch);
    if (m == -INFINITY) m = 0.0f;   // a fully masked row: exp(-inf - 0) = 0, not NaN
    float s = 0.0f;
    for (int i = t; i < n; i += ROW_LOCAL) s += exp(xr[i] - m);
    s = group_sum(s, scratch);
    if (log_softmax) {
        float shift = m + log(s);
        for (int i = t; i < n; i += ROW_LOCAL) yr[i] = xr[i] - shift;
    } else {
        float inv = 1.0f / s;
        for (int i = t; i < n; i += ROW_LOCAL) yr[i] = exp(xr[i] - m) * inv;
    }
}

// softmax: gx = y·(gy − Σ gy·y); log-softmax: gx = gy − exp(y)·Σ gy.
__kernel void softmax_backward_rows(const int n, const int log_softmax,
                                    __global const float* y, const int yo, __global const float* gy, const int go,
                                    __global float* gx, const int xo) {
    __local float scratch[ROW_LOCAL];
    int t = get_local_id(0);
    long row = (long) get_group_id(0) * n;
    __global const float* yr = y + yo + row;
    __global const float* gr = gy + go + row;
    __global float* xr = gx + xo + row;
    float s = 0.0f;
    for (int i = t; i < n; i += ROW_LOCAL) s += log_softmax ? gr[i] : gr[i] * yr[i];
    s = group_sum(s, scratch);
    for (int i = t; i < n; i += ROW_LOCAL) xr[i] = log_softmax ? gr[i] - exp(yr[i]) * s : yr[i] * (gr[i] - s);
}
