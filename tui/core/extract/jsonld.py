"""Read schema.org JSON-LD blocks into a flat list of typed objects.

Pages nest their objects in lists, `@graph` arrays and properties; the extractor wants them
flat. The walk is iterative and capped, so a hostile document cannot recurse or loop forever.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from typing import Any

from selectolax.lexbor import LexborNode

LD_JSON_SCRIPTS = 'script[type*="ld+json" i]'
MAX_SCRIPT_CHARS = 2_000_000
# Old-style wrappers around script text: "<!-- ... -->", "<![CDATA[ ... ]]>", "//<![CDATA[", ...
_WRAPPER_START = re.compile(r"^\s*(?:(?://|/\*)?\s*(?:<!--|<!\[CDATA\[)\s*(?:\*/)?\s*)+")
_WRAPPER_END = re.compile(r"(?:\s*(?://|/\*)?\s*(?:-->|\]\]>)\s*(?:\*/)?)+\s*$")
_WRAPPER_TAIL = 40  # the end wrapper is searched for in this many last characters only


def _unwrap(raw: str) -> str:
    """`raw` without comment/CDATA wrappers (the end one looked for in the tail only: a regex
    anchored at the end would still be tried at every position of a long script)."""
    raw = _WRAPPER_START.sub("", raw, count=1)
    if raw.endswith(("-->", "]]>", "*/")):
        head, tail = raw[:-_WRAPPER_TAIL], raw[-_WRAPPER_TAIL:]
        raw = head + _WRAPPER_END.sub("", tail, count=1)
    return raw


MAX_OBJECTS = 500
# Where objects hold the objects read after them (an @graph is read whatever its type), and
# the types of value read there: a tuple, which isinstance tests faster than a union it would
# build at every test.
_NESTING_KEYS = ("mainEntity", "associatedMedia", "audio", "hasPart", "episode")
_CONTAINERS = (dict, list)
# What json.loads(raw, strict=False) builds for every call, made once.
_DECODER = json.JSONDecoder(strict=False)


def _types(obj: dict[str, Any]) -> tuple[str, ...]:
    kind = obj.get("@type")
    if isinstance(kind, str):
        return (kind.rsplit("/", 1)[-1],)
    if isinstance(kind, list):
        return tuple(k.rsplit("/", 1)[-1] for k in kind if isinstance(k, str))
    return ()


def read_jsonld(scripts: Iterable[LexborNode]) -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    """Every JSON object with an @type in the page's ld+json `scripts` (found with the selector
    LD_JSON_SCRIPTS), as (types, object) pairs."""
    found: list[tuple[tuple[str, ...], dict[str, Any]]] = []
    for script in scripts:
        raw = script.text_lexbor().strip()
        if not raw or len(raw) > MAX_SCRIPT_CHARS:
            continue
        raw = _unwrap(raw)
        if raw.startswith("\ufeff"):
            continue  # json.loads refuses a text that starts with a byte-order mark
        try:
            data = _DECODER.decode(raw)
        except (ValueError, RecursionError):
            continue
        stack: list[Any] = [data]
        while stack and len(found) < MAX_OBJECTS:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                kinds = _types(item)
                if kinds:
                    found.append((kinds, item))
                graph = item.get("@graph")
                if graph is not None:
                    stack.append(graph)
                for key in _NESTING_KEYS:
                    value = item.get(key)
                    if isinstance(value, _CONTAINERS):
                        stack.append(value)
    return found


def as_text(value: Any) -> str | None:
    """A JSON-LD value as one string: names of persons/organisations, first of lists."""
    if isinstance(value, str):
        # Some CMSs put HTML-escaped text in JSON-LD ("Shows &#8211; A Mix").
        return (html.unescape(value) if "&" in value else value).strip() or None
    if isinstance(value, dict):
        return as_text(value.get("name") or value.get("@value"))
    if isinstance(value, list):
        names = [name for name in (as_text(v) for v in value[:10]) if name]
        return ", ".join(dict.fromkeys(names)) or None
    return None
