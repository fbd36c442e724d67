#!/bin/bash
# usage: main22-run.sh MAIN_TREE OUT [extra scale_bench args]
# The same measurement as base22-run.sh against a main checkout (its own .venv, model, bench/ unchanged):
#   MAIN_TREE/bench/scale_bench.py --rasa 1 --levels saturation --quick --no-profile
# Writes OUT.json, OUT.md, OUT.log. Ports from BENCH_PORTS (default 18150-18189). NICE default 10.
set -euo pipefail
TREE=$(cd "${1:?usage: main22-run.sh MAIN_TREE OUT}" && pwd)
OUT=${2:?usage: main22-run.sh MAIN_TREE OUT}
shift 2
[ -f "$TREE/models/larkspur.tar.gz" ] || { echo "no model in $TREE/models: make train there first" >&2; exit 2; }
mkdir -p "$(dirname "$OUT")"
cd "$TREE"
export PYTHONDONTWRITEBYTECODE=1 BENCH_PORTS=${BENCH_PORTS:-18150-18189}
{
  echo "main22-run: tree $TREE at $(git rev-parse --short HEAD)$(git status --porcelain -- helpdesk actions nlu_addons config.yml bench | grep -q . && echo ' (with local changes)')"
  # the bench files base22-bench was copied from (main 8ddd284): a later main that changed them measures differently
  for f in scale_bench.py load_bench.py cpu_windows.py common.py bench_stack.py; do
    git -C /work/wt/base22-bench show $(git -C /work/wt/base22-bench rev-list --max-parents=0 HEAD):"$f" | cmp -s - "bench/$f" || echo "NOTE: bench/$f differs from main 8ddd284's (the copy base22-run.sh uses)"
  done
  echo "start $(date -u '+%F %T UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT.log"
nice -n "${NICE:-10}" "$TREE/.venv/bin/python" /work/wt/base22-bench/lane_ports.py "$TREE/bench/scale_bench.py" \
  --rasa 1 --levels saturation --quick --no-profile --out "$OUT" "$@" 2>&1 | tee -a "$OUT.log"
echo "end $(date -u '+%F %T UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT.log"
"$TREE/.venv/bin/python" /work/wt/base22-bench/summary22.py "$OUT.json" | tee -a "$OUT.log"
