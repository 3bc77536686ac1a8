// Gathers and their adjoints. The adds are deterministic and match the CPU bit for bit: the host
// groups the source positions of each target in order, and one work item adds them up in that order.

// out[o, i, c] = x[o, index[i], c] over contiguous [outer, d, inner] x: a bit copy (floats or ints).
__kernel void index_select(const int total, const int count, const int d, const int inner,
                           __global const uint* x, const int xo, __global const int* index, const int io,
                           __global uint* out, const int oo) {
    int e = get_global_id(0);
    if (e >= total) return;
    int c = e % inner, rest = e / inner;
    int i = rest % count, o = rest / count;
    out[oo + e] = x[xo + ((long) o * d + index[io + i]) * inner + c];
}

// out[o, targets[u], c] += Σ src[o, p, c] over p in positions[starts[u] .. starts[u + 1]).
__kernel void index_add(const int total, const int groups, const int d, const int count, const int inner,
                        __global float* out, const int oo, __global const float* src, const int so,
                        __global const int* targets, __global const int* starts, __global const int* positions) {
    int e = get_global_id(0);
    if (e >= total) return;
    int c = e % inner, rest = e / inner;
    int u = rest % groups, o = rest / groups;
    long dst = oo + ((long) o * d + targets[u]) * inner + c;
    float acc = out[dst];
    for (int q = starts[u]; q < starts[u + 1]; q++) acc += src[so + ((long) o * count + positions[q]) * inner + c];
    out[dst] = acc;
}

#define MAX_GATHER_DIMS 8

// The index tensor's shape and the indexed tensor's contiguous strides.
typedef struct {
    int rank;
    int dim;
    int index_size[MAX_GATHER_DIMS];
    int x_stride[MAX_GATHER_DIMS];
} GatherShape;

// out[p] = x[q], q = p with q[dim] = index[p] (torch.gather); index and out contiguous.
__kernel void gather(const int total, __global const uint* x, const int xo, __global const int* index, const int io,
                     __global uint* out, const int oo, const GatherShape g) {
    int p = get_global_id(0);
    if (p >= total) return;
    long q = 0;
    int rest = p;
    for (int k = g.rank - 1; k >= 0; k--) {
        int i = rest % g.index_size[k];
        rest /= g.index_size[k];
        q += (long) (k == g.dim ? index[io + p] : i) * g.x_stride[k];
    }
    out[oo + p] = x[xo + q];
}

// out[targets[u]] += Σ src[positions[q]] over q in [starts[u], starts[u + 1]): the adjoint of gather,
// with the flat targets worked out on the host.
__kernel void scatter_add(const int groups, __global float* out, const int oo, __global const float* src, const int so,
                          __global const int* targets, __global const int* starts, __global const int* positions) {
    int u = get_global_id(0);
    if (u >= groups) return;
    long dst = oo + targets[u];
    float acc = out[dst];
    for (int q = starts[u]; q < starts[u + 1]; q++) acc += src[so + positions[q]];
    out[dst] = acc;
}
