"""Broadsheet's core: fetching, extraction, feeds, cache and state.

Nothing in this package imports Textual or Rich (tests/test_layering.py proves it), so the
command line and the benchmarks start fast and the logic is testable without a terminal.
"""
