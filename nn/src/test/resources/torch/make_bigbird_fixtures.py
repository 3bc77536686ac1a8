#!/usr/bin/python3
"""PyTorch reference fixtures for Strand's BigBird block-sparse attention (Hugging Face ITC layout).

How to run (from the repository root):

    unset OPENBLAS_CORETYPE
    /usr/bin/python3 nn/src/test/resources/torch/make_bigbird_fixtures.py

Uses Debian's interpreter and python3-torch (stdlib + torch only). transformers is not installed
here, so the attention below is Hugging Face's BigBirdBlockSparseAttention.bigbird_block_sparse_attention
written out from its source (see ../shared/REFERENCES.md §1.1): the score part only, on given
per-head q, k, v (no projections, no output_attentions).

Layout (nb = T / b blocks, r random blocks per row, rand_attn[h, i-1] = random key blocks of query
block i, for i = 1..nb-2). Each query block reads these key blocks, concatenated in this order, with
ONE softmax over the concatenation (a key block listed twice counts twice in the softmax):

    q block 0 and nb-1 (global rows):  all key blocks 0 .. nb-1
    q block 1:                         0, 1, 2, nb-1, rand_attn[h, 0, :]
    q block i, 2 <= i <= nb-3:         0, i-1, i, i+1, rand_attn[h, i-1, :], nb-1
    q block nb-2:                      0, nb-3, nb-2, nb-1, rand_attn[h, nb-3, :]

Scores are q.k / sqrt(hd); padded keys get an additive -10000 (HF's (1 - mask) * -10000, not -inf);
output rows of padded queries are multiplied by 0 (HF's from_mask). HF also puts -10000 on the
band and random entries of padded query rows; those rows are zeroed, so that changes nothing.
HF itself switches to full attention when T <= (5 + 2r) b, which holds for every case here: these
fixtures test the block-sparse kernel directly, as if that fallback were disabled.

The block implementation is checked against an independent dense one (softmax over all keys of
score + log(multiplicity), -inf where a key is not read) before anything is written.

Output: bigbird.txt beside this script, in the format of autograd's fixtures (fixturelib.py). Per
case: q, k, v [B, H, T, hd] (float32-drawn), padding [B, T] (1.0 = padded position), rand_attn
[H, nb-2, r] (block indices as floats), block [1] (= b), gout [B, H, T, hd], then out, and dq, dk,
dv = d(sum(out * gout)) / d(q, k, v), all computed in float64.
"""
import math
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "..",
                                "autograd", "src", "test", "resources", "torch"))
from fixturelib import comment, emit, write  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
NEG = -10000.0  # HF's additive mask value


def attend(q, k, v, key_mask, scale):
    """softmax(q k^T * scale + (1 - key_mask) * -10000) v over the last two dims."""
    s = q @ k.transpose(-1, -2) * scale + (1.0 - key_mask).unsqueeze(-2) * NEG
    return torch.softmax(s, dim=-1) @ v


