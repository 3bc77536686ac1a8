"""One dense attention layer (d 256, 4 heads, batch 1), forward and backward, in PyTorch.

The same layer as Strand's BigBirdCompare in dense mode: q, k, v and output projections,
softmax(q·kᵀ/√hd)·v. Prints the median time of the timed passes and the process's peak
resident memory. Run one length per process (benchmarks/compare.sh bigbird does):
    python3 benchmarks/compare_bigbird.py --tokens 4096 [--steps 3] [--threads 2]
"""
import argparse
import resource
import statistics
import time

import torch

DIM, HEADS = 256, 4


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokens", type=int, default=4096)
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    proj = torch.nn.ModuleList([torch.nn.Linear(DIM, DIM) for _ in range(4)])
    hd = DIM // HEADS
    x = torch.randn(1, a.tokens, DIM)
    g = torch.randn(1, a.tokens, DIM)

    def layer(inp):
        q, k, v = (p(inp).view(1, a.tokens, HEADS, hd).transpose(1, 2) for p in proj[:3])   # [B, H, T, hd]
        w = torch.softmax(q @ k.transpose(-2, -1) / hd ** 0.5, dim=-1)                     # [B, H, T, T]
        return proj[3]((w @ v).transpose(1, 2).reshape(1, a.tokens, DIM))                    # [B, T, d]

    seconds = []
    for s in range(a.steps + 1):                   # one warm-up pass
        inp = x.clone().requires_grad_(True)
        t0 = time.perf_counter()
        layer(inp).backward(g)
        if s > 0:
            seconds.append(time.perf_counter() - t0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"pytorch dense tokens={a.tokens} threads={a.threads} seconds={statistics.median(seconds):.3f} peak_rss_mb={peak_mb} steps={a.steps}")


if __name__ == "__main__":
    main()
