"""`broadsheet save`, `stories --saved` and `unsave` as real processes: a page saved while a
loopback site is up reads after the site is gone and the cache is cleared."""

from __future__ import annotations

import json
from pathlib import Path

from tests.faults._support import run_cli, serve_site, write_config
from tests.servers.loopback import serve


def test_save_then_list_and_read_offline(isolated_dirs: dict[str, Path]) -> None:
    with serve() as server:
        stories = serve_site(server, 1, 2)
        write_config(isolated_dirs, [server.url("/feed0.xml")])
        assert run_cli(isolated_dirs, "refresh").returncode == 0
        urls = [f"{server}{story.path}" for story in stories]
        saved = run_cli(isolated_dirs, "save", urls[1], "--tag", "later", "--tag", "long")
        assert saved.returncode == 0, saved.stderr
        assert saved.stdout.strip().endswith("Saved for later: it reads offline.")
        assert run_cli(isolated_dirs, "save", "not a url").returncode == 2
    assert run_cli(isolated_dirs, "cache", "clear").returncode == 0
    listed = run_cli(isolated_dirs, "stories", "--saved", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    [row] = json.loads(listed.stdout)
    assert row["url"] == urls[1] and row["offline"] and row["tags"] == ["later", "long"]
    assert row["saved_at"].endswith("+00:00") and row["feed_url"] == server.url("/feed0.xml")
    assert {"id", "feed_url", "title", "url", "published", "read", "starred"} <= set(row)
    read = run_cli(isolated_dirs, "--offline", "read", urls[1])
    assert read.returncode == 0, read.stderr
    assert run_cli(isolated_dirs, "unsave", urls[1]).returncode == 0
    assert run_cli(isolated_dirs, "unsave", urls[1]).returncode == 1
    assert json.loads(run_cli(isolated_dirs, "stories", "--saved", "--format", "json").stdout) == []


def test_export_article_and_share_with_a_file(isolated_dirs: dict[str, Path]) -> None:
    import sys

    with serve() as server:
        stories = serve_site(server, 1, 1)
        config = write_config(isolated_dirs, [server.url("/feed0.xml")])
        url = f"{server}{stories[0].path}"
        assert run_cli(isolated_dirs, "save", url, "--tag", "t1").returncode == 0
    # Offline from here: the saved article is what is exported.
    folder = isolated_dirs["data"] / "out"
    done = run_cli(isolated_dirs, "--offline", "export-article", url, "--dir", str(folder))
    assert done.returncode == 0, done.stderr
    path = Path(done.stdout.strip())
    assert path.parent == folder and path.suffix == ".md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: ") and f'url: "{url}"' in text
    assert 'tags: ["t1"]' in text and 'saved_at: "20' in text
    as_json = run_cli(isolated_dirs, "--offline", "export-article", url, "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    default = Path(as_json.stdout.strip())
    assert default.parent == isolated_dirs["data"] / "broadsheet" / "export"
    assert json.loads(default.read_text())["tags"] == ["t1"]
    missing = run_cli(isolated_dirs, "--offline", "export-article", "http://127.0.0.1:9/none")
    assert missing.returncode == 1 and missing.stderr.startswith("broadsheet: ")
    # A [[share]] that takes {file} gets the exported file (a stand-in command copies it).
    copy = isolated_dirs["data"] / "copied.md"
    script = f"import shutil, sys; shutil.copy(sys.argv[1], {str(copy)!r})"
    config.write_text(
        config.read_text()
        + f'\n[[share]]\nname = "copy"\ncommand = [{json.dumps(sys.executable)}, "-c", '
        + f'{json.dumps(script)}, "{{file}}"]\n'
    )
    from tui.core.session import open_session

    session = open_session(offline=True)
    try:
        import asyncio

        [share] = session.service.shares
        outcome = asyncio.run(session.service.share(share, url, "T"))
    finally:
        session.close()
    assert outcome.ok, outcome.line()
    assert copy.read_text(encoding="utf-8") == text


def test_share_sends_an_article_to_a_named_command(isolated_dirs: dict[str, Path]) -> None:
    import sys

    with serve() as server:
        stories = serve_site(server, 1, 1)
        config = write_config(isolated_dirs, [server.url("/feed0.xml")])
        url = f"{server}{stories[0].path}"
        assert run_cli(isolated_dirs, "refresh").returncode == 0
        none = run_cli(isolated_dirs, "share", url)
        assert none.returncode == 2 and "no [[share]] command" in none.stderr
        # Two stand-in commands: one writes its arguments to a file, one fails.
        log = isolated_dirs["data"] / "args.json"
        script = f"import json, sys; open({str(log)!r}, 'w').write(json.dumps(sys.argv[1:]))"
        config.write_text(
            config.read_text()
            + f'\n[[share]]\nname = "fails"\ncommand = [{json.dumps(sys.executable)}, "-c", '
            + "\"import sys; sys.exit('no room')\"]\n"
            + f'\n[[share]]\nname = "log"\ncommand = [{json.dumps(sys.executable)}, "-c", '
            + f'{json.dumps(script)}, "{{url}}", "{{title}}"]\n'
        )
        failed = run_cli(isolated_dirs, "share", url)  # the first command
        assert failed.returncode == 1
        assert failed.stderr.strip() == "broadsheet: fails failed (exit status 1): no room"
        unknown = run_cli(isolated_dirs, "share", url, "--to", "nope")
        assert unknown.returncode == 2 and "fails, log" in unknown.stderr
        sent = run_cli(isolated_dirs, "share", url, "--to", "log")
        assert sent.returncode == 0, sent.stderr
        assert sent.stdout == "Sent to log.\n"
        assert json.loads(log.read_text()) == [url, stories[0].title]
