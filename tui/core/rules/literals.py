r"""The literal words any match of a regular expression must contain: a prefilter, so that RE2
runs only on the stories that have them.

`required(pattern)` reads the pattern (RE2 syntax) and returns a Need: `clauses`, each a set of
lower-cased ASCII strings of which every match contains at least one (`a.*b` gives [{a}, {b}],
`storm|rain` gives [{storm, rain}]), and `pure` when the pattern is exactly an alternation of
literal strings (`youtube\.com/shorts/`, `storm|rain`), so that on ASCII text "contains one of
them, ignoring case" *is* the match. Whatever this reader does not know for certain gives no
clause: an unknown construct gives no prefilter at all (RE2 then runs on every story).

Why lower-cased ASCII literals are safe: the rules' expressions are case-insensitive, and RE2
matches a character against its simple case-folding orbit; the only non-ASCII characters in the
orbit of an ASCII character are U+017F (long s) and U+212A (Kelvin sign), and str.casefold()
maps both to their ASCII letter. So when RE2 matches literal L somewhere in text T, T.casefold()
contains L.lower() (tests/core/test_rules_prefilter.py checks every code point).
"""

from __future__ import annotations

import functools
import re
import string
from dataclasses import dataclass

MAX_ALTERNATIVES = 64  # strings in one clause or one exact set

_REPEAT = re.compile(r"\{(\d+)(,(\d*))?\}")
_LITERAL = frozenset(chr(c) for c in range(0x20, 0x7F)) - set("\\^$.|?*+()[]{}")


class _Unsure(Exception):
    """A construct this reader does not know: no prefilter for the pattern."""


@dataclass(frozen=True, slots=True)
class Need:
    clauses: tuple[frozenset[str], ...]
    pure: bool


@dataclass(slots=True)
class _Info:
    exact: frozenset[str] | None  # the strings it matches, exactly, when known and few
    clauses: list[frozenset[str]]


def _useful(strings: frozenset[str]) -> bool:
    return bool(strings) and "" not in strings and len(strings) <= MAX_ALTERNATIVES


