#!/usr/bin/env bash
# Where the time goes, by JDK Flight Recorder: method samples of three workloads, each in its own
# JVM, and the hottest methods of each (`jfr view hot-methods`, top frames by sample count):
#   pretrain   the quickstart's pretraining shape (chr2R, windows of 128 bases, d 64, 4 layers, 4 heads, batch 32)
#   finetune   the quickstart's fine-tuning shape (its promoter task, batch 16, mean pooling, head norm)
#   infer      BERT-small's forward pass without gradients (compare.sh infer's model)
# The recordings stay in the output directory for `jfr view`, `jfr print` or JDK Mission Control.
#
#   benchmarks/profile.sh [--out runs/profile] [--steps 40] [--only pretrain|finetune|infer]
#
# finetune needs the quickstart's run (./strand quickstart) for its model and task data.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

out=runs/profile steps=40 only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out)   out="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --only)  only="$2"; shift 2 ;;
    *) echo "profile.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
./strand build >&2
java_home="$(./strand java-home)"
jfr_opts() { echo "-XX:StartFlightRecording=filename=$out/$1.jfr,settings=profile"; }
fasta=/usr/share/doc/augustus/tutorial/data/chr2R.fa

report() {
  echo "== $1 =="
  "$java_home/bin/jfr" view --width 160 hot-methods "$out/$1.jfr" | head -28
  echo
}

if [ -z "$only" ] || [ "$only" = pretrain ]; then
  rm -rf "$out/pretrain-run"
  STRAND_JAVA_OPTS="$(jfr_opts pretrain)" ./strand pretrain --fasta "$fasta" --window 128 --dim 64 --layers 4 --heads 4 --batch 32 \
    --steps "$steps" --dropout 0 --eval-every 0 --checkpoint-every "$steps" --valid-windows 2 --out "$out/pretrain-run" > "$out/pretrain.log" 2>&1
  report pretrain
fi
if [ -z "$only" ] || [ "$only" = finetune ]; then
  [ -d runs/quickstart/pretrain ] && [ -d runs/quickstart/promoters ] || { echo "profile.sh: run ./strand quickstart first" >&2; exit 1; }
  rm -rf "$out/finetune-run"
  STRAND_JAVA_OPTS="$(jfr_opts finetune)" ./strand finetune --model runs/quickstart/pretrain --data runs/quickstart/promoters \
    --steps "$steps" --batch 16 --lr 2e-4 --dropout 0 --pooling mean --head-norm --eval-every "$steps" --patience 0 \
    --out "$out/finetune-run" > "$out/finetune.log" 2>&1
  report finetune
fi
if [ -z "$only" ] || [ "$only" = infer ]; then
  "$java_home/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xmx8g "$(jfr_opts infer)" \
    -cp benchmarks/target/benchmarks.jar dev.strand.benchmarks.ModelCompare infer --threads 2 > "$out/infer.log" 2>&1
  report infer
fi
