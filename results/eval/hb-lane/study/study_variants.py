import sys
sys.path.insert(0, __import__('os').path.dirname(__file__))
import prep_variants as P
import helpdesk.knowledge.query as Q
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

def make2(mode="q", long_words=12, limit=3, mask=False, keep_sent=True):
    def qt(query, speller, with_sentences):
        text = speller(query) if speller is not None else query
        whole = Q.clean_query(text)
        if mask: whole = P.mask_specifics(whole, "money", False)
        sents = Q.query_sentences(text) if with_sentences else []
        if not keep_sent: sents = []
        if with_sentences:
            extra = P.all_clauses(whole, long_words=long_words, limit=limit) if mode == "all" else (P.clauses(whole, long_words=long_words) if not sents else [])
            sents = list(dict.fromkeys(sents + [e for e in extra if e != whole]))
        return [whole, *sents]
    return qt
VARIANTS.update({
 'cl_all3': ('2', dict(mode="all")),
 'cl_all5': ('2', dict(mode="all", limit=5)),
 'cl_all3_l8': ('2', dict(mode="all", long_words=8)),
 'cl_all3_l8m': ('2', dict(mode="all", long_words=8, mask=True)),
 'cl_q_l8': ('2', dict(mode="q", long_words=8)),
 'cl_all3_l16': ('2', dict(mode="all", long_words=16)),
})
_make1 = make
def make(*a, **k):
    return _make1(*a, **k)
VARIANTS.update({'clause+masknn': dict(clause=True, mask=True, numbers=False)})
