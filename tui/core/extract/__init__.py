"""HTML page → Article. The app calls `extract` (tui.core.extract.pipeline holds the stages);
`extract_for_score` is the bench-only interface of the shared referee (tui.core.extract.for_bench),
re-exported here so that `--module tui.core.extract:extract_for_score` keeps working."""

from __future__ import annotations

from tui.core.extract.for_bench import extract_for_score
from tui.core.extract.pipeline import extract
from tui.core.extract_version import EXTRACTOR_VERSION

__all__ = ["EXTRACTOR_VERSION", "extract", "extract_for_score"]
