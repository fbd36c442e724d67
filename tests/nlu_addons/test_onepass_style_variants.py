"""A side trained with style variants (nlu_addons.style_variants, the ``style_variants`` setting): the intent head
learns from the examples and their variants, the arbiter from the examples alone (their out-of-fold readings), and
the component reads the number of variants per language side from its configuration; with them on, Rasa's training
cache key changes (the variants are made by code Rasa's fingerprint does not see). Runs in Rasa's virtualenv with a
deterministic stand-in encoder, on a handbook written to a temporary folder."""

from __future__ import annotations

from support.rasa import HASHED_HANDBOOK_PROBE, run_probe

PROBE = (
    HASHED_HANDBOOK_PROBE
    + r"""
from nlu_addons.onepass_nlu import OnePassNLU, Side, build_indexes
from nlu_addons.onepass_settings import DEFAULTS
encoder = CachedEncoder(Hashed())
texts = ["how do refunds work", "what is the refund policy", "forgot my password", "how can i reset my password",
         "where is my order 100234", "where is my parcel", "I want to track my order", "has my order shipped yet",
         "what is the weather like", "tell me a joke please", "who won the match", "book a flight to paris"]
labels = ["faq"] * 4 + ["order_status"] * 4 + ["out_of_scope"] * 4
out = {}
for count in (0, 2):
    side = Side.train(encoder, texts, labels, build_indexes(root, "en", encoder, None), 0.5, 0.1, {}, None,
                      variants=count, language="en")
    out[count] = {
        "arbiter_rows": int(side.arbiter._scale.n_samples_seen_),
        "head_grams": len(side.head._vectorizer.vocabulary_),
        "route": side.route("where is my order 100234")["destination"],
    }
config = {**DEFAULTS, "handbook": str(root)}
print(json.dumps({
    "sides": out,
    "fingerprint_off": OnePassNLU.fingerprint_addon({"style_variants": {"en": 0, "zh": 0}}),
    "fingerprint_default": OnePassNLU.fingerprint_addon({}),
    "fingerprint_en": OnePassNLU.fingerprint_addon({"style_variants": {"en": 2, "zh": 0}}),
    "fingerprint_zh": OnePassNLU.fingerprint_addon({"style_variants": {"en": 0, "zh": 2}}),
    "default_variants": DEFAULTS["style_variants"],
}))
"""
)


def test_variants_train_the_head_not_the_arbiter_and_change_the_training_cache_key() -> None:
    result = run_probe(PROBE)
    off, on = result["sides"]["0"], result["sides"]["2"]
    assert off["arbiter_rows"] == on["arbiter_rows"] == 12  # the arbiter learns from the examples alone
    assert on["head_grams"] > off["head_grams"]  # the head has read the variants
    assert off["route"] == on["route"] == "intent:order_status"
    stamps = result["fingerprint_off"]
    assert result["fingerprint_en"] != stamps and result["fingerprint_zh"] != stamps
    assert result["fingerprint_en"] != result["fingerprint_zh"]
    default_on = any(int(v or 0) > 0 for v in result["default_variants"].values())
    assert (result["fingerprint_default"] == stamps) is not default_on
