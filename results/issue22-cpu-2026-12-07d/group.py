# How measured: `.venv/bin/python group.py PROFILE N`: a cProfile file summed by package, per unit (N turns or messages).
import pstats, sys, collections, re
s = pstats.Stats(sys.argv[1]); n = int(sys.argv[2])
tot = collections.Counter(); calls = collections.Counter()
for (f, l, fn), (cc, nc, tt, ct, callers) in s.stats.items():
    m = re.search(r"site-packages/([^/]+)", f)
    if m: g = m.group(1)
    elif "/work/wt/cpu/" in f: g = "project:" + f.split("/work/wt/cpu/")[1].split("/")[0] + "/" + (f.split("/")[-1])
    elif f == "~": g = "builtin:" + fn[:40]
    else: g = "stdlib:" + f.split("/")[-1]
    tot[g] += tt; calls[g] += nc
T = sum(tot.values())
print("total ms/turn", round(1000*T/n, 3))
for g, t in tot.most_common(30): print(f"{g:60s} {1000*t/n:7.3f} ms  {calls[g]/n:8.1f} calls")
