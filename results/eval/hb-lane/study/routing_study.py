import sys, io, re, contextlib, json
sys.path.insert(0, __import__('os').path.dirname(__file__)); sys.path.insert(0, '/work/wt/hb'); sys.path.insert(0, '/work/wt/hb/bench')
import prep_variants as P
import helpdesk.knowledge.query as Q
orig = Q.query_texts

def make(req=False, how=True, mask=False, money="money", numbers=True, clause=False, clause_first=False):
    def qt(query, speller, with_sentences):
        text = speller(query) if speller is not None else query
        whole = Q.clean_query(text)
        if req: whole = P.strip_request(whole, how)
        if mask: whole = P.mask_specifics(whole, money, numbers)
        sents = Q.query_sentences(text) if with_sentences else []
        sents = [P.mask_specifics(P.strip_request(s, how) if req else s, money, numbers) if mask else (P.strip_request(s, how) if req else s) for s in sents]
        if clause and with_sentences and not sents:
            sents = P.clauses(whole)
        return [whole, *sents]
    return qt

VARIANTS = {
 'base': None,
 'req': dict(req=True),
 'req_nohow': dict(req=True, how=False),
 'mask': dict(mask=True),
 'mask_nonum': dict(mask=True, numbers=False),
 'mask_blankmoney': dict(mask=True, money=""),
 'clause': dict(clause=True),
 'req+mask': dict(req=True, mask=True),
 'req+mask+clause': dict(req=True, mask=True, clause=True),
}
import choose_gate
names = sys.argv[1:] or list(VARIANTS)
for name in names:
    v = VARIANTS[name]
    Q.query_texts = orig if v is None else make(**v)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        choose_gate.main(['--language', 'en', '--misses', f'/tmp/hb_miss_{name}.jsonl'])
    tot = {}
    per = {}
    for line in buf.getvalue().splitlines():
        m = re.match(r'^(.{20}) +(\d+) (.*)$', line)
        if not m: continue
        st = m.group(1).strip(); kv = m.group(3).split()
        d = {kv[i]: int(kv[i+1]) for i in range(0, len(kv), 2)}
        per[st] = d
        for k, x in d.items(): tot[k] = tot.get(k, 0) + x
    score = tot.get('right',0) - 2*(tot.get('wrong',0)+tot.get('oos_answered',0))
    sty = ' '.join(f"{s[:5]}:{per.get(s,{}).get('right',0)}/{per.get(s,{}).get('wrong',0)}" for s in ['specifics','rambling','request','synonym','non_native','typos','terse'])
    print(f"{name:18s} score {score} right {tot.get('right')} wrong {tot.get('wrong')} clar {tot.get('clarify')} ho {tot.get('handoff')} oosA {tot.get('oos_answered')} | {sty}", flush=True)
