"""Rules (`[[rules]]`: hide, mark read, star or tag the stories a query matches) and saved
searches (`[[queries]]`: virtual feeds). The language is in parser.py, its evaluation over
many stories at once in engine.py."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from tui.core.heap import collector_paused
from tui.core.rules.engine import Evaluation, Story, check_pattern, comparisons
from tui.core.rules.parser import Node, RuleSyntaxError, parse_rule

__all__ = [
    "Query",
    "Rule",
    "RuleOutcome",
    "RuleSyntaxError",
    "Story",
    "apply_rules",
    "compile_match",
    "parse_action",
]

ACTIONS = ("hide", "read", "star")


@dataclass(frozen=True, slots=True)
class Rule:
    match: str  # as written
    tree: Node
    action: str  # "hide", "read", "star" or "tag:NAME"


@dataclass(frozen=True, slots=True)
class Query:
    name: str
    match: str
    tree: Node


@dataclass(slots=True)
class RuleOutcome:
    """What the rules made of a list of stories."""

    hidden: set[tuple[str, str]] = field(default_factory=set)
    read: set[tuple[str, str]] = field(default_factory=set)
    star: set[tuple[str, str]] = field(default_factory=set)
    tags: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    counts: list[int] = field(default_factory=list)  # stories each rule matched, in order
    queries: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # name -> keys


def compile_match(source: str) -> Node:
    """Parse a rule's `match` and check its regular expressions (RuleSyntaxError if bad)."""
    tree = parse_rule(source)
    for node in comparisons(tree):
        if node.op == "~":
            check_pattern(node)
    return tree


def parse_action(action: str) -> str | None:
    """The action, normalised, or None when it is not one."""
    action = action.strip()
    if action.lower() in ACTIONS:
        return action.lower()
    match = re.fullmatch(r"(?i)tag:\s*(\S.{0,59})", action)
    return f"tag:{match.group(1).strip()}" if match else None


def apply_rules(
    rules: Sequence[Rule], queries: Sequence[Query], stories: Sequence[Story], now: float
) -> RuleOutcome:
    """Every rule over `stories`, then every query over them (with the tags rules gave)."""
    # No cyclic garbage collection meanwhile: the passes make hundreds of thousands of small
    # containers (sets, lists, tuples) and no cycles, and the collector, set off by them, went
    # over every story again and again: a fifth of the time (bench/rules.py, 1.40 s -> 1.13 s).
    # Paused the shared way (tui/core/heap.py): a row build pausing it at the same time in
    # another thread must not leave it off, or turn it on inside this pass.
    with collector_paused():
        return _apply_rules(rules, queries, stories, now)


def _keys(stories: Sequence[Story], shared: dict[str, Any]) -> list[tuple[str, str]]:
    keys: list[tuple[str, str]] | None = shared.get("keys")
    if keys is None:
        keys = shared["keys"] = list(map(attrgetter("key"), stories))
    return keys


def _given_tags(tagging: list[tuple[str, set[int]]]) -> dict[int, tuple[str, ...]]:
    """The tags the tag rules (name, stories matched) give each story: in the rules' order,
    each name once. A story's first tag rule gives it that rule's one-name tuple, shared, in a
    C loop; only the stories a later rule tags again are added to one by one (a few)."""
    given: dict[int, tuple[str, ...]] = {}
    tagged: set[int] = set()
    for name, matched in tagging:
        again = matched & tagged
        given.update(dict.fromkeys(matched - again, (name,)))
        tagged |= matched
        for i in again:
            if name not in given[i]:
                given[i] += (name,)
    return given


def _apply_rules(
    rules: Sequence[Rule], queries: Sequence[Query], stories: Sequence[Story], now: float
) -> RuleOutcome:
    outcome = RuleOutcome()
    given: dict[int, tuple[str, ...]] = {}
    hidden: set[int] = set()
    shared: dict[str, Any] = {}
    if rules:
        # The queries' comparisons too, in the same passes over the stories.
        trees = [r.tree for r in rules] + [q.tree for q in queries]
        evaluation = Evaluation(trees, stories, now, shared=shared)
        read: set[int] = set()
        star: set[int] = set()
        tagging: list[tuple[str, set[int]]] = []
        for rule in rules:
            matched = evaluation.matches(rule.tree)
            outcome.counts.append(len(matched))
            if rule.action == "hide":
                hidden |= matched
            elif rule.action == "read":
                read |= matched
            elif rule.action == "star":
                star |= matched
            else:
                tagging.append((rule.action.removeprefix("tag:"), matched))
        key = _keys(stories, shared).__getitem__
        outcome.hidden = set(map(key, hidden))
        outcome.read = set(map(key, read))
        outcome.star = set(map(key, star))
        given = _given_tags(tagging)
        outcome.tags = dict(zip(map(key, given), given.values(), strict=True))
    if queries:
        evaluation = Evaluation([q.tree for q in queries], stories, now, given, shared)
        key = _keys(stories, shared).__getitem__
        for query in queries:
            found = sorted(evaluation.matches(query.tree) - hidden)
            outcome.queries[query.name] = list(map(key, found))
    return outcome
