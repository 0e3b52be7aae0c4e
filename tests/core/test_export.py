"""Export (golden files for Markdown, HTML and JSON; safe file names; no overwrite) and
send-to (a stand-in command: placeholders as single arguments, exit status and first error
line, the 30 s limit, a command that cannot start)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from tui.core.config import parse_config
from tui.core.export import RENDERERS, SUFFIX, safe_name, write_export
from tui.core.models import Article, Block, Link
from tui.core.share import Share, run_share

GOLDEN = Path(__file__).parent.parent / "export_golden"
SAVED_AT = 1765100000.0  # 2025-12-07T09:33:20+00:00

ARTICLE = Article(
    url="https://news.example/2025/12/tides",
    title="How are tides *really* made? [explainer]",
    byline="Ada Lovelace",
    published="2025-12-06T08:00:00+00:00",
    lede="The moon, the sun and a bit of geometry.",
    blocks=(
        Block("paragraph", "Tides rise twice a day, as the NOAA guide explains."),
        Block("heading", "The moon's pull", 2),
        Block("paragraph", "# not a heading, and 1. not a list; a_b and `code` stay text."),
        Block("list_item", "spring tides"),
        Block("list_item", "neap tides"),
        Block("quote", "Time and tide wait for no one."),
        Block("pre", "tide = sin(t) * [amplitude]"),
    ),
    links=(
        Link("NOAA guide", "https://noaa.example/tides guide"),
        Link("an unplaced link", "https://elsewhere.example/x"),
    ),
)


@pytest.mark.parametrize("format", ["markdown", "html", "json"])
def test_export_matches_its_golden_file(format: str) -> None:
    text = RENDERERS[format](ARTICLE, saved_at=SAVED_AT, tags=("sea", "science"))
    golden = GOLDEN / f"tides{SUFFIX[format]}"
    if not golden.exists():  # written once, read and checked by hand, then committed
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_markdown_front_matter_and_references() -> None:
    text = RENDERERS["markdown"](ARTICLE, saved_at=SAVED_AT, tags=("sea",))
    head = text.split("---\n")[1].splitlines()
    meta = {line.split(": ", 1)[0]: json.loads(line.split(": ", 1)[1]) for line in head}
    assert meta == {
        "title": ARTICLE.title,
        "url": ARTICLE.url,
        "author": "Ada Lovelace",
        "published": "2025-12-06T08:00:00+00:00",
        "saved_at": "2025-12-07T09:33:20+00:00",
        "tags": ["sea"],
    }
    assert "as the [NOAA guide][1] explains" in text
    assert "[1]: <https://noaa.example/tides%20guide>" in text
    assert "- [an unplaced link][2]" in text and "[2]: <https://elsewhere.example/x>" in text
    assert "\\# not a heading, and 1. not a list; a\\_b and \\`code\\`" in text
    assert "tide = sin(t) * [amplitude]" in text  # code as written


@pytest.mark.parametrize(
    ("title", "url", "name"),
    [
        ("How are tides *really* made?", "https://x.test/a", "how-are-tides-really-made"),
        ("../../etc/passwd", "https://x.test/a", "etc-passwd"),
        ("", "https://x.test/a/b?c=1", "x-test-a-b-c-1"),
        ("¿Qué tal? Ünïcode — ok", "https://x.test/", "qué-tal-ünïcode-ok"),
        ("CON", "https://x.test/", "article-con"),
        ("...", "", "article"),
        ("word " * 40, "https://x.test/", ("word-" * 16)[:-1]),
    ],
)
def test_safe_names(title: str, url: str, name: str) -> None:
    assert safe_name(title, url) == name
    assert "/" not in name and not name.startswith(".")


def test_a_different_file_is_never_overwritten(tmp_path: Path) -> None:
    first = write_export(tmp_path, "tides", ".md", "one\n")
    assert write_export(tmp_path, "tides", ".md", "one\n") == first  # the same: kept
    second = write_export(tmp_path, "tides", ".md", "two\n")
    assert second.name == "tides-2.md" and first.read_text() == "one\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tides-2.md", "tides.md"]


def _stand_in(tmp_path: Path, code: str) -> tuple[str, ...]:
    script = tmp_path / "stand_in.py"
    script.write_text(code)
    return (sys.executable, str(script))


def test_share_passes_each_placeholder_as_one_argument(tmp_path: Path) -> None:
    out = tmp_path / "args.json"
    command = _stand_in(
        tmp_path, f"import json, sys; json.dump(sys.argv[1:], open({str(out)!r}, 'w'))"
    )
    share = Share("keep", (*command, "add", "{url}", "--title={title}", "{file}", "{other}"))
    outcome = run_share(share, "https://x.test/a?b=1&c", 'Rock; "roll" $(rm -rf ~)', "/tmp/f.md")
    assert outcome.ok and outcome.line() == "Sent to keep."
    assert json.loads(out.read_text()) == [
        "add",
        "https://x.test/a?b=1&c",
        '--title=Rock; "roll" $(rm -rf ~)',
        "/tmp/f.md",
        "{other}",
    ]


def test_share_reports_exit_status_and_first_error_line(tmp_path: Path) -> None:
    command = _stand_in(
        tmp_path,
        "import sys; sys.stderr.write('\\n\\x1b[31mno token\\x1b[0m\\nmore\\n'); sys.exit(3)",
    )
    outcome = run_share(Share("wallabag", command), "https://x.test/", "T")
    assert (outcome.status, outcome.error) == (3, "no token")
    assert outcome.line() == "wallabag failed (exit status 3): no token"


def test_a_share_that_runs_too_long_is_stopped(tmp_path: Path) -> None:
    command = _stand_in(tmp_path, "import time; time.sleep(60)")
    started = time.monotonic()
    outcome = run_share(Share("slow", command), "https://x.test/", "T", seconds=0.5)
    assert time.monotonic() - started < 5
    assert outcome.status is None and outcome.line() == "slow: stopped after 0.5 s"


def test_a_share_that_cannot_start(tmp_path: Path) -> None:
    outcome = run_share(Share("gone", (str(tmp_path / "missing"), "{url}")), "u", "t")
    assert outcome.status is None and outcome.error.startswith("cannot run")


def test_share_entries_in_the_config(tmp_path: Path) -> None:
    text = """[settings]