class _Reader:
    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.at = 0
        self.pure = True

    def peek(self) -> str:
        return self.pattern[self.at] if self.at < len(self.pattern) else ""

    def alternation(self) -> _Info:
        branches = [self.concatenation()]
        while self.peek() == "|":
            self.at += 1
            branches.append(self.concatenation())
        if len(branches) == 1:
            return branches[0]
        exact: frozenset[str] | None = None
        if all(b.exact is not None for b in branches):
            exact = frozenset().union(*(b.exact or () for b in branches))
            if len(exact) > MAX_ALTERNATIVES:
                exact = None
        # One clause for the whole: each branch's surest clause, together.
        union: set[str] = set()
        for branch in branches:
            options = [branch.exact] if branch.exact is not None else []
            options += branch.clauses
            options = [o for o in options if _useful(o)]
            if not options:
                return _Info(exact, [])
            union |= max(options, key=lambda o: min(map(len, o)))
        clause = frozenset(union)
        return _Info(exact, [clause] if _useful(clause) else [])

    def concatenation(self) -> _Info:
        clauses: list[frozenset[str]] = []
        run: frozenset[str] | None = frozenset({""})
        whole = True
        while self.peek() not in ("", "|", ")"):
            item = self.repeat(self.atom())
            if item.exact is None:
                if run is not None and _useful(run):
                    clauses.append(run)
                run, whole = None, False
                clauses += item.clauses
            elif run is None:
                run = item.exact
            elif len(run) * len(item.exact) <= MAX_ALTERNATIVES:
                run = frozenset(a + b for a in run for b in item.exact)
            else:
                if _useful(run):
                    clauses.append(run)
                run, whole = item.exact, False
        if run is not None and _useful(run):
            clauses.append(run)
        return _Info(run if whole else None, clauses)

    def repeat(self, item: _Info) -> _Info:
        char = self.peek()
        low: int | None = None
        high: int | None = None
        if char in ("*", "?"):
            low, self.at = 0, self.at + 1
        elif char == "+":
            low, self.at = 1, self.at + 1
        elif char == "{":
            match = _REPEAT.match(self.pattern, self.at)
            if match is None:
                raise _Unsure
            low = int(match.group(1))
            high = low if match.group(2) is None else int(match.group(3) or -1)
            self.at = match.end()
        else:
            return item
        if self.peek() == "?":  # lazy: the same strings
            self.at += 1
        if self.peek() in ("*", "+", "?", "{"):
            raise _Unsure  # RE2 refuses a repeated repetition; never guess
        if low == 0:
            return _Info(None, [])
        if low == 1 and high == 1:
            return item
        keep = list(item.clauses)
        if item.exact is not None and _useful(item.exact):
            keep.append(item.exact)
        return _Info(None, keep)

    def atom(self) -> _Info:
        char = self.peek()
        self.at += 1
        if char in _LITERAL:
            return _Info(frozenset({char.lower()}), [])
        if char in ("^", "$"):
            self.pure = False
            return _Info(frozenset({""}), [])
        if char == ".":
            return _Info(None, [])
        if char == "[":
            self.character_class()
            return _Info(None, [])
        if char == "\\":
            return self.escape()
        if char == "(":
            self.group_start()
            inner = self.alternation()
            if self.peek() != ")":
                raise _Unsure
            self.at += 1
            return inner
        if char and ord(char) > 0x7E:  # any other character: one we do not spell
            return _Info(None, [])
        raise _Unsure

    def group_start(self) -> None:
        if self.peek() != "?":
            return
        match = re.compile(r"\?(:|P?<\w+>|([imsU]*)(-[imsU]*)?(:|\)))").match(self.pattern, self.at)
        if match is None:
            raise _Unsure
        if match.group(3):  # (?-i): case-sensitive parts; still a superset, no longer "pure"
            self.pure = False
        self.at = match.end()
        if match.group(4) == ")":  # (?i) alone: flags for the rest; an empty group
            self.at -= 1

    def character_class(self) -> None:
        pattern, i = self.pattern, self.at
        if i < len(pattern) and pattern[i] == "^":
            i += 1
        if i < len(pattern) and pattern[i] == "]":
            i += 1
        while i < len(pattern):
            if pattern[i] == "\\":
                i += 2
            elif pattern.startswith("[:", i):
                end = pattern.find(":]", i + 2)
                if end < 0:
                    raise _Unsure
                i = end + 2
            elif pattern[i] == "]":
                self.at = i + 1
                return
            else:
                i += 1
        raise _Unsure

    def escape(self) -> _Info:
        char = self.peek()
        self.at += 1
        if char in ("d", "D", "w", "W", "s", "S"):
            return _Info(None, [])
        if char in ("p", "P"):
            if self.peek() == "{":
                end = self.pattern.find("}", self.at)
                if end < 0:
                    raise _Unsure
                self.at = end + 1
            else:
                self.at += 1
            return _Info(None, [])
        if char in ("b", "B", "A", "z"):
            self.pure = False
            return _Info(frozenset({""}), [])
        if char and char in string.punctuation:  # an escaped punctuation mark: itself
            return _Info(frozenset({char}), [])
        raise _Unsure


@functools.lru_cache(maxsize=4096)  # a rule's patterns are read on every pass
def required(pattern: str) -> Need:
    """What every match of `pattern` contains (see the module's text); no clauses when unsure."""
    reader = _Reader(pattern)
    try:
        info = reader.alternation()
        if reader.at != len(pattern):
            raise _Unsure
    except (_Unsure, IndexError):
        return Need((), False)
    clauses = list(info.clauses)
    if info.exact is not None:
        clauses = [info.exact] if _useful(info.exact) else []
    pure = reader.pure and info.exact is not None and bool(clauses)
    return Need(tuple(clauses), pure)
