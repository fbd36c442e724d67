import sys, json
sys.path.insert(0, __import__('os').path.dirname(__file__)); sys.path.insert(0, '/work/wt/hb'); sys.path.insert(0, '/work/wt/hb/bench')
import numpy as np
import prep_variants as P
import helpdesk.knowledge.query as Q
from study_variants import VARIANTS, make
import choose_gate as C
from nlu_addons.onepass_nlu import side_of_state, words_of
from nlu_addons.onepass_settings import configured
R = C.PROJECT_ROOT
side = side_of_state('en', C.load_state(R/'models/larkspur.tar.gz')['en'], configured(), R/'knowledge/faq')
index, enc = side.index, side.encoder
qs = C.read_rows(R/'eval/handbook/queries_dev.jsonl') + C.read_rows(R/'eval/handbook/paraphrases_styles_dev.jsonl')
oos = [r['query'] for r in C.read_rows(R/'eval/handbook/oos_dev.jsonl') + C.read_rows(R/'eval/handbook/oos_styles_dev.jsonl')]
oos += [t for g in json.loads((R/'eval/clusters/paraphrases_dev.json').read_text())['groups'] for t in g['texts']]
qt = [words_of(r['query']) for r in qs]; ot = [words_of(t) for t in oos]
vq = enc.encoder.encode(qt); vo = enc.encoder.encode(ot)
orig = Q.query_texts
SW=[float(x) for x in __import__('os').environ.get('SW','0.5').split(',')]
for name, sw in [(n, w) for n in (sys.argv[1:] or list(VARIANTS)) for w in SW]:
    import dataclasses; index.engine = dataclasses.replace(index.engine, sentence_weight=sw)
    v = VARIANTS[name]
    import study_variants as HV
    Q.query_texts = orig if v is None else (HV.make2(**v[1]) if isinstance(v, tuple) else make(**v))
    sq = index.rank(qt, vq); so = index.rank(ot, vo)
    B=float(__import__('os').environ.get('LB','0'))
    import re as _re
    lw=lambda t: min(1.0, max(0, len(_re.findall(r"[A-Za-z']+", t)) - 8) / 20)
    sq = sq + B*np.array([[lw(t)] for t in qt]); so = so + B*np.array([[lw(t)] for t in ot])
    top = sq.argmax(1); best = sq.max(1); right = np.array([index.ids[t] == r['faq_id'] for t, r in zip(top, qs)])
    ob = so.max(1)
    res = []
    for t in np.arange(0.40, 0.80, 0.01):
        a = best >= t
        res.append(((a & right).sum() - 2 * ((a & ~right).sum() + (ob >= t).sum()), t, (a & right).sum(), (a & ~right).sum(), (ob >= t).sum()))
    bs = max(res)
    styles = {}
    for r, ok, b in zip(qs, right, best):
        s = r.get('style', 'dev'); styles.setdefault(s, []).append((ok, b))
    # right-and-above gate .62
    sty = ' '.join(f"{s[:5]}:{np.mean([o for o,_ in l]):.2f}/{np.mean([o and b>=0.62 for o,b in l]):.2f}" for s, l in styles.items())
    print(f"{name:12s} s={sw}  P@1 {right.mean():.3f} best-gate score {bs[0]} at {bs[1]:.2f} (r {bs[2]} w {bs[3]} oos {bs[4]}) oos>=.62 {(ob>=.62).sum()} | {sty}", flush=True)
