#!/usr/bin/python3
"""Reference fixture for loading GENA-LM's own sparse model (`gena-lm-bigbird-base-sparse(-t2t)`):
GENA's pre-LN BERT (`model_type` "bert", GENA_LM `src/gena_lm/modeling_bert.py`) with rotary
positions on part of each head and DeepSpeed's block-sparse attention in the BigBird layout
(`sparse_config_cls` "deepspeed.ops.sparse_attention:BigBirdSparsityConfig"). A tiny random
`BertForMaskedLM` is saved as a Hugging Face model directory, with the outputs PyTorch computes for
it on one right-padded batch of three DNA sequences.

How to run (from the repository root, /work/main):

    unset OPENBLAS_CORETYPE
    /usr/bin/python3 genomics/src/test/resources/hf/make_hf_gena_sparse_fixture.py

Debian's interpreter and python3-torch (stdlib + torch only: no `transformers`, no DeepSpeed, no
Triton, no GPU). Seeds are fixed and torch runs on one thread: two runs write the same bytes.
Helpers (file writers, safetensors writer, parameter init, the tiny GENA BPE tokenizer) come from
make_hf_fixtures.py beside this script.

Sources transcribed (`# GENA:` / `# DS:` comments quote the lines):
  * GENA_LM `src/gena_lm/modeling_bert.py` (read at AIRI-Institute/GENA_LM@011b95de): BertEmbeddings,
    BertSelfAttention (rotary + sparse branch), BertSelfOutput/BertOutput (no LayerNorm when
    pre_layer_norm), BertLayer (pre_attention_ln / post_attention_ln), BertEncoder (last_layer_ln
    only when last_layer_norm), BertModel (refuses lengths that are not a multiple of the block),
    BertForMaskedLM + BertOnlyMLMHead, RotaryEmbedding, rotate_half, apply_rotary_pos_emb.
  * GENA_LM `data/configs/L12-H768-A12-V32k-L4096-preln-sparse-rope.json` (@203841eb) for the field
    names and values (rotary_dim 32 of head 64, rotary_base 10000, last_layer_norm false, the
    sparse_attention dict).
  * DeepSpeed `deepspeed/ops/sparse_attention/sparsity_config.py` (deepspeedai/DeepSpeed@985acb15)
    BigBirdSparsityConfig.make_layout; `sparse_self_attention.py` (microsoft/DeepSpeed@2509bad0 and
    the current copy in xylian86/DeepSpeed@32d51a18, identical in what matters here);
    `softmax.py` (microsoft/DeepSpeed@01c61b8c, the Triton kernel `_forward`).

What GENA + DeepSpeed compute (eval mode, dropout identity):
  * BertModel.forward raises RuntimeError unless seq_len % sparse_attention["block"] == 0: the
    caller pads (here: [PAD] 3, attention_mask 0, token type 0) to a multiple of the block.
    Nothing is unpadded: outputs have the padded length.
  * Embeddings: word + token_type (NO position embedding table when position_embedding_type is
    "rotary"), LayerNorm, dropout. `bert.embeddings.position_ids` is still a persistent buffer.
  * Layer (pre-LN): a = x + dense(attn(pre_attention_ln(x))); y = a + dense(gelu(dense(post_attention_ln(a)))).
  * Rotary (GENA BertSelfAttention.forward): q, k = the raw projections per head [B, H, L, 64];
    q_rot = q[..., :rotary_dim], q_pass = q[..., rotary_dim:] (same for k); rotate-half ("NeoX")
    inside the rotary slice: x * cos + rotate_half(x) * sin with rotate_half(x) = cat(-x2, x1),
    x1 = x[..., :rotary_dim/2], x2 = x[..., rotary_dim/2:], cos/sin = cat(freqs, freqs) with
    freqs[t, j] = t * inv_freq[j], inv_freq[j] = 1 / base^(2j / rotary_dim), t = 0..L-1 of the
    padded input. Then cat(rotated, pass). The query is NOT scaled before the rotation; the
    1/sqrt(head_dim) (full head dim) scaling is applied to the scores inside the sparse softmax.
  * Sparse attention (DeepSpeed SparseSelfAttention.forward): q, k, v cast to fp16; scores =
    q @ k^T for the blocks of `layout` only; in the softmax kernel (fp32): x * scale (scale =
    head_dim ** -0.5) + key_padding_mask (mode 'add': GENA passes the extended attention mask
    (1 - m) * big negative, [B, 1, 1, L] squeezed to [B, L]); entries outside the layout are not
    in the row at all (-inf); softmax over the row; @ v. Query rows at padded positions are NOT
    zeroed: they attend to the valid keys of their allowed blocks like any row.
  * Layout: BigBirdSparsityConfig.make_layout(max_position_embeddings) is drawn once per
    SparseSelfAttention (one per layer) and registered as the persistent buffer `master_layout`
    [num_heads, max_len/block, max_len/block] (int64). For an input of L tokens the kernel uses
    master_layout[..., :L/block, :L/block]. Per head h (different_layout_per_head), in order:
    random (per row: random.sample(range(nb), num_random_blocks), Python's global `random`),
    sliding window (row i: columns max(0, i-w) .. min(i+w, nb-1), w = num_sliding_window_blocks // 2),
    global (rows and columns 0 .. num_global_blocks-1 all 1).
  * DeepSpeed caches the kernels in the CLASS attribute `SparseSelfAttention.ops`, keyed by the
    sequence length only: `if L not in SparseSelfAttention.ops: sparsity_layout = self.get_layout(L)`.
    The first SparseSelfAttention that runs at a length -- layer 0 in a process that runs this model
    -- builds the kernels from ITS master_layout, and every later layer reuses them. So every layer
    attends with layer 0's layout; the master_layout buffers of layers 1.. are saved but unused.
    `expected.safetensors` holds that (`hidden_states`, `logits`) and, separately, what each layer's
    own master_layout would give (`own_layout/hidden_states`, `own_layout/logits`).

This script's reference runs the attention as a dense softmax with the equivalent mask in float32
(and float64 for the cross-check), not in fp16 block-sparse kernels as the original does on GPU:
the difference an fp16 kernel makes is estimated by an emulation (q, k, v, scores, probabilities
and context rounded to fp16 where the kernel stores fp16) and recorded in `compare`.

Checks before anything is written:
  * the dense-mask attention against a block-gather form (DeepSpeed's look-up-table order: for
    each head and query block, the allowed key blocks `layout[h, i].nonzero()`, one softmax over
    their concatenation), in float64 on random q/k/v: < 1e-12;
  * float32 outputs against a float64 run of the same weights (< 1e-4);
  * each sequence alone (padded only to its own multiple of the block) against its rows of the
    batch, and the batch padded by two more blocks against the batch: < 1e-5 (the layout slices
    are nested, padded keys get weight exactly 0);
  * the rotary step against an independent complex-number rotation of feature pairs (j, j + r/2);
  * that the expected outputs differ measurably from full (dense) attention, from each layer using
    its own layout, and from a model without rotary (so a loader that ignores any of them fails).

Output, genomics/src/test/resources/hf/gena-sparse/: config.json, tokenizer.json,
tokenizer_config.json, special_tokens_map.json (the same bytes as gena-bert/), model.safetensors,
pytorch_model.bin, expected.json and expected.safetensors. See README.md beside this script.
"""
import copy
import math
import os
import random
import sys
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_hf_fixtures import (  # noqa: E402
    ST_DTYPES, Config, GenaOnlyMLMHead, GenaTokenizer, compact_json, init_parameters, pad_batch, safetensors_bytes,
    save_weights, write_bytes, write_json)

