#!/usr/bin/env bash
# Strand's GPU checks in one run on the GPU machine (issue: the OpenCL backend's GPU figures).
# Needs .device/ from benchmarks/gpu/prepare.sh, carried with the working tree. It
#   1. finds NVIDIA's OpenCL driver (libnvidia-opencl.so.1) and registers it alone with the ICD
#      loader, so opencl:0 is the GPU (or says exactly what is missing and stops);
#   2. lists the OpenCL devices;
#   3. runs the OpenCL backend's tests there (every kernel against the CPU, BERT training parity);
#   4. compare.sh matmul --device opencl: Strand's SGEMM against cuBLAS (fp32, TF32 off) up to 4096;
#   5. compare.sh train --device opencl against PyTorch on CUDA, and the same training step with
#      Strand on 2 CPU threads, the bar's reference (GPU step at least 10 times faster);
#   7. Strand's SGEMM at 4096 under six other tilings (-Dstrand.opencl.matmul), to tune the default;
#   8. 20 training steps with the buffer pool's default collections and with collections only at
#      the budget, to tune that default.
# Only steps stuck at their limits would pass a device call's 600 s; the bars' steps come first.
# Each step's output goes to $OUT (or .device/out) as NN-name.txt; a failing step does not stop
# the later ones, and the exit status says whether all passed. --any-platform is a dry run of the
# kit on a machine without NVIDIA's driver: it keeps the OpenCL platforms there are (PoCL).
set -uo pipefail
any_platform=0
[ "${1:-}" = --any-platform ] && any_platform=1
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="${OUT:-.device/out}"; mkdir -p "$out"
kit="$PWD/.device"
[ -x "$kit/jdk/bin/java" ] || { echo "check.sh: no $kit/jdk; run benchmarks/gpu/prepare.sh first and carry .device" >&2; exit 2; }

# 1. NVIDIA's OpenCL driver, registered as the only platform.
lib=""
for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib; do
  for f in "$d"/libnvidia-opencl.so.1 "$d"/libnvidia-opencl.so.*; do [ -e "$f" ] && { lib="$f"; break 2; }; done
done
[ -n "$lib" ] || lib="$(find / -xdev -name 'libnvidia-opencl.so*' 2>/dev/null | head -n1)"
{
  echo "nvidia-smi: $(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1 | head -n1)"
  echo "libnvidia-opencl: ${lib:-NOT FOUND (searched /usr/local/nvidia, /usr/lib*, then /)}"
  echo "system libOpenCL.so.1: $(ldconfig -p 2>/dev/null | grep -m1 'libOpenCL.so.1' || echo none, using .device/lib)"
} | tee "$out/01-driver.txt"
if [ -n "$lib" ]; then
  mkdir -p "$kit/icd"
  echo "$lib" > "$kit/icd/nvidia.icd"
  export OCL_ICD_VENDORS="$kit/icd"
elif [ "$any_platform" = 0 ]; then
  echo "check.sh: NVIDIA's OpenCL library (libnvidia-opencl.so.1) is not on this machine; the OpenCL backend cannot reach the GPU" >&2
  exit 3
fi
ldconfig -p 2>/dev/null | grep -q 'libOpenCL.so.1' || export LD_LIBRARY_PATH="$kit/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export STRAND_JAVA_HOME="$kit/jdk" STRAND_PYTHON="$(command -v python3)" STRAND_BENCHMARKS_JAR="$kit/jars/benchmarks.jar"
java=("$kit/jdk/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC)
cp="$kit/jars/benchmarks.jar"
status=0
step() { # step NN-name timeout-seconds command...
  local name="$1" limit="$2"; shift 2
  echo "== $name: $*" | tee "$out/$name.txt"
  timeout "$limit" "$@" 2>&1 | tee -a "$out/$name.txt"
  local rc="${PIPESTATUS[0]}"
  echo "== $name: exit $rc" | tee -a "$out/$name.txt"
  [ "$rc" = 0 ] || status=1
}

# 2. The OpenCL devices, as ./strand devices lists them.
step 02-devices 60 "${java[@]}" -cp "$cp" dev.strand.benchmarks.Devices
# 3. The OpenCL tests on the GPU; CI=true makes a missing platform a failure, not a skip. PtxBuildTest
# checks the kernel sources with clang, which needs no device (and this machine has no clang).
step 03-opencl-tests 240 env CI=true "${java[@]}" -jar "$kit"/jars/junit-platform-console-standalone-*.jar execute \
  --class-path "$cp:$kit/jars/opencl-tests" --select-package dev.strand.opencl --exclude-classname '.*PtxBuildTest' \
  --details summary --disable-banner
# 4. SGEMM against cuBLAS.
step 04-matmul 180 bash benchmarks/compare.sh matmul --device opencl:0 --sizes "1024 2048 4096" --runs 5 --no-build
# 5. A BERT-small training step on the GPU against PyTorch on CUDA, then Strand on 2 CPU threads.
step 05-train 180 bash benchmarks/compare.sh train --device opencl:0 --rounds 1 --steps 5 --no-build
step 06-train-cpu2 180 "${java[@]}" -Xmx8g -cp "$cp" dev.strand.benchmarks.ModelCompare train --threads 2 --steps 5

# 7. Last, as it only tunes: the SGEMM at 4096 under other tilings than the default 128x128x16/8x8
# (at 512 in a dry run: a CPU driver takes minutes at 4096).
sweep=4096; [ "$any_platform" = 1 ] && sweep=512
for t in 64x64x16/4x4 128x128x8/8x8 128x128x32/8x8 128x64x16/8x4 64x128x16/4x8 64x64x16/8x8; do
  step "07-tiling-${t//\//-}" 40 "${java[@]}" -Dstrand.opencl.matmul="$t" -cp "$cp" dev.strand.benchmarks.MatmulCompare \
    --device opencl:0 --sizes "$sweep" --threads 1 --runs 5
done
# 8. 20 training steps with the buffer pool's default (a collection after every eighth of the
# budget handed out), then collecting only at the budget (1 step after 1 in a dry run).
long=(--steps 20); [ "$any_platform" = 1 ] && long=(--steps 1 --warmup 1)
for every in default 0; do
  prop=(); [ "$every" = default ] || prop=(-Dstrand.opencl.collect-every="$every")
  step "08-train-collect-every-$every" 120 "${java[@]}" ${prop[@]+"${prop[@]}"} -cp "$cp" dev.strand.benchmarks.ModelCompare \
    train --device opencl:0 "${long[@]}"
done

echo "check.sh: $( [ $status = 0 ] && echo all steps passed || echo some steps FAILED ); outputs in $out"
grep -hi 'tokens_per_s\|GFLOPS\|ratio\|tests successful\|tests failed' "$out"/0[3-8]*.txt 2>/dev/null | tail -30
exit $status
