r"""The rule language: a small query language, parsed here, never evaluated as Python.

    match = 'url ~ "youtube\\.com/shorts/" or (feed = "Hacker News" and not title ~ "rust")'

Grammar (keywords and field names are case-insensitive):

    expr       := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | "(" expr ")" | comparison
    comparison := field op value
    field      := title | feed | author | text | url | age | tag
    op         := "~"  (case-insensitive regular expression, RE2 syntax: no backtracking)
                | "="  (case-insensitive equality; for tag: has the tag; for age: same day)
                | "<" | ">"  (age only: newer / older than a duration)
    value      := "string" | 'string' | a bare word | a duration for age (30m, 12h, 7d, 2w)

In a string, a backslash before a quote or a backslash stands for that character; before any
other character it is kept, so `"youtube\\.com"` and `"youtube\.com"` are the same regular
expression. An error is a RuleSyntaxError with the column (1-based) where it was found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Field = Literal["title", "feed", "author", "text", "url", "age", "tag"]
FIELDS: tuple[Field, ...] = ("title", "feed", "author", "text", "url", "age", "tag")
Op = Literal["~", "=", "<", ">"]
MAX_RULE = 2000  # characters in one match
MAX_DEPTH = 50  # nested parentheses and nots
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


class RuleSyntaxError(ValueError):
    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"column {column}: {message}")
        self.message = message
        self.column = column


@dataclass(frozen=True, slots=True)
class Compare:
    field: Field
    op: Op
    value: str  # the text, the pattern, or the tag
    seconds: float = 0.0  # for age
    column: int = 0  # where the value starts (for a bad regular expression)


@dataclass(frozen=True, slots=True)
class Not:
    term: Node


@dataclass(frozen=True, slots=True)
class And:
    terms: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    terms: tuple[Node, ...]


Node = Compare | Not | And | Or


@dataclass(frozen=True, slots=True)
class _Token:
    kind: Literal["word", "string", "op", "(", ")", "end"]
    text: str
    column: int


_WORD = re.compile(r"[A-Za-z0-9_.:/@+-]+")


def _tokens(source: str) -> list[_Token]:
    out: list[_Token] = []
    i, n = 0, len(source)
    while i < n:
        char = source[i]
        if char.isspace():
            i += 1
        elif char in "()":
            out.append(_Token(char, char, i + 1))  # type: ignore[arg-type]
            i += 1
        elif char in "~=<>":
            out.append(_Token("op", char, i + 1))
            i += 1
        elif char in "\"'":
            start, i, text = i, i + 1, []
            while True:
                if i >= n:
                    raise RuleSyntaxError("this string is not closed", start + 1)
                if source[i] == "\\" and i + 1 < n:
                    following = source[i + 1]
                    text.append(following if following in "\"'\\" else "\\" + following)
                    i += 2
                elif source[i] == char:
                    i += 1
                    break
                else:
                    text.append(source[i])
                    i += 1
            out.append(_Token("string", "".join(text), start + 1))
        else:
            match = _WORD.match(source, i)
            if match is None:
                raise RuleSyntaxError(f"unexpected character {char!r}", i + 1)
            out.append(_Token("word", match.group(), i + 1))
            i = match.end()
    out.append(_Token("end", "", n + 1))
    return out


def parse_duration(text: str) -> float | None:
    """Seconds in "30m", "12h", "7d", "2w", "90s"; a bare number is days. None if not one."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([smhdw]?)", text.strip().lower())
    if match is None:
        return None
    return float(match.group(1)) * UNITS[match.group(2) or "d"]


class _Parser:
    def __init__(self, source: str) -> None:
        if len(source) > MAX_RULE:
            raise RuleSyntaxError(f"a rule is at most {MAX_RULE} characters", MAX_RULE + 1)
        self.tokens = _tokens(source)
        self.at = 0
        self.depth = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.at]

    def keyword(self, word: str) -> bool:
        token = self.token
        if token.kind == "word" and token.text.lower() == word:
            self.at += 1
            return True
        return False

    def parse(self) -> Node:
        if self.token.kind == "end":
            raise RuleSyntaxError("the rule is empty", 1)
        node = self.expr()
        if self.token.kind != "end":
            raise RuleSyntaxError(
                f"expected 'and', 'or' or the end, found {self.token.text!r}", self.token.column
            )
        return node

    def expr(self) -> Node:
        terms = [self.and_expr()]
        while self.keyword("or"):
            terms.append(self.and_expr())
        return terms[0] if len(terms) == 1 else Or(tuple(terms))

    def and_expr(self) -> Node:
        terms = [self.not_expr()]
        while self.keyword("and"):
            terms.append(self.not_expr())
        return terms[0] if len(terms) == 1 else And(tuple(terms))

    def not_expr(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise RuleSyntaxError("nested too deeply", self.token.column)
        try:
            if self.keyword("not"):
                return Not(self.not_expr())
            if self.token.kind == "(":
                opened = self.token
                self.at += 1
                node = self.expr()
                if self.token.kind != ")":
                    raise RuleSyntaxError(
                        f"expected ')' to close the '(' at column {opened.column}",
                        self.token.column,
                    )
                self.at += 1
                return node
            return self.comparison()
        finally:
            self.depth -= 1

    def comparison(self) -> Compare:
        token = self.token
        if token.kind != "word" or token.text.lower() not in FIELDS:
            found = "the end" if token.kind == "end" else repr(token.text)
            raise RuleSyntaxError(
                f"expected a field ({', '.join(FIELDS)}), found {found}", token.column
            )
        field: Field = token.text.lower()  # type: ignore[assignment]
        self.at += 1
        op_token = self.token
        if op_token.kind != "op":
            raise RuleSyntaxError(f"expected ~, =, < or > after {field}", op_token.column)
        op: Op = op_token.text  # type: ignore[assignment]
        self.at += 1
        value = self.token
        if value.kind not in ("string", "word"):
            raise RuleSyntaxError(f"expected a value after {field} {op}", value.column)
        self.at += 1
        if field == "age":
            if op == "~":
                raise RuleSyntaxError(
                    "age takes <, > or = and a duration (7d, 12h)", op_token.column
                )
            seconds = parse_duration(value.text)
            if seconds is None:
                raise RuleSyntaxError(
                    f"{value.text!r} is not a duration (30m, 12h, 7d, 2w)", value.column
                )
            return Compare(field, op, value.text, seconds, value.column)
        if op in "<>":
            raise RuleSyntaxError(f"{op} compares ages only; {field} takes ~ or =", op_token.column)
        return Compare(field, op, value.text, 0.0, value.column)


def parse_rule(source: str) -> Node:
    """The rule's tree. Raises RuleSyntaxError (with its column) when it is not a rule."""
    return _Parser(source).parse()