torch.set_num_threads(1)
OUT = os.path.join(HERE, "gena-sparse")
LAYOUT_SEED = 20240611   # random.seed() of the Python `random` that draws every layer's master_layout
PARAM_SEED = 51          # init_parameters() seed
SEQ_SEED = 20240612      # the DNA sequences


# ----------------------------------------------------------------------------------------------
# DeepSpeed BigBirdSparsityConfig.make_layout, with the Python random passed in
# ----------------------------------------------------------------------------------------------

class BigBirdSparsityConfig:
    """DS sparsity_config.py BigBirdSparsityConfig (bidirectional). `rng` stands for Python's
    global `random` module: DeepSpeed calls random.sample on the module, so a process that did
    random.seed(LAYOUT_SEED) and then built the model draws exactly these layouts."""

    def __init__(self, rng, num_heads, block=16, different_layout_per_head=False, num_random_blocks=1,
                 num_sliding_window_blocks=3, num_global_blocks=1, attention="bidirectional"):
        assert attention == "bidirectional"
        self.rng = rng
        self.num_heads = num_heads
        self.block = block
        self.different_layout_per_head = different_layout_per_head
        # DS: self.num_layout_heads = num_heads if different_layout_per_head else 1
        self.num_layout_heads = num_heads if different_layout_per_head else 1
        self.num_random_blocks = num_random_blocks
        self.num_sliding_window_blocks = num_sliding_window_blocks
        self.num_global_blocks = num_global_blocks

    def setup_layout(self, seq_len):
        if seq_len % self.block != 0:
            raise ValueError("Sequence Length, %d, needs to be dividable by Block size %d!" % (seq_len, self.block))
        num_blocks = seq_len // self.block
        # DS: layout = torch.zeros((self.num_heads, num_blocks, num_blocks), dtype=torch.int64)
        return torch.zeros((self.num_heads, num_blocks, num_blocks), dtype=torch.int64)

    def set_random_layout(self, h, layout):
        num_blocks = layout.shape[1]
        assert num_blocks >= self.num_random_blocks
        for row in range(0, num_blocks):
            # DS: sample_range = range(0, num_blocks) if self.attention == 'bidirectional' else ...
            #     rnd_cols = random.sample(sample_range, self.num_random_blocks)
            rnd_cols = self.rng.sample(range(0, num_blocks), self.num_random_blocks)
            layout[h, row, rnd_cols] = 1
        return layout

    def set_sliding_window_layout(self, h, layout):
        num_blocks = layout.shape[1]
        assert num_blocks >= self.num_sliding_window_blocks
        w = self.num_sliding_window_blocks // 2  # DS: w = self.num_sliding_window_blocks // 2
        for row in range(0, num_blocks):
            start = max(0, row - w)
            end = min(row + w + 1, num_blocks)
            layout[h, row, start:end] = 1
        return layout

    def set_global_layout_itc(self, h, layout):
        assert layout.shape[1] >= self.num_global_blocks
        layout[h, 0:self.num_global_blocks, :] = 1  # DS: global rows
        layout[h, :, 0:self.num_global_blocks] = 1  # DS: global columns
        return layout

    def make_layout(self, seq_len):
        layout = self.setup_layout(seq_len)
        for h in range(0, self.num_layout_heads):
            layout = self.set_random_layout(h, layout)
            layout = self.set_sliding_window_layout(h, layout)
            layout = self.set_global_layout_itc(h, layout)
        # DS check_and_propagate_first_head_layout
        if not self.different_layout_per_head:
            layout[1:self.num_heads, :, :] = layout[0, :, :]
        return layout


# ----------------------------------------------------------------------------------------------
# Attention kernels: the reference (dense softmax with the block mask) and a block-gather check
# ----------------------------------------------------------------------------------------------

def dense_block_sparse_attention(q, k, v, key_padding_mask, layout, block, scaling):
    """softmax over the allowed blocks only, as one dense masked softmax. q, k, v [B, H, L, d];
    key_padding_mask [B, L] additive (0 or a big negative, GENA's extended mask squeezed);
    layout [H, nb, nb] 0/1. Entries outside the layout get -inf (they are not in DeepSpeed's row);
    padded query rows are computed like the others (not zeroed). Returns [B, H, L, d]."""
    L = q.shape[2]
    assert L == layout.shape[1] * block
    allowed = layout.bool().repeat_interleave(block, dim=1).repeat_interleave(block, dim=2)  # [H, L, L]
    # DS softmax kernel: x = x * scale; x = x + kp_m (mode 'add'); x = tl.softmax(x)
    scores = torch.matmul(q, k.transpose(-1, -2)) * scaling
    scores = scores + key_padding_mask[:, None, None, :].to(q.dtype)
    scores = scores.masked_fill(~allowed[None], float("-inf"))
    probs = torch.softmax(scores, dim=-1)
    return torch.matmul(probs, v)


