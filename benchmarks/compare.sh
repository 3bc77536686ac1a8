#!/usr/bin/env bash
# Side-by-side benchmarks of Strand and PyTorch on this machine, in one invocation.
#
#   benchmarks/compare.sh matmul [--sizes "256 512 1024 2048"] [--threads "1 2"] [--runs N]
#                                [--max-seconds S] [--device opencl[:N]] [--no-build]
#   benchmarks/compare.sh train|infer [--shape bert-small|quickstart] [--rounds R] [--steps N] [--device opencl[:N]]
#   benchmarks/compare.sh generate [--rounds R] [--steps N]
#   benchmarks/compare.sh bigbird [--tokens "1024 4096 8192 16384 32768"] [--dense-max 16384]
#
# The machine is noisy: compare figures only within one run of this script.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Debian's python with python3-torch, not pyenv's; STRAND_PYTHON names another (the GPU machine's).
PY="${STRAND_PYTHON:-/usr/bin/python3}"
JAR="${STRAND_BENCHMARKS_JAR:-benchmarks/target/benchmarks.jar}"   # the GPU kit carries its own

die()  { echo "compare.sh: $*" >&2; exit 1; }
warn() { echo "compare.sh: WARNING: $*" >&2; }
note() { echo "compare.sh: $*" >&2; }

usage() {
  cat >&2 <<'USAGE'
usage: benchmarks/compare.sh <subcommand> [options]

subcommands:
  matmul   float32 matrix product, Strand vs PyTorch (GFLOPS per size and thread count)
           --sizes "256 512 1024 2048"   sizes: n (square) or MxKxN, e.g. 4096x256x1024
           --threads "1 2"               kernel thread counts
           --runs N                      timed runs per point, median reported (default 10)
           --max-seconds S               stop measuring a point after S s, >= 3 runs (default 10)
           --device opencl[:N]           Strand on that OpenCL device against PyTorch on CUDA, fp32
                                         without TF32 (default sizes "1024 2048 4096", threads 1)
           --no-build                    use benchmarks/target/benchmarks.jar as it is

  train    one BERT-small MLM training step (vocab 4101, d 256, 4 layers, seq 512, batch 8, AdamW)
  infer    the same model's forward pass without gradients
  generate a decoder of the same size, greedy, 256 new tokens with a KV cache, batch 1
           --shape quickstart   (train, infer) the quickstart's models instead: fine-tuning (d 64,
                                4 layers, RoPE, 302 tokens, batch 16, mean pooling, 2 classes) and
                                pretraining (130 tokens, batch 32, MLM), dropout 0 as the quickstart;
                                --shape quickstart-pretrain runs the second alone
           --threads N (default 2)  --dropout P (default 0.1; train)  --steps N  --no-build
           --rounds R   alternate Strand and PyTorch R times; the ratio is the median of the R ratios
           --device opencl[:N]  (train, infer) Strand on OpenCL against PyTorch on CUDA, no TF32

  bigbird  one attention layer (d 256, 4 heads, batch 1) forward and backward at 1k to 32k tokens:
           Strand BigBird (b 64, r 3), Strand dense, PyTorch dense; time and peak memory
           --tokens "1024 4096 8192 16384 32768"  --threads 2  --steps 3  --dense-max 16384  --no-build

Each ends with "ratio <subcommand> strand/pytorch: X": for matmul Strand GFLOPS / PyTorch GFLOPS
at n=2048, 2 threads (with --device: at the largest size); for the others Strand tokens/s / PyTorch tokens/s
(with --shape quickstart, the fine-tuning shape's, after a "ratio <subcommand> quickstart-pretrain" line).
USAGE
}

# ---------------------------------------------------------------- shared helpers

# Builds all modules (./strand build) when the benchmarks jar is missing or older than a source.
ensure_build() {
  if [ ! -f "$JAR" ] || [ -n "$(find . \( -path ./runs -o -path '*/target' -o -path ./.git \) -prune -o \
        \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$JAR" -print -quit)" ]; then
    note "building Strand (./strand build)"
    ./strand build >&2 || die "build failed (./strand build)"
  fi
  [ -f "$JAR" ] || die "$JAR missing after the build"
}

