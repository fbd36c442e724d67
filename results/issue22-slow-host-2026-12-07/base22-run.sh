#!/bin/bash
# usage: base22-run.sh OUT [extra scale_bench args]
# One saturation measurement of the issue-22-time stack (commit 364894f, detached worktree /work/wt/base22: Rasa's
# trackers in memory) with main's bench/scale_bench.py (copy in /work/wt/base22-bench, adaptations: RUN.md):
#   scale_bench.py --rasa 1 --levels saturation --quick --no-profile   (PostgreSQL helpdesk database + Redis, as on main)
# Writes OUT.json, OUT.md (the bench's report) and OUT.log (its output, with the load average before and after).
# ~3-4 min. Ports from BENCH_PORTS (default 18110-18149). NICE (default 10) as for every heavy job here.
set -euo pipefail
OUT=${1:?usage: base22-run.sh OUT   (OUT without suffix: OUT.json, OUT.md, OUT.log)}
shift
TREE=/work/wt/base22
BENCH=/work/wt/base22-bench
[ "$(git -C "$TREE" rev-parse --short HEAD)" = 364894f ] || { echo "$TREE is not at 364894f" >&2; exit 2; }
[ -f "$TREE/models/larkspur.tar.gz" ] || { echo "no model in $TREE/models: make train there first" >&2; exit 2; }
mkdir -p "$(dirname "$OUT")"
cd "$TREE"
export PYTHONDONTWRITEBYTECODE=1 BENCH_PROJECT_ROOT=$TREE BENCH_PORTS=${BENCH_PORTS:-18110-18149}
{
  echo "base22-run: tree $TREE at $(git rev-parse --short HEAD), bench copy $BENCH at $(git -C "$BENCH" rev-parse --short HEAD)$(git -C "$BENCH" status --porcelain | grep -q . && echo ' (with local changes)')"
  echo "start $(date -u '+%F %T UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT.log"
nice -n "${NICE:-10}" "$TREE/.venv/bin/python" "$BENCH/lane_ports.py" "$BENCH/scale_bench.py" \
  --rasa 1 --levels saturation --quick --no-profile --out "$OUT" "$@" 2>&1 | tee -a "$OUT.log"
echo "end $(date -u '+%F %T UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT.log"
"$TREE/.venv/bin/python" /work/wt/base22-bench/summary22.py "$OUT.json" | tee -a "$OUT.log"