def gather_block_sparse_attention(q, k, v, key_padding_mask, layout, block, scaling):
    """The same, the way DeepSpeed's look-up table walks it: for head h and query block i, the key
    blocks j with layout[h, i, j] = 1 in ascending order (layout.nonzero() order), one softmax per
    query row over their concatenation."""
    B, H, L, d = q.shape
    nb = L // block
    out = torch.zeros_like(q)
    for h in range(H):
        for i in range(nb):
            cols = layout[h, i].nonzero().flatten().tolist()
            idx = torch.cat([torch.arange(j * block, (j + 1) * block) for j in cols])
            qi = q[:, h, i * block:(i + 1) * block]             # [B, b, d]
            kk, vv = k[:, h, idx], v[:, h, idx]                 # [B, len(cols)*b, d]
            s = torch.matmul(qi, kk.transpose(-1, -2)) * scaling + key_padding_mask[:, None, idx].to(q.dtype)
            out[:, h, i * block:(i + 1) * block] = torch.matmul(torch.softmax(s, dim=-1), vv)
    return out


def fp16_emulated_attention(q, k, v, key_padding_mask, layout, block, scaling):
    """An estimate of the fp16 kernel: q/k/v cast to half (GENA: query_layer.half() ...), the sdd
    product stored in half, the softmax computed in fp32 on the half scores and stored in half,
    the dsd product stored in half, then .float() (GENA: context_layer.float())."""
    def r(x):
        return x.half().float()
    q, k, v = r(q), r(k), r(v)
    L = q.shape[2]
    allowed = layout.bool().repeat_interleave(block, dim=1).repeat_interleave(block, dim=2)
    s = r(torch.matmul(q, k.transpose(-1, -2)))
    s = s * scaling + r(key_padding_mask)[:, None, None, :]
    s = s.masked_fill(~allowed[None], float("-inf"))
    p = r(torch.softmax(s, dim=-1))
    return r(torch.matmul(p, v))


def check_attention_kernel():
    """dense-mask form vs block-gather form in float64 on random q/k/v and random layouts."""
    g = torch.Generator().manual_seed(7)
    rng = random.Random(11)
    worst = 0.0
    for L, lens, H, d, b in ((80, [75, 47, 18], 2, 8, 8), (64, [64, 33, 9], 3, 4, 8), (48, [48, 40, 1], 2, 4, 16)):
        cfg = BigBirdSparsityConfig(rng, H, block=b, different_layout_per_head=True, num_random_blocks=1,
                                    num_sliding_window_blocks=3, num_global_blocks=2)
        layout = cfg.make_layout(128 if b == 8 else 256)[..., :L // b, :L // b]
        q, k, v = (torch.randn(3, H, L, d, generator=g, dtype=torch.float64) for _ in range(3))
        m = torch.zeros(3, L, dtype=torch.float64)
        for i, n in enumerate(lens):
            m[i, :n] = 1
        kpm = (1.0 - m) * torch.finfo(torch.float64).min
        a = dense_block_sparse_attention(q, k, v, kpm, layout, b, d ** -0.5)
        c = gather_block_sparse_attention(q, k, v, kpm, layout, b, d ** -0.5)
        worst = max(worst, float((a - c).abs().max()))
    assert worst < 1e-12, worst
    return worst


# ----------------------------------------------------------------------------------------------
# Rotary: GENA's RotaryEmbedding / rotate_half / apply_rotary_pos_emb
# ----------------------------------------------------------------------------------------------

class RotaryEmbedding(nn.Module):
    """GENA modeling_bert.py RotaryEmbedding (from GPT-NeoX):
        inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim))
        self.register_buffer("inv_freq", inv_freq)            # persistent: in the checkpoint
        t = torch.arange(seq_len, device=x.device).type_as(self.inv_freq)
        freqs = torch.einsum("i,j->ij", t, self.inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1).to(x.device)
        self.cos_cached = emb.cos()[None, None, :, :]; self.sin_cached = emb.sin()[None, None, :, :]
    (the seq_len cache is left out: it only skips recomputing the same values)"""

    def __init__(self, dim, base=10000):
        super().__init__()
        inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim))
        self.register_buffer("inv_freq", inv_freq)

    def forward(self, x, seq_dim=1, seq_len=None):
        if seq_len is None:
            seq_len = x.shape[seq_dim]
        t = torch.arange(seq_len, device=x.device).type_as(self.inv_freq)
        freqs = torch.einsum("i,j->ij", t, self.inv_freq)
        emb = torch.cat((freqs, freqs), dim=-1).to(x.device)
        return emb.cos()[None, None, :, :], emb.sin()[None, None, :, :]


def rotate_half(x):
    # GENA: x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    #       return torch.cat((-x2, x1), dim=x1.ndim - 1)
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=x1.ndim - 1)


def apply_rotary_pos_emb(q, k, cos, sin, offset: int = 0):
    # GENA: cos, sin = cos[:, :, offset: q.shape[2] + offset, :], sin[...]
    #       return (q * cos) + (rotate_half(q) * sin), (k * cos) + (rotate_half(k) * sin)
    cos, sin = cos[:, :, offset: q.shape[2] + offset, :], sin[:, :, offset: q.shape[2] + offset, :]
    return (q * cos) + (rotate_half(q) * sin), (k * cos) + (rotate_half(k) * sin)


def check_rotary(rotary_dim, base):
    """GENA's rotation of the first rotary_dim features vs a complex rotation of the pairs
    (j, j + rotary_dim/2) by angle t * inv_freq[j], inv_freq[j] = base^(-2j/rotary_dim) (computed in
    float32 as GENA's buffer is), float64."""
    g = torch.Generator().manual_seed(3)
    head, L = 2 * rotary_dim, 13
    x = torch.randn(1, 2, L, head, generator=g, dtype=torch.float64)
    emb = RotaryEmbedding(rotary_dim, base=base).double()
    cos, sin = emb(x, seq_len=L)
    rot, _ = apply_rotary_pos_emb(x[..., :rotary_dim], x[..., :rotary_dim], cos, sin)
    got = torch.cat((rot, x[..., rotary_dim:]), dim=-1)
    half = rotary_dim // 2
    for j in range(half):
        assert abs(float(emb.inv_freq[j]) - base ** (-2.0 * j / rotary_dim)) <= 1e-7 * base ** (-2.0 * j / rotary_dim)
    want = x.clone()
    for t in range(L):
        for j in range(half):
            ang = t * float(emb.inv_freq[j])  # float32-computed, as GENA's buffer
            for hh in range(2):
                a, b = float(x[0, hh, t, j]), float(x[0, hh, t, j + half])
                z = complex(a, b) * complex(math.cos(ang), math.sin(ang))
                want[0, hh, t, j], want[0, hh, t, j + half] = z.real, z.imag
    d = float((got - want).abs().max())
    assert d < 1e-12, d
    return d