# The java of the JDK 25 that ./strand finds, with the flags Strand needs.
# Call resolve_java first (not in a subshell) so the JDK is looked up once.
JAVA_HOME_25=""
resolve_java() {
  [ -n "$JAVA_HOME_25" ] && return
  # STRAND_JAVA_HOME may be a runtime without javac (the jlink'd one carried to the GPU machine).
  JAVA_HOME_25="${STRAND_JAVA_HOME:-$(./strand java-home)}" || die "no JDK 25 (./strand java-home failed)"
  [ -x "$JAVA_HOME_25/bin/java" ] || die "no java in $JAVA_HOME_25"
}
strand_java() {
  resolve_java
  "$JAVA_HOME_25/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC \
    -cp "$JAR" "$@"
}

pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
torch_ok() { [ -x "$PY" ] && "$PY" -c 'import torch' >/dev/null 2>&1; }

# Makes sure Debian's python3-torch and the OpenMP OpenBLAS are there, installing them as root.
ensure_torch() {
  local missing=()
  # On a GPU machine PyTorch runs on CUDA: no BLAS to fix, and nothing can be installed there.
  if [ -n "$DEVICE" ]; then torch_ok || die "PyTorch is not importable by $PY (set STRAND_PYTHON)"; return; fi
  torch_ok || missing+=(python3-torch)
  command -v dpkg-query >/dev/null 2>&1 && ! pkg_installed libopenblas0-openmp && missing+=(libopenblas0-openmp)
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      note "installing ${missing[*]} (apt-get install)"
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 \
        || die "apt-get install ${missing[*]} failed"
    elif ! torch_ok; then
      die "PyTorch is not importable by $PY. Install it as root: apt-get install python3-torch libopenblas0-openmp"
    else
      warn "${missing[*]} not installed and not root; PyTorch may run on a slower BLAS (as root: apt-get install ${missing[*]})"
    fi
  fi
  torch_ok || die "PyTorch is still not importable by $PY"
}

# Warns unless libblas.so.3 (which Debian's torch calls for sgemm) resolves to OpenBLAS.
check_blas() {
  local value
  [ -n "$DEVICE" ] && return
  if ! command -v update-alternatives >/dev/null 2>&1; then
    warn "update-alternatives not found; cannot check that libblas.so.3 is OpenBLAS"; return
  fi
  value="$(update-alternatives --query libblas.so.3-x86_64-linux-gnu 2>/dev/null | sed -n 's/^Value: //p')"
  case "$value" in
    *openblas*) note "libblas.so.3 -> $value" ;;
    "") warn "libblas.so.3 has no alternative set; PyTorch may use a slow reference BLAS" ;;
    *) warn "libblas.so.3 -> $value is not OpenBLAS; PyTorch figures will be low" \
            "(fix: update-alternatives --set libblas.so.3-x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3)" ;;
  esac
}

# PyTorch with OpenBLAS's best kernels for this CPU. OpenBLAS picks them from the CPU model; on
# a VM that hides the model it falls back to generic ones (Prescott: a sixth of the speed), and a
# preset OPENBLAS_CORETYPE=Haswell halves it on AVX-512 machines. So: let OpenBLAS choose, and if
# it chose a generic core, name the one the CPU's instruction set supports.
OPENBLAS_CORE=""
resolve_openblas_core() {
  [ -n "$OPENBLAS_CORE" ] && return
  local detected
  detected="$(env -u OPENBLAS_CORETYPE OPENBLAS_VERBOSE=2 "$PY" -c 'import torch' 2>&1 | sed -n 's/^Core: //p' | head -n1)"
  OPENBLAS_CORE="$detected"
  case "$detected" in
    Prescott|Core2|Penryn|Dunnington|Nehalem|Sandybridge|Katmai|Coppermine|Northwood|Banias|Atom|"")
      if grep -qw avx512f /proc/cpuinfo; then OPENBLAS_CORE=SkylakeX
      elif grep -qw avx2 /proc/cpuinfo; then OPENBLAS_CORE=Haswell; fi
      [ "$OPENBLAS_CORE" != "$detected" ] && note "OpenBLAS detects core '${detected:-?}' on this CPU; PyTorch runs with OPENBLAS_CORETYPE=$OPENBLAS_CORE, the kernels its instruction set supports" ;;
  esac
}