def block_sparse_attention(q, k, v, padding, rand_attn, b):
    """HF's bigbird_block_sparse_attention, block/gather form. q, k, v [B, H, T, hd]; padding [B, T]
    (1 = padded); rand_attn [H, nb-2, r] long. Returns [B, H, T, hd]."""
    B, H, T, hd = q.shape
    nb, r = T // b, rand_attn.shape[-1]
    assert T == nb * b and nb >= 5 and rand_attn.shape == (H, nb - 2, r)
    scale = 1.0 / math.sqrt(hd)
    mask = 1.0 - padding.to(q.dtype)                       # [B, T], 1 = real token
    qb, kb, vb = (x.reshape(B, H, nb, b, hd) for x in (q, k, v))
    mb = mask.reshape(B, 1, nb, b).expand(B, H, nb, b)      # key mask per block, per head

    # the r random key blocks of every row 1..nb-2, per head: [B, H, nb-2, r*b, ...]
    heads = torch.arange(H).reshape(H, 1, 1)
    rk = kb[:, heads, rand_attn].reshape(B, H, nb - 2, r * b, hd)
    rv = vb[:, heads, rand_attn].reshape(B, H, nb - 2, r * b, hd)
    rm = mb[:, heads, rand_attn].reshape(B, H, nb - 2, r * b)

    def keys(x, rand, idx, row):
        """Key blocks idx (list of block indices) of x [B, H, nb, b, ...] then the random blocks of
        rand row `row`, concatenated along the key axis."""
        return torch.cat([x[:, :, j] for j in idx] + [rand[:, :, row]], dim=2)

    # q block 0 and nb-1: every key
    out_first = attend(qb[:, :, 0], k, v, mask[:, None], scale)
    out_last = attend(qb[:, :, -1], k, v, mask[:, None], scale)

    # q block 1: key blocks 0, 1, 2, nb-1, then its random blocks
    idx = [0, 1, 2, nb - 1]
    out_second = attend(qb[:, :, 1], keys(kb, rk, idx, 0), keys(vb, rv, idx, 0), keys(mb, rm, idx, 0), scale)

    # q block nb-2: key blocks 0, nb-3, nb-2, nb-1, then its random blocks
    idx = [0, nb - 3, nb - 2, nb - 1]
    out_penult = attend(qb[:, :, -2], keys(kb, rk, idx, -1), keys(vb, rv, idx, -1), keys(mb, rm, idx, -1), scale)

    # middle q blocks 2..nb-3, all at once: [first | band i-1, i, i+1 | random | last]. The band is
    # HF's shifted copies of the blocked keys ([1:-3], [2:-2], [3:-1]); the globals are broadcast.
    def middle(x, rand):
        shape = (B, H, nb - 4) + x.shape[3:]
        first, last = x[:, :, :1].expand(shape), x[:, :, -1:].expand(shape)
        return torch.cat([first, x[:, :, 1:-3], x[:, :, 2:-2], x[:, :, 3:-1], rand[:, :, 1:-1], last], dim=3)

    km, vm, mm = middle(kb, rk), middle(vb, rv), middle(mb, rm)   # [B, H, nb-4, (5+r)b(, hd)]
    out_middle = attend(qb[:, :, 2:-2], km, vm, mm, scale)        # [B, H, nb-4, b, hd]

    out = torch.cat([out_first.unsqueeze(2), out_second.unsqueeze(2), out_middle,
                     out_penult.unsqueeze(2), out_last.unsqueeze(2)], dim=2).reshape(B, H, T, hd)
    return out * mask[:, None, :, None]


def key_blocks(i, h, nb, rand_attn):
    """The key blocks query block i of head h reads, in the order of the layout above."""
    if i == 0 or i == nb - 1:
        return list(range(nb))
    rand = rand_attn[h, i - 1].tolist()
    if i == 1:
        return [0, 1, 2, nb - 1] + rand
    if i == nb - 2:
        return [0, nb - 3, nb - 2, nb - 1] + rand
    return [0, i - 1, i, i + 1] + rand + [nb - 1]


def dense_attention(q, k, v, padding, rand_attn, b):
    """The same attention in dense form: M[h, t, s] = how many times key s is in query t's
    concatenation; softmax over all keys of score + log M (-inf where M = 0), with the padding."""
    B, H, T, hd = q.shape
    nb = T // b
    counts = torch.zeros(H, nb, nb, dtype=q.dtype)
    for h in range(H):
        for i in range(nb):
            for j in key_blocks(i, h, nb, rand_attn):
                counts[h, i, j] += 1
    M = counts.repeat_interleave(b, dim=1).repeat_interleave(b, dim=2)      # [H, T, T]
    mask = 1.0 - padding.to(q.dtype)
    s = q @ k.transpose(-1, -2) / math.sqrt(hd) + (1.0 - mask)[:, None, None, :] * NEG + torch.log(M)
    return (torch.softmax(s, dim=-1) @ v) * mask[:, None, :, None]