# ----------------------------------------------------------------------------------------------
# The model (module and attribute names = GENA's, so state_dict() gives GENA's keys in its order)
# ----------------------------------------------------------------------------------------------

class SparseSelfAttention(nn.Module):
    """DS sparse_self_attention.py SparseSelfAttention: the layout buffer and the class-level
    kernel cache. `ops` maps a sequence length to the layout slice the kernels were built with
    (DS: `ops = dict()` in the class body; get_ops: `if L not in SparseSelfAttention.ops:
    sparsity_layout = self.get_layout(L) ... SparseSelfAttention.ops[L] = (...)`)."""
    ops = dict()

    def __init__(self, sparsity_config, key_padding_mask_mode="add", attn_mask_mode="mul", max_seq_length=2048):
        super().__init__()
        self.sparsity_config = sparsity_config
        # DS: master_layout = self.sparsity_config.make_layout(max_seq_length)
        #     self.register_buffer("master_layout", master_layout)
        master_layout = self.sparsity_config.make_layout(max_seq_length)
        self.register_buffer("master_layout", master_layout)
        self.key_padding_mask_mode = key_padding_mask_mode
        self.attn_mask_mode = attn_mask_mode
        self.own_layout = False  # True: bypass the shared cache (each layer its own master_layout)
        self.kernel = "dense"    # "dense" (reference), "gather", "fp16" (emulation), "full" (no sparsity)

    def get_layout(self, L):
        if L % self.sparsity_config.block != 0:
            raise ValueError("Sequence Length, %d, needs to be dividable by Block size %d!"
                             % (L, self.sparsity_config.block))
        num_blocks = L // self.sparsity_config.block
        return self.master_layout[..., :num_blocks, :num_blocks].cpu()

    def get_ops(self, L):
        if self.own_layout:
            return self.get_layout(L)
        if L not in SparseSelfAttention.ops:
            SparseSelfAttention.ops[L] = self.get_layout(L)
        return SparseSelfAttention.ops[L]

    def forward(self, query, key, value, rpe=None, key_padding_mask=None, attn_mask=None):
        assert rpe is None and attn_mask is None and self.key_padding_mask_mode == "add"
        bsz, num_heads, tgt_len, head_dim = query.size()
        # DS transpose_key_for_scores: `bsz, num_heads, seq_len, head_dim = x.size(); if seq_len != L:
        # return x.permute(0, 1, 3, 2)`. GENA passes key as [B, H, d, L], so it is permuted back --
        # except when L == head_dim, where DeepSpeed keeps it as is (a transposed key; not met here)
        assert tgt_len != head_dim, "DeepSpeed would not transpose the key back at L == head_dim"
        if key.shape[2] != tgt_len:
            key = key.permute(0, 1, 3, 2)
        # DS transpose_mask_for_sparse(..., is_key_padding_mask=True): [B, 1, 1, L] -> [B, L]
        kpm = key_padding_mask
        for dd in range(kpm.dim() - 1, 0, -1):
            kpm = kpm.squeeze(dim=dd)
        layout = self.get_ops(tgt_len)
        scaling = float(head_dim) ** -0.5  # DS: scaling = float(head_dim)**-0.5
        block = self.sparsity_config.block
        if self.kernel == "full":
            layout = torch.ones_like(layout)
        fn = {"dense": dense_block_sparse_attention, "full": dense_block_sparse_attention,
              "gather": gather_block_sparse_attention, "fp16": fp16_emulated_attention}[self.kernel]
        return fn(query, key, value, kpm, layout, block, scaling)


class BertEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size, padding_idx=c.pad_token_id)
        # GENA: if config.position_embedding_type == 'absolute': self.position_embeddings = ...
        assert c.position_embedding_type == "rotary"
        self.token_type_embeddings = nn.Embedding(c.type_vocab_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)
        # GENA: self.register_buffer("position_ids", torch.arange(config.max_position_embeddings).expand((1, -1)))
        #       (persistent) and token_type_ids (persistent=False, not saved)
        self.register_buffer("position_ids", torch.arange(c.max_position_embeddings).expand((1, -1)))
        self.register_buffer("token_type_ids", torch.zeros(self.position_ids.size(), dtype=torch.long),
                             persistent=False)

    def forward(self, input_ids, token_type_ids):
        embeddings = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
        return self.dropout(self.LayerNorm(embeddings))  # no position embedding with rotary


