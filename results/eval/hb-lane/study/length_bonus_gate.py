import sys, os, re
sys.path.insert(0, '/work/wt/hb'); sys.path.insert(0, '/work/wt/hb/bench')
import numpy as np
import nlu_addons.handbook_index as H
LB = float(os.environ.get('LB', '0'))
orig = H.HandbookIndex.rank
def rank(self, messages, vectors, leave_out=False):
    s = orig(self, messages, vectors, leave_out)
    lw = np.array([[min(1.0, max(0, len(re.findall(r"[A-Za-z']+", m)) - 8) / 20)] for m in messages], dtype=np.float32)
    return s + LB * lw
H.HandbookIndex.rank = rank
import choose_gate
choose_gate.main(sys.argv[1:])
