"""Rasa's prediction graph run node after node in this thread, without dask's scheduler.

Rasa 3.6 runs its prediction graph (the NLU pipeline for each message, the policies for each next action: twice
or more a turn) with `DaskGraphRunner`: on every run it prunes the schema to the targets, builds a dask graph and
hands it to dask's synchronous scheduler, which works out the order, then calls each node once in this thread.
The graph never changes while a model is loaded, so `SequentialGraphRunner` works out the order once per set of
targets and calls the same nodes, with the same inputs, in that order: the same outputs, without the scheduler's
bookkeeping on every run (issue 22's profile: dask's frames between `log_message` and the components).

Inputs and outputs are Rasa's: each node is called with its parents' `(name, output)` pairs (a parent that is
neither a node nor an input is passed as its bare name, as dask passes an unknown key), and `run` returns
`{target: output}`. An error in a node propagates as dask lets it; a `RuntimeError` becomes Rasa's
`GraphRunError`, as in `DaskGraphRunner.run`. Training keeps Rasa's runner (`rasa_main` installs this one for the
prediction graph only).
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner

logger = logging.getLogger(__name__)


class SequentialGraphRunner(DaskGraphRunner):  # type: ignore[misc]
    """`DaskGraphRunner` (same nodes, same inputs and outputs) whose `run` calls the nodes in a precomputed order."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._orders: dict[tuple[str, ...], list[str]] = {}

    def order(self, targets: tuple[str, ...]) -> list[str]:
        """The nodes `targets` need, each after the nodes it needs (depth first, each once)."""
        found = self._orders.get(targets)
        if found is not None:
            return found
        nodes = self._graph_schema.nodes
        order: list[str] = []
        seen: set[str] = set()

        def visit(name: str, path: tuple[str, ...]) -> None:
            if name in seen or name not in nodes:
                return  # run already, or an input / an unknown name: not a node
            if name in path:
                raise GraphRunError(f"the graph has a cycle through '{name}'")
            for parent in nodes[name].needs.values():
                visit(parent, (*path, name))
            seen.add(name)
            order.append(name)

        for target in targets:
            visit(target, ())
        self._orders[targets] = order
        return order

    def run(self, inputs: dict[str, Any] | None = None, targets: list[str] | None = None) -> dict[str, Any]:
        """Runs the graph (Rasa's `GraphRunner.run`): the outputs of `targets` (default: the schema's targets)."""
        run_targets = targets if targets else self._graph_schema.target_names
        nodes = self._graph_schema.nodes
        results: dict[str, Any] = {}
        for name, value in (inputs or {}).items():
            if isinstance(value, str) and value in nodes:
                raise GraphRunError(
                    f"Input value '{value}' clashes with a node name. Make sure that none of the input names passed "
                    f"to the `run` method are the same as node names in the graph schema."
                )
            results[name] = (name, value)
        try:
            for name in self.order(tuple(run_targets)):
                parents = (results.get(parent, parent) for parent in nodes[name].needs.values())
                results[name] = self._instantiated_nodes[name](*parents)
        except RuntimeError as exc:
            raise GraphRunError("Error running runner.") from exc
        return dict(results[target] for target in run_targets)