pytorch_python() {
  resolve_openblas_core
  env -u OPENBLAS_CORETYPE ${OPENBLAS_CORE:+OPENBLAS_CORETYPE=$OPENBLAS_CORE} "$PY" "$@"
}

machine_info() {
  local cpu
  resolve_openblas_core
  cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n1)"
  echo "machine: ${cpu:-unknown cpu}, $(nproc) cpus"
  echo "strand:  $("$JAVA_HOME_25/bin/java" -version 2>&1 | head -n1) ($JAVA_HOME_25)"
  echo "pytorch: $(pytorch_python -c 'import torch; print("torch", torch.__version__)' 2>/dev/null)"
  if [ -n "${DEVICE:-}" ]; then
    echo "gpu:     $(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null | head -n1 || echo unknown)"
  fi
  echo "openblas: core $OPENBLAS_CORE"
  if [ -n "${OPENBLAS_CORETYPE:-}" ] && [ "$OPENBLAS_CORETYPE" != "$OPENBLAS_CORE" ]; then
    echo "note:    OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE is replaced for the PyTorch run"
  fi
}

# ---------------------------------------------------------------- matmul

# Set by --device: the OpenCL device Strand runs on (PyTorch then runs on CUDA).
DEVICE=""

# Each side's device option: Strand's --device DEVICE and PyTorch's --device cuda, or nothing.
device_args_strand() { if [ -n "$DEVICE" ]; then echo "--device $DEVICE"; fi; }
device_args_torch()  { if [ -n "$DEVICE" ]; then echo "--device cuda"; fi; }

cmd_matmul() {
  local sizes="" threads="" build=1 extra=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --sizes)       [ $# -ge 2 ] || die "--sizes needs a value"; sizes="$2"; shift 2 ;;
      --threads)     [ $# -ge 2 ] || die "--threads needs a value"; threads="$2"; shift 2 ;;
      --device)      [ $# -ge 2 ] || die "--device needs a value"; DEVICE="$2"; shift 2 ;;
      --runs|--max-seconds|--warmup|--warmup-seconds|--max-warmup-seconds)
                     [ $# -ge 2 ] || die "$1 needs a value"; extra+=("$1" "$2"); shift 2 ;;
      --no-build)    build=0; shift ;;
      -h|--help)     usage; exit 0 ;;
      *)             usage; die "matmul: unknown option $1" ;;
    esac
  done

  if [ -n "$DEVICE" ]; then
    sizes="${sizes:-1024 2048 4096}"; threads="${threads:-1}"
  else
    sizes="${sizes:-256 512 1024 2048}"; threads="${threads:-1 2}"
  fi
  local ratio_size=2048 ratio_threads=2
  if [ -n "$DEVICE" ]; then ratio_size="${sizes##* }"; ratio_threads="${threads%% *}"; fi
  [ "$build" = 1 ] && ensure_build
  [ -f "$JAR" ] || die "$JAR missing (run without --no-build)"
  resolve_java
  ensure_torch
  check_blas

  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT

  machine_info
  echo
  # shellcheck disable=SC2046
  strand_java dev.strand.benchmarks.MatmulCompare --sizes "$sizes" --threads "$threads" ${extra[@]+"${extra[@]}"} $(device_args_strand) \
    | tee "$tmp/strand.txt" || die "Strand matmul benchmark failed"
  # shellcheck disable=SC2046
  pytorch_python benchmarks/compare_matmul.py --sizes "$sizes" --threads "$threads" ${extra[@]+"${extra[@]}"} $(device_args_torch) \
    | tee "$tmp/pytorch.txt" || die "PyTorch matmul benchmark failed"
  echo

  # Table: one row per (size, threads), in the order Strand ran them; ratio = Strand / PyTorch.
  cat "$tmp/strand.txt" "$tmp/pytorch.txt" | awk -v rsize="$ratio_size" -v rthreads="$ratio_threads" '
    function field(name,   i, kv) {
      for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == name) return kv[2] }
      return ""
    }
    $2 == "matmul" {
      key = field("n") SUBSEP field("threads")
      if (!(key in seen)) { seen[key] = 1; order[++count] = key }
      gf[$1, key] = field("gflops")
    }
    END {
      printf "%-16s %7s %15s %15s %8s\n", "size", "threads", "strand_gflops", "pytorch_gflops", "ratio"
      ratio2048 = "n/a"
      for (i = 1; i <= count; i++) {
        key = order[i]; split(key, p, SUBSEP)
        s = gf["strand", key]; t = gf["pytorch", key]
        r = (s != "" && t != "" && t + 0 > 0) ? sprintf("%.2f", s / t) : "n/a"
        printf "%-16s %7s %15s %15s %8s\n", p[1], p[2], (s == "" ? "-" : s), (t == "" ? "-" : t), r
        if (p[1] == rsize && p[2] == rthreads) ratio2048 = r
      }
      print ""
      print "ratio matmul strand/pytorch: " ratio2048
    }'
}

