// Block-sparse (BigBird) attention, forward and backward, as BlockSparseKernel computes it on the
// CPU: query block i of head h attends to the keys of the key blocks its pattern row lists (a block
// listed twice counts twice in the one softmax), never to padded keys (pad[b, s] != 0), with
// ALiBi's −slope_h·|t − s| added to each score. q, k, v, out and the gradients are contiguous
// [B, H, T, hd]; lse and delta [B, H, T]; pad [B, T]. Nothing of size [T, T] exists: the forward
// pass keeps FlashAttention's running maximum, sum and accumulator per query row, and the backward
// pass recomputes the weights from the forward pass's log-sum-exp.
//
// Every kernel runs one work group of BSA_ROWS work items per (batch·head, block, chunk of the
// block's rows): a block of bs rows is cut into ceil(bs / BSA_ROWS) chunks, one row per work item,
// and the group stages tiles of BSA_ROWS rows of the other operand (keys, or queries for dk and dv)
// in local memory for all its rows. The host builds the file per head dim and rows per group
// (-DHEAD_DIM=64 -DBSA_ROWS=32), so the loops over the head dim unroll and each work item's rows
// stay in registers, as in attention.cl.
//
// The pattern arrives as CSR rows: row_start [H·nb + 1] and key_blocks; its transpose for dk and dv
// as col_start [H·nb + 1] and col_entries, pairs (query block, how often that block reads this key
// block), so every gradient row has one writer and the sums need no atomics (deterministic).

#ifndef BSA_ROWS
#define BSA_ROWS 32
#endif

// Row `within` of block `blk` for this work item, from the group's place in the grid.
#define BSA_GEOMETRY                                                                        \
    const int bh = (int) get_group_id(1), b = bh / heads, h = bh % heads;                   \
    const int nb = t_len / bs, chunks = (bs + BSA_ROWS - 1) / BSA_ROWS;                      \
    const int blk = (int) get_group_id(0) / chunks, lid = (int) get_local_id(0);            \
    const int within = ((int) get_group_id(0) % chunks) * BSA_ROWS + lid;                   \
    const bool row = within < bs;                                                           \
    const int t = blk * bs + (row ? within : 0);                                            \
    const float slope = alibi ? slopes[h] : 0.0f;                                           \
    const long base = (long) bh * t_len * HEAD_DIM;

// Rows first … first+n−1 of two [T, hd] operands (keys and values, or queries and dO) into the
// group's local tiles, the copy shared by all its work items.
void stage_rows(__local float (*a_tile)[HEAD_DIM], __local float (*b_tile)[HEAD_DIM],
                __global const float* a, __global const float* b, const int first, const int n, const int lid) {
    for (int e = lid; e < n * HEAD_DIM; e += BSA_ROWS) {
        const int j = e / HEAD_DIM, c = e % HEAD_DIM;
        const long src = (long) (first + j) * HEAD_DIM + c;
        a_tile[j][c] = a[src];
        b_tile[j][c] = b[src];
    }
}

