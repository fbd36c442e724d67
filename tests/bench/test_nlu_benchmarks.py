"""bench/nlu_benchmarks.py: the CLINC150 threshold is chosen on val + oos_val, one message one vote."""

from __future__ import annotations

from support.bench import load_bench_script


def test_threshold_maximises_per_message_accuracy_and_reports_the_sum_of_rates_point() -> None:
    bench = load_bench_script("nlu_benchmarks")
    # 30 val messages, all classified right: 27 confidently, 3 at 0.3; 3 oos_val messages at 0.2, 0.25 and 0.5
    val = [{"text": f"v{i}", "intent": "a"} for i in range(30)]
    val_predicted = [("a", 0.9)] * 27 + [("a", 0.3)] * 3
    oos_predicted = [("a", 0.2), ("a", 0.25), ("a", 0.5)]
    splits = {"val": val, "test": val}
    predictions = {"val": val_predicted, "oos_val": oos_predicted, "test": val_predicted, "oos_test": oos_predicted}

    result = bench.score_oos(splits, predictions)

    # above 0.25 and up to 0.3: 30 val + 2 oos_val right = 32 of 33, the best; the lowest such grid point wins
    assert result["threshold"] == 0.2525
    assert result["val_accuracy"] == round(100 * 32 / 33, 2)
    assert (result["test_in_scope_accuracy"], result["test_oos_recall"]) == (100.0, round(100 * 2 / 3, 2))
    # the sum of the two rates prefers rejecting 3 in-scope messages to keep the third oos_val one out
    old = result["sum_of_rates_rule"]
    assert old["threshold"] == 0.5025
    assert (old["val_in_scope"], old["val_oos_recall"]) == (90.0, 100.0)
    assert result["test_in_scope_accuracy_no_threshold"] == 100.0
    shown = [row["threshold"] for row in result["sweep"]]
    assert 0.2525 in shown and 0.5025 in shown and 0.05 in shown
