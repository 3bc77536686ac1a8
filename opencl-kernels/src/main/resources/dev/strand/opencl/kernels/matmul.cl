// Batched SGEMM, C[b] = A[b] · B[b] with A [m, k] and B [k, n] at any strides (transposed views need
// no copy) and C contiguous. Each work group computes a TILE_M x TILE_N block of C, staging
// TILE_M x TILE_K and TILE_K x TILE_N slices of A and B through local memory; each work item keeps
// a WPT_M x WPT_N block of accumulators in registers (rows and columns interleaved by the work
// group's extent, so local reads do not collide). Edges are padded with zeros. The host builds this
// file with the sizes of its MatmulTiling (128x128x16/8x8 by default) as -D options.
// Split-K: when C has too few tiles to fill a GPU but k is long (a weight gradient, Xᵀ·dY), the host
// cuts k into `splits` slices of `k_split`; grid z then counts (batch, slice) pairs and each slice's
// product goes to its own [m, n] block of c, which the host sums over the slices afterwards.

#define LOCAL_M (TILE_M / WPT_M)
#define LOCAL_N (TILE_N / WPT_N)
#define THREADS (LOCAL_M * LOCAL_N)

#define MAX_BATCH_DIMS 8

// Batch dims of C with the strides at which A and B advance along each (0 where broadcast).
typedef struct {
    int rank;
    int size[MAX_BATCH_DIMS];
    int a_stride[MAX_BATCH_DIMS];
    int b_stride[MAX_BATCH_DIMS];
} Batch;

__kernel __attribute__((reqd_work_group_size(LOCAL_N, LOCAL_M, 1)))
void matmul(const int m, const int n, const int k, const int k_split, const int splits,
            __global const float* a, const int a_off, const int a_rs, const int a_cs,
            __global const float* b, const int b_off, const int b_rs, const int b_cs,
            __global float* c, const int c_off, const Batch batch) {
    __local float as[TILE_K][TILE_M + 1];
    __local float bs[TILE_K][TILE_N + 1];

    const int tn = get_local_id(0), tm = get_local_id(1);
    const int tid = tm * LOCAL_N + tn;
    const int row0 = get_group_id(1) * TILE_M, col0 = get_group_id(0) * TILE_N;

    const int z = get_group_id(2), k_begin = z % splits * k_split, k_end = min(k, k_begin + k_split);
    long ao = a_off, bo = b_off;
    int rest = z / splits;
    for (int d = batch.rank - 1; d >= 0; d--) {
        int i = rest % batch.size[d];
        rest /= batch.size[d];
        ao += (long) i * batch.a_stride[d];
        bo += (long) i * batch.b_stride[d];
    }
    __global const float* ap = a + ao;
    __global const float* bp = b + bo;
    __global float* cp = c + c_off + (long) z * m * n;

    // Fully unrolled loops over the accumulators, so that they stay in registers: an array indexed
    // by a loop counter the compiler cannot resolve lives in (slow, off-chip) private memory.
    float acc[WPT_M][WPT_N];
    #pragma unroll
    for (int i = 0; i < WPT_M; i++)
        #pragma unroll
        for (int j = 0; j < WPT_N; j++) acc[i][j] = 0.0f;

    for (int k0 = k_begin; k0 < k_end; k0 += TILE_K) {
        // Threads walk A's tile along k when A is row-major and along m when it is column-major,
        // and B's tile along n unless B is column-major, so neighbouring threads read neighbouring floats.
        for (int e = tid; e < TILE_M * TILE_K; e += THREADS) {
            int r, kk;
            if (a_cs == 1) { r = e / TILE_K; kk = e % TILE_K; } else { r = e % TILE_M; kk = e / TILE_M; }
            int gr = row0 + r, gk = k0 + kk;
            as[kk][r] = gr < m && gk < k_end ? ap[(long) gr * a_rs + (long) gk * a_cs] : 0.0f;
        }
        for (int e = tid; e < TILE_K * TILE_N; e += THREADS) {
            int kk, cc;
            if (b_rs == 1 && b_cs != 1) { kk = e % TILE_K; cc = e / TILE_K; } else { kk = e / TILE_N; cc = e % TILE_N; }
            int gk = k0 + kk, gc = col0 + cc;
            bs[kk][cc] = gk < k_end && gc < n ? bp[(long) gk * b_rs + (long) gc * b_cs] : 0.0f;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int kk = 0; kk < TILE_K; kk++) {
            float av[WPT_M], bv[WPT_N];
            #pragma unroll
            for (int i = 0; i < WPT_M; i++) av[i] = as[kk][tm + i * LOCAL_M];
            #pragma unroll
            for (int j = 0; j < WPT_N; j++) bv[j] = bs[kk][tn + j * LOCAL_N];
            #pragma unroll
            for (int i = 0; i < WPT_M; i++)
                #pragma unroll
                for (int j = 0; j < WPT_N; j++) acc[i][j] = fma(av[i], bv[j], acc[i][j]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    #pragma unroll
    for (int i = 0; i < WPT_M; i++) {
        int r = row0 + tm + i * LOCAL_M;
        if (r >= m) continue;
        #pragma unroll
        for (int j = 0; j < WPT_N; j++) {
            int cc = col0 + tn + j * LOCAL_N;
            if (cc < n) cp[(long) r * n + cc] = acc[i][j];
        }
    }
}