class BertSelfAttention(nn.Module):
    def __init__(self, c, rng):
        super().__init__()
        self.num_attention_heads = c.num_attention_heads
        self.attention_head_size = c.hidden_size // c.num_attention_heads
        self.all_head_size = self.num_attention_heads * self.attention_head_size
        self.max_seq_len = c.max_position_embeddings
        # GENA: self.sparse_config = sparse_config_cls(**self.config.sparse_attention)
        assert c.sparse_config_cls == "deepspeed.ops.sparse_attention:BigBirdSparsityConfig"
        self.sparse_config = BigBirdSparsityConfig(rng, **c.sparse_attention)
        self.query = nn.Linear(c.hidden_size, self.all_head_size)
        self.key = nn.Linear(c.hidden_size, self.all_head_size)
        self.value = nn.Linear(c.hidden_size, self.all_head_size)
        self.dropout = nn.Dropout(c.attention_probs_dropout_prob)
        self.position_embedding_type = c.position_embedding_type
        # GENA: self.rotary_dim = getattr(config, 'rotary_dim', self.attention_head_size)
        #       self.rotary_emb = RotaryEmbedding(self.rotary_dim, base=self.rotary_base)
        self.rotary_dim = c.get("rotary_dim", self.attention_head_size)
        self.rotary_emb = RotaryEmbedding(self.rotary_dim, base=c.rotary_base)
        # GENA: SparseSelfAttention(self.sparse_config, max_seq_length=self.max_seq_len)
        self.sparse_self_attention = SparseSelfAttention(self.sparse_config, max_seq_length=self.max_seq_len)
        self.use_rotary = True  # False only for the "ignores rotary" check

    def transpose_for_scores(self, x):
        x = x.view(x.size()[:-1] + (self.num_attention_heads, self.attention_head_size))
        return x.permute(0, 2, 1, 3)

    def transpose_key_for_scores(self, x):
        x = x.view(*(x.size()[:-1] + (self.num_attention_heads, self.attention_head_size)))
        return x.permute(0, 2, 3, 1)

    def forward(self, hidden_states, attention_mask):
        mixed_query_layer = self.query(hidden_states)
        key_layer = self.transpose_key_for_scores(self.key(hidden_states))     # [B, H, d, L]
        value_layer = self.transpose_for_scores(self.value(hidden_states))
        query_layer = self.transpose_for_scores(mixed_query_layer)             # [B, H, L, d], not scaled
        bs, seq_len, _ = hidden_states.shape
        if self.use_rotary:
            # GENA (position_embedding_type == 'rotary'):
            key_layer = key_layer.transpose(-1, -2)
            if self.rotary_dim < self.attention_head_size:
                query_rot = query_layer[..., :self.rotary_dim]
                query_pass = query_layer[..., self.rotary_dim:]
                key_rot = key_layer[..., :self.rotary_dim]
                key_pass = key_layer[..., self.rotary_dim:]
            else:
                query_rot = query_layer
                key_rot = key_layer
            cos, sin = self.rotary_emb(key_rot, seq_len=seq_len)
            query_layer, key_layer = apply_rotary_pos_emb(query_rot, key_rot, cos, sin, offset=0)
            if self.rotary_dim < self.attention_head_size:
                query_layer = torch.cat((query_layer, query_pass), dim=-1)
                key_layer = torch.cat((key_layer, key_pass), dim=-1)
            key_layer = key_layer.transpose(-1, -2)
        # GENA sparse branch: (fp16 cast left to the "fp16" emulation) sparse_self_attention(
        #     query_layer, key_layer, value_layer, rpe=position_bias, key_padding_mask=attention_mask)
        context_layer = self.sparse_self_attention(query_layer, key_layer, value_layer, rpe=None,
                                                   key_padding_mask=attention_mask)
        context_layer = context_layer.permute(0, 2, 1, 3).contiguous()
        return context_layer.view(context_layer.size()[:-2] + (self.all_head_size,))


class BertSelfOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        assert c.pre_layer_norm
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)  # pre_layer_norm: no LayerNorm
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, hidden_states, input_tensor):
        return self.dropout(self.dense(hidden_states))


class BertAttention(nn.Module):
    def __init__(self, c, rng):
        super().__init__()
        self.self = BertSelfAttention(c, rng)
        self.output = BertSelfOutput(c)

    def forward(self, hidden_states, attention_mask):
        return self.output(self.self(hidden_states, attention_mask), hidden_states)


class BertIntermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        assert c.hidden_act == "gelu"
        self.dense = nn.Linear(c.hidden_size, c.intermediate_size)

    def forward(self, hidden_states):
        return F.gelu(self.dense(hidden_states))  # ACT2FN["gelu"]: exact erf GELU


class BertOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.intermediate_size, c.hidden_size)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, hidden_states, input_tensor):
        return self.dropout(self.dense(hidden_states))


class BertLayer(nn.Module):
    def __init__(self, c, rng):
        super().__init__()
        self.pre_attention_ln = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.post_attention_ln = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.attention = BertAttention(c, rng)
        self.intermediate = BertIntermediate(c)
        self.output = BertOutput(c)

    def forward(self, hidden_states, attention_mask):
        attention_output = self.attention(self.pre_attention_ln(hidden_states), attention_mask)
        attention_output = hidden_states + attention_output          # GENA: if self.pre_layer_norm
        inter = self.intermediate(self.post_attention_ln(attention_output))
        return self.output(inter, attention_output) + attention_output


class BertEncoder(nn.Module):
    def __init__(self, c, rng):
        super().__init__()
        # GENA: self.last_layer_norm = getattr(config, 'last_layer_norm', self.pre_layer_norm)
        self.last_layer_norm = c.get("last_layer_norm", c.pre_layer_norm)
        assert not self.last_layer_norm
        self.layer = nn.ModuleList([BertLayer(c, rng) for _ in range(c.num_hidden_layers)])

    def forward(self, hidden_states, attention_mask):
        for layer in self.layer:
            hidden_states = layer(hidden_states, attention_mask)
        return hidden_states


class BertModel(nn.Module):
    def __init__(self, c, rng):
        super().__init__()
        self.config = c
        self.sparse_block_size = c.sparse_attention["block"]
        self.embeddings = BertEmbeddings(c)
        self.encoder = BertEncoder(c, rng)

    def forward(self, input_ids, attention_mask, token_type_ids):
        batch_size, seq_length = input_ids.shape
        # GENA: if self.is_sparse and seq_length % self.sparse_block_size != 0: raise RuntimeError(...)
        if seq_length % self.sparse_block_size != 0:
            raise RuntimeError("BertModel with sparse attention is used, but seq_len = %d is not divisible by "
                               "block_size = %d" % (seq_length, self.sparse_block_size))
        dtype = self.embeddings.word_embeddings.weight.dtype
        # transformers get_extended_attention_mask (current: (1 - m) * finfo(dtype).min; 4.17: * -10000.0;
        # either gives padded keys weight exactly 0 here)
        ext = attention_mask[:, None, None, :].to(dtype)
        extended_attention_mask = (1.0 - ext) * torch.finfo(dtype).min
        embedding_output = self.embeddings(input_ids, token_type_ids)
        return self.encoder(embedding_output, extended_attention_mask)


class BertForMaskedLM(nn.Module):
    def __init__(self, c, layout_seed):
        super().__init__()
        rng = random.Random(layout_seed)  # stands for `random.seed(layout_seed)` before building the model
        self.bert = BertModel(c, rng)     # GENA: BertModel(config, add_pooling_layer=False)
        self.cls = GenaOnlyMLMHead(c, self.bert.embeddings.word_embeddings)  # the same head as the dense GENA model's

    def forward(self, input_ids, attention_mask, token_type_ids):
        h = self.bert(input_ids, attention_mask, token_type_ids)
        return OrderedDict([("hidden_states", h), ("logits", self.cls(h))])

    def sparse_modules(self):
        return [layer.attention.self.sparse_self_attention for layer in self.bert.encoder.layer]