// out and lse of every query row; out need not be zeroed. A row whose keys are all padding gets 0 and −∞.
__kernel __attribute__((reqd_work_group_size(BSA_ROWS, 1, 1)))
void block_sparse_forward(const int heads, const int t_len, const int bs, const float scale,
                          __global const float* q, const int qo, __global const float* k, const int ko,
                          __global const float* v, const int vo,
                          __global const int* row_start, __global const int* key_blocks,
                          __global const float* pad, const int po, const int padded,
                          __global const float* slopes, const int alibi,
                          __global float* out, const int oo, __global float* lse, const int lo) {
    const int hd = HEAD_DIM;
    __local float kt[BSA_ROWS][HEAD_DIM];
    __local float vt[BSA_ROWS][HEAD_DIM];
    __local int live[BSA_ROWS];
    BSA_GEOMETRY
    __global const float* qr = q + qo + base + (long) t * hd;
    __global const float* kb = k + ko + base;
    __global const float* vb = v + vo + base;

    float qv[HEAD_DIM], acc[HEAD_DIM];
    #pragma unroll
    for (int c = 0; c < hd; c++) {
        qv[c] = row ? qr[c] : 0.0f;
        acc[c] = 0.0f;
    }
    float m = -INFINITY, l = 0.0f;
    const int from = row_start[h * nb + blk], to = row_start[h * nb + blk + 1];
    for (int r = from; r < to; r++) {
        const int kblock = key_blocks[r] * bs;
        for (int s0 = 0; s0 < bs; s0 += BSA_ROWS) {
            const int n = min(BSA_ROWS, bs - s0);
            stage_rows(kt, vt, kb, vb, kblock + s0, n, lid);
            if (lid < n) live[lid] = !padded || pad[po + (long) b * t_len + kblock + s0 + lid] == 0.0f;
            barrier(CLK_LOCAL_MEM_FENCE);
            if (row) {
                for (int j = 0; j < n; j++) {
                    if (!live[j]) continue;
                    float score = 0.0f;
                    #pragma unroll
                    for (int c = 0; c < hd; c++) score = fma(qv[c], kt[j][c], score);
                    score *= scale;
                    if (alibi) score -= slope * (float) abs(t - (kblock + s0 + j));
                    if (score == -INFINITY) continue;
                    if (score > m) {
                        const float shrink = exp(m - score);
                        l *= shrink;
                        #pragma unroll
                        for (int c = 0; c < hd; c++) acc[c] *= shrink;
                        m = score;
                    }
                    const float p = exp(score - m);
                    l += p;
                    #pragma unroll
                    for (int c = 0; c < hd; c++) acc[c] = fma(p, vt[j][c], acc[c]);
                }
            }
            barrier(CLK_LOCAL_MEM_FENCE);
        }
    }
    if (!row) return;
    const float inv = l > 0.0f ? 1.0f / l : 0.0f;
    __global float* orow = out + oo + base + (long) t * hd;
    #pragma unroll
    for (int c = 0; c < hd; c++) orow[c] = acc[c] * inv;
    lse[lo + (long) bh * t_len + t] = l > 0.0f ? m + log(l) : -INFINITY;
}

// gq += dS·K·scale for every query row, with dS = P ⊙ (dO·Vᵀ − D); writes D = rowsum(dO ⊙ O) per
// row into delta for block_sparse_backward_kv.
__kernel __attribute__((reqd_work_group_size(BSA_ROWS, 1, 1)))
void block_sparse_backward_q(const int heads, const int t_len, const int bs, const float scale,
                             __global const float* q, const int qo, __global const float* k, const int ko,
                             __global const float* v, const int vo,
                             __global const int* row_start, __global const int* key_blocks,
                             __global const float* pad, const int po, const int padded,
                             __global const float* slopes, const int alibi,
                             __global const float* out, const int oo, __global const float* lse, const int lo,
                             __global const float* gout, const int go, __global float* delta,
                             __global float* gq, const int gqo) {
    const int hd = HEAD_DIM;
    __local float kt[BSA_ROWS][HEAD_DIM];
    __local float vt[BSA_ROWS][HEAD_DIM];
    __local int live[BSA_ROWS];
    BSA_GEOMETRY
    const long at = base + (long) t * hd;
    const float rl = row ? lse[lo + (long) bh * t_len + t] : -INFINITY;
    const bool active = rl != -INFINITY;
    float qv[HEAD_DIM], dov[HEAD_DIM], dq[HEAD_DIM];
    float d = 0.0f;
    #pragma unroll
    for (int c = 0; c < hd; c++) {
        qv[c] = row ? q[qo + at + c] : 0.0f;
        dov[c] = row ? gout[go + at + c] : 0.0f;
        d = fma(dov[c], row ? out[oo + at + c] : 0.0f, d);
        dq[c] = 0.0f;
    }
    if (row) delta[(long) bh * t_len + t] = d;
    __global const float* kb = k + ko + base;
    __global const float* vb = v + vo + base;
    const int from = row_start[h * nb + blk], to = row_start[h * nb + blk + 1];
    for (int r = from; r < to; r++) {
        const int kblock = key_blocks[r] * bs;
        for (int s0 = 0; s0 < bs; s0 += BSA_ROWS) {
            const int n = min(BSA_ROWS, bs - s0);
            stage_rows(kt, vt, kb, vb, kblock + s0, n, lid);
            if (lid < n) live[lid] = !padded || pad[po + (long) b * t_len + kblock + s0 + lid] == 0.0f;
            barrier(CLK_LOCAL_MEM_FENCE);
            if (active) {
                for (int j = 0; j < n; j++) {
                    if (!live[j]) continue;
                    float score = 0.0f, dp = 0.0f;
                    #pragma unroll
                    for (int c = 0; c < hd; c++) {
                        score = fma(qv[c], kt[j][c], score);
                        dp = fma(dov[c], vt[j][c], dp);
                    }
                    score *= scale;
                    if (alibi) score -= slope * (float) abs(t - (kblock + s0 + j));
                    if (score == -INFINITY) continue;
                    const float ds = exp(score - rl) * (dp - d) * scale;
                    #pragma unroll
                    for (int c = 0; c < hd; c++) dq[c] = fma(ds, kt[j][c], dq[c]);
                }
            }
            barrier(CLK_LOCAL_MEM_FENCE);
        }
    }
    if (!active) return;
    __global float* g = gq + gqo + at;
    #pragma unroll
    for (int c = 0; c < hd; c++) g[c] += dq[c];
}

