#!/bin/bash
# usage: run.sh before|after N  — the README's measure in /work/wt/memr, rasa_main.py at 0cd4431 (before) or HEAD (after)
# (as run on 2026-12-07; /tmp/memr-lane-ports.py is lane_ports.py here: spare ports from lane memr's 18100-18199)
set -euo pipefail
KIND=$1; N=$2; T=/work/wt/memr; OUT=/tmp/memr-bench/$KIND$N
cd $T
if [ "$KIND" = before ]; then git checkout 0cd4431 -- nlu_addons/rasa_main.py; else git checkout HEAD -- nlu_addons/rasa_main.py; fi
export PYTHONDONTWRITEBYTECODE=1
{
  echo "run $KIND$N: tree $T at $(git rev-parse --short HEAD), rasa_main.py $(md5sum nlu_addons/rasa_main.py | cut -c1-8) ($(git diff --quiet HEAD -- nlu_addons/rasa_main.py && echo HEAD || echo 0cd4431))"
  echo "start $(date -u '+%F %T UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee $OUT.log
nice -n 10 .venv/bin/python /tmp/memr-lane-ports.py bench/scale_bench.py --rasa 1 --levels saturation --quick --no-profile --out $OUT >> $OUT.log 2>&1 || echo "rc=$?" >> $OUT.log
echo "end $(date -u '+%F %T UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a $OUT.log
git checkout HEAD -- nlu_addons/rasa_main.py
