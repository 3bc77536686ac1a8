// Shared by every Strand kernel file: the host prepends it (and the op codes) before building.

#define MAX_DIMS 8
#define MAX_OPERANDS 4

// Where the operands of an elementwise op live: dims merged on the host (size-1 dims dropped,
// runs that every operand walks contiguously fused), operand 0 is the output, strides are in
// elements and 0 on broadcast dims.
typedef struct {
    int rank;
    int size[MAX_DIMS];
    int stride[MAX_OPERANDS][MAX_DIMS];
    int offset[MAX_OPERANDS];
} Layout;

// Offsets of element e (row-major over the layout's sizes) in every operand.
inline void layout_offsets(const Layout* l, int e, int* off) {
    for (int o = 0; o < MAX_OPERANDS; o++) off[o] = l->offset[o];
    for (int d = l->rank - 1; d >= 0; d--) {
        int s = l->size[d];
        int i = e % s;
        e /= s;
        for (int o = 0; o < MAX_OPERANDS; o++) off[o] += i * l->stride[o][d];
    }
}

// How many pieces of `chunk` cover a line of d (at least one), as the host's Splits.pieces counts them.
inline int pieces(int d, int chunk) {
    return d > chunk ? (d + chunk - 1) / chunk : 1;
}

// Work-group size of the row kernels (softmax, layer norm, row reductions): a power of two.
#ifndef ROW_LOCAL
#define ROW_LOCAL 128
#endif

// Tree reductions of one value per work item over a ROW_LOCAL work group; every item gets the result.
inline float group_sum(float v, __local float* scratch) {
    int t = get_local_id(0);
    scratch[t] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = ROW_LOCAL / 2; s > 0; s >>= 1) {
        if (t < s) scratch[t] += scratch[t + s];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float r = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return r;
}

// Java's Math.max: NaN wins.
inline float max_nan(float a, float b) {
    return isnan(a) || isnan(b) ? NAN : fmax(a, b);
}

inline float min_nan(float a, float b) {
    return isnan(a) || isnan(b) ? NAN : fmin(a, b);
}

inline float group_max(float v, __local float* scratch) {
    int t = get_local_id(0);
    scratch[t] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = ROW_LOCAL / 2; s > 0; s >>= 1) {
        if (t < s) scratch[t] = max_nan(scratch[t], scratch[t + s]);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float r = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return r;
}