// gk += dSᵀ·Q·scale and gv += Pᵀ·dO for every key row, over the query blocks that read its block
// (each pair's count multiplies its weights). Runs after block_sparse_backward_q, which wrote delta.
__kernel __attribute__((reqd_work_group_size(BSA_ROWS, 1, 1)))
void block_sparse_backward_kv(const int heads, const int t_len, const int bs, const float scale,
                              __global const float* q, const int qo, __global const float* k, const int ko,
                              __global const float* v, const int vo,
                              __global const int* col_start, __global const int* col_entries,
                              __global const float* pad, const int po, const int padded,
                              __global const float* slopes, const int alibi,
                              __global const float* lse, const int lo,
                              __global const float* gout, const int go, __global const float* delta,
                              __global float* gk, const int gko, __global float* gv, const int gvo) {
    const int hd = HEAD_DIM;
    __local float qt[BSA_ROWS][HEAD_DIM];
    __local float gt[BSA_ROWS][HEAD_DIM];
    __local float lt[BSA_ROWS];
    __local float dt[BSA_ROWS];
    BSA_GEOMETRY
    const int s = t;                     // this work item's key row
    const long at = base + (long) s * hd;
    const bool active = row && (!padded || pad[po + (long) b * t_len + s] == 0.0f);
    float kv[HEAD_DIM], vv[HEAD_DIM], dk[HEAD_DIM], dv[HEAD_DIM];
    #pragma unroll
    for (int c = 0; c < hd; c++) {
        kv[c] = row ? k[ko + at + c] : 0.0f;
        vv[c] = row ? v[vo + at + c] : 0.0f;
        dk[c] = 0.0f;
        dv[c] = 0.0f;
    }
    __global const float* qb = q + qo + base;
    __global const float* gb = gout + go + base;
    const int from = col_start[h * nb + blk], to = col_start[h * nb + blk + 1];
    for (int r = from; r < to; r++) {
        const int qblock = col_entries[2 * r] * bs;
        const float times = (float) col_entries[2 * r + 1];
        for (int t0 = 0; t0 < bs; t0 += BSA_ROWS) {
            const int n = min(BSA_ROWS, bs - t0);
            stage_rows(qt, gt, qb, gb, qblock + t0, n, lid);
            if (lid < n) {
                const long rowAt = (long) bh * t_len + qblock + t0 + lid;
                lt[lid] = lse[lo + rowAt];
                dt[lid] = delta[rowAt];
            }
            barrier(CLK_LOCAL_MEM_FENCE);
            if (active) {
                for (int j = 0; j < n; j++) {
                    const float rl = lt[j];
                    if (rl == -INFINITY) continue;
                    float score = 0.0f, dp = 0.0f;
                    #pragma unroll
                    for (int c = 0; c < hd; c++) {
                        score = fma(qt[j][c], kv[c], score);
                        dp = fma(gt[j][c], vv[c], dp);
                    }
                    score *= scale;
                    if (alibi) score -= slope * (float) abs(qblock + t0 + j - s);
                    if (score == -INFINITY) continue;
                    const float p = exp(score - rl) * times;
                    const float ds = p * (dp - dt[j]) * scale;
                    #pragma unroll
                    for (int c = 0; c < hd; c++) {
                        dv[c] = fma(p, gt[j][c], dv[c]);
                        dk[c] = fma(ds, qt[j][c], dk[c]);
                    }
                }
            }
            barrier(CLK_LOCAL_MEM_FENCE);
        }
    }
    if (!active) return;
    #pragma unroll
    for (int c = 0; c < hd; c++) {
        gk[gko + at + c] += dk[c];
        gv[gvo + at + c] += dv[c];
    }
}
