"""FAQ engine P@1 on the English DEV rows, with and without the question clause (in-process)."""
import sys
sys.path.insert(0, '/work/wt/hb/bench'); sys.path.insert(0, '/work/wt/hb')
from pathlib import Path
import eval_faq
from eval_sets import ParaphraseSet
import helpdesk.knowledge.query as Q
new = Q.query_clause
sets = [ParaphraseSet('queries_dev', 'dev', 'en', Path('/work/wt/hb/eval/handbook/queries_dev.jsonl'), False),
        ParaphraseSet('styles_dev', 'styles dev', 'en', Path('/work/wt/hb/eval/handbook/paraphrases_styles_dev.jsonl'), False)]
with eval_faq.Engines(lambda m: None) as engines:
    for name, fn in (('before (no clause)', lambda text, min_words=3: []), ('after (clause)', new)):
        Q.query_clause = fn
        kb, _ = engines.get()
        kb._query_cache = {} if hasattr(kb, '_query_cache') else None
        res = eval_faq.paraphrase_figures(sets, None, engines, lambda m: None)
        for k, v in res.items():
            print(name, k, v['engine'], 'baseline', v['baseline_p_at_1'], flush=True)
