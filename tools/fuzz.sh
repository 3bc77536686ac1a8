#!/usr/bin/env bash
# Fuzzes Strand's readers of user files with Jazzer, one target after another.
#
#   tools/fuzz.sh [--minutes 10] [TARGET...]
#
# Targets (default: all): fasta fastaIndex vcf hisatSnpTable labelledCsv tokenizerJson (genomics,
# ReaderFuzzTest) and safetensors configJson (nn, CheckpointFuzzTest). Each may only return a result
# or throw its documented format exception naming the file; an input that breaks that is written
# to the test's Inputs folder under src/test/resources, where every ordinary test run replays it:
# commit it with the fix. Prints one summary line per target (executions, coverage, crashes).
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=10
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(fasta fastaIndex vcf hisatSnpTable labelledCsv tokenizerJson safetensors configJson)
export JAVA_HOME="$(./strand java-home)"
mvn -B -q --no-transfer-progress install -DskipTests -pl tensor,autograd,nn,genomics -am
status=0
for t in "${targets[@]}"; do
  case "$t" in
    safetensors|configJson) module=nn; test=CheckpointFuzzTest ;;
    fasta|fastaIndex|vcf|hisatSnpTable|labelledCsv|tokenizerJson) module=genomics; test=ReaderFuzzTest ;;
    *) echo "unknown target $t" >&2; exit 2 ;;
  esac
  log="$module/target/fuzz-$t.log"
  mkdir -p "$module/target"
  echo "fuzzing $t for $minutes min ($log)" >&2
  # The annotation's maxDuration (10m) is the ceiling; timeout stops shorter runs, which counts as a clean stop.
  set +e
  JAZZER_FUZZ=1 timeout --signal=INT "$((minutes * 60 + 60))" mvn -B -o --no-transfer-progress -pl "$module" test \
      -Dtest="$test#$t" -Djazzer.max_duration="${minutes}m" > "$log" 2>&1
  code=$?
  set -e
  last=$(grep -a -E '^#[0-9]+' "$log" | tail -1 || true)
  if grep -a -q -E 'Tests run:.*(Failures: [1-9]|Errors: [1-9])|== Java Exception' "$log"; then
    echo "$t: FOUND A FAILURE (see $log; the input is in $module/src/test/resources/…/${test}Inputs/$t/); $last"
    status=1
  else
    echo "$t: no failure in $minutes min (exit $code); $last"
  fi
done
exit $status
