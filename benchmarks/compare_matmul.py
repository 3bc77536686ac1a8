#!/usr/bin/python3
"""PyTorch twin of dev.strand.benchmarks.MatmulCompare: times float32 torch.matmul and prints
one machine-readable line per (size, threads), e.g.

    pytorch matmul n=2048 threads=2 median_ms=123.456 gflops=139.16 runs=10

Same method as the Java side: operands drawn once per size; for each (size, threads) warm up for
at least --warmup runs and --warmup-seconds seconds (cut short at
--max-warmup-seconds once one run is done, for very slow kernels), then time --runs products one by one
(time.perf_counter_ns; stop early, after at least 3, once --max-seconds were spent measuring) and
report the median. GFLOPS = 2*m*n*k / median. A size is n (square) or MxKxN.

With --device cuda the operands live on the GPU, TF32 is off (plain fp32, like for like with
Strand's OpenCL SGEMM) and each timed product ends with torch.cuda.synchronize(); the lines then
end with device=cuda (threads only size the host's pool there).

Run it with Debian's interpreter (/usr/bin/python3, which has python3-torch), not a pyenv one.
Unset OPENBLAS_CORETYPE first: forcing Haswell halves OpenBLAS's sgemm speed on newer CPUs.
"""
import argparse
import statistics
import sys
import time

try:
    import torch
except ImportError:
    sys.exit("compare_matmul.py: torch is not importable by %s; install python3-torch "
             "(apt-get install python3-torch) and run with /usr/bin/python3" % sys.executable)


def parse_size(s):
    parts = s.lower().split("x")
    try:
        vals = [int(p) for p in parts]
    except ValueError:
        vals = []
    if len(vals) == 1 and vals[0] > 0:
        return vals[0], vals[0], vals[0]
    if len(vals) == 3 and all(v > 0 for v in vals):
        return tuple(vals)
    sys.exit("compare_matmul.py: bad size %r: want n or MxKxN" % s)


def words(s):
    return [w for w in s.replace(",", " ").split() if w]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sizes_pos", nargs="*", metavar="SIZE")
    ap.add_argument("--sizes", default=None)
    ap.add_argument("--threads", default="1 2")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--warmup-seconds", type=float, default=1.0)
    ap.add_argument("--max-warmup-seconds", type=float, default=5.0)
    ap.add_argument("--max-seconds", type=float, default=10.0)
    ap.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    args = ap.parse_args()
    sizes = (words(args.sizes) if args.sizes else []) + args.sizes_pos
    if not sizes:
        sizes = ["256", "512", "1024", "2048"]
    threads = [int(t) for t in words(args.threads)]
    if args.runs < 1:
        sys.exit("compare_matmul.py: --runs must be >= 1")

    torch.set_grad_enabled(False)
    dev = torch.device(args.device)
    if args.device == "cuda":
        if not torch.cuda.is_available():
            sys.exit("compare_matmul.py: --device cuda but torch.cuda.is_available() is False")
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    sync = torch.cuda.synchronize if args.device == "cuda" else (lambda: None)
    device_field = " device=cuda" if args.device == "cuda" else ""
    for size in sizes:
        m, k, n = parse_size(size)
        gen = torch.Generator().manual_seed(42)
        a = torch.randn(m, k, generator=gen, dtype=torch.float32).to(dev)
        b = torch.randn(k, n, generator=gen, dtype=torch.float32).to(dev)
        flop = 2.0 * m * n * k
        for t in threads:
            torch.set_num_threads(t)
            start = time.perf_counter()
            i = 0
            while True:
                elapsed = time.perf_counter() - start
                if i >= args.warmup and elapsed >= args.warmup_seconds:
                    break
                if i >= 1 and elapsed >= args.max_warmup_seconds:  # a very slow kernel
                    break
                if i >= 10000:
                    break
                torch.matmul(a, b)
                sync()
                i += 1
            ms = []
            measure_start = time.perf_counter()
            while len(ms) < args.runs:
                t0 = time.perf_counter_ns()
                torch.matmul(a, b)
                sync()
                t1 = time.perf_counter_ns()
                ms.append((t1 - t0) / 1e6)
                if len(ms) >= 3 and time.perf_counter() - measure_start >= args.max_seconds:
                    break
            med = statistics.median(ms)
            print("pytorch matmul n=%s threads=%d median_ms=%.3f gflops=%.2f runs=%d%s"
                  % (size, t, med, flop / (med * 1e6), len(ms), device_field), flush=True)


if __name__ == "__main__":
    main()
