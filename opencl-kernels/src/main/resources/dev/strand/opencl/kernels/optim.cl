// One Adam/AdamW step in place (PyTorch's order; see Backend.adamStep), one work item per element.

__kernel void adam_step(const int n, __global float* p, const int po, __global const float* g, const int go,
                        __global float* m, __global float* v, const float beta1, const float beta2, const float eps,
                        const float l2_decay, const float shrink, const float step_size, const float inv_sqrt_bc2) {
    int i = get_global_id(0);
    if (i >= n) return;
    float pi = p[po + i] * shrink;
    float gi = g[go + i] + l2_decay * pi;
    float mi = beta1 * m[i] + (1.0f - beta1) * gi;
    float vi = beta2 * v[i] + (1.0f - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[po + i] = pi - step_size * mi / (sqrt(vi) * inv_sqrt_bc2 + eps);
}
