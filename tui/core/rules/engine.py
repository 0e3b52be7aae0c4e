"""Rules evaluated over many stories at once.

Every comparison of every rule is worked out once for the whole list, as a set of story
indices, and `and`, `or` and `not` are set operations: 50 rules over 100,000 stories cost a
few passes over the stories, not 5,000,000 evaluations (bench/rules.py). The regular
expressions of one field run together in one RE2 set (one call per story and field, whatever
the number of rules), and RE2 never backtracks: matching time grows with the text, never
exponentially, so a rule like `title ~ "(a+)+$"` cannot hang the app. Fields with few distinct
values (feed, tag) are matched once per value.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import compress
from typing import Any

from tui.core.rules.parser import UNITS, And, Compare, Node, Not, RuleSyntaxError

PATTERN_LIMIT = 1000  # characters in one regular expression
MEMORY_LIMIT = 8 << 20  # bytes RE2 may use for one compiled expression
# … and for the set of one field's expressions: a bigger automaton is a faster one (23 title
# patterns: 0.34 s at 8 MB, 0.20 s at 64 MB over 100,000 titles); past it RE2 still matches,
# in linear time, only slower.
SET_MEMORY_LIMIT = 64 << 20


@dataclass(frozen=True, slots=True)
class Story:
    """What rules see of a story."""

    key: tuple[str, str]  # (feed_url, entry id)
    title: str
    feed: str  # the feed's title and address, "title\naddress"
    author: str
    text: str
    url: str
    published: float | None  # seconds since the epoch
    tags: tuple[str, ...]  # the feed's folder and tags, and tags rules gave it


def _options(memory: int = MEMORY_LIMIT) -> Any:
    try:
        import re2
    except ImportError as error:  # pragma: no cover - google-re2 is a dependency
        raise RuleSyntaxError("regular expressions need the google-re2 package", 1) from error
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # never write to the terminal under the app
    options.max_mem = memory
    return options


def check_pattern(node: Compare) -> None:
    """Raise RuleSyntaxError (at the value's column) when `node`'s pattern is not valid RE2."""
    import re2

    if len(node.value) > PATTERN_LIMIT:
        raise RuleSyntaxError(
            f"a regular expression is at most {PATTERN_LIMIT} characters", node.column
        )
    try:
        re2.compile(node.value, _options())
    except re2.error as error:
        reason = error.args[0] if error.args else "not valid"
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise RuleSyntaxError(f"bad regular expression: {reason}", node.column) from None


def comparisons(node: Node) -> list[Compare]:
    if isinstance(node, Compare):
        return [node]
    if isinstance(node, Not):
        return comparisons(node.term)
    return [c for term in node.terms for c in comparisons(term)]


_TEXT_FIELDS = ("title", "author", "text", "url")
_Atom = tuple[str, str, str, float]


def _atom(c: Compare) -> _Atom:
    return (c.field, c.op, c.value if c.op == "~" else c.value.casefold(), c.seconds)


class Evaluation:
    """The comparisons of some rules worked out over `stories`; `matches(tree)` is the set of
    indices of the stories a rule's tree matches."""

    def __init__(
        self,
        trees: Sequence[Node],
        stories: Sequence[Story],
        now: float,
        extra_tags: dict[int, tuple[str, ...]] | None = None,
        shared: dict[str, Any] | None = None,
    ) -> None:
        # What one pass works out about the stories (UTF-8 columns, groups, dates), kept for
        # the next pass over the same stories (the queries after the rules).
        self.shared = shared if shared is not None else {}
        self.stories = stories
        self.now = now
        self.extra_tags = extra_tags or {}  # tags rules gave, by story index
        self._universe: set[int] | None = None
        # Comparisons an earlier pass worked out are not worked out again, except those of
        # tags when rules have given tags since.
        done: dict[_Atom, set[int]] = self.shared.setdefault("hits", {})
        atoms = {_atom(c) for tree in trees for c in comparisons(tree)}
        todo = {a for a in atoms if a not in done or (a[0] == "tag" and self.extra_tags)}
        self.hits: dict[_Atom, set[int]] = {atom: set() for atom in todo}
        self._regex_atoms(sorted(a for a in todo if a[1] == "~"))
        for atom in todo:
            if atom[1] != "~":
                self.hits[atom] = self._plain(atom)
        if not self.extra_tags:
            done.update(self.hits)
        self.hits.update((a, done[a]) for a in atoms - todo)

    @property
    def universe(self) -> set[int]:
        if self._universe is None:
            self._universe = set(range(len(self.stories)))
        return self._universe

    def matches(self, node: Node) -> set[int]:
        if isinstance(node, Compare):
            return self.hits[_atom(node)]
        if isinstance(node, Not):
            return self.universe - self.matches(node.term)
        parts = [self.matches(term) for term in node.terms]
        if isinstance(node, And):
            parts.sort(key=len)
            result = set(parts[0])
            for part in parts[1:]:
                result &= part
                if not result:
                    break
            return result
        return set().union(*parts)

    # -- regular expressions ----------------------------------------------------------------------

    def _regex_atoms(self, atoms: list[_Atom]) -> None:
        if not atoms:
            return
        import re2

        by_field: dict[str, list[_Atom]] = {}
        for atom in atoms:
            by_field.setdefault(atom[0], []).append(atom)
        for field, field_atoms in by_field.items():
            patterns = re2.Set.SearchSet(_options(SET_MEMORY_LIMIT))
            for atom in field_atoms:
                patterns.Add(atom[2])
            patterns.Compile()
            # The C matcher itself, on UTF-8 bytes: the wrapper's own work per call (a
            # function call to encode, another to test) was a third of the time.
            inner = getattr(patterns, "_set", None)
            raw: Callable[[bytes], list[int] | None] = (
                inner.Match if inner is not None else patterns.Match
            )
            hits = [self.hits[atom] for atom in field_atoms]
            if field in _TEXT_FIELDS:
                column = self.shared.get(f"utf8:{field}")
                if column is None:  # UTF-8 once per field, shared with the queries' pass
                    values = [getattr(story, field) for story in self.stories]
                    column = self.shared[f"utf8:{field}"] = list(map(str.encode, values))
                distinct = set(column)
                if len(distinct) * 2 < len(column):  # authors, empty texts: once per value
                    found_by = {value: raw(value) for value in distinct}
                    for index, value in enumerate(column):
                        for n in found_by[value] or ():
                            hits[n].add(index)
                    continue
                results = list(map(raw, column))  # the loop in C
                for index in compress(range(len(results)), results):
                    for n in results[index] or ():
                        hits[n].add(index)
            else:  # feed, tag: few distinct values, each matched once
                groups = self._groups(field)
                for value, indices in groups.items():
                    names = value if field == "tag" else (value,)
                    found_any = {n for name in names for n in raw(name.encode()) or ()}
                    for n in found_any:
                        hits[n].update(indices)
                if field == "tag":  # and the tags rules gave
                    for index, names in self.extra_tags.items():
                        for n in {n for name in names for n in raw(name.encode()) or ()}:
                            hits[n].add(index)

    def _groups(self, field: str) -> dict[Any, list[int]]:
        """The stories by their value of `field` (feed, or the feed's tags), worked out once."""
        found: dict[Any, list[int]] | None = self.shared.get(f"groups:{field}")
        if found is None:
            name = "tags" if field == "tag" else field
            found = self.shared[f"groups:{field}"] = {}
            for index, story in enumerate(self.stories):
                found.setdefault(getattr(story, name), []).append(index)
        return found

    # -- equality and age -------------------------------------------------------------------------

    def _plain(self, atom: _Atom) -> set[int]:
        field, op, value, seconds = atom
        if field == "age":
            return self._age(op, seconds, value)
        if field == "tag":
            found = {
                i
                for tags, indices in self._groups("tag").items()
                if any(t.casefold() == value for t in tags)
                for i in indices
            }
            found.update(
                i
                for i, names in self.extra_tags.items()
                if any(t.casefold() == value for t in names)
            )
            return found
        if field == "feed":
            return {
                i
                for feed, indices in self._groups("feed").items()
                if value in (part.casefold() for part in feed.split("\n"))
                for i in indices
            }
        return {i for i, s in enumerate(self.stories) if getattr(s, field).casefold() == value}

    def _age(self, op: str, seconds: float, text: str) -> set[int]:
        dates = self.shared.get("dates")
        if dates is None:
            order = sorted(
                (i for i, s in enumerate(self.stories) if s.published is not None),
                key=lambda i: self.stories[i].published or 0.0,
            )
            dates = self.shared["dates"] = (order, [self.stories[i].published for i in order])
        order, times = dates
        cut = self.now - seconds
        if op == "<":  # newer than: published after the cut
            return set(order[bisect.bisect_right(times, cut) :])
        if op == ">":
            return set(order[: bisect.bisect_left(times, cut)])
        suffix = text.strip().lower()[-1:]
        unit = float(UNITS.get(suffix, UNITS["d"]))
        n = math.floor(seconds / unit + 1e-9)  # age = 2d: between 2 and 3 days old
        low, high = self.now - (n + 1) * unit, self.now - n * unit
        return set(order[bisect.bisect_right(times, low) : bisect.bisect_right(times, high)])
