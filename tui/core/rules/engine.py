r"""Rules evaluated over many stories at once.

Every comparison of every rule is worked out once for the whole list, as a set of story
indices, and `and`, `or` and `not` are set operations: 50 rules over 100,000 stories cost a
few passes over the stories, not 5,000,000 evaluations (bench/rules.py). The regular
expressions of one field run together in one RE2 set (one call per story and field, whatever
the number of rules), and RE2 never backtracks: matching time grows with the text, never
exponentially, so a rule like `title ~ "(a+)+$"` cannot hang the app. Fields with few distinct
values (feed, tag) are matched once per value.

A call into RE2 costs about a microsecond whatever the pattern, so an expression that needs a
rare word (literals.py: `youtube\.com/shorts/`, `sponsored content`, `site12\.`) is not in
the set: the field's case-folded text, searched once for all such words (one RE2 search per
place one begins; str.find for a lone word), gives the few stories with each word, and RE2
runs on those only (not at all when the expression is that word and the text is ASCII).
Plain comparisons and ages use columns (one value per story) tested by C loops (map, compress,
bisect), not Python loops over the stories.
"""

from __future__ import annotations

import bisect
import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate, compress, count, repeat
from operator import add, attrgetter, contains, eq, is_not
from typing import Any, cast

from tui.core.rules.literals import required
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


def _set_matcher(patterns: list[str]) -> Callable[[bytes], list[int] | None]:
    """One RE2 set of `patterns`: a function from UTF-8 text to the indices of those matching."""
    import re2

    found = re2.Set.SearchSet(_options(SET_MEMORY_LIMIT))
    for pattern in patterns:
        found.Add(pattern)
    found.Compile()
    # The C matcher itself, on UTF-8 bytes: the wrapper's own work per call (a function call
    # to encode, another to test) was a third of the time.
    inner = getattr(found, "_set", None)
    return inner.Match if inner is not None else found.Match


def _word_places(
    words: Sequence[str], text: bytes, limit: int
) -> tuple[list[int], list[int]] | None:
    """Where one of `words` begins in the UTF-8 `text` (case-sensitive: it is case-folded
    already), every such place in order, as starts and ends (the word the search reports
    there; another beginning at the same place begins or ends it). None past `limit` places.
    One RE2 search per place, in a loop that does nothing else."""
    import re2

    options = re2.Options()
    options.log_errors = False
    options.max_mem = MEMORY_LIMIT
    compiled = re2.compile("|".join(map(re2.escape, words)), options)
    begins: list[int] = []
    ends: list[int] = []
    at = 0
    # The C matcher itself, as for the sets: the wrapper's generator costs more than the search.
    inner = getattr(compiled, "_regexp", None)
    if inner is not None:
        anchor, match, size = re2._re2.RE2.Anchor.UNANCHORED, inner.Match, len(text)
        while (span := match(anchor, text, at, size)[0])[0] >= 0:
            begins.append(span[0])
            ends.append(span[1])
            if len(begins) > limit:
                return None
            at = span[0] + 1  # not the end: a word may begin inside this one
        return begins, ends
    while (found := compiled.search(text, at)) is not None:  # pragma: no cover
        begins.append(found.start())
        ends.append(found.end())
        if len(begins) > limit:
            return None
        at = found.start() + 1
    return begins, ends