# ----------------------------------------------------------------------------------------------
# Fixture
# ----------------------------------------------------------------------------------------------

def config():
    tok_vocab = len(GenaTokenizer().vocab)
    sparse = OrderedDict([
        ("num_heads", 2),
        ("block", 8),
        ("different_layout_per_head", True),
        ("num_sliding_window_blocks", 3),
        ("num_global_blocks", 2),
        ("num_random_blocks", 1),
    ])
    return Config(
        architectures=["BertForMaskedLM"],
        attention_probs_dropout_prob=0.1,
        auto_map={"AutoModel": "modeling_bert.BertForMaskedLM"},
        gradient_checkpointing=False,
        hidden_act="gelu",
        hidden_dropout_prob=0.1,
        hidden_size=16,
        initializer_range=0.02,
        intermediate_size=32,
        last_layer_norm=False,
        layer_norm_eps=1e-12,
        max_position_embeddings=128,
        model_type="bert",
        num_attention_heads=2,
        num_hidden_layers=2,
        pad_token_id=3,
        position_embedding_type="rotary",
        pre_layer_norm=True,
        rotary_base=10000,
        rotary_dim=4,
        sparse_attention=sparse,
        sparse_config_cls="deepspeed.ops.sparse_attention:BigBirdSparsityConfig",
        transformers_version="4.6.0.dev0",
        type_vocab_size=2,
        use_cache=True,
        vocab_size=tok_vocab,
    )


def dna(rng, n):
    return "".join(rng.choice("ACGT") for _ in range(n))


def make_sequences():
    """Three DNA strings: 150 bp with a run of 12 N (longest, about 70 tokens), 110 bp
    with one N, about 40 bp."""
    rng = random.Random(SEQ_SEED)
    return [
        dna(rng, 80) + "N" * 12 + dna(rng, 58),
        dna(rng, 52) + "N" + dna(rng, 57),
        dna(rng, 41),
    ]


def pad_to_block(ids, mask, block, pad_id, extra_blocks=0):
    n = ids.shape[1]
    pad = (block - n % block) % block + extra_blocks * block
    if pad == 0:
        return ids, mask
    return F.pad(ids, (0, pad), value=pad_id), F.pad(mask, (0, pad), value=0)


def max_abs_valid(a, b, mask):
    return float((a.double() - b.double()).abs()[mask.bool()].max())


def fresh_model(c, state, dtype=torch.float32, kernel="dense", own_layout=False, rotary=True):
    """A new model with `state` loaded, as from_pretrained would give in a new process: the kernel
    cache (SparseSelfAttention.ops, a class attribute) starts empty."""
    m = BertForMaskedLM(c, LAYOUT_SEED)
    m.load_state_dict(state)
    m = m.to(dtype).eval()
    for s in m.sparse_modules():
        s.kernel = kernel
        s.own_layout = own_layout
    for layer in m.bert.encoder.layer:
        layer.attention.self.use_rotary = rotary
    SparseSelfAttention.ops.clear()
    return m


def run(model, ids, mask):
    with torch.no_grad():
        return model(ids, mask, torch.zeros_like(ids))