def draw_rand_attn(nb, H, r, gen):
    """A random-block table [H, nb-2, r] drawn by the rules of HF's _bigbird_block_rand_mask_with_head
    and _get_single_block_row_attention, with a torch.Generator (HF uses numpy's global generator,
    reseeded with the layer index; Strand is not expected to reproduce numpy's stream, so the table
    is an input of the fixture). Rows are drawn row by row, heads inside, as HF loops. Row i draws,
    without replacement, from the key blocks outside its window i-1..i+1 and the globals 0 and nb-1,
    also excluding nb-2 for row 1 and 1 for row nb-2. That is HF's single plan (nb <= r + 5), where
    the candidates are all nb blocks; for longer inputs HF's plan restricts them further (not needed
    here). There HF only works when nb - 5 == r: with fewer legal blocks than r it fails. To keep
    these small cases, the slots left over are filled from the legal blocks again, with replacement
    (so a random block may appear twice in a row, which the layout counts twice)."""
    table = torch.zeros(H, nb - 2, r, dtype=torch.long)
    for i in range(1, nb - 1):
        illegal = {i - 1, i, i + 1, 0, nb - 1} | ({nb - 2} if i == 1 else set()) | ({1} if i == nb - 2 else set())
        legal = torch.tensor([j for j in range(nb) if j not in illegal])
        assert len(legal) > 0, "no legal random block for row %d" % i
        for h in range(H):
            picks = legal[torch.randperm(len(legal), generator=gen)][:r]
            extra = legal[torch.randint(len(legal), (r - len(picks),), generator=gen)]
            table[h, i - 1] = torch.cat([picks, extra])
    return table


def bigbird_case(name, seed, B, H, hd, b, T, r, n_pad, eval_mode=False):
    """n_pad[bi] = number of right-padded positions of batch row bi."""
    gen = torch.Generator().manual_seed(seed)
    nb = T // b
    q, k, v = (torch.randn(B, H, T, hd, generator=gen, dtype=torch.float32) for _ in range(3))
    gout = torch.randn(B, H, T, hd, generator=gen, dtype=torch.float32)
    padding = torch.zeros(B, T)
    for bi, n in enumerate(n_pad):
        padding[bi, T - n:] = 1.0
    # HF in eval mode (PR #23056): rand_attn is all zeros, so random slots point at block 0
    rand_attn = torch.zeros(H, nb - 2, r, dtype=torch.long) if eval_mode else draw_rand_attn(nb, H, r, gen)

    qd, kd, vd = (x.double().requires_grad_(True) for x in (q, k, v))
    out = block_sparse_attention(qd, kd, vd, padding.double(), rand_attn, b)
    dq, dk, dv = torch.autograd.grad((out * gout.double()).sum(), (qd, kd, vd))

    # check the block form against the dense form, outputs and gradients
    qe, ke, ve = (x.double().requires_grad_(True) for x in (q, k, v))
    dense = dense_attention(qe, ke, ve, padding.double(), rand_attn, b)
    grads = torch.autograd.grad((dense * gout.double()).sum(), (qe, ke, ve))
    for what, x, y in [("out", out, dense), ("dq", dq, grads[0]), ("dk", dk, grads[1]), ("dv", dv, grads[2])]:
        err = (x - y).abs().max().item()
        assert err < 1e-10, "%s: block vs dense %s differs by %g" % (name, what, err)

    comment("%s: B=%d H=%d T=%d hd=%d block=%d nb=%d r=%d%s" % (
        name, B, H, T, hd, b, nb, r, ", eval mode (rand_attn all zeros)" if eval_mode else ""))
    for key, t in (("q", q), ("k", k), ("v", v), ("padding", padding), ("rand_attn", rand_attn.double()),
                   ("block", torch.tensor([float(b)])), ("gout", gout), ("out", out),
                   ("dq", dq), ("dk", dk), ("dv", dv)):
        emit(name, key, t)


if __name__ == "__main__":
    comment("BigBird block-sparse attention, Hugging Face ITC layout; nb = T/block, rand_attn[h, i-1] = "
            "random key blocks of query block i (1..nb-2). Key blocks read per query block, in this order, "
            "one softmax over the concatenation (repeats count): q0, q[nb-1]: 0..nb-1; q1: 0,1,2,nb-1,rand; "
            "qi (2..nb-3): 0,i-1,i,i+1,rand,nb-1; q[nb-2]: 0,nb-3,nb-2,nb-1,rand")
    comment("scores q.k/sqrt(hd); padded keys (padding=1) +(-10000); out rows of padded queries set to 0; "
            "dq, dk, dv = d(sum(out*gout))/d(q, k, v)")
    bigbird_case("itc_b4_nb6", 1, B=2, H=2, hd=8, b=4, T=24, r=2, n_pad=[0, 5])
    bigbird_case("itc_b4_nb8_eval", 2, B=1, H=3, hd=4, b=4, T=32, r=2, n_pad=[0], eval_mode=True)
    bigbird_case("itc_b8_nb7", 3, B=1, H=2, hd=16, b=8, T=56, r=3, n_pad=[0])
    write(os.path.join(HERE, "bigbird.txt"))
