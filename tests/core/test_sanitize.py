import pytest

from tui.core.models import Article, Entry
from tui.core.sanitize import clean_line, clean_text, drop_sequences


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


# -- whole sequences go, parameters and payload included -------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        # OSC ended by BEL, by ESC \ and by the 8-bit ST; title, hyperlink, clipboard, colours
        ("a\x1b]0;TITLE\x07b", "ab"),
        ("a\x1b]2;TITLE\x1b\\b", "ab"),
        ("a\x1b]0;TITLE\x9cb", "ab"),
        ("a\x1b]4;1;rgb:ff/00/00\x07b", "ab"),
        # APC, PM, SOS, DCS (sixel, tmux passthrough), with either terminator
        ("a\x1b_Gf=100;AAAA\x1b\\b", "ab"),
        ("a\x1b^private\x07b", "ab"),
        ("a\x1bXstring\x1b\\b", "ab"),
        ("a\x1bPtmux;\x1b\x1b]0;x\x07\x1b\\b", "ab"),
        # CSI with parameters, private markers, intermediates
        ("a\x1b[38;2;255;0;0mb", "ab"),
        ("a\x1b[?1049hb", "ab"),
        ("a\x1b[2 qb", "ab"),
        ("a\x1b[6nb", "ab"),
        # other escapes: charset designation, save cursor, keypad mode, reset
        ("a\x1b(Bb", "ab"),
        ("a\x1b$)Cb", "ab"),
        ("a\x1b7b\x1b8", "ab"),
        ("a\x1b=b\x1bc", "ab"),
        # 8-bit forms as code points: CSI, OSC, DCS, APC ended by ST or BEL
        ("a\x9b1;31mb", "ab"),
        ("a\x9d0;TITLE\x9cb", "ab"),
        ("a\x9d0;TITLE\x07b", "ab"),
        ("a\x90q#0;2\x9cb", "ab"),
        ("a\x9fdata\x1b\\b", "ab"),
        # unterminated: everything after it would be swallowed by a terminal
        ("a\x1b]0;TITLE and the rest", "a"),
        # ESC inside a string ends it, and is itself a sequence
        ("a\x1b]0;x\x1b[31mb", "ab"),
    ],
)
def test_whole_sequences_are_removed(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_a_c1_character_in_mis_decoded_text_does_not_eat_what_follows() -> None:
    # A UTF-8 "”" read as Latin-1 is "â\x80\x9d": U+009D is OSC's 8-bit form, but the text
    # after it is not a command string (no terminator before non-ASCII), so it stays.
    mojibake = "He said â\x80\x9chello there.â\x80\x9d Then he left, café in hand."
    assert clean_text(mojibake) == "He said âhello there.â Then he left, café in hand."


def test_no_control_character_survives_anything() -> None:
    import random

    rng = random.Random(5)
    alphabet = "\x1b\x07\x9b\x9c\x9d\x90[]P_^X;0123mé\\ \n"
    for _ in range(2000):
        raw = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        out = clean_text(raw)
        assert not any(c in out for c in "\x1b\x07\x9b\x9c\x9d\x90"), repr(raw)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (b"<title>A\x1b]0;TITLE\x07B</title>", b"<title>AB</title>"),
        (b"<title>A\x1b]8;;http://x\x1b\\B</title>", b"<title>AB</title>"),
        (b"<title>A\x1b[1;31mB\x1b[0m</title>", b"<title>AB</title>"),
        (b"<title>A\x1bPq#0\x1b\\B</title>", b"<title>AB</title>"),
        # ISO-2022-JP switches character sets with escapes: those are text, and stay
        (b"<title>\x1b$B$3$s\x1b(B</title>", b"<title>\x1b$B$3$s\x1b(B</title>"),
    ],
)
def test_sequences_are_dropped_from_bytes(raw: bytes, clean: bytes) -> None:
    assert drop_sequences(raw) == clean


def test_bytes_without_escapes_are_returned_as_they_are() -> None:
    data = b"<rss><channel><title>plain</title></channel></rss>"
    assert drop_sequences(data) is data
