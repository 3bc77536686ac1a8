#!/usr/bin/python3
"""Reference random-block tables ("rand_attn") of Hugging Face BigBird in TRAINING mode.

How to run (from the repository root):

    /usr/bin/python3 nn/src/test/resources/torch/make_bigbird_layouts.py

Uses Debian's interpreter and numpy only (stdlib + numpy). Writes bigbird_layouts.txt beside this
script, in the format of the other fixtures here (read by autograd's TorchFixtures.load):
one tensor per line, "<case>/<name> <shape> <values...>", '#' lines are comments.

Source transcribed: Hugging Face transformers, src/transformers/models/big_bird/modeling_big_bird.py
(read in qubvel/transformers@49235a00, which matches current main; the old copy
huggingface/transformers@00967fa0 draws identically, it only lacks the eval-mode early return).
Functions reproduced (HF names kept below so they can be found in HF's file):

  BigBirdEncoder.__init__                      BigBirdLayer(config, seed=layer_idx)
  BigBirdBlockSparseAttention.bigbird_block_sparse_attention
                                               np.random.seed(seed); old or new planner
  BigBirdBlockSparseAttention._bigbird_block_rand_mask             ("old plan")
  BigBirdBlockSparseAttention._get_rand_attn_plan                  ("new plan")
  BigBirdBlockSparseAttention._bigbird_block_rand_mask_with_head   ("new plan")
  BigBirdBlockSparseAttention._get_single_block_row_attention      ("new plan")

The eval-mode branches (`if not self.training: return zeros`) are left out: these fixtures are
the training-mode draws. In eval, current HF returns all-zero tables without drawing anything.

Random primitives HF uses, all on numpy's legacy global RandomState:
  np.random.seed(int)            -> MT19937 init_genrand(seed) (mt[0] = seed,
                                    mt[i] = 1812433253 * (mt[i-1] ^ (mt[i-1] >> 30)) + i), pos = 624
  np.random.permutation(int32 1-D array)
                                 -> copy, then Fisher-Yates: for i = n-1 down to 1:
                                    j = random_interval(i); swap(a[i], a[j])
  random_interval(max)           -> 0 if max == 0; else mask = smallest 2^k-1 >= max,
                                    repeat v = genrand_int32() & mask until v <= max
The script checks this description against numpy with a pure-Python MT19937 (PyMT below): every
table is also produced with PyMT and must match numpy's bit for bit.
"""
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------------------------------------
# Pure-Python model of numpy's legacy generator (what the Java side implements).
# ---------------------------------------------------------------------------------------------
class PyMT:
    N, M = 624, 397

    def seed(self, s):
        self.mt = [0] * self.N
        self.mt[0] = s & 0xFFFFFFFF
        for i in range(1, self.N):
            prev = self.mt[i - 1]
            self.mt[i] = (1812433253 * (prev ^ (prev >> 30)) + i) & 0xFFFFFFFF
        self.pos = self.N

    def genrand_int32(self):
        if self.pos >= self.N:
            mt = self.mt
            for i in range(self.N):
                y = (mt[i] & 0x80000000) | (mt[(i + 1) % self.N] & 0x7FFFFFFF)
                mt[i] = mt[(i + self.M) % self.N] ^ (y >> 1) ^ (0x9908B0DF if y & 1 else 0)
            self.pos = 0
        y = self.mt[self.pos]
        self.pos += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C5680
        y ^= (y << 15) & 0xEFC60000
        y ^= y >> 18
        return y & 0xFFFFFFFF

    def random_interval(self, mx):
        if mx == 0:
            return 0
        mask = mx
        for s in (1, 2, 4, 8, 16):
            mask |= mask >> s
        while True:
            v = self.genrand_int32() & mask
            if v <= mx:
                return v

    def permutation(self, arr):
        a = np.array(arr, copy=True)
        for i in range(len(a) - 1, 0, -1):
            j = self.random_interval(i)
            a[i], a[j] = a[j], a[i]
        return a


# ---------------------------------------------------------------------------------------------
# HF planners, transcribed. `rng` is np.random (HF's global legacy state) or a PyMT.
# ---------------------------------------------------------------------------------------------
def _get_rand_attn_plan(from_seq_length, from_block_size, num_rand_blocks):
    """HF BigBirdBlockSparseAttention._get_rand_attn_plan (no randomness)."""
    plan_from_length = []
    plan_num_rand_blocks = []
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