export_dir = "~/notes"

[[share]]
name = "wallabag"
command = ["wallabag-cli", "add", "{url}"]

[[share]]
name = "bad"
command = "wallabag-cli add {url}"

[[share]]
name = "worse"
command = ["x", "{url}{secret}"]
colour = "red"
"""
    config, errors = parse_config(text, tmp_path / "c.toml")
    assert config.shares == (Share("wallabag", ("wallabag-cli", "add", "{url}")),)
    assert config.settings.export_dir == "~/notes"
    assert [(e.reason.split(":")[0].split(" (")[0], e.line) for e in errors] == [
        ("share 'bad'", 10),
        ("unknown share option 'colour'", 15),
        ("share 'worse'", 14),
    ]
    assert "{secret}" in errors[2].reason


def test_a_config_rewrite_keeps_share_rules_and_queries(tmp_path: Path) -> None:
    from tui.core.cache import Cache
    from tui.core.config import Subscription, load_config
    from tui.core.service import NewsService
    from tui.core.state import State

    path = tmp_path / "config.toml"
    path.write_text(
        '[settings]\nexport_dir = "/tmp/x"\n\n[[share]]\nname = "w"\ncommand = ["w", "{url}"]\n'
        '\n[[rules]]\nmatch = \'url ~ "youtube\\\\.com/shorts/"\'\naction = "hide"\n'
    )
    config, errors = load_config(path)
    assert errors == []
    service = NewsService(config, Cache(tmp_path / "cache"), State(tmp_path / "state.db"))
    service.subscribe(Subscription("http://127.0.0.1:9/feed.xml"))
    again, errors = load_config(path)
    assert errors == [] and again.shares == config.shares
    assert again.arrays == config.arrays and again.settings.export_dir == "/tmp/x"
    assert again.arrays["rules"][0]["match"] == 'url ~ "youtube\\\\.com/shorts/"'
