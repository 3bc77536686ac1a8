#!/usr/bin/env bash
# Recurrent memory keeps memory flat. Inference: `strand perplexity` reads 10 kb, 100 kb and 1 Mb of
# held-out D. melanogaster chr2R (its last tenth; Debian augustus-doc) as one stream through a causal model with recurrent
# memory, each in a fresh JVM whose heap is capped at 64 MiB (so the collector runs full
# collections all along), and prints the peak heap in use after a full collection (the live set:
# what the run needs). Training: a few pretraining steps on windows of 2, 8 and 32 kb, with BPTT
# through 1 segment in a heap capped at 256 MiB, and through all of them capped at 2 GiB: truncated
# BPTT holds one segment's graph whatever the window, full BPTT holds every segment's.
#
#   benchmarks/rmt_memory.sh [--model runs/rmt/lm-bptt-all]
#
# Without --model (or when it does not exist) a small causal model with memory is pretrained first
# (a minute). Takes about 10 minutes on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

model=runs/rmt/lm-bptt-all out=runs/rmt-memory
strand="${STRAND:-./strand}"   # the launcher; STRAND may name another (a copy of the built app)
while [ $# -gt 0 ]; do
  case "$1" in
    --model) model="$2"; shift 2 ;;
    *) echo "rmt_memory.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
fasta=/usr/share/doc/augustus/tutorial/data/chr2R.fa
[ -f "$fasta" ] || fasta="$fasta.gz"
[ -f "$fasta" ] || { echo "rmt_memory.sh: no chr2R.fa (apt-get install augustus-doc)" >&2; exit 1; }
mkdir -p "$out"
rmt="memory=10,segment=512"
if [ ! -d "$model" ]; then
  model="$out/model"
  [ -d "$model" ] || $strand pretrain --fasta "$fasta" --objective causal --rmt "$rmt,bptt=-1" --window 2048 --steps 20 --batch 2 \
    --dim 64 --layers 4 --heads 4 --eval-every 0 --out "$model" > "$out/model.log" 2>&1
fi

echo "inference: strand perplexity --model $model, heap capped at 64 MiB"
echo "| bases | bits per base | peak live heap | time |"
echo "|---|---|---|---|"
for length in 10000 100000 1000000; do
  log="$out/perplexity-$length.txt"
  STRAND_JAVA_OPTS="-Xmx64m" $strand perplexity --model "$model" --fasta "$fasta" --start 19100000 --length "$length" > "$log" 2>/dev/null
  bits=$(sed -n 's/.*: \([0-9.]*\) bits per base.*/\1/p' "$log")
  secs=$(sed -n 's/.* in \([0-9.]*\) s$/\1/p' "$log")
  heap=$(sed -n 's/peak heap in use after a full collection: \([0-9.]*\) MiB.*/\1/p' "$log")
  echo "| $length | $bits | $heap MiB | $secs s |"
done

echo
echo "training: 4 steps of batch 1, segments of 512 tokens with 10 memory tokens, d 64, 4 layers"
echo "| window | segments | bptt 1, heap capped at 256 MiB | bptt -1 (all), heap capped at 2 GiB |"
echo "|---|---|---|---|"
for window in 2048 8192 32768; do
  row="| $window | $(( (window + 1 + 491) / 492 )) |"
  for bptt in 1 -1; do
    dir="$out/train-w$window-bptt$bptt" cap=256m
    [ "$bptt" = 1 ] || cap=2g
    rm -rf "$dir"
    if STRAND_JAVA_OPTS="-Xmx$cap" $strand pretrain --fasta "$fasta" --objective causal --rmt "$rmt,bptt=$bptt" --window "$window" --steps 4 \
        --batch 1 --dim 64 --layers 4 --heads 4 --eval-every 0 --checkpoint-every 4 --valid-windows 2 --out "$dir" > "$dir.log" 2>&1; then
      heap="$(sed -n 's/peak heap in use after a full collection while training: \([0-9.]*\) MiB/\1/p' "$dir.log") MiB"
    else
      heap="ran out of memory"
      grep -q OutOfMemoryError "$dir.log" || heap="failed (see $dir.log)"
    fi
    row="$row $heap |"
  done
  echo "$row"
done