def _bigbird_block_rand_mask(rng, from_seq_length, to_seq_length, from_block_size, to_block_size,
                             num_rand_blocks, last_idx=-1):
    """HF BigBirdBlockSparseAttention._bigbird_block_rand_mask, training branch ("old plan").

    Called with from/to_seq_length = max_seqlen (config.max_position_embeddings), so it draws one
    permutation for EVERY row 1..max_seqlen/b - 2, even though the caller keeps only nb-2 rows."""
    if from_seq_length // from_block_size != to_seq_length // to_block_size:
        raise ValueError("Error the number of blocks needs to be same!")
    rand_attn = np.zeros((from_seq_length // from_block_size - 2, num_rand_blocks), dtype=np.int32)
    middle_seq = np.arange(1, to_seq_length // to_block_size - 1, dtype=np.int32)
    last = to_seq_length // to_block_size - 1
    if last_idx > (2 * to_block_size):
        last = (last_idx // to_block_size) - 1

    r = num_rand_blocks
    for i in range(1, from_seq_length // from_block_size - 1):
        start = i - 2
        end = i
        if i == 1:
            rand_attn[i - 1, :] = rng.permutation(middle_seq[2:last])[:r]
        elif i == 2:
            rand_attn[i - 1, :] = rng.permutation(middle_seq[3:last])[:r]
        elif i == from_seq_length // from_block_size - 3:
            rand_attn[i - 1, :] = rng.permutation(middle_seq[:last])[:r]
        elif i == from_seq_length // from_block_size - 2:
            rand_attn[i - 1, :] = rng.permutation(middle_seq[:last])[:r]
        else:
            if start > last:
                start = last
                rand_attn[i - 1, :] = rng.permutation(middle_seq[:start])[:r]
            elif (end + 1) == last:
                rand_attn[i - 1, :] = rng.permutation(middle_seq[:start])[:r]
            else:
                rand_attn[i - 1, :] = rng.permutation(
                    np.concatenate((middle_seq[:start], middle_seq[end + 1: last])))[:r]
    return rand_attn


def _get_single_block_row_attention(rng, block_id, to_start_block_id, to_end_block_id, num_rand_blocks,
                                    window_block_left=1, window_block_right=1,
                                    global_block_left=1, global_block_right=1):
    """HF BigBirdBlockSparseAttention._get_single_block_row_attention: one permutation of
    [to_start, to_end), then the first num_rand_blocks entries not in the illegal list."""
    to_block_list = np.arange(to_start_block_id, to_end_block_id, dtype=np.int32)
    perm_block = rng.permutation(to_block_list)
    illegal_blocks = list(range(block_id - window_block_left, block_id + window_block_right + 1))
    illegal_blocks.extend(list(range(global_block_left)))
    illegal_blocks.extend(list(range(to_end_block_id - global_block_right, to_end_block_id)))
    if block_id == 1:
        illegal_blocks.append(to_end_block_id - 2)
    if block_id == to_end_block_id - 2:
        illegal_blocks.append(1)
    selected = []
    for i in range(to_end_block_id - to_start_block_id):
        if perm_block[i] not in illegal_blocks:
            selected.append(perm_block[i])
        if len(selected) == num_rand_blocks:
            break
    return np.array(selected, dtype=np.int32)


def _bigbird_block_rand_mask_with_head(rng, from_seq_length, to_seq_length, from_block_size, to_block_size,
                                       num_heads, plan_from_length, plan_num_rand_blocks,
                                       window_block_left=1, window_block_right=1,
                                       global_block_top=1, global_block_bottom=1,
                                       global_block_left=1, global_block_right=1):
    """HF BigBirdBlockSparseAttention._bigbird_block_rand_mask_with_head, training branch
    ("new plan"). HF's caller passes only the positional/plan arguments, so the window/global
    arguments are the defaults (all 1). Draw order: rows outer, heads inner."""
    if from_seq_length // from_block_size != to_seq_length // to_block_size:
        raise ValueError("Error the number of blocks needs to be same!")
    if from_seq_length not in plan_from_length:
        raise ValueError("Error from sequence length not in plan!")
    num_blocks = from_seq_length // from_block_size
    plan_block_length = np.array(plan_from_length) // from_block_size
    max_plan_idx = plan_from_length.index(from_seq_length)
    rand_attn = [np.zeros((num_blocks, np.sum(plan_num_rand_blocks[: max_plan_idx + 1])), dtype=np.int32)
                 for _ in range(num_heads)]
    kw = dict(window_block_left=window_block_left, window_block_right=window_block_right,
              global_block_left=global_block_left, global_block_right=global_block_right)

    for plan_idx in range(max_plan_idx + 1):
        rnd_r_cnt = 0
        if plan_idx > 0:
            if plan_num_rand_blocks[plan_idx] > 0:
                rnd_r_cnt = int(np.sum(plan_num_rand_blocks[:plan_idx]))
                curr_r_cnt = int(np.sum(plan_num_rand_blocks[: plan_idx + 1]))
                for blk_rw_idx in range(global_block_top, plan_block_length[plan_idx - 1]):
                    for h in range(num_heads):
                        rand_attn[h][blk_rw_idx, rnd_r_cnt:curr_r_cnt] = _get_single_block_row_attention(
                            rng, block_id=blk_rw_idx, to_start_block_id=plan_block_length[plan_idx - 1],
                            to_end_block_id=plan_block_length[plan_idx],
                            num_rand_blocks=plan_num_rand_blocks[plan_idx], **kw)

            for pl_id in range(plan_idx):
                if plan_num_rand_blocks[pl_id] == 0:
                    continue
                for blk_rw_idx in range(plan_block_length[plan_idx - 1], plan_block_length[plan_idx]):
                    rnd_r_cnt = 0
                    to_start_block_id = 0
                    if pl_id > 0:
                        rnd_r_cnt = int(np.sum(plan_num_rand_blocks[:pl_id]))
                        to_start_block_id = plan_block_length[pl_id - 1]
                    curr_r_cnt = int(np.sum(plan_num_rand_blocks[: pl_id + 1]))
                    for h in range(num_heads):
                        rand_attn[h][blk_rw_idx, rnd_r_cnt:curr_r_cnt] = _get_single_block_row_attention(
                            rng, block_id=blk_rw_idx, to_start_block_id=to_start_block_id,
                            to_end_block_id=plan_block_length[pl_id],
                            num_rand_blocks=plan_num_rand_blocks[pl_id], **kw)

        if plan_num_rand_blocks[plan_idx] == 0:
            continue
        curr_r_cnt = int(np.sum(plan_num_rand_blocks[: plan_idx + 1]))
        from_start_block_id = global_block_top
        to_start_block_id = 0
        if plan_idx > 0:
            rnd_r_cnt = int(np.sum(plan_num_rand_blocks[:plan_idx]))
            from_start_block_id = plan_block_length[plan_idx - 1]
            to_start_block_id = plan_block_length[plan_idx - 1]
        for blk_rw_idx in range(from_start_block_id, plan_block_length[plan_idx]):
            for h in range(num_heads):
                rand_attn[h][blk_rw_idx, rnd_r_cnt:curr_r_cnt] = _get_single_block_row_attention(
                    rng, block_id=blk_rw_idx, to_start_block_id=to_start_block_id,
                    to_end_block_id=plan_block_length[plan_idx],
                    num_rand_blocks=plan_num_rand_blocks[plan_idx], **kw)

    for nh in range(num_heads):
        rand_attn[nh] = rand_attn[nh][global_block_top: num_blocks - global_block_bottom, :]
    return rand_attn


def hf_rand_attn(rng, seed, from_seq_len, block, n_rand_blocks, n_heads, max_seqlen):
    """The rand_attn part of HF bigbird_block_sparse_attention (training): [H, nb-2, r] int32.
    seed = the layer index (BigBirdEncoder: BigBirdLayer(config, seed=layer_idx)); reseeded on
    every forward call. HF's forward passes plan_from_length=None, so the plan is always computed."""
    rng.seed(seed)
    if from_seq_len in [1024, 3072, 4096]:  # old plans used in paper
        rand_attn = [
            _bigbird_block_rand_mask(rng, max_seqlen, max_seqlen, block, block, n_rand_blocks,
                                     last_idx=1024)[: (from_seq_len // block - 2)]
            for _ in range(n_heads)
        ]
    else:
        plan_from_length, plan_num_rand_blocks = _get_rand_attn_plan(from_seq_len, block, n_rand_blocks)
        rand_attn = _bigbird_block_rand_mask_with_head(
            rng, from_seq_length=from_seq_len, to_seq_length=from_seq_len, from_block_size=block,
            to_block_size=block, num_heads=n_heads, plan_from_length=plan_from_length,
            plan_num_rand_blocks=plan_num_rand_blocks)
    return np.stack(rand_attn, axis=0)


# (layer seed, T, block, r, heads, max_seqlen)
CASES = [
    (0, 1024, 64, 3, 2, 4096),  # old plan
    (1, 4096, 64, 3, 2, 4096),  # old plan, long
    (2, 2048, 64, 3, 3, 4096),  # new plan, nb 32 > 2r+5
    (0, 768, 64, 3, 2, 4096),   # new plan, nb 12 > 11
    (3, 640, 32, 2, 2, 4096),   # new plan, nb 20, r 2
    (1, 1536, 64, 3, 2, 4096),  # new plan, nb 24
]


def line(case, name, arr):
    arr = np.asarray(arr)
    vals = arr.reshape(-1)
    for v in vals:  # integers only, all exactly representable in float32 (< 2^24)
        assert float(v) == int(v) and 0 <= int(v) < (1 << 24), (case, name, v)
    shape = ",".join(str(d) for d in arr.shape)
    return f"{case}/{name} {shape} " + " ".join(str(int(v)) for v in vals)


def main():
    # Which generator HF's calls hit: the legacy global RandomState (MT19937 bit generator).
    legacy = np.random.mtrand._rand
    print("numpy", np.__version__, "| np.random.seed / np.random.permutation are methods of",
          type(legacy).__name__, "with bit generator", type(legacy._bit_generator).__name__)
    assert np.random.permutation.__self__ is legacy
    np.random.seed(5)  # np.random.seed (a module function) reseeds that same legacy RandomState
    assert legacy.get_state()[1].tolist() == np.random.RandomState(5).get_state()[1].tolist()

    # MT19937 reference: init_genrand(5489) first output is 3499211612 (mt19937ar.c).
    py = PyMT()
    py.seed(5489)
    assert py.genrand_int32() == 3499211612
    assert int(np.random.RandomState(5489)._bit_generator.random_raw()) == 3499211612

    # Raw 32-bit outputs of np.random.RandomState(5): three ways, all equal to PyMT.
    raw = [int(v) for v in np.random.RandomState(5)._bit_generator.random_raw(8)]
    via_randint = [int(v) for v in np.random.RandomState(5).randint(0, 2 ** 32, size=8, dtype=np.uint64)]
    py.seed(5)
    via_py = [py.genrand_int32() for _ in range(8)]
    assert raw == via_randint == via_py, (raw, via_randint, via_py)

    np.random.seed(7)
    perm7 = np.random.permutation(np.arange(10))
    py.seed(7)
    assert perm7.tolist() == py.permutation(np.arange(10)).tolist()

    out = [
        f"# numpy {np.__version__} (legacy RandomState: np.random.seed(int) = MT19937 init_genrand; "
        "np.random.permutation(array) = Fisher-Yates from the last index down, j = random_interval(i), "
        "masked rejection on 32-bit draws)",
        "# format: <case>/<name> <shape> <values...> (row-major, integers; the reader parses them as float32, exact below 2^24)",
        "# Hugging Face BigBird (modeling_big_bird.py) random key blocks, TRAINING mode: rand_attn[h, i-1, :] are the "
        "random key blocks of query block i, i = 1..nb-2 (nb = T/block); shape [heads, nb-2, r]",
        "# case name L<seed>_T<T>_b<block>_r<r>_h<heads>_max<max_seqlen>; seed = layer index (np.random.seed(layer_idx) "
        "every forward); T in {1024, 3072, 4096} uses the old plan (_bigbird_block_rand_mask on max_seqlen with "
        "last_idx=1024, rows [:nb-2], heads one after another), otherwise _get_rand_attn_plan + "
        "_bigbird_block_rand_mask_with_head (rows outer, heads inner); old_plan = 1/0 says which",
        "# mt_seed5/hi, mt_seed5/lo: first 8 genrand_int32 outputs of np.random.RandomState(5), split into 16-bit "
        "halves (value = hi * 65536 + lo) because float32 cannot hold 32-bit integers exactly",
        "# perm_seed7_n10/perm: np.random.seed(7); np.random.permutation(np.arange(10))",
    ]
    for seed, T, b, r, H, max_seqlen in CASES:
        nb = T // b
        ra = hf_rand_attn(np.random, seed, T, b, r, H, max_seqlen)
        ra_py = hf_rand_attn(PyMT(), seed, T, b, r, H, max_seqlen)
        assert ra.shape == (H, nb - 2, r), ra.shape
        assert np.array_equal(ra, ra_py), f"PyMT model disagrees with numpy for case {seed, T, b, r, H}"
        old = int(T in [1024, 3072, 4096])
        name = f"L{seed}_T{T}_b{b}_r{r}_h{H}_max{max_seqlen}"
        print(name, "old plan" if old else "new plan", "plan:",
              None if old else _get_rand_attn_plan(T, b, r), "rand_attn[0,:3] =", ra[0, :3].tolist())
        out.append(line(name, "rand_attn", ra))
        for k, v in (("nb", nb), ("r", r), ("block", b), ("seed", seed), ("max_seqlen", max_seqlen),
                     ("heads", H), ("old_plan", old)):
            out.append(line(name, k, [v]))
    out.append(line("mt_seed5", "hi", [v >> 16 for v in raw]))
    out.append(line("mt_seed5", "lo", [v & 0xFFFF for v in raw]))
    out.append(line("perm_seed7_n10", "perm", perm7))
    print("mt_seed5 raw:", raw)
    print("perm_seed7_n10:", perm7.tolist())

    path = os.path.join(HERE, "bigbird_layouts.txt")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