# ---------------------------------------------------------------- train, infer, generate

# One BERT-small step (train: forward, backward, AdamW; infer: forward without gradients) or a
# 256-token greedy generation with a KV cache, in Strand and PyTorch with the same threads.
# Ends with "ratio <mode> strand/pytorch: X" (tokens/s over tokens/s).
model_compare() {
  local mode="$1"; shift
  local threads=2 dropout=0.1 steps="" build=1 rounds=1 shape=bert-small
  while [ $# -gt 0 ]; do
    case "$1" in
      --threads) [ $# -ge 2 ] || die "--threads needs a value"; threads="$2"; shift 2 ;;
      --rounds)  [ $# -ge 2 ] || die "--rounds needs a value"; rounds="$2"; shift 2 ;;
      --dropout) [ $# -ge 2 ] || die "--dropout needs a value"; dropout="$2"; shift 2 ;;
      --steps)   [ $# -ge 2 ] || die "--steps needs a value"; steps="$2"; shift 2 ;;
      --shape)   [ $# -ge 2 ] || die "--shape needs a value"; shape="$2"; shift 2 ;;
      --device)  [ $# -ge 2 ] || die "--device needs a value"; DEVICE="$2"; shift 2 ;;
      --no-build) build=0; shift ;;
      -h|--help) usage; exit 0 ;;
      *) usage; die "$mode: unknown option $1" ;;
    esac
  done
  local step_args=() shapes
  [ -n "$steps" ] && step_args=(--steps "$steps")
  case "$shape" in
    bert-small|quickstart-pretrain) shapes="$shape" ;;
    quickstart) shapes="quickstart quickstart-pretrain"; dropout=0 ;;   # the quickstart trains without dropout
    *) die "--shape must be bert-small, quickstart or quickstart-pretrain, not '$shape'" ;;
  esac
  if [ "$mode" = generate ] && [ "$shape" != bert-small ]; then die "generate: --shape is for train and infer"; fi
  if [ -n "$DEVICE" ] && [ "$mode" = generate ]; then die "generate: --device is for matmul, train and infer"; fi
  [ "$build" = 1 ] && ensure_build
  resolve_java
  ensure_torch
  check_blas
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  machine_info
  echo
  # Rounds alternate Strand and PyTorch, so load from elsewhere hits both alike; the ratio
  # reported is the median of the per-round ratios.
  local r s
  for ((r = 1; r <= rounds; r++)); do
    for s in $shapes; do
      local shape_args=()
      [ "$mode" != generate ] && shape_args=(--shape "$s")
      # shellcheck disable=SC2046
      strand_java -Xmx8g dev.strand.benchmarks.ModelCompare "$mode" ${shape_args[@]+"${shape_args[@]}"} --threads "$threads" --dropout "$dropout" ${step_args[@]+"${step_args[@]}"} $(device_args_strand) \
        | tee -a "$tmp/both.txt" || die "Strand $mode benchmark failed"
      # shellcheck disable=SC2046
      pytorch_python benchmarks/compare_model.py "$mode" ${shape_args[@]+"${shape_args[@]}"} --threads "$threads" --dropout "$dropout" ${step_args[@]+"${step_args[@]}"} $(device_args_torch) \
        | tee -a "$tmp/both.txt" || die "PyTorch $mode benchmark failed"
    done
  done
  echo
  # One table per shape; the first shape's ratio is the summary line "ratio <mode> strand/pytorch".
  awk -v mode="$mode" -v shapes="$shapes" '
    function field(name,   i, kv) {
      for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == name) return kv[2] }
      return ""
    }
    function median(a, n,   i, j, t) {
      for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    $2 == mode {
      sh = field("shape"); if (sh == "") sh = "bert-small"
      if ($1 == "strand")  s[sh, ++ns[sh]] = field("tokens_per_s")
      if ($1 == "pytorch") {
        p[sh, ++np[sh]] = field("tokens_per_s")
        if (np[sh] <= ns[sh] && p[sh, np[sh]] + 0 > 0) q[sh, ++nq[sh]] = s[sh, np[sh]] / p[sh, np[sh]]
      }
    }
    END {
      count = split(shapes, order, " ")
      for (k = 1; k <= count; k++) {
        sh = order[k]
        printf "%s, %s\n", mode, sh
        printf "%-8s %12s %13s %8s\n", "round", "strand tok/s", "pytorch tok/s", "ratio"
        for (i = 1; i <= nq[sh]; i++) printf "%-8d %12s %13s %8.2f\n", i, s[sh, i], p[sh, i], q[sh, i]
        delete a; delete b; delete c
        for (i = 1; i <= ns[sh]; i++) a[i] = s[sh, i]
        for (i = 1; i <= np[sh]; i++) b[i] = p[sh, i]
        for (i = 1; i <= nq[sh]; i++) c[i] = q[sh, i]
        if (nq[sh] == 0) { ratio[sh] = "n/a"; print ""; continue }
        printf "%-8s %12.0f %13.0f\n\n", "median", median(a, ns[sh]), median(b, np[sh])
        ratio[sh] = sprintf("%.2f", median(c, nq[sh]))
      }
      for (k = 2; k <= count; k++) printf "ratio %s %s strand/pytorch: %s\n", mode, order[k], ratio[order[k]]
      printf "ratio %s strand/pytorch: %s\n", mode, ratio[order[1]]
    }' "$tmp/both.txt"
}

