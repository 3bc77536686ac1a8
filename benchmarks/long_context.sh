#!/usr/bin/env bash
# Long-context masked-language-model pretraining on real DNA at an equal number of training tokens:
# D. melanogaster chr2R (Debian's augustus-doc), single-base tokens, d 64, 4 layers, 4 heads, RoPE;
# windows of 512 bases with dense attention, and of 4,096 and 16,384 bases with BigBird (GENA
# layout, blocks of 64). Each run validates on held-out windows of its own length (the last tenth
# of chr2R) and reports bits per masked base; the order-5 Markov baseline is printed beside it.
#
#   benchmarks/long_context.sh [--tokens 1048576] [--out runs/long-context] [--seed 1]
#
# Takes about an hour on 2 cores with the default budget. Runs whose directory already holds a
# finished run are not redone (delete the directory to redo one).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

tokens=1048576 out=runs/long-context seed=1
while [ $# -gt 0 ]; do
  case "$1" in
    --tokens) tokens="$2"; shift 2 ;;
    --out)    out="$2"; shift 2 ;;
    --seed)   seed="$2"; shift 2 ;;
    *) echo "long_context.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
fasta=/usr/share/doc/augustus/tutorial/data/chr2R.fa
[ -f "$fasta" ] || fasta="$fasta.gz"
[ -f "$fasta" ] || { echo "long_context.sh: no chr2R.fa (apt-get install augustus-doc)" >&2; exit 1; }
mkdir -p "$out"

# window attention batch: the same tokens per step for each (8·512 = 4,096), steps from the budget
runs=("512 dense 8" "4096 bigbird 1" "16384 bigbird 1")
for r in "${runs[@]}"; do
  read -r window attention batch <<<"$r"
  steps=$(( tokens / (window * batch) ))
  dir="$out/w$window-$attention-s$seed"
  if [ -f "$dir/report.txt" ]; then continue; fi
  ./strand pretrain --fasta "$fasta" --window "$window" --batch "$batch" --steps "$steps" --dim 64 --layers 4 --heads 4 \
    --positions ROPE --attention "$attention" --lr 1e-3 --dropout 0 --eval-every 0 --checkpoint-every "$steps" --seed "$seed" \
    --out "$dir" | tee "$dir.log.txt"
  grep -E "^validation|Markov" "$dir.log.txt" > "$dir/report.txt"
done

echo
printf "%-8s %-8s %6s %6s %10s %22s %20s\n" window attention batch steps tokens "bits/masked base" "order-5 Markov"
for r in "${runs[@]}"; do
  read -r window attention batch <<<"$r"
  steps=$(( tokens / (window * batch) ))
  dir="$out/w$window-$attention-s$seed"
  bits=$(sed -n 's/.*, \([0-9.]*\) bits per masked base.*/\1/p' "$dir/report.txt")
  markov=$(sed -n 's/.*held-out DNA: \([0-9.]*\) bits per base.*/\1/p' "$dir/report.txt")
  printf "%-8s %-8s %6s %6s %10s %22s %20s\n" "$window" "$attention" "$batch" "$steps" "$((steps * window * batch))" "$bits" "$markov"
done
