// Layer norm over contiguous rows of length n (one ROW_LOCAL work group per row) and its backward.
// The variance is taken about the mean in a second pass, which stays accurate when |mean| >> std.

__kernel void layer_norm_rows(const int n, const float eps, __global const float* x, const int xo,
                              __global const float* gamma, const int go, const int has_gamma,
                              __global const float* beta, const int bo, const int has_beta,
                              __global float* out, const int oo, __global float* mean, const int mo,
                              __global float* rstd, const int ro) {
    __local float scratch[ROW_LOCAL];
    int t = get_local_id(0), row = get_group_id(0);
    __global const float* xr = x + xo + (long) row * n;
    __global float* yr = out + oo + (long) row * n;
    float s = 0.0f;
    for (int i = t; i < n; i += ROW_LOCAL) s += xr[i];
    float mu = group_sum(s, scratch) / n;
    float ss = 0.0f;
    for (int i = t; i < n; i += ROW_LOCAL) {
        float c = xr[i] - mu;
        ss += c * c;
    }
    float r = 1.0f / sqrt(group_sum(ss, scratch) / n + eps);
    for (int i = t; i < n; i += ROW_LOCAL) {
        float v = (xr[i] - mu) * r;
        if (has_gamma) v *= gamma[go + i];
        if (has_beta) v += beta[bo + i];
        yr[i] = v;
    }
    if (t == 0) {
        mean[mo + row] = mu;
        rstd[ro + row] = r;
    }
}

// With x̂ = (x − mean)·rstd and d = gy·gamma: gx = rstd·(d − mean(d) − x̂·mean(d·x̂)).
__kernel void layer_norm_backward_rows(const int n, __global const float* x, const int xo,
                                       __global const float* gamma, const int go, const int has_gamma,
                                       __global const float* mean, const int mo, __global const float* rstd, const int ro,
                                       __global const float* gy, const int yo, __global float* gx, const int xgo) {
    __local float scratch[ROW_LOCAL];
    int t = get_local_id(0), row = get_group_id(0);
    __global const float* xr = x + xo + (long) row * n;
    __global const float* gr = gy + yo + (long) row * n;
    __global float* dr = gx + xgo + (long) row * n;
    float mu = mean[mo + row], r = rstd[ro + row];
    float sd = 0.0f, sdx = 0.0f;
    for (int i = t; i < n; i += ROW_LOCAL) {
        float d = has_gamma ? gr[i] * gamma[go + i] : gr[i];
        sd += d;
        sdx += d * (xr[i] - mu) * r;
    }
    float mean_d = group_sum(sd, scratch) / n;
    float mean_dx = group_sum(sdx, scratch) / n;
    for (int i = t; i < n; i += ROW_LOCAL) {
        float d = has_gamma ? gr[i] * gamma[go + i] : gr[i];
        float xhat = (xr[i] - mu) * r;
        dr[i] = r * (d - mean_d - xhat * mean_dx);
    }
}

// Σ gy·x̂ and Σ gy over the rows of one piece of `chunk` rows, per column: one work item per (piece,
// column), rows in order. With one piece they are added into ggamma and gbeta; with more they are
// written to [pieces, n] partials, which add_column_sums (reduce.cl) then adds in.
__kernel void layer_norm_param_grads(const int rows, const int n, const int chunk, __global const float* x, const int xo,
                                     __global const float* mean, const int mo, __global const float* rstd, const int ro,
                                     __global const float* gy, const int yo,
                                     __global float* ggamma, const int ggo, const int want_gamma,
                                     __global float* gbeta, const int gbo, const int want_beta) {
    const int e = get_global_id(0), n_pieces = pieces(rows, chunk);
    if (e >= n_pieces * n) return;
    const int j = e % n, from = e / n * chunk, to = min(rows, from + chunk);
    float sg = 0.0f, sb = 0.0f;
    for (int row = from; row < to; row++) {
        float g = gy[yo + (long) row * n + j];
        sg += g * (x[xo + (long) row * n + j] - mean[mo + row]) * rstd[ro + row];
        sb += g;
    }
    if (n_pieces == 1) {
        if (want_gamma) ggamma[ggo + j] += sg;
        if (want_beta) gbeta[gbo + j] += sb;
    } else {
        if (want_gamma) ggamma[ggo + e] = sg;
        if (want_beta) gbeta[gbo + e] = sb;
    }
}