cmd_train()    { model_compare train "$@"; }
cmd_infer()    { model_compare infer "$@"; }
cmd_generate() { model_compare generate "$@"; }

# ---------------------------------------------------------------- bigbird

# One attention layer (d 256, 4 heads, batch 1), forward and backward, at growing lengths: Strand
# BigBird (GENA layout, b 64, r 3), Strand dense and PyTorch dense, each point in its own process.
# Dense runs stop at --dense-max tokens (its [H, T, T] weights outgrow the memory beyond). Ends with
# "ratio bigbird16k dense/bigbird: X" (Strand dense time over Strand BigBird time at 16,384 tokens).
cmd_bigbird() {
  local tokens="1024 4096 8192 16384 32768" threads=2 steps=3 dense_max=16384 build=1
  while [ $# -gt 0 ]; do
    case "$1" in
      --tokens)    [ $# -ge 2 ] || die "--tokens needs a value"; tokens="$2"; shift 2 ;;
      --threads)   [ $# -ge 2 ] || die "--threads needs a value"; threads="$2"; shift 2 ;;
      --steps)     [ $# -ge 2 ] || die "--steps needs a value"; steps="$2"; shift 2 ;;
      --dense-max) [ $# -ge 2 ] || die "--dense-max needs a value"; dense_max="$2"; shift 2 ;;
      --no-build)  build=0; shift ;;
      -h|--help)   usage; exit 0 ;;
      *) usage; die "bigbird: unknown option $1" ;;
    esac
  done
  [ "$build" = 1 ] && ensure_build
  resolve_java
  ensure_torch
  check_blas
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  machine_info
  echo
  local t
  for t in $tokens; do
    strand_java -Xmx20g dev.strand.benchmarks.BigBirdCompare bigbird --tokens "$t" --threads "$threads" --steps "$steps" \
      | tee -a "$tmp/all.txt" || echo "strand bigbird tokens=$t failed" | tee -a "$tmp/all.txt"
    if [ "$t" -le "$dense_max" ]; then
      strand_java -Xmx20g dev.strand.benchmarks.BigBirdCompare dense --tokens "$t" --threads "$threads" --steps "$steps" \
        | tee -a "$tmp/all.txt" || echo "strand dense tokens=$t failed" | tee -a "$tmp/all.txt"
      pytorch_python benchmarks/compare_bigbird.py --tokens "$t" --threads "$threads" --steps "$steps" \
        | tee -a "$tmp/all.txt" || echo "pytorch dense tokens=$t failed" | tee -a "$tmp/all.txt"
    fi
  done
  echo
  awk '
    function field(name,   i, kv) {
      for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == name) return kv[2] }
      return ""
    }
    NF >= 3 && $3 ~ /^tokens=/ {
      t = field("tokens"); k = $1 " " $2
      if (!(t in seen)) { seen[t] = 1; order[++n] = t }
      sec[k, t] = ($NF == "failed") ? "failed" : field("seconds")
      mb[k, t] = field("peak_heap_mb") field("peak_rss_mb")
    }
    function cell(k, t) { return ((k, t) in sec) ? sec[k, t] (mb[k, t] == "" ? "" : " s, " mb[k, t] " MB") : "-" }
    END {
      printf "%-7s %-26s %-26s %-26s\n", "tokens", "strand bigbird", "strand dense", "pytorch dense"
      for (i = 1; i <= n; i++) { t = order[i]; printf "%-7s %-26s %-26s %-26s\n", t, cell("strand bigbird", t), cell("strand dense", t), cell("pytorch dense", t) }
      print ""
      b = sec["strand bigbird", 16384]; d = sec["strand dense", 16384]
      if (b + 0 > 0 && d + 0 > 0) printf "ratio bigbird16k dense/bigbird: %.2f\n", d / b; else print "ratio bigbird16k dense/bigbird: n/a"
      m16 = mb["strand bigbird", 16384]; m32 = mb["strand bigbird", 32768]
      if (m16 + 0 > 0 && m32 + 0 > 0) printf "memory bigbird32k/16k: %.2f\n", m32 / m16; else print "memory bigbird32k/16k: n/a"
    }' "$tmp/all.txt"
}

# ---------------------------------------------------------------- dispatch

main() {
  local sub="${1:-}"
  case "$sub" in
    ""|-h|--help|help) usage; [ -n "$sub" ] && exit 0; exit 2 ;;
  esac
  shift
  if [[ "$sub" =~ ^[a-z][a-z0-9_-]*$ ]] && declare -F "cmd_${sub//-/_}" >/dev/null; then
    "cmd_${sub//-/_}" "$@"
  else
    echo "compare.sh: unknown subcommand '$sub'" >&2
    usage
    exit 2
  fi
}

main "$@"
exit $?
