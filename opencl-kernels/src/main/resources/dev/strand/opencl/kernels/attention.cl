// Fused scaled-dot-product attention, forward: out = softmax(q·kᵀ·scale + bias [+ causal mask])·v for
// every (batch, head), without materialising the [T, S] score matrix. Each work item owns one query
// row and keeps a running maximum, running sum and output accumulator (the online softmax of
// FlashAttention); its work group stages tiles of K and V in local memory for all of its rows.
// The backward pass (autograd) recomputes the weights from q, k and the bias with composed ops.
// The host builds this file once per head dim (-DHEAD_DIM=64): with a constant trip count the loops
// over the head dim unroll and a work item's q row and accumulator stay in registers, and the
// staged tiles take only the local memory that head dim needs.

#ifndef ATT_ROWS
#define ATT_ROWS 32
#endif
#ifndef ATT_KEYS
#define ATT_KEYS 32
#endif

// Strides of the additive bias (already broadcast: 0 where repeated) over [B, H, T, S].
typedef struct {
    int present;
    int stride[4];
} Bias;

__kernel __attribute__((reqd_work_group_size(ATT_ROWS, 1, 1)))
void attention_forward(const int heads, const int t_len, const int s_len, const float scale, const int causal,
                       __global const float* q, const int qo, __global const float* k, const int ko,
                       __global const float* v, const int vo, __global const float* bias, const int bo, const Bias bs,
                       __global float* out, const int oo) {
    const int hd = HEAD_DIM;
    __local float kt[ATT_KEYS][HEAD_DIM];
    __local float vt[ATT_KEYS][HEAD_DIM];
    const int bh = (int) get_group_id(1), b = bh / heads, h = bh % heads;
    const int lid = (int) get_local_id(0), t = (int) get_group_id(0) * ATT_ROWS + lid;
    const bool row = t < t_len;
    __global const float* qr = q + qo + ((long) bh * t_len + (row ? t : 0)) * hd;
    __global const float* kb = k + ko + (long) bh * s_len * hd;
    __global const float* vb = v + vo + (long) bh * s_len * hd;
    __global const float* br = bias + bo + (long) b * bs.stride[0] + (long) h * bs.stride[1] + (long) (row ? t : 0) * bs.stride[2];

    float qv[HEAD_DIM], acc[HEAD_DIM];
    #pragma unroll
    for (int c = 0; c < hd; c++) {
        qv[c] = row ? qr[c] : 0.0f;
        acc[c] = 0.0f;
    }
    float m = -INFINITY, l = 0.0f;
    const int s_end = causal ? min(s_len, ((int) get_group_id(0) + 1) * ATT_ROWS + (s_len - t_len)) : s_len;
    for (int s0 = 0; s0 < s_end; s0 += ATT_KEYS) {
        for (int e = lid; e < ATT_KEYS * hd; e += ATT_ROWS) {
            int j = e / hd, c = e % hd;
            bool in = s0 + j < s_len;
            kt[j][c] = in ? kb[(long) (s0 + j) * hd + c] : 0.0f;
            vt[j][c] = in ? vb[(long) (s0 + j) * hd + c] : 0.0f;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        if (row) {
            int last = min(ATT_KEYS, s_len - s0);
            // Causal: query t (counted from the end when S > T, as with a KV cache) sees keys up to t + S − T.
            if (causal) last = min(last, t + (s_len - t_len) - s0 + 1);
            for (int j = 0; j < last; j++) {
                float score = 0.0f;
                #pragma unroll
                for (int c = 0; c < hd; c++) score = fma(qv[c], kt[j][c], score);
                score *= scale;
                if (bs.present) score += br[(long) (s0 + j) * bs.stride[3]];
                if (score == -INFINITY) continue;           // masked: weight 0
                if (score > m) {
                    float shrink = exp(m - score);
                    l *= shrink;
                    #pragma unroll
                    for (int c = 0; c < hd; c++) acc[c] *= shrink;
                    m = score;
                }
                float p = exp(score - m);
                l += p;
                #pragma unroll
                for (int c = 0; c < hd; c++) acc[c] = fma(p, vt[j][c], acc[c]);
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (!row) return;
    // A fully masked row has l = 0 and comes out NaN, as softmax of all −inf does on every backend.
    float inv = l > 0.0f ? 1.0f / l : NAN;
    __global float* orow = out + oo + ((long) bh * t_len + t) * hd;
    #pragma unroll
    for (int c = 0; c < hd; c++) orow[c] = acc[c] * inv;
}
