"""A side with a second encoder (issue 17, ``second_encoder``; off by default): its handbook scores are the blend of
both encoders' indexes, the arbiter reads the second encoder's evidence, and a handbook edit re-indexes both
encoders' indexes, swapped in together. Runs in Rasa's virtualenv (OnePassNLU is a Rasa component) with two
deterministic stand-in encoders, on a handbook written to a temporary folder."""

from __future__ import annotations

from support.rasa import HASHED_HANDBOOK_PROBE, run_probe

PROBE = (
    HASHED_HANDBOOK_PROBE
    + r"""
from nlu_addons.onepass_nlu import OnePassNLU, SecondOpinion, Side, build_indexes
primary, second = CachedEncoder(Hashed("words", 0)), SecondOpinion(CachedEncoder(Hashed("trigrams", 3)), 0.5)
texts = ["how do refunds work", "refund policy please", "forgot my password", "reset password how",
         "where is my order 100234", "where is my parcel", "track my order", "has my order shipped",
         "what is the weather", "tell me a joke", "who won the match", "book a flight"]
labels = ["faq"] * 4 + ["order_status"] * 4 + ["out_of_scope"] * 4
indexes = build_indexes(root, "en", primary, second)
side = Side.train(primary, texts, labels, indexes, 0.5, 0.1, {}, second)
message = "how do refunds work for my money"
vector = primary.encoder.encode([message])
own = indexes.primary.rank([message], vector)
theirs = indexes.second.rank([message], second.encoder.encoder.encode([message]))
x, blended = side.evidence([message], vector)
component = OnePassNLU({"handbook": str(root)}, None, None, {"en": side})
(root / "showroom.md").write_text(ENTRY.format(id="pets-in-showroom", title="Can I bring my pet to the showroom?",
    question="Are dogs allowed in your showroom?", answer="Pets on a lead are welcome in the showroom."))
before = side.indexes
reloaded = component.reload_if_changed()
print(json.dumps({
    "blend": bool(np.allclose(blended, (own + 0.5 * theirs) / 1.5)),
    "features": [int(x.shape[1]), int(side.arbiter._scale.mean_.shape[0])],
    "evidence": [float(v) for v in x[0, -4:]],
    "route": side.route(message)["faq_candidates"][0]["id"],
    "reloaded": reloaded,
    "swapped": side.indexes is not before,
    "ids": [side.indexes.primary.ids, side.indexes.second.ids],
    "new_entry": side.route("are dogs allowed in your showroom")["faq_candidates"][0]["id"],
}))
"""
)


def test_a_second_encoder_is_blended_read_by_the_arbiter_and_reindexed_with_the_first() -> None:
    result = run_probe(PROBE)
    assert result["blend"]
    assert result["features"][0] == result["features"][1]  # the arbiter was trained on the same inputs
    primary_best, second_best, second_at_primary, agree = result["evidence"]
    assert primary_best > 0 and second_best > 0 and agree == 1.0 and second_at_primary == second_best
    assert result["route"] == "refund-policy"
    assert result["reloaded"] and result["swapped"]
    assert result["ids"][0] == result["ids"][1] == ["password-reset", "pets-in-showroom", "refund-policy"]
    assert result["new_entry"] == "pets-in-showroom"