def main():
    c = config()
    tok = GenaTokenizer()
    os.makedirs(OUT, exist_ok=True)
    block = c.sparse_attention["block"]

    kernel_diff = check_attention_kernel()
    rotary_diff = check_rotary(c.rotary_dim, c.rotary_base)

    model = BertForMaskedLM(c, LAYOUT_SEED)
    init_parameters(model, PARAM_SEED)
    model.eval()
    state = copy.deepcopy(model.state_dict())
    # the layouts are what a process that ran random.seed(LAYOUT_SEED) and built the model draws
    chk = random.Random(LAYOUT_SEED)
    for i in range(c.num_hidden_layers):
        cfg = BigBirdSparsityConfig(chk, **c.sparse_attention)
        want = cfg.make_layout(c.max_position_embeddings)
        assert torch.equal(state["bert.encoder.layer.%d.attention.self.sparse_self_attention.master_layout" % i], want)
    max_blocks = c.max_position_embeddings // block

    write_json(os.path.join(OUT, "config.json"), dict(c), sort_keys=True)
    write_json(os.path.join(OUT, "tokenizer.json"), tok.json())
    write_bytes(os.path.join(OUT, "tokenizer_config.json"), b'{"tokenizer_class": "PreTrainedTokenizerFast"}')
    write_bytes(os.path.join(OUT, "special_tokens_map.json"),
                b'{"unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", '
                b'"cls_token": "[CLS]", "mask_token": "[MASK]"}')
    for f in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        with open(os.path.join(OUT, f), "rb") as a, open(os.path.join(HERE, "gena-bert", f), "rb") as b:
            assert a.read() == b.read(), "tokenizer file differs from gena-bert/" + f
    keys_bin, keys_st, dropped = save_weights(OUT, model)

    seqs = make_sequences()
    toks = [tok.tokenize(s) for s in seqs]
    assert "-" in toks[0][0] and "N" in toks[1][0]
    lens = [len(t[1]) for t in toks]
    ids0, mask0 = pad_batch([t[1] for t in toks], tok.pad_id)
    n = ids0.shape[1]
    assert 60 <= n <= 80 and n % block != 0 and lens == sorted(lens, reverse=True), lens
    ids, mask = pad_to_block(ids0, mask0, block, tok.pad_id)
    padded = ids.shape[1]
    nb = padded // block
    # GENA refuses the unpadded batch
    try:
        run(fresh_model(c, state), ids0, mask0)
        raise AssertionError("GENA's BertModel must refuse a length that is not a multiple of the block")
    except RuntimeError:
        pass

    out = run(fresh_model(c, state), ids, mask)
    ref = run(fresh_model(c, state, torch.float64), ids, mask)
    diffs = OrderedDict()
    f64 = OrderedDict((k, max_abs_valid(out[k], ref[k], mask)) for k in out)
    for k, d in f64.items():
        assert d < 1e-4, (k, d)
    diffs["float32_vs_float64_max_abs_diff"] = f64
    # block-gather kernel on the whole model, float64
    gref = run(fresh_model(c, state, torch.float64, kernel="gather"), ids, mask)
    gd = max(float((gref[k] - ref[k]).abs().max()) for k in ref)
    assert gd < 1e-10, gd
    diffs["whole_model_dense_mask_vs_block_gather_float64_max_abs_diff"] = gd
    # each sequence alone, padded only to its own multiple of the block
    alone = []
    for i, L in enumerate(lens):
        ai, am = pad_to_block(ids[i:i + 1, :L], mask[i:i + 1, :L], block, tok.pad_id)
        o = run(fresh_model(c, state), ai, am)
        a = max(float((o[k][0, :L] - out[k][i, :L]).abs().max()) for k in out)
        assert a < 1e-5, (i, a)
        alone.append(a)
    diffs["single_vs_batch_max_abs_diff_per_sequence"] = alone
    # two more blocks of padding: same valid rows (the layout slices are nested)
    xi, xm = pad_to_block(ids, mask, block, tok.pad_id, extra_blocks=2)
    xo = run(fresh_model(c, state), xi, xm)
    xd = max(max_abs_valid(xo[k][:, :padded], out[k], mask) for k in out)
    assert xd < 1e-5, xd
    diffs["two_more_pad_blocks_vs_expected_max_abs_diff"] = xd
    # alternatives a loader might compute: all must differ
    own = run(fresh_model(c, state, own_layout=True), ids, mask)
    od = [max_abs_valid(own["hidden_states"][i:i + 1], out["hidden_states"][i:i + 1], mask[i:i + 1])
          for i in range(len(lens))]
    assert od[0] > 1e-3, od
    diffs["own_layer_layouts_vs_expected_hidden_max_abs_diff_per_sequence"] = od
    full = run(fresh_model(c, state, kernel="full"), ids, mask)
    fd = [max_abs_valid(full["hidden_states"][i:i + 1], out["hidden_states"][i:i + 1], mask[i:i + 1])
          for i in range(len(lens))]
    assert fd[0] > 1e-2 and fd[1] > 1e-2, fd
    diffs["full_attention_vs_expected_hidden_max_abs_diff_per_sequence"] = fd
    norot = run(fresh_model(c, state, rotary=False), ids, mask)
    rd = max_abs_valid(norot["hidden_states"], out["hidden_states"], mask)
    assert rd > 1e-2, rd
    diffs["without_rotary_vs_expected_hidden_max_abs_diff"] = rd
    # the original's fp16 kernel, emulated
    h16 = run(fresh_model(c, state, kernel="fp16"), ids, mask)
    diffs["fp16_kernel_emulation_vs_expected_max_abs_diff"] = OrderedDict(
        (k, max_abs_valid(h16[k], out[k], mask)) for k in out)

    # layouts
    layouts = [state["bert.encoder.layer.%d.attention.self.sparse_self_attention.master_layout" % i]
               for i in range(c.num_hidden_layers)]
    assert not torch.equal(layouts[0][:, :nb, :nb], layouts[1][:, :nb, :nb])
    used = layouts[0][:, :nb, :nb]
    assert int(used.sum()) < c.num_attention_heads * nb * nb  # really sparse at this length
    for h in range(c.num_attention_heads):
        for i in range(nb):
            assert used[h, i, :2].all() and (i > 1 or used[h, i].all()), (h, i)

    tensors = OrderedDict([
        ("hidden_states", out["hidden_states"]),
        ("logits", out["logits"]),
        ("own_layout/hidden_states", own["hidden_states"]),
        ("own_layout/logits", own["logits"]),
    ])
    docs = {
        "hidden_states": "bert(...).last_hidden_state [batch, padded_seq_length, hidden] (no final LayerNorm): "
                         "every layer attends with layer 0's master_layout[:, :num_blocks, :num_blocks] "
                         "(DeepSpeed's shared kernel cache); rows with attention_mask 0 are computed "
                         "normally (not zeroed) and are not to be compared",
        "logits": "cls(hidden_states), MLM logits [batch, padded_seq_length, vocab]",
        "own_layout/hidden_states": "the same with each layer attending with its OWN master_layout slice "
                                    "(NOT what GENA + DeepSpeed compute; for a loader that chooses this)",
        "own_layout/logits": "cls(own_layout/hidden_states)",
    }
    st = OrderedDict((k, v.contiguous()) for k, v in tensors.items())
    write_bytes(os.path.join(OUT, "expected.safetensors"), safetensors_bytes(st, None))

    inv_freq = state["bert.encoder.layer.0.attention.self.rotary_emb.inv_freq"]
    layout_key = "bert.encoder.layer.{N}.attention.self.sparse_self_attention.master_layout"
    doc = OrderedDict()
    doc["format"] = "strand-hf-fixture/1"
    doc["model"] = "gena-sparse"
    doc["generator"] = "make_hf_gena_sparse_fixture.py"
    doc["torch_version"] = torch.__version__
    doc["dtype"] = "float32"
    doc["tensors_file"] = "expected.safetensors"
    doc["sequences"] = seqs
    doc["tokens"] = [t[0] for t in toks]
    doc["token_ids"] = [t[1] for t in toks]
    doc["input_ids"] = ids.tolist()
    doc["attention_mask"] = mask.tolist()
    doc["token_type_ids"] = torch.zeros_like(ids).tolist()
    doc["position_ids"] = torch.arange(padded)[None].expand(len(lens), -1).tolist()
    doc["seq_length"] = n
    doc["block_padding_len"] = padded - n
    doc["padded_seq_length"] = padded
    doc["num_blocks"] = nb
    doc["pad_token_id"] = tok.pad_id
    doc["special_token_ids"] = OrderedDict((t, tok.vocab[t]) for t in tok.SPECIALS)
    doc["rotary"] = OrderedDict([
        ("rotary_dim", c.rotary_dim),
        ("head_dim", c.hidden_size // c.num_attention_heads),
        ("rotary_base", c.rotary_base),
        ("inv_freq", inv_freq.tolist()),
        ("inv_freq_key", "bert.encoder.layer.{N}.attention.self.rotary_emb.inv_freq"),
        ("rotated_features", "the first rotary_dim features of each head [0, rotary_dim); the rest pass unchanged"),
        ("pairing", "rotate_half inside the rotary slice (GPT-NeoX): feature j pairs with j + rotary_dim/2, "
                    "not interleaved (2j, 2j+1)"),
        ("formula", "x_rot = x * cos + rotate_half(x) * sin, rotate_half(x) = cat(-x[r/2:r], x[0:r/2]), "
                    "cos/sin = cos/sin(cat(freqs, freqs)), freqs[t, j] = t * inv_freq[j], "
                    "inv_freq[j] = 1 / rotary_base^(2j / rotary_dim)"),
        ("positions", "t = 0..padded_seq_length-1, whatever the padding"),
        ("applied_to", "query and key, after the projections, BEFORE any scaling; scores are then "
                       "multiplied by head_dim^-0.5 (the full head dim) in the sparse softmax"),
        ("cos_sin_dtype", "computed in inv_freq's dtype (float32 here)"),
    ])
    doc["master_layout"] = OrderedDict([
        ("key", layout_key),
        ("shape", list(layouts[0].shape)),
        ("dtype", "I64"),
        ("meaning", "layout[h, i, j] = 1 when query block i of head h attends to key block j "
                    "(blocks of sparse_attention.block tokens); drawn once for max_position_embeddings "
                    "= %d (%d blocks)" % (c.max_position_embeddings, max_blocks)),
        ("generator", "DeepSpeed BigBirdSparsityConfig.make_layout, per head: random (per row "
                      "random.sample(range(num_blocks), num_random_blocks)), sliding window "
                      "(columns i-1..i+1, clipped), global (rows and columns 0..num_global_blocks-1); layer 0 "
                      "drawn before layer 1, head 0 before head 1, rows in order"),
        ("python_random_seed", LAYOUT_SEED),
        ("slice_used", "master_layout[:, :num_blocks, :num_blocks] with num_blocks = padded_seq_length / block = %d"
                       % nb),
        ("layer_used_by_every_layer", 0),
        ("why", "DeepSpeed caches the kernels per sequence length in the class attribute "
                "SparseSelfAttention.ops; the first SparseSelfAttention to run at a length (layer 0) builds them "
                "from its own master_layout and all layers reuse them"),
        ("used", used.tolist()),
        ("own_slices_per_layer", [l[:, :nb, :nb].tolist() for l in layouts]),
    ])
    doc["sparse_attention"] = OrderedDict([
        ("block_padding", "GENA's BertModel raises unless seq_len %% block == 0; the caller pads with [PAD] (3), "
                          "attention_mask 0, token type 0; input_ids here are padded so (seq_length %d -> %d); "
                          "outputs keep the padded length" % (n, padded)),
        ("scores", "(q_rot . k_rot) * head_dim^-0.5 for the key blocks allowed by the layout; others are "
                   "not in the softmax (-inf)"),
        ("key_padding", "additive (key_padding_mask_mode 'add'): the extended attention mask "
                        "(1 - attention_mask) * finfo(float32).min (transformers 4.17: -10000.0) is added "
                        "to the scaled scores; padded keys get weight exactly 0"),
        ("padded_query_rows", "computed like any row (not zeroed): they attend to the valid keys of their "
                              "allowed blocks; block 0 always holds [CLS], so no row is empty"),
        ("precision", "original: fp16 Triton kernels (q, k, v cast to half); this reference: dense float32 "
                      "softmax with the equivalent block mask, cross-checked in float64"),
    ])
    doc["checkpoint_keys"] = OrderedDict([("pytorch_model.bin", keys_bin), ("model.safetensors", keys_st)])
    doc["tied_keys_only_in_bin"] = dropped
    doc["tensors"] = OrderedDict(
        (k, OrderedDict([("dtype", ST_DTYPES[v.dtype][0]), ("shape", list(v.shape)), ("meaning", docs[k])]))
        for k, v in st.items())
    doc["compare"] = OrderedDict([
        ("rows", "only positions with attention_mask 1; padded rows are computed but not to be compared"),
        ("tolerance", 1e-4),
        ("attention_kernel_dense_mask_vs_block_gather_float64_max_abs_diff", kernel_diff),
        ("rotary_vs_complex_pair_rotation_float64_max_abs_diff", rotary_diff),
    ])
    doc["compare"].update(diffs)
    doc["notes"] = [
        "GENA-LM gena-lm-bigbird-base-sparse(-t2t) architecture (GENA's modeling_bert.py + DeepSpeed "
        "BigBirdSparsityConfig), tiny: hidden 16, 2 heads of 8, 2 layers, intermediate 32, rotary_dim 4, "
        "block 8, 1 random block, max_position_embeddings 128.",
        "No position embedding table (position_embedding_type rotary); bert.embeddings.position_ids "
        "(int64 [1, 128]) is still saved, as GENA registers it as a persistent buffer.",
        "Each layer carries rotary_emb.inv_freq (float32 [rotary_dim/2]) and sparse_self_attention.master_layout "
        "(int64 [heads, 16, 16]), persistent buffers, in both weight files.",
        "Every layer attends with layer 0's master_layout (DeepSpeed's class-level kernel cache keyed by length); "
        "own_layout/* is what per-layer layouts would give; the two differ (see compare).",
        "The third sequence fits in 3 blocks, where global blocks 0-1 and the window cover everything: "
        "it is dense in effect; the first two are not.",
        "Valid rows do not depend on how much block padding follows (layout slices are nested and padded "
        "keys get weight 0): each sequence alone equals its rows of the batch.",
        "The original runs the attention in fp16; the fp16 emulation difference in compare is the size of "
        "gap to expect against numbers from a real GPU run, not a tolerance for this fixture.",
        "The run of 12 N in the first sequence is normalised to '-' (id 5); the single N of the second is "
        "the token N.",
    ]
    write_bytes(os.path.join(OUT, "expected.json"), (compact_json(doc) + "\n").encode("utf-8"))

    size = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print("gena-sparse %d bytes  %s" % (size, " ".join(sorted(os.listdir(OUT)))))
    print("tokens", lens, "batch", n, "padded", padded, "blocks", nb)
    for k, v in doc["compare"].items():
        print(" ", k, v)


if __name__ == "__main__":
    sys.exit(main())
