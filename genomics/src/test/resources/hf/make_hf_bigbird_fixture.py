#!/usr/bin/python3
"""Reference fixture for loading a Hugging Face BigBird masked LM (`model_type` "big_bird",
`BigBirdForMaskedLM`, the architecture of GENA-LM's `gena-lm-bigbird-base-t2t`): a tiny random
model saved as a Hugging Face model directory, with the outputs PyTorch computes for it on two
batches, one that runs HF's block-sparse attention and one short enough for HF's fallback to full
attention.

How to run (from the repository root, /work/main):

    unset OPENBLAS_CORETYPE
    /usr/bin/python3 genomics/src/test/resources/hf/make_hf_bigbird_fixture.py

Debian's interpreter and python3-torch (stdlib + torch only; `transformers` is not installed here).
Seeds are fixed and torch runs on one thread: two runs write the same bytes. Helpers (file
writers, safetensors writer, parameter init, the tiny GENA BPE tokenizer) come from
make_hf_fixtures.py beside this script.

Source transcribed: Hugging Face transformers `src/transformers/models/big_bird/modeling_big_bird.py`,
read in qubvel/transformers@49235a00 (matches current main; `# HF:` comments below name the HF
class/method and quote the line transcribed), compared with huggingface/transformers@00967fa0
(about v4.5, identical apart from the eval-mode rand_attn and the position_ids buffer, see below);
`configuration_big_bird.py` (huggingface/transformers) for the config defaults; `activations.py`
NewGELUActivation for "gelu_new"; GENA_LM@203841eb `data/configs/hf_bigbird_L12-H768-A12-V32k-L4096.json`
for GENA's settings (hidden_act "gelu_new", pad_token_id 3, use_bias true, rescale_embeddings false).

What the model does (eval mode; dropout is identity):
  * BigBirdModel.forward: if attention_type == "block_sparse" and the batch's sequence length
    <= (5 + 2 * num_random_blocks) * block_size (here 56), it calls set_attention_type("original_full")
    -- permanently for that model object -- and runs plain BERT attention.
  * Otherwise _pad_to_block_size right-pads input_ids with pad_token_id, attention_mask with 0 and
    token_type_ids with 0 to a multiple of block_size, runs the encoder on the padded length
    (positions 0..padded-1), computes the pooler from token 0, then strips the padding from the
    last hidden state. The MLM head runs on the stripped hidden states.
  * Embeddings: word + token_type + position, dropout, THEN LayerNorm (BERT does LN then dropout).
  * Layers: post-LN BERT (attention.output.LayerNorm(dense(ctx) + x), output.LayerNorm(dense(act(
    intermediate.dense(a))) + a)).
  * Block-sparse attention (ITC): q block 0 and nb-1 attend to every key; q block 1 to key blocks
    [0, 1, 2, nb-1, rand]; q blocks 2..nb-3 to [0 | i-1, i, i+1 | rand | nb-1]; q block nb-2 to
    [0, nb-3, nb-2, nb-1, rand]; one softmax per query row over that concatenation; scores * 1/sqrt(d);
    masked entries + (1 - mask) * -10000; context * from_mask (padded query rows -> 0).
    In eval, current HF's rand_attn is ALL ZEROS (PR #23056), so every random slot is key block 0:
    rows of q blocks 1..nb-2 count key block 0 (1 + num_random_blocks) times in their softmax.

Checks before anything is written:
  * the block-sparse attention (HF's gather form) against a dense softmax with the equivalent mask
    (log multiplicity of each key block + -10000 on padded keys, output * from_mask), in float64,
    on random q/k/v with the eval table (zeros) and with a non-zero table, and for the whole model
    (every layer's attention swapped for the dense form): must agree within 1e-10;
  * float32 outputs against a float64 run of the same weights (< 1e-4);
  * batch against single runs where HF's semantics make them equal: the longest sparse sequence
    alone (same padded length), each full-attention sequence alone;
  * that the sparse case really differs from full attention (so a loader that ignores the sparsity
    fails), and that HF's switch to full attention is permanent (a model that ran the short batch
    computes the long batch with full attention).

Output, genomics/src/test/resources/hf/bigbird/: config.json, tokenizer.json,
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

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_hf_fixtures import (  # noqa: E402
    ST_DTYPES, Config, GenaTokenizer, compact_json, init_parameters, pad_batch, safetensors_bytes,
    save_weights, write_bytes, write_json)

torch.set_num_threads(1)
OUT = os.path.join(HERE, "bigbird")
ATTN_MASK_PENALTY = -10000.0  # HF: attn_mask_penalty = -10000.0


# ----------------------------------------------------------------------------------------------
# Activation
# ----------------------------------------------------------------------------------------------

def gelu_new(x):
    # HF activations.py NewGELUActivation (ACT2FN["gelu_new"]):
    #   0.5 * input * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (input + 0.044715 * torch.pow(input, 3.0))))
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


# ----------------------------------------------------------------------------------------------
# Random-block table, eval mode
# ----------------------------------------------------------------------------------------------

def get_rand_attn_plan(from_seq_length, from_block_size, num_rand_blocks):
    """HF BigBirdBlockSparseAttention._get_rand_attn_plan (no randomness)."""
    plan_from_length, plan_num_rand_blocks = [], []
    if (2 * num_rand_blocks + 5) < (from_seq_length // from_block_size):
        plan_from_length.append(int((2 * num_rand_blocks + 5) * from_block_size))
        plan_num_rand_blocks.append(num_rand_blocks)
        plan_from_length.append(from_seq_length)
        plan_num_rand_blocks.append(0)
    elif (num_rand_blocks + 5) < (from_seq_length // from_block_size):
        plan_from_length.append(int((num_rand_blocks + 5) * from_block_size))
        plan_num_rand_blocks.append(num_rand_blocks // 2)
        plan_from_length.append(from_seq_length)
        plan_num_rand_blocks.append(num_rand_blocks - (num_rand_blocks // 2))
    else:
        plan_from_length.append(from_seq_length)
        plan_num_rand_blocks.append(num_rand_blocks)
    return plan_from_length, plan_num_rand_blocks


def eval_rand_attn(from_seq_len, block, n_rand_blocks, n_heads, max_seqlen):
    """rand_attn [n_heads, nb-2, r] (long) as HF bigbird_block_sparse_attention builds it in EVAL
    mode (model.eval(), self.training False). Both planners return zeros before drawing anything:
      HF _bigbird_block_rand_mask:            rand_attn = np.zeros((from_seq_length // from_block_size - 2,
                                               num_rand_blocks), dtype=np.int32)
                                               # During inference (eval) no randomness
                                               if not self.training: return rand_attn
      HF _bigbird_block_rand_mask_with_head:  rand_attn = [np.zeros((num_blocks, np.sum(plan_num_rand_blocks[
                                               : max_plan_idx + 1])), dtype=np.int32) for i in range(num_heads)]
                                               if not self.training: ... rand_attn[nh][global_block_top :
                                               num_blocks - global_block_bottom, :]; return rand_attn
    (np.random.seed(seed) is still called, but no draw follows.)"""
    nb = from_seq_len // block
    if from_seq_len in [1024, 3072, 4096]:  # HF: "old plans used in paper"
        per_head = [torch.zeros(max_seqlen // block - 2, n_rand_blocks, dtype=torch.long)[: nb - 2]
                    for _ in range(n_heads)]
    else:
        plan_from_length, plan_num_rand_blocks = get_rand_attn_plan(from_seq_len, block, n_rand_blocks)
        max_plan_idx = plan_from_length.index(from_seq_len)
        width = sum(plan_num_rand_blocks[: max_plan_idx + 1])
        per_head = [torch.zeros(nb, width, dtype=torch.long)[1: nb - 1] for _ in range(n_heads)]
    rand_attn = torch.stack(per_head, dim=0)  # HF: rand_attn = np.stack(rand_attn, axis=0)
    assert rand_attn.shape == (n_heads, nb - 2, n_rand_blocks), rand_attn.shape
    return rand_attn


# ----------------------------------------------------------------------------------------------
# Block-sparse attention: HF's bigbird_block_sparse_attention, transcribed
# ----------------------------------------------------------------------------------------------

def torch_bmm_nd(inp_1, inp_2, ndim=None):
    # HF BigBirdBlockSparseAttention.torch_bmm_nd: faster replacement of einsum("bhqk,bhkd->bhqd")
    return torch.bmm(inp_1.reshape((-1,) + inp_1.shape[-2:]), inp_2.reshape((-1,) + inp_2.shape[-2:])).view(
        inp_1.shape[: ndim - 2] + (inp_1.shape[ndim - 2], inp_2.shape[ndim - 1]))


def torch_bmm_nd_transpose(inp_1, inp_2, ndim=None):
    # HF BigBirdBlockSparseAttention.torch_bmm_nd_transpose: einsum("bhqd,bhkd->bhqk")
    return torch.bmm(
        inp_1.reshape((-1,) + inp_1.shape[-2:]), inp_2.reshape((-1,) + inp_2.shape[-2:]).transpose(1, 2)
    ).view(inp_1.shape[: ndim - 2] + (inp_1.shape[ndim - 2], inp_2.shape[ndim - 2]))


def torch_gather_b2(params, indices):
    # HF BigBirdBlockSparseAttention.torch_gather_b2 ("equivalent to tf.gather when batch_dims=2")
    assert params.shape[:2] == indices.shape[:2]
    num_indices_to_gather = indices.shape[-2] * indices.shape[-1]
    num_indices_to_pick_from = params.shape[2]
    shift = torch.arange(indices.shape[0] * indices.shape[1] * num_indices_to_gather, device=indices.device)
    indices_shift = torch.div(shift, num_indices_to_gather, rounding_mode="floor") * num_indices_to_pick_from
    flattened_indices = indices.view(-1) + indices_shift
    flattened_params = params.reshape(-1, params.shape[-2], params.shape[-1])
    out_flattened = flattened_params.index_select(0, flattened_indices)
    return out_flattened.reshape(params.shape[:2] + (num_indices_to_gather,) + params.shape[3:])


def create_rand_mask_from_inputs(from_blocked_mask, to_blocked_mask, rand_attn, num_attention_heads,
                                 num_rand_blocks, batch_size, from_seq_length, from_block_size):
    # HF BigBirdBlockSparseAttention._create_rand_mask_from_inputs
    num_windows = from_seq_length // from_block_size - 2
    rand_mask = torch.stack([p1[i1.flatten()] for p1, i1 in zip(to_blocked_mask, rand_attn)])
    rand_mask = rand_mask.view(batch_size, num_attention_heads, num_windows, num_rand_blocks * from_block_size)
    # the query side (from_blocked_mask) enters the random part of the mask too
    return torch.einsum("blq,bhlk->bhlqk", from_blocked_mask[:, 1:-1], rand_mask)


def create_masks_for_block_sparse_attn(attention_mask, block_size):
    """HF BigBirdModel.create_masks_for_block_sparse_attn: blocked_encoder_mask [B, nb, b],
    band_mask [B, 1, nb-4, b, 3b] (query mask x key mask over the sliding window), from_mask
    [B, 1, n, 1], to_mask [B, 1, 1, n]."""
    batch_size, seq_length = attention_mask.size()
    assert seq_length % block_size == 0

    def create_band_mask_from_inputs(from_blocked_mask, to_blocked_mask):
        exp_blocked_to_pad = torch.cat(
            [to_blocked_mask[:, 1:-3], to_blocked_mask[:, 2:-2], to_blocked_mask[:, 3:-1]], dim=2)
        band_mask = torch.einsum("blq,blk->blqk", from_blocked_mask[:, 2:-2], exp_blocked_to_pad)
        band_mask.unsqueeze_(1)
        return band_mask

    blocked_encoder_mask = attention_mask.view(batch_size, seq_length // block_size, block_size)
    band_mask = create_band_mask_from_inputs(blocked_encoder_mask, blocked_encoder_mask)
    from_mask = attention_mask.view(batch_size, 1, seq_length, 1)
    to_mask = attention_mask.view(batch_size, 1, 1, seq_length)
    return blocked_encoder_mask, band_mask, from_mask, to_mask


def bigbird_block_sparse_attention(query_layer, key_layer, value_layer, band_mask, from_mask, to_mask,
                                   from_blocked_mask, to_blocked_mask, n_heads, n_rand_blocks,
                                   attention_head_size, from_block_size, to_block_size, batch_size,
                                   from_seq_len, to_seq_len, rand_attn):
    """HF BigBirdBlockSparseAttention.bigbird_block_sparse_attention, the context part
    (output_attentions, which only builds a dense map for visualisation, is left out). rand_attn
    [n_heads, nb-2, r] is passed in (eval_rand_attn() gives the eval-mode zeros). q/k/v
    [B, H, n, d]; returns context [B, n, H, d] as HF does (transposed, before view)."""
    assert from_seq_len // from_block_size == to_seq_len // to_block_size
    rsqrt_d = 1 / math.sqrt(attention_head_size)
    bsz = batch_size
    attn_mask_penalty = ATTN_MASK_PENALTY

    # HF: rand_attn = torch.tensor(rand_attn, ..., dtype=torch.long); rand_attn.unsqueeze_(0);
    #     rand_attn = torch.cat([rand_attn for _ in range(batch_size)], dim=0)
    rand_attn = rand_attn.to(torch.long).unsqueeze(0)
    rand_attn = torch.cat([rand_attn for _ in range(batch_size)], dim=0)

    rand_mask = create_rand_mask_from_inputs(
        from_blocked_mask, to_blocked_mask, rand_attn, n_heads, n_rand_blocks, bsz, from_seq_len, from_block_size)

    blocked_query_matrix = query_layer.view(bsz, n_heads, from_seq_len // from_block_size, from_block_size, -1)
    blocked_key_matrix = key_layer.view(bsz, n_heads, to_seq_len // to_block_size, to_block_size, -1)
    blocked_value_matrix = value_layer.view(bsz, n_heads, to_seq_len // to_block_size, to_block_size, -1)

    # preparing block for randn attn
    gathered_key = torch_gather_b2(blocked_key_matrix, rand_attn)
    gathered_key = gathered_key.view(bsz, n_heads, to_seq_len // to_block_size - 2, n_rand_blocks * to_block_size, -1)
    gathered_value = torch_gather_b2(blocked_value_matrix, rand_attn)
    gathered_value = gathered_value.view(
        bsz, n_heads, to_seq_len // to_block_size - 2, n_rand_blocks * to_block_size, -1)

    # 1st PART: q[0] x (k[0], k[1], ... all keys)
    first_product = torch_bmm_nd_transpose(blocked_query_matrix[:, :, 0], key_layer, ndim=4)
    first_product = first_product * rsqrt_d
    first_product += (1.0 - to_mask) * attn_mask_penalty
    first_attn_weights = nn.functional.softmax(first_product, dim=-1)
    first_context_layer = torch_bmm_nd(first_attn_weights, value_layer, ndim=4)
    first_context_layer.unsqueeze_(2)

    # 2nd PART: q[1] x (k[0], k[1], k[2], k[-1], random)
    second_key_mat = torch.cat([
        blocked_key_matrix[:, :, 0], blocked_key_matrix[:, :, 1], blocked_key_matrix[:, :, 2],
        blocked_key_matrix[:, :, -1], gathered_key[:, :, 0]], dim=2)
    second_value_mat = torch.cat([
        blocked_value_matrix[:, :, 0], blocked_value_matrix[:, :, 1], blocked_value_matrix[:, :, 2],
        blocked_value_matrix[:, :, -1], gathered_value[:, :, 0]], dim=2)
    second_product = torch_bmm_nd_transpose(blocked_query_matrix[:, :, 1], second_key_mat, ndim=4)
    second_seq_pad = torch.cat([
        to_mask[:, :, :, : 3 * to_block_size], to_mask[:, :, :, -to_block_size:],
        to_mask.new_ones([bsz, 1, 1, n_rand_blocks * to_block_size])], dim=3)
    second_rand_pad = torch.cat([
        rand_mask.new_ones([bsz, n_heads, from_block_size, 4 * to_block_size]), rand_mask[:, :, 0]], dim=3)
    second_product = second_product * rsqrt_d
    second_product += (1.0 - torch.minimum(second_seq_pad, second_rand_pad)) * attn_mask_penalty
    second_attn_weights = nn.functional.softmax(second_product, dim=-1)
    second_context_layer = torch_bmm_nd(second_attn_weights, second_value_mat, ndim=4)
    second_context_layer.unsqueeze_(2)

    # 3rd PART: q[2:-2] x (first | sliding (shifted copies [1:-3], [2:-2], [3:-1]) | random | last)
    exp_blocked_key_matrix = torch.cat(
        [blocked_key_matrix[:, :, 1:-3], blocked_key_matrix[:, :, 2:-2], blocked_key_matrix[:, :, 3:-1]], dim=3)
    exp_blocked_value_matrix = torch.cat(
        [blocked_value_matrix[:, :, 1:-3], blocked_value_matrix[:, :, 2:-2], blocked_value_matrix[:, :, 3:-1]],
        dim=3)
    middle_query_matrix = blocked_query_matrix[:, :, 2:-2]
    inner_band_product = torch_bmm_nd_transpose(middle_query_matrix, exp_blocked_key_matrix, ndim=5)
    inner_band_product = inner_band_product * rsqrt_d
    rand_band_product = torch_bmm_nd_transpose(middle_query_matrix, gathered_key[:, :, 1:-1], ndim=5)
    rand_band_product = rand_band_product * rsqrt_d
    first_band_product = torch.einsum("bhlqd,bhkd->bhlqk", middle_query_matrix, blocked_key_matrix[:, :, 0])
    first_band_product = first_band_product * rsqrt_d
    last_band_product = torch.einsum("bhlqd,bhkd->bhlqk", middle_query_matrix, blocked_key_matrix[:, :, -1])
    last_band_product = last_band_product * rsqrt_d
    # masking padded tokens (band and random parts carry the query mask too; first/last only the key mask)
    inner_band_product += (1.0 - band_mask) * attn_mask_penalty
    first_band_product += (1.0 - to_mask[:, :, :, :to_block_size].unsqueeze(3)) * attn_mask_penalty
    last_band_product += (1.0 - to_mask[:, :, :, -to_block_size:].unsqueeze(3)) * attn_mask_penalty
    rand_band_product += (1.0 - rand_mask[:, :, 1:-1]) * attn_mask_penalty
    band_product = torch.cat([first_band_product, inner_band_product, rand_band_product, last_band_product], dim=-1)
    attn_weights = nn.functional.softmax(band_product, dim=-1)
    context_layer = torch_bmm_nd(attn_weights[:, :, :, :, to_block_size: 4 * to_block_size],
                                 exp_blocked_value_matrix, ndim=5)
    context_layer += torch_bmm_nd(attn_weights[:, :, :, :, 4 * to_block_size: -to_block_size],
                                  gathered_value[:, :, 1:-1], ndim=5)
    context_layer += torch.einsum("bhlqk,bhkd->bhlqd", attn_weights[:, :, :, :, :to_block_size],
                                  blocked_value_matrix[:, :, 0])
    context_layer += torch.einsum("bhlqk,bhkd->bhlqd", attn_weights[:, :, :, :, -to_block_size:],
                                  blocked_value_matrix[:, :, -1])

    # 4th PART: q[-2] x (k[0], k[-3], k[-2], k[-1], random)
    second_last_key_mat = torch.cat([
        blocked_key_matrix[:, :, 0], blocked_key_matrix[:, :, -3], blocked_key_matrix[:, :, -2],
        blocked_key_matrix[:, :, -1], gathered_key[:, :, -1]], dim=2)
    second_last_value_mat = torch.cat([
        blocked_value_matrix[:, :, 0], blocked_value_matrix[:, :, -3], blocked_value_matrix[:, :, -2],
        blocked_value_matrix[:, :, -1], gathered_value[:, :, -1]], dim=2)
    second_last_product = torch_bmm_nd_transpose(blocked_query_matrix[:, :, -2], second_last_key_mat, ndim=4)
    second_last_seq_pad = torch.cat([
        to_mask[:, :, :, :to_block_size], to_mask[:, :, :, -3 * to_block_size:],
        to_mask.new_ones([bsz, 1, 1, n_rand_blocks * to_block_size])], dim=3)
    second_last_rand_pad = torch.cat([
        rand_mask.new_ones([bsz, n_heads, from_block_size, 4 * to_block_size]), rand_mask[:, :, -1]], dim=3)
    second_last_product = second_last_product * rsqrt_d
    second_last_product += (1.0 - torch.minimum(second_last_seq_pad, second_last_rand_pad)) * attn_mask_penalty
    second_last_attn_weights = nn.functional.softmax(second_last_product, dim=-1)
    second_last_context_layer = torch_bmm_nd(second_last_attn_weights, second_last_value_mat, ndim=4)
    second_last_context_layer.unsqueeze_(2)

    # 5th PART: q[-1] x all keys
    last_product = torch_bmm_nd_transpose(blocked_query_matrix[:, :, -1], key_layer, ndim=4)
    last_product = last_product * rsqrt_d
    last_product += (1.0 - to_mask) * attn_mask_penalty
    last_attn_weights = nn.functional.softmax(last_product, dim=-1)
    last_context_layer = torch_bmm_nd(last_attn_weights, value_layer, ndim=4)
    last_context_layer.unsqueeze_(2)

    # HF: combining representations of all tokens; ... .view((bsz, n_heads, from_seq_len, -1)) * from_mask
    context_layer = torch.cat(
        [first_context_layer, second_context_layer, context_layer, second_last_context_layer, last_context_layer],
        dim=2)
    context_layer = context_layer.view((bsz, n_heads, from_seq_len, -1)) * from_mask
    return torch.transpose(context_layer, 1, 2)


def itc_key_blocks(i, nb, rand_row):
    """Key blocks query block i reads in HF's ITC layout, in HF's concatenation order (repeats kept)."""
    if i == 0 or i == nb - 1:
        return list(range(nb))
    if i == 1:
        return [0, 1, 2, nb - 1] + rand_row
    if i == nb - 2:
        return [0, nb - 3, nb - 2, nb - 1] + rand_row
    return [0, i - 1, i, i + 1] + rand_row + [nb - 1]


def dense_equivalent_attention(q, k, v, attention_mask, block, rand_attn, unique=False):
    """The same attention as one dense softmax per row: score + log(M[h, t, s]) where M counts how
    often key s appears in query t's concatenation (-inf where 0), + (1 - mask) * -10000 on padded
    keys, output rows of padded queries set to 0. q/k/v [B, H, n, d]; returns [B, n, H, d].
    unique=True counts every key at most once (NOT what HF computes; used to measure the effect of
    the eval-mode duplicate of key block 0)."""
    B, H, n, d = q.shape
    nb = n // block
    counts = torch.zeros(H, nb, nb, dtype=q.dtype)
    for h in range(H):
        for i in range(nb):
            row = rand_attn[h, i - 1].tolist() if 1 <= i <= nb - 2 else []
            for j in itc_key_blocks(i, nb, row):
                counts[h, i, j] += 1
    if unique:
        counts = counts.clamp(max=1)
    M = counts.repeat_interleave(block, dim=1).repeat_interleave(block, dim=2)  # [H, n, n]
    m = attention_mask.to(q.dtype)
    s = q @ k.transpose(-1, -2) / math.sqrt(d) + torch.log(M)[None] + (1.0 - m)[:, None, None, :] * ATTN_MASK_PENALTY
    out = (torch.softmax(s, dim=-1) @ v) * m[:, None, :, None]
    return out.transpose(1, 2)


# ----------------------------------------------------------------------------------------------
# The model (module and attribute names = HF's, so state_dict() gives HF's keys in HF's order)
# ----------------------------------------------------------------------------------------------

class BigBirdEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden_size, padding_idx=c.pad_token_id)
        self.position_embeddings = nn.Embedding(c.max_position_embeddings, c.hidden_size)
        self.token_type_embeddings = nn.Embedding(c.type_vocab_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)
        # persistent in the transformers of GENA's config (4.4, read in @00967fa0): saved in the
        # checkpoint as bert.embeddings.position_ids; current HF registers it persistent=False
        self.register_buffer("position_ids", torch.arange(c.max_position_embeddings).expand((1, -1)))
        self.rescale_embeddings = c.rescale_embeddings
        self.hidden_size = c.hidden_size

    def forward(self, input_ids, token_type_ids):
        # HF BigBirdEmbeddings.forward
        seq_length = input_ids.shape[1]
        position_ids = self.position_ids[:, 0: seq_length]  # 0..n-1 of the (block-padded) input
        inputs_embeds = self.word_embeddings(input_ids)
        if self.rescale_embeddings:
            inputs_embeds = inputs_embeds * (self.hidden_size ** 0.5)
        embeddings = inputs_embeds + self.token_type_embeddings(token_type_ids)
        embeddings += self.position_embeddings(position_ids)
        embeddings = self.dropout(embeddings)  # HF: dropout THEN LayerNorm
        return self.LayerNorm(embeddings)


class BigBirdSelfAttention(nn.Module):
    """HF BigBirdSelfAttention ("original_full"), encoder case."""

    def __init__(self, c):
        super().__init__()
        self.num_attention_heads = c.num_attention_heads
        self.attention_head_size = c.hidden_size // c.num_attention_heads
        self.all_head_size = self.num_attention_heads * self.attention_head_size
        self.query = nn.Linear(c.hidden_size, self.all_head_size, bias=c.use_bias)
        self.key = nn.Linear(c.hidden_size, self.all_head_size, bias=c.use_bias)
        self.value = nn.Linear(c.hidden_size, self.all_head_size, bias=c.use_bias)
        self.dropout = nn.Dropout(c.attention_probs_dropout_prob)

    def transpose_for_scores(self, x):
        x = x.view(x.size()[:-1] + (self.num_attention_heads, self.attention_head_size))
        return x.permute(0, 2, 1, 3)

    def forward(self, hidden_states, attention_mask):
        query_layer = self.transpose_for_scores(self.query(hidden_states))
        key_layer = self.transpose_for_scores(self.key(hidden_states))
        value_layer = self.transpose_for_scores(self.value(hidden_states))
        attention_scores = torch.matmul(query_layer, key_layer.transpose(-1, -2))
        attention_scores = attention_scores / math.sqrt(self.attention_head_size)
        attention_scores = attention_scores + attention_mask
        attention_probs = self.dropout(nn.functional.softmax(attention_scores, dim=-1))
        context_layer = torch.matmul(attention_probs, value_layer).permute(0, 2, 1, 3).contiguous()
        return context_layer.view(context_layer.size()[:-2] + (self.all_head_size,))


class BigBirdBlockSparseAttention(nn.Module):
    """HF BigBirdBlockSparseAttention (eval mode only). `dense_reference` swaps in
    dense_equivalent_attention for the float64 cross-check."""

    def __init__(self, c, seed=None):
        super().__init__()
        self.max_seqlen = c.max_position_embeddings
        self.seed = seed  # the layer index; HF reseeds numpy with it every call (no draw in eval)
        self.num_attention_heads = c.num_attention_heads
        self.num_random_blocks = c.num_random_blocks
        self.block_size = c.block_size
        self.attention_head_size = c.hidden_size // c.num_attention_heads
        self.all_head_size = self.num_attention_heads * self.attention_head_size
        self.query = nn.Linear(c.hidden_size, self.all_head_size, bias=c.use_bias)
        self.key = nn.Linear(c.hidden_size, self.all_head_size, bias=c.use_bias)
        self.value = nn.Linear(c.hidden_size, self.all_head_size, bias=c.use_bias)
        self.dense_reference = None  # None: HF's block form; "counts" / "unique": dense_equivalent_attention

    def transpose_for_scores(self, x):
        x = x.view(x.size()[:-1] + (self.num_attention_heads, self.attention_head_size))
        return x.permute(0, 2, 1, 3)

    def forward(self, hidden_states, band_mask, from_mask, to_mask, from_blocked_mask, to_blocked_mask):
        assert not self.training, "training-mode random blocks are not reproduced here"
        batch_size, seqlen, _ = hidden_states.size()
        assert seqlen % self.block_size == 0
        query_layer = self.transpose_for_scores(self.query(hidden_states))
        key_layer = self.transpose_for_scores(self.key(hidden_states))
        value_layer = self.transpose_for_scores(self.value(hidden_states))
        rand_attn = eval_rand_attn(seqlen, self.block_size, self.num_random_blocks, self.num_attention_heads,
                                   self.max_seqlen)
        if self.dense_reference is not None:
            context_layer = dense_equivalent_attention(query_layer, key_layer, value_layer,
                                                       from_mask.view(batch_size, seqlen), self.block_size,
                                                       rand_attn, unique=self.dense_reference == "unique")
        else:
            context_layer = bigbird_block_sparse_attention(
                query_layer, key_layer, value_layer, band_mask, from_mask, to_mask, from_blocked_mask,
                to_blocked_mask, self.num_attention_heads, self.num_random_blocks, self.attention_head_size,
                self.block_size, self.block_size, batch_size, seqlen, seqlen, rand_attn)
        return context_layer.contiguous().view(batch_size, seqlen, -1)


class BigBirdSelfOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, hidden_states, input_tensor):
        return self.LayerNorm(self.dropout(self.dense(hidden_states)) + input_tensor)  # post-LN


class BigBirdAttention(nn.Module):
    def __init__(self, c, seed=None):
        super().__init__()
        self.attention_type = c.attention_type
        self.config = c
        self.seed = seed
        if c.attention_type == "original_full":
            self.self = BigBirdSelfAttention(c)
        else:
            self.self = BigBirdBlockSparseAttention(c, seed)
        self.output = BigBirdSelfOutput(c)

    def set_attention_type(self, value):
        # HF BigBirdAttention.set_attention_type: a new attention module sharing query/key/value
        if value == self.attention_type:
            return
        self.attention_type = value
        attn = BigBirdSelfAttention(self.config) if value == "original_full" else \
            BigBirdBlockSparseAttention(self.config, self.seed)
        attn.query, attn.value, attn.key = self.self.query, self.self.value, self.self.key
        self.self = attn
        if not self.training:
            self.self.eval()

    def forward(self, hidden_states, attention_mask, band_mask, from_mask, to_mask, blocked_encoder_mask):
        # HF: fp16 compatibility -- band_mask, from_mask, to_mask cast to hidden_states.dtype
        # (the blocked masks are not cast)
        if band_mask is not None:
            band_mask = band_mask.to(hidden_states.dtype)
        if from_mask is not None:
            from_mask = from_mask.to(hidden_states.dtype)
        if to_mask is not None:
            to_mask = to_mask.to(hidden_states.dtype)
        if self.attention_type == "original_full":
            ctx = self.self(hidden_states, attention_mask)
        else:
            ctx = self.self(hidden_states, band_mask, from_mask, to_mask, blocked_encoder_mask, blocked_encoder_mask)
        return self.output(ctx, hidden_states)


class BigBirdIntermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        assert c.hidden_act == "gelu_new"
        self.dense = nn.Linear(c.hidden_size, c.intermediate_size)

    def forward(self, hidden_states):
        return gelu_new(self.dense(hidden_states))


class BigBirdOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.intermediate_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)
        self.dropout = nn.Dropout(c.hidden_dropout_prob)

    def forward(self, hidden_states, input_tensor):
        return self.LayerNorm(self.dropout(self.dense(hidden_states)) + input_tensor)  # post-LN


class BigBirdLayer(nn.Module):
    def __init__(self, c, seed=None):
        super().__init__()
        self.attention_type = c.attention_type
        self.attention = BigBirdAttention(c, seed=seed)
        self.intermediate = BigBirdIntermediate(c)
        self.output = BigBirdOutput(c)

    def set_attention_type(self, value):
        if value == self.attention_type:
            return
        self.attention_type = value
        self.attention.set_attention_type(value)

    def forward(self, hidden_states, attention_mask, band_mask, from_mask, to_mask, blocked_encoder_mask):
        attention_output = self.attention(hidden_states, attention_mask, band_mask, from_mask, to_mask,
                                          blocked_encoder_mask)
        return self.output(self.intermediate(attention_output), attention_output)


class BigBirdEncoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention_type = c.attention_type
        # HF: BigBirdLayer(config, seed=layer_idx) for layer_idx in range(config.num_hidden_layers)
        self.layer = nn.ModuleList([BigBirdLayer(c, seed=i) for i in range(c.num_hidden_layers)])

    def set_attention_type(self, value):
        if value == self.attention_type:
            return
        self.attention_type = value
        for layer in self.layer:
            layer.set_attention_type(value)

    def forward(self, hidden_states, attention_mask, band_mask, from_mask, to_mask, blocked_encoder_mask):
        for layer in self.layer:
            hidden_states = layer(hidden_states, attention_mask, band_mask, from_mask, to_mask, blocked_encoder_mask)
        return hidden_states


class BigBirdModel(nn.Module):
    def __init__(self, c, add_pooling_layer=True):
        super().__init__()
        self.config = c
        self.attention_type = c.attention_type
        self.block_size = c.block_size
        self.embeddings = BigBirdEmbeddings(c)
        self.encoder = BigBirdEncoder(c)
        if add_pooling_layer:
            self.pooler = nn.Linear(c.hidden_size, c.hidden_size)  # bare Linear: bert.pooler.weight / .bias
            self.activation = nn.Tanh()
        else:
            self.pooler = None
            self.activation = None

    def set_attention_type(self, value):
        if value == self.attention_type:
            return
        self.attention_type = value
        self.encoder.set_attention_type(value)

    def _pad_to_block_size(self, input_ids, attention_mask, token_type_ids, pad_token_id):
        # HF BigBirdModel._pad_to_block_size (position_ids and inputs_embeds are None here)
        block_size = self.config.block_size
        batch_size, seq_len = input_ids.shape[:2]
        padding_len = (block_size - seq_len % block_size) % block_size
        if padding_len > 0:
            input_ids = nn.functional.pad(input_ids, (0, padding_len), value=pad_token_id)
            attention_mask = nn.functional.pad(attention_mask, (0, padding_len), value=False)
            token_type_ids = nn.functional.pad(token_type_ids, (0, padding_len), value=0)
        return padding_len, input_ids, attention_mask, token_type_ids

    def forward(self, input_ids, attention_mask, token_type_ids):
        c = self.config
        seq_length = input_ids.shape[1]
        # HF: max_tokens_to_attend = (5 + 2 * self.config.num_random_blocks) * self.config.block_size
        #     if self.attention_type == "block_sparse" and seq_length <= max_tokens_to_attend:
        #         ... self.set_attention_type("original_full")        (never switched back)
        max_tokens_to_attend = (5 + 2 * c.num_random_blocks) * c.block_size
        if self.attention_type == "block_sparse" and seq_length <= max_tokens_to_attend:
            self.set_attention_type("original_full")
        padding_len = 0
        if self.attention_type == "block_sparse":
            padding_len, input_ids, attention_mask, token_type_ids = self._pad_to_block_size(
                input_ids, attention_mask, token_type_ids, c.pad_token_id)
            blocked_encoder_mask, band_mask, from_mask, to_mask = create_masks_for_block_sparse_attn(
                attention_mask, self.block_size)
            extended_attention_mask = None
        else:
            blocked_encoder_mask = band_mask = from_mask = to_mask = None
            dtype = self.embeddings.word_embeddings.weight.dtype
            # HF ModuleUtilsMixin.get_extended_attention_mask (current): (1 - mask) * finfo(dtype).min
            ext = attention_mask[:, None, None, :].to(dtype=dtype)
            extended_attention_mask = (1.0 - ext) * torch.finfo(dtype).min
        embedding_output = self.embeddings(input_ids, token_type_ids)
        sequence_output = self.encoder(embedding_output, extended_attention_mask, band_mask, from_mask, to_mask,
                                       blocked_encoder_mask)
        # HF: pooler from token 0, computed before the padding is stripped
        pooler_output = self.activation(self.pooler(sequence_output[:, 0, :])) if self.pooler is not None else None
        if padding_len > 0:
            sequence_output = sequence_output[:, :-padding_len]
        return sequence_output, pooler_output, padding_len


class BigBirdPredictionHeadTransform(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden_size, c.hidden_size)
        self.LayerNorm = nn.LayerNorm(c.hidden_size, eps=c.layer_norm_eps)

    def forward(self, h):
        return self.LayerNorm(gelu_new(self.dense(h)))  # transform_act_fn = ACT2FN[hidden_act]


class BigBirdLMPredictionHead(nn.Module):
    def __init__(self, c, word_embeddings):
        super().__init__()
        self.transform = BigBirdPredictionHeadTransform(c)
        self.decoder = nn.Linear(c.hidden_size, c.vocab_size, bias=False)
        self.bias = nn.Parameter(torch.zeros(c.vocab_size))
        self.decoder.bias = self.bias  # cls.predictions.decoder.bias aliases cls.predictions.bias
        self.decoder.weight = word_embeddings.weight  # tie_word_embeddings (default true)

    def forward(self, h):
        return self.decoder(self.transform(h))


class BigBirdOnlyMLMHead(nn.Module):
    def __init__(self, c, word_embeddings):
        super().__init__()
        self.predictions = BigBirdLMPredictionHead(c, word_embeddings)

    def forward(self, h):
        return self.predictions(h)


class BigBirdForMaskedLM(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.bert = BigBirdModel(c)  # HF: self.bert = BigBirdModel(config) -- WITH the pooler
        self.cls = BigBirdOnlyMLMHead(c, self.bert.embeddings.word_embeddings)

    def forward(self, input_ids, attention_mask, token_type_ids):
        h, pooled, padding_len = self.bert(input_ids, attention_mask, token_type_ids)
        return OrderedDict([("hidden_states", h), ("logits", self.cls(h)), ("pooler_output", pooled)]), padding_len


# ----------------------------------------------------------------------------------------------
# Fixture
# ----------------------------------------------------------------------------------------------

def config():
    tok_vocab = len(GenaTokenizer().vocab)
    return Config(
        architectures=["BigBirdForMaskedLM"],
        attention_probs_dropout_prob=0.1,
        attention_type="block_sparse",
        block_size=8,
        bos_token_id=1,
        eos_token_id=2,
        gradient_checkpointing=False,
        hidden_act="gelu_new",
        hidden_dropout_prob=0.1,
        hidden_size=16,
        initializer_range=0.02,
        intermediate_size=32,
        layer_norm_eps=1e-12,
        max_position_embeddings=128,
        model_type="big_bird",
        num_attention_heads=4,
        num_hidden_layers=2,
        num_random_blocks=1,
        pad_token_id=3,
        position_embedding_type="absolute",
        rescale_embeddings=False,
        sep_token_id=66,
        transformers_version="4.4.0.dev0",
        type_vocab_size=2,
        use_bias=True,
        use_cache=True,
        vocab_size=tok_vocab,
    )


def dna(rng, n):
    return "".join(rng.choice("ACGT") for _ in range(n))


def make_sequences():
    """Deterministic DNA. sparse: 105 tokens (longest), 73, 42 (< 56) -- one padded batch of
    length 105 > 56 runs block-sparse; full: two of <= 40 tokens -> full attention."""
    rng = random.Random(20240607)
    sparse = [
        dna(rng, 120) + "NNNNNNNNNNNNNN" + dna(rng, 88),   # a run of 14 N -> "-"
        dna(rng, 70) + "N" + dna(rng, 80),                 # one N -> token N
        dna(rng, 92),
    ]
    full = [
        dna(rng, 40) + "NNNNNNNNNNNN" + dna(rng, 30),
        dna(rng, 50),
    ]
    return sparse, full


def max_abs_valid(a, b, mask):
    return float((a.double() - b.double()).abs()[mask.bool()].max())


def fresh_model(c, state, dtype=torch.float32):
    m = BigBirdForMaskedLM(c)
    m.load_state_dict(state)
    return m.to(dtype).eval()


def run(model, ids, mask):
    with torch.no_grad():
        return model(ids, mask, torch.zeros_like(ids))


def check_attention_kernel():
    """Block-sparse (HF gather form) vs dense with the equivalent mask, float64, random q/k/v: the
    eval table (zeros) and a non-zero table (row i's random blocks outside its window)."""
    g = torch.Generator().manual_seed(5)
    B, H, d, b = 3, 4, 4, 8
    worst = 0.0
    for n, lens in ((104, [101, 73, 44]), (64, [64, 60, 9]), (40, [40, 33, 17])):
        nb = n // b
        q, k, v = (torch.randn(B, H, n, d, generator=g, dtype=torch.float64) for _ in range(3))
        mask = torch.zeros(B, n, dtype=torch.long)
        for i, L in enumerate(lens):
            mask[i, :L] = 1
        tables = [eval_rand_attn(n, b, 1, H, 128), eval_rand_attn(n, b, 2, H, 128)]
        nz = torch.zeros(H, nb - 2, 2, dtype=torch.long)
        for h in range(H):
            for i in range(1, nb - 1):
                legal = [j for j in range(1, nb - 1) if abs(j - i) > 1] or [0]
                nz[h, i - 1] = torch.tensor([legal[(h + i) % len(legal)], legal[(3 * h + 2 * i + 1) % len(legal)]])
        tables.append(nz)
        for ra in tables:
            blocked, band, from_mask, to_mask = create_masks_for_block_sparse_attn(mask, b)
            out = bigbird_block_sparse_attention(
                q, k, v, band.to(q.dtype), from_mask.to(q.dtype), to_mask.to(q.dtype), blocked, blocked, H,
                ra.shape[-1], d, b, b, B, n, n, ra)
            ref = dense_equivalent_attention(q, k, v, mask, b, ra)
            worst = max(worst, float((out - ref).abs().max()))
    assert worst < 1e-10, worst
    return worst


def main():
    c = config()
    tok = GenaTokenizer()
    os.makedirs(OUT, exist_ok=True)

    kernel_diff = check_attention_kernel()

    model = BigBirdForMaskedLM(c)
    init_parameters(model, 31)
    model.eval()
    state = copy.deepcopy(model.state_dict())

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

    max_tokens_to_attend = (5 + 2 * c.num_random_blocks) * c.block_size
    sparse_seqs, full_seqs = make_sequences()
    cases = OrderedDict()
    tensors = OrderedDict()
    docs = {}
    diffs = OrderedDict()
    for name, seqs in (("sparse", sparse_seqs), ("full", full_seqs)):
        toks = [tok.tokenize(s) for s in seqs]
        ids, mask = pad_batch([t[1] for t in toks], tok.pad_id)
        n = ids.shape[1]
        lens = [len(t[1]) for t in toks]
        if name == "sparse":
            assert n > max_tokens_to_attend and n % c.block_size != 0 and 90 <= n <= 110, n
            assert min(lens) < max_tokens_to_attend and lens == sorted(lens, reverse=True), lens
        else:
            assert n <= 40 and n <= max_tokens_to_attend, n

        m32 = fresh_model(c, state)
        out, padding_len = run(m32, ids, mask)
        path = m32.bert.attention_type
        assert path == ("block_sparse" if name == "sparse" else "original_full"), path
        m64 = fresh_model(c, state, torch.float64)
        ref, _ = run(m64, ids, mask)
        d = OrderedDict()
        d["hidden_states"] = max_abs_valid(out["hidden_states"], ref["hidden_states"], mask)
        d["logits"] = max_abs_valid(out["logits"], ref["logits"], mask)
        d["pooler_output"] = float((out["pooler_output"].double() - ref["pooler_output"]).abs().max())
        for k_, v_ in d.items():
            assert v_ < 1e-4, (name, k_, v_)
        case_checks = OrderedDict([("float32_vs_float64_max_abs_diff", d)])

        if name == "sparse":
            # the whole model with every layer's block-sparse attention replaced by the dense form
            mdense = fresh_model(c, state, torch.float64)
            for layer in mdense.bert.encoder.layer:
                layer.attention.self.dense_reference = "counts"
            dref, _ = run(mdense, ids, mask)
            sd = max(float((dref[k_] - ref[k_]).abs().max()) for k_ in ref)
            assert sd < 1e-10, sd
            case_checks["block_sparse_vs_dense_mask_float64_max_abs_diff"] = sd
            # the same pattern with key block 0 counted once: measurably different
            for layer in mdense.bert.encoder.layer:
                layer.attention.self.dense_reference = "unique"
            uref, _ = run(mdense, ids, mask)
            ud = max_abs_valid(uref["hidden_states"], ref["hidden_states"], mask)
            assert ud > 1e-3, ud
            case_checks["without_duplicate_key_block_0_vs_expected_hidden_max_abs_diff"] = ud
            # the longest sequence alone: same length, same padding -> same numbers
            alone, _ = run(fresh_model(c, state), ids[:1, :lens[0]], mask[:1, :lens[0]])
            a = float((alone["hidden_states"][0] - out["hidden_states"][0]).abs().max())
            assert a < 1e-5, a
            # full attention on the same batch differs (a loader ignoring the sparsity fails)
            mfull = fresh_model(c, state)
            mfull.bert.set_attention_type("original_full")
            fo, _ = run(mfull, ids, mask)
            fd = [max_abs_valid(fo["hidden_states"][i:i + 1], out["hidden_states"][i:i + 1], mask[i:i + 1])
                  for i in range(len(lens))]
            assert min(fd) > 1e-2, fd
            case_checks["full_attention_vs_expected_max_abs_diff_per_sequence"] = fd
            # HF's switch is permanent: a model that ran a short batch runs this one with full attention
            mswitched = fresh_model(c, state)
            run(mswitched, ids[:, :40], mask[:, :40])
            so, _ = run(mswitched, ids, mask)
            assert mswitched.bert.attention_type == "original_full"
            assert float((so["hidden_states"] - fo["hidden_states"]).abs().max()) == 0.0
        else:
            for i in range(len(lens)):
                alone, _ = run(fresh_model(c, state), ids[i:i + 1, :lens[i]], mask[i:i + 1, :lens[i]])
                a = float((alone["hidden_states"][0] - out["hidden_states"][i, :lens[i]]).abs().max())
                assert a < 1e-5, (i, a)
        diffs[name] = case_checks

        padded = n + padding_len
        case = OrderedDict()
        case["attention_path"] = path
        case["sequences"] = seqs
        case["tokens"] = [t[0] for t in toks]
        case["token_ids"] = [t[1] for t in toks]
        case["input_ids"] = ids.tolist()
        case["attention_mask"] = mask.tolist()
        case["token_type_ids"] = torch.zeros_like(ids).tolist()
        case["position_ids"] = torch.arange(n)[None].expand(len(lens), -1).tolist()
        case["seq_length"] = n
        case["block_padding_len"] = padding_len
        case["padded_seq_length"] = padded
        case["num_blocks"] = padded // c.block_size if path == "block_sparse" else None
        case["rand_attn"] = (
            "all zeros [heads %d, num_blocks-2 = %d, num_random_blocks %d] for every layer (eval)"
            % (c.num_attention_heads, padded // c.block_size - 2, c.num_random_blocks)
            if path == "block_sparse" else None)
        cases[name] = case
        tensors[name + "/hidden_states"] = out["hidden_states"]
        tensors[name + "/logits"] = out["logits"]
        tensors[name + "/pooler_output"] = out["pooler_output"]
        how = ("block-sparse attention on the input padded to %d (a multiple of block_size), padding stripped"
               % padded) if path == "block_sparse" else "full attention (seq_length %d <= %d)" % (n, max_tokens_to_attend)
        docs[name + "/hidden_states"] = "bert(...).last_hidden_state [batch, seq_length, hidden]: " + how
        docs[name + "/logits"] = "cls(hidden_states), MLM logits [batch, seq_length, vocab]"
        docs[name + "/pooler_output"] = ("tanh(bert.pooler(hidden state of token 0)) [batch, hidden] "
                                         "(BigBirdModel's pooler_output; not returned by BigBirdForMaskedLM)")

    st = OrderedDict((k, v.contiguous()) for k, v in tensors.items())
    write_bytes(os.path.join(OUT, "expected.safetensors"), safetensors_bytes(st, None))
    doc = OrderedDict()
    doc["format"] = "strand-hf-fixture/1"
    doc["model"] = "bigbird"
    doc["generator"] = "make_hf_bigbird_fixture.py"
    doc["torch_version"] = torch.__version__
    doc["dtype"] = "float32"
    doc["tensors_file"] = "expected.safetensors"
    doc["pad_token_id"] = tok.pad_id
    doc["special_token_ids"] = OrderedDict((t, tok.vocab[t]) for t in tok.SPECIALS)
    doc["max_tokens_to_attend"] = max_tokens_to_attend
    doc["cases"] = cases
    doc["checkpoint_keys"] = OrderedDict([("pytorch_model.bin", keys_bin), ("model.safetensors", keys_st)])
    doc["tied_keys_only_in_bin"] = dropped
    doc["tensors"] = OrderedDict(
        (k, OrderedDict([("dtype", ST_DTYPES[v.dtype][0]), ("shape", list(v.shape)), ("meaning", docs[k])]))
        for k, v in st.items())
    doc["compare"] = OrderedDict([
        ("rows", "only positions with attention_mask 1 of each case; padded rows are implementation detail "
                 "(pooler_output: every row, it reads token 0)"),
        ("tolerance", 1e-4),
        ("attention_kernel_block_sparse_vs_dense_mask_float64_max_abs_diff", kernel_diff),
        ("cases", diffs),
    ])
    doc["notes"] = [
        "Each case ran on a fresh model with the same weights: HF's BigBirdModel switches to "
        "original_full permanently the first time it sees seq_length <= max_tokens_to_attend "
        "((5 + 2 * num_random_blocks) * block_size = %d)." % max_tokens_to_attend,
        "sparse: the whole batch (seq_length %d > %d) runs block-sparse, including its third sequence "
        "(%d tokens, which alone would run full attention). HF pads to a multiple of block_size with "
        "pad_token_id / attention_mask 0 / token_type 0 and uses positions 0..padded-1. The pattern is "
        "per batch, not per sequence: for the shorter sequences the global last block is all padding, "
        "so their numbers depend on the batch's padded length (only the longest equals its run alone)."
        % (cases["sparse"]["seq_length"], max_tokens_to_attend, len(cases["sparse"]["token_ids"][2])),
        "Eval mode (current transformers, PR #23056): rand_attn is all zeros, so each random slot is "
        "key block 0: query blocks 1..num_blocks-2 count key block 0 twice (global + random) in one "
        "softmax, i.e. its keys get an extra log(2) in the score. Query blocks 0 and num_blocks-1 "
        "attend to every key.",
        "Masking is additive -10000 ((1 - mask) * -10000) in the block-sparse path and "
        "(1 - mask) * float32 min in the full path; both give padded keys weight 0 in float32. "
        "Context rows of padded queries are multiplied by 0 (from_mask) in the block-sparse path.",
        "hidden_act gelu_new: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), in the FFN and the MLM "
        "transform.",
        "Embeddings: word + token_type + position, dropout, then LayerNorm (identity dropout in eval).",
        "config.json sep_token_id 66, bos_token_id 1, eos_token_id 2 are BigBirdConfig defaults "
        "written by save_pretrained; the tokenizer's [SEP] is 2.",
        "bert.pooler is a bare Linear (bert.pooler.weight, bert.pooler.bias), not bert.pooler.dense.",
        "bert.embeddings.position_ids (int64 [1, max_position_embeddings]) is a buffer saved in both "
        "files (transformers 4.4-era persistent buffer).",
    ]
    write_bytes(os.path.join(OUT, "expected.json"), (compact_json(doc) + "\n").encode("utf-8"))

    size = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print("bigbird %d bytes  %s" % (size, " ".join(sorted(os.listdir(OUT)))))
    print("kernel block-sparse vs dense (float64):", kernel_diff)
    for name, dd in diffs.items():
        print(name, cases[name]["attention_path"], "seq", cases[name]["seq_length"], "padded",
              cases[name]["padded_seq_length"], dict(dd))


if __name__ == "__main__":
    sys.exit(main())
