"""Rules (`[[rules]]`: hide, mark read, star or tag the stories a query matches) and saved
searches (`[[queries]]`: virtual feeds). The language is in parser.py, its evaluation over
many stories at once in engine.py."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

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
        tagging: dict[int, list[str]] = {}
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
                name = rule.action.removeprefix("tag:")
                for i in matched:
                    tagging.setdefault(i, []).append(name)
        outcome.hidden = {stories[i].key for i in hidden}
        outcome.read = {stories[i].key for i in read}
        outcome.star = {stories[i].key for i in star}
        given = {i: tuple(dict.fromkeys(names)) for i, names in tagging.items()}
        outcome.tags = {stories[i].key: names for i, names in given.items()}
    if queries:
        evaluation = Evaluation([q.tree for q in queries], stories, now, given, shared)
        for query in queries:
            found = sorted(evaluation.matches(query.tree) - hidden)
            outcome.queries[query.name] = [stories[i].key for i in found]
    return outcome
