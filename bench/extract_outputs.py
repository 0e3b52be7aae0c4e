"""Dump everything the extractor returns on the shared extraction corpus, to prove a speed-up
changed no output.

For every page of every folder of ../shared/corpora/extraction (relative to the repository
root; truth.json in each folder names the page file and its url; .gz pages are gzip), writes
one JSON line holding every field of:

- extract(text, url): the app's call on the page's text (decoded with the encoding truth.json
  gives, else UTF-8, undecodable bytes replaced);
- extract(raw bytes, url): the same call on the undecoded bytes (the charset sniffing too);
- extract_for_score(text, url): the referee's interface.

Two runs, before and after a change, must give byte-identical files (`cmp old.jsonl new.jsonl`);
the last line printed is the file's SHA-256. If ../shared is absent, says so and exits 0.

    .venv/bin/python bench/extract_outputs.py OUT.jsonl [--shared DIR]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def read_page(folder: Path, page: dict[str, Any]) -> tuple[bytes, str]:
    """The page's raw bytes and its text, decoded with the encoding truth.json gives, else
    UTF-8 (undecodable bytes replaced)."""
    data = (folder / page["file"]).read_bytes()
    if page["file"].endswith(".gz"):
        data = gzip.decompress(data)
    encoding = page.get("encoding") or "utf-8"
    try:
        text = data.decode(encoding, errors="replace")
    except LookupError:
        text = data.decode("utf-8", errors="replace")
    return data, text


def dump_page(folder: Path, page_id: str, page: dict[str, Any]) -> str:
    """One JSON line: every field of every call's result on one page."""
    from tui.core.extract import extract, extract_for_score

    data, text = read_page(folder, page)
    url = page.get("url")
    record = {
        "page": f"{folder.name}/{page_id}",
        "extract(text)": extract(text, url).to_dict(),
        "extract(bytes)": extract(data, url).to_dict(),
        "extract_for_score": extract_for_score(text, url),
    }
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("out", type=Path, help="the JSON-lines file to write")
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared folder")
    args = parser.parse_args(argv)
    corpus = args.shared / "corpora" / "extraction"
    if not corpus.is_dir():
        print(f"{corpus} is absent: nothing to dump.")
        return 0
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    digest = hashlib.sha256()
    count = 0
    with args.out.open("w", encoding="utf-8") as out:
        for folder in sorted(p.parent for p in corpus.glob("*/truth.json")):
            pages = json.loads((folder / "truth.json").read_text(encoding="utf-8"))["pages"]
            for page_id in sorted(pages):
                line = dump_page(folder, page_id, pages[page_id]) + "\n"
                out.write(line)
                digest.update(line.encode("utf-8"))
                count += 1
    print(f"{count} pages -> {args.out}")
    print(digest.hexdigest())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
