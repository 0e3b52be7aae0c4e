import pytest

from tui.core.models import Article, Entry
from tui.core.sanitize import clean_line, clean_text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("plain", "plain"),
        ("a\x1b[31mred\x1b[0m", "ared"),
        ("title\x1b]0;pwned\x07!", "title!"),
        ("clip\x1b]52;c;aGVsbG8=\x1b\\board", "clipboard"),
        ("link\x1b]8;;http://x\x1b\\text\x1b]8;;\x1b\\", "linktext"),
        ("c1\x9b31mcsi", "c1csi"),
        ("bell\x07 del\x7f nul\x00", "bell del nul"),
        ("rtl\u202eevil\u202c", "rtlevil"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("dcs\x1bPq#0;2;0;0;0\x1b\\end", "dcsend"),
        ("[bold]markup[/] stays", "[bold]markup[/] stays"),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_clean_line_folds_and_caps() -> None:
    assert clean_line("  a \n b\t c ") == "a b c"
    assert clean_line("x" * 50, limit=10) == "x" * 9 + "…"


def test_models_are_clean_at_construction() -> None:
    entry = Entry(id="1", feed_url="http://f", title="evil\x1b]0;t\x07 title")
    assert entry.title == "evil title"
    article = Article(url="http://a", title="\x1b[2Jcleared")
    assert article.title == "cleared"
    assert Article.from_dict(article.to_dict()) == article