class _Folded:
    """One field of every story, case-folded, as one text (values apart by a NUL): finding the
    stories that contain a word is one str.find per story that has it. The text is made when
    a word is first looked for: guesses about words (is it rare?) need a sample only."""

    def __init__(self, values: list[str]) -> None:
        self._raw = values
        self.size = len(values)
        self.found: dict[str, list[int]] = {}
        # The first 64th of the values, at least a thousand: enough to tell the words in a
        # sixteenth of them or more (the prefilter's bound) from the rare ones, in a text small
        # enough to count each word in (str.count on a sixteenth was 30 ms a run).
        sampled = min(self.size, max(self.size // 64, 1000))
        self._sample = "\0".join(map(str.casefold, values[:sampled]))
        self._scale = self.size / max(sampled, 1)
        self._guessed: dict[str, float] = {}
        self._lowered: list[str] | None = None
        self._utf8: tuple[bytes, list[int]] | None = None

    @functools.cached_property
    def _joined(self) -> str:
        return "\0".join(self._raw)

    @functools.cached_property
    def _ascii(self) -> bool:
        return self._joined.isascii()  # known to CPython: no pass over the text

    @functools.cached_property
    def _values(self) -> list[str]:
        """Each value, case-folded when it is not ASCII (ASCII: `text` is lower-cased whole)."""
        return self._raw if self._ascii else list(map(str.casefold, self._raw))

    @functools.cached_property
    def text(self) -> str:
        # ASCII: lower() is casefold()
        return self._joined.lower() if self._ascii else "\0".join(self._values)

    @functools.cached_property
    def starts(self) -> list[int]:
        """Where each value starts in the text: its offset, plus one NUL per value before it."""
        starts = list(map(add, accumulate(map(len, self._values), initial=0), count()))
        starts.pop()
        return starts

    @property
    def values(self) -> list[str]:
        """Each value, case-folded."""
        if self._lowered is None:
            self._lowered = list(map(str.lower, self._values)) if self._ascii else self._values
        return self._lowered

    def guess(self, word: str) -> float:
        """About how many values contain `word`: its count in the sample, scaled."""
        if word in self.found:
            return len(self.found[word])
        guessed = self._guessed.get(word)
        if guessed is None:
            guessed = self._guessed[word] = self._sample.count(word) * self._scale
        return guessed

    def find_all(self, words: Sequence[str]) -> None:
        """Work out `containing` for each of `words` (rare ones) at once: one RE2 scan of the
        text for all of them costs less than one str.find scan per word (11 words in 100,000
        summaries: 0.10 s, not 0.18 s). Falls back to a word at a time when the words turn
        out common (every occurrence costs a call)."""
        words = [w for w in dict.fromkeys(words) if w not in self.found]
        if len(words) < 2:
            return
        found = self._scan(words)
        if found is not None:
            self.found.update(found)

    def _scan(self, words: list[str]) -> dict[str, list[int]] | None:
        """{word: the indices of the values containing it}, or None when they are too many."""
        text, starts = self._encoded()
        # occurrences: past a quarter of the values, a word at a time does better
        places = _word_places(words, text, self.size // 4)
        if places is None:
            return None
        begins, ends = places
        found: dict[bytes, list[int]] = {w.encode(): [] for w in words}
        # The search reports one word a place; another word found at the same place is one
        # that begins or ends the first: tested by hand.
        overlapping = {
            w: [o for o in found if o != w and (o.startswith(w) or w.startswith(o))] for w in found
        }
        # each place's value and word, worked out in C loops
        indices = map(bisect.bisect_right, repeat(starts), begins)
        named = map(text.__getitem__, map(slice, begins, ends))
        for after, word, begin in zip(indices, named, begins, strict=True):
            found[word].append(after - 1)
            for other in overlapping[word]:
                if text.startswith(other, begin):
                    found[other].append(after - 1)
        # the indices are in order, once per occurrence
        return {w.decode(): list(dict.fromkeys(indices)) for w, indices in found.items()}

    def _encoded(self) -> tuple[bytes, list[int]]:
        """The text in UTF-8, and where each value starts in it."""
        if self._utf8 is None:
            if self._ascii:
                self._utf8 = (self.text.encode("ascii"), self.starts)
            else:
                values = list(map(str.encode, self._values))
                starts = list(map(add, accumulate(map(len, values), initial=0), count()))
                starts.pop()
                self._utf8 = (b"\0".join(values), starts)
        return self._utf8

    def containing(self, word: str) -> list[int]:
        """The indices of the values containing `word` (no NUL in it), in order."""
        known = self.found.get(word)
        if known is not None:
            return known
        out: list[int] = []
        find, last = self.text.find, self.size - 1
        enough = self.size // 8  # a common word: one test per value does better
        at = find(word)
        while at >= 0:
            starts = self.starts  # made at the first hit: a word found nowhere needs none
            index = bisect.bisect_right(starts, at) - 1
            out.append(index)
            if index == last:
                break
            if len(out) > enough:
                out = list(compress(count(), map(contains, self.values, repeat(word))))
                break
            at = find(word, starts[index + 1])
        self.found[word] = out
        return out


def _where(column: list[Any], accepted: set[Any]) -> set[int]:
    """The indices of the values of `column` that are in `accepted` (the loop in C)."""
    if not accepted:
        return set()
    return set(compress(count(), map(accepted.__contains__, column)))


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
        self._given_by_name: dict[str, list[int]] | None = None
        self._given_by_names: dict[tuple[str, ...], list[int]] | None = None
        # Comparisons an earlier pass worked out are not worked out again, except those of
        # tags when rules have given tags since.
        done: dict[_Atom, set[int]] = self.shared.setdefault("hits", {})
        atoms = {_atom(c) for tree in trees for c in comparisons(tree)}
        todo = {a for a in atoms if a not in done or (a[0] == "tag" and self.extra_tags)}
        # Ages are worked out when asked (see matches): after `and`, only for the few
        # stories the other terms left.
        self.hits: dict[_Atom, set[int]] = {atom: set() for atom in todo if atom[0] != "age"}
        self._regex_atoms(sorted(a for a in todo if a[1] == "~"))
        for atom in todo:
            if atom[1] != "~" and atom[0] != "age":
                self.hits[atom] = self._plain(atom)
        if not self.extra_tags:
            done.update(self.hits)
        self.hits.update((a, done[a]) for a in atoms - todo)

    def _hit(self, atom: _Atom) -> set[int]:
        found = self.hits.get(atom)
        if found is None:  # an age
            found = self.hits[atom] = self._age(atom[1], atom[3], atom[2])
        return found

    @property
    def universe(self) -> set[int]:
        if self._universe is None:
            self._universe = set(range(len(self.stories)))
        return self._universe

    def matches(self, node: Node) -> set[int]:
        if isinstance(node, Compare):
            return self._hit(_atom(node))
        if isinstance(node, Not):
            return self.universe - self.matches(node.term)
        if isinstance(node, And):
            ages = [t for t in node.terms if isinstance(t, Compare) and t.field == "age"]
            others = [t for t in node.terms if not (isinstance(t, Compare) and t.field == "age")]
            # `x and not y` is x minus y: the complement of y (most of the stories) is not
            # made, unless every term is a `not`.
            kept = [t for t in others if not isinstance(t, Not)]
            removed = [t.term for t in others if isinstance(t, Not)] if kept else []
            parts = [self.matches(term) for term in kept or others or node.terms]
            parts.sort(key=len)
            result = set(parts[0])
            for part in parts[1:]:
                result &= part
                if not result:
                    return result
            for term in removed:
                result -= self.matches(term)
                if not result:
                    return result
            if others:
                for age in ages:
                    atom = _atom(age)
                    if atom in self.hits or len(result) * 4 > len(self.stories):
                        result &= self._hit(atom)
                    else:  # a few stories: their dates, not every story's
                        result = self._age_filter(result, age.op, age.seconds, age.value)
            return result
        return set().union(*(self.matches(term) for term in node.terms))

    # -- regular expressions ----------------------------------------------------------------------

    def _regex_atoms(self, atoms: list[_Atom]) -> None:
        if not atoms:
            return
        by_field: dict[str, list[_Atom]] = {}
        for atom in atoms:
            by_field.setdefault(atom[0], []).append(atom)
        for field, field_atoms in by_field.items():
            if field not in _TEXT_FIELDS:  # feed, tag: few distinct values, each matched once
                self._grouped_regexes(field, field_atoms)
                continue
            values = self._values(field)
            if self.shared[f"distinct:{field}"] * 2 < len(values):
                # authors, empty texts: once per value
                raw = _set_matcher([a[2] for a in field_atoms])
                hits = [self.hits[atom] for atom in field_atoms]
                found_by = {value: raw(value.encode()) for value in set(values)}
                # each story's answer looked up in C; only the stories something matched are
                # visited in Python
                found = list(map(found_by.__getitem__, values))
                for index in compress(count(), found):
                    for n in found[index] or ():
                        hits[n].add(index)
                continue
            self._find_rare_words(field, field_atoms)
            everywhere = [a for a in field_atoms if not self._prefiltered(field, a)]
            if not everywhere:
                continue
            raw = _set_matcher([a[2] for a in everywhere])
            hits = [self.hits[atom] for atom in everywhere]
            column = self.shared.get(f"utf8:{field}")
            if column is None:  # UTF-8 once per field, shared with the queries' pass
                column = self.shared[f"utf8:{field}"] = list(map(str.encode, values))
            results = list(map(raw, column))  # the loop in C
            for index in compress(range(len(results)), results):
                for n in results[index] or ():
                    hits[n].add(index)

    def _values(self, field: str) -> list[str]:
        """The field of every story (once, shared with the queries' pass)."""
        values: list[str] | None = self.shared.get(f"text:{field}")
        if values is None:
            values = self.shared[f"text:{field}"] = list(map(attrgetter(field), self.stories))
            # Counted in full only when the first thousand values look few (authors).
            sample = values[:1000]
            few = len(set(sample)) * 2 < len(sample)
            self.shared[f"distinct:{field}"] = len(set(values)) if few else len(values)
        return values

    def _ranked_clauses(self, field: str, atom: _Atom) -> list[frozenset[str]] | None:
        """The literal clauses of `atom` (literals.py), the rarest first; None when it has
        none, or when even the rarest is in too many stories for the prefilter to pay."""
        need = required(atom[2])
        if not need.clauses:
            return None
        folded = self._folded(field)
        guesses = [sum(map(folded.guess, clause)) for clause in need.clauses]
        if min(guesses) * 16 > folded.size:
            return None
        return [
            c for _, c in sorted(zip(guesses, need.clauses, strict=True), key=lambda pair: pair[0])
        ]

    def _find_rare_words(self, field: str, atoms: list[_Atom]) -> None:
        """Look for the words the prefilter will start from (each atom's rarest clause) in one
        scan of the field, for all the atoms together."""
        words = []
        for atom in atoms:
            ranked = self._ranked_clauses(field, atom)
            if ranked is not None:
                words += sorted(ranked[0])
        if words:
            self._folded(field).find_all(words)

    def _prefiltered(self, field: str, atom: _Atom) -> bool:
        """Match `atom` on the stories that contain its literal words only (literals.py), and
        say so; False (nothing done) when it has none, or they are in too many stories."""
        # The rarest clause first, then only its stories are looked at for the others; a
        # pattern whose every clause is common is left to the field's RE2 set.
        ranked = self._ranked_clauses(field, atom)
        if ranked is None:
            return False
        folded = self._folded(field)
        need = required(atom[2])
        found: set[int] = set()
        for word in ranked[0]:
            found.update(folded.containing(word))
        candidates = sorted(found)
        for clause in ranked[1:]:
            lowered = folded.values
            if len(clause) == 1:
                [word] = clause
                candidates = [i for i in candidates if word in lowered[i]]
            else:
                candidates = [i for i in candidates if any(w in lowered[i] for w in clause)]
        hits = self.hits[atom]
        values = self.shared[f"text:{field}"]
        if need.pure:  # on ASCII text, containing the literal is matching the pattern
            unsure = [i for i in candidates if not values[i].isascii()]
            hits.update(candidates)
            hits.difference_update(unsure)
            candidates = unsure
        if candidates:
            raw = _set_matcher([atom[2]])
            results = list(map(raw, [values[i].encode() for i in candidates]))
            hits.update(compress(candidates, results))
        return True

    def _folded(self, field: str) -> _Folded:
        found: _Folded | None = self.shared.get(f"folded:{field}")
        if found is None:
            found = self.shared[f"folded:{field}"] = _Folded(self.shared[f"text:{field}"])
        return found

    def _grouped_regexes(self, field: str, field_atoms: list[_Atom]) -> None:
        raw = _set_matcher([a[2] for a in field_atoms])
        distinct, _ = self._codes(field)
        accepted: list[set[int]] = [set() for _ in field_atoms]
        for code, value in distinct.items():  # few (feeds, the feeds' tags): each once
            names = value if field == "tag" else (value,)
            for n in {n for name in names for n in raw(name.encode()) or ()}:
                accepted[n].add(code)
        for atom, wanted in zip(field_atoms, accepted, strict=True):
            self.hits[atom] = self._with_codes(field, wanted)
        if field == "tag":  # and the tags rules gave: each set of them matched once
            hits = [self.hits[atom] for atom in field_atoms]
            for names, indices in self._given_groups().items():
                for n in {n for name in names for n in raw(name.encode()) or ()}:
                    hits[n].update(indices)

    def _with_codes(self, field: str, wanted: set[int]) -> set[int]:
        """The stories whose value of `field` has one of the numbers `wanted` (see _codes)."""
        distinct, codes = self._codes(field)
        if len(wanted) * 8 > len(distinct):
            return _where(codes, wanted)
        # A few values: the stories sorted by number once, then each value is a slice.
        ranked: tuple[list[int], list[int]] | None = self.shared.get(f"ranked:{field}")
        if ranked is None:
            order = sorted(range(len(codes)), key=codes.__getitem__)
            ranked = self.shared[f"ranked:{field}"] = (order, list(map(codes.__getitem__, order)))
        order, numbers = ranked
        found: set[int] = set()
        for code in wanted:
            low = bisect.bisect_left(numbers, code)
            found.update(order[low : bisect.bisect_right(numbers, code, low)])
        return found

    def _given_groups(self) -> dict[tuple[str, ...], list[int]]:
        """The stories rules gave tags, by the tags they gave: a few groups (one per set of tag
        rules that matched together), so the work on the names is per group, not per story."""
        if self._given_by_names is None:
            self._given_by_names = {}
            for index, names in self.extra_tags.items():
                self._given_by_names.setdefault(names, []).append(index)
        return self._given_by_names

    def _given(self) -> dict[str, list[int]]:
        """The stories rules gave each tag (case-folded), worked out once per pass."""
        if self._given_by_name is None:
            self._given_by_name = {}
            for names, indices in self._given_groups().items():
                for name in {n.casefold() for n in names}:
                    self._given_by_name.setdefault(name, []).extend(indices)
        return self._given_by_name

    def _codes(self, field: str) -> tuple[dict[int, Any], list[int]]:
        """The distinct values of `field` (feed: the feed; tag: the feed's tags) by number, and
        for each story the number of its value (where the value first appears, found in the
        one pass that numbers them): a column of ints, cheap to test."""
        found: tuple[dict[int, Any], list[int]] | None = self.shared.get(f"codes:{field}")
        if found is None:
            column = list(map(attrgetter("tags" if field == "tag" else field), self.stories))
            first: dict[Any, int] = {}
            codes = list(map(first.setdefault, column, count()))
            found = self.shared[f"codes:{field}"] = ({n: v for v, n in first.items()}, codes)
        return found

    # -- equality and age -------------------------------------------------------------------------

    def _plain(self, atom: _Atom) -> set[int]:
        field, op, value, seconds = atom
        if field == "age":
            return self._age(op, seconds, value)
        if field == "tag":
            distinct, _ = self._codes("tag")
            found = self._with_codes(
                "tag",
                {n for n, tags in distinct.items() if any(t.casefold() == value for t in tags)},
            )
            found.update(self._given().get(value, ()))
            return found
        if field == "feed":
            distinct, _ = self._codes("feed")
            return self._with_codes(
                "feed",
                {
                    n
                    for n, feed in distinct.items()
                    if value in (p.casefold() for p in feed.split("\n"))
                },
            )
        folded: list[str] | None = self.shared.get(f"casefolded:{field}")
        if folded is None:
            folded = list(map(str.casefold, self._values(field)))
            self.shared[f"casefolded:{field}"] = folded
        return set(compress(count(), map(eq, folded, repeat(value))))

    def _published(self) -> list[float | None]:
        found: list[float | None] | None = self.shared.get("published")
        if found is None:
            found = self.shared["published"] = list(map(attrgetter("published"), self.stories))
        return found

    def _age_filter(self, indices: set[int], op: str, seconds: float, text: str) -> set[int]:
        """Those of `indices` whose story's age compares so (the same bounds as _age)."""
        published = self._published()
        cut = self.now - seconds
        if op == "<":
            return {i for i in indices if (p := published[i]) is not None and p > cut}
        if op == ">":
            return {i for i in indices if (p := published[i]) is not None and p < cut}
        low, high = self._age_range(seconds, text)
        return {i for i in indices if (p := published[i]) is not None and low < p <= high}

    def _age_range(self, seconds: float, text: str) -> tuple[float, float]:
        suffix = text.strip().lower()[-1:]
        unit = float(UNITS.get(suffix, UNITS["d"]))
        n = math.floor(seconds / unit + 1e-9)  # age = 2d: between 2 and 3 days old
        return self.now - (n + 1) * unit, self.now - n * unit

    def _age(self, op: str, seconds: float, text: str) -> set[int]:
        dates = self.shared.get("dates")
        if dates is None:
            published = self._published()
            order = sorted(
                compress(count(), map(is_not, published, repeat(None))),
                key=cast(Callable[[int], float], published.__getitem__),
            )
            dates = self.shared["dates"] = (order, list(map(published.__getitem__, order)))
        order, times = dates
        cut = self.now - seconds
        if op == "<":  # newer than: published after the cut
            return set(order[bisect.bisect_right(times, cut) :])
        if op == ">":
            return set(order[: bisect.bisect_left(times, cut)])
        low, high = self._age_range(seconds, text)
        return set(order[bisect.bisect_right(times, low) : bisect.bisect_right(times, high)])
