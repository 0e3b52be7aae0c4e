"""The service's keep room: the saved-for-later shelf, export and send-to, and rules and saved
searches over the stories.

A mixin of NewsService (tui/core/service.py), which stays the one door: the UI and the CLI call
these methods on the service. Here so the service's module holds one idea.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from tui.core.errors import BroadsheetError, ConfigError, ExtractError
from tui.core.models import Article, Entry
from tui.core.sync.door import StoryState, SyncDoor

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from tui.core.rules import Query, Rule, RuleOutcome
    from tui.core.rules import Story as RuleStory
    from tui.core.saved import SavedStory, SaveResult
    from tui.core.share import Share, ShareOutcome
    from tui.core.sync.engine import SyncSummary


_T = TypeVar("_T")


class KeepDoor(SyncDoor):
    """NewsService's methods for this room (see the module docstring)."""

    _rule_outcome: RuleOutcome | None

    # -- saved for later --------------------------------------------------------------------------
    # The shelf lives in the user's state (tui/core/saved.py), never only in the cache.

    async def save(
        self, url: str, *, entry: Entry | None = None, tags: Sequence[str] = ()
    ) -> SaveResult:
        """Save the page at `url` (the story `entry`, when it came from a feed) for later:
        its article is fetched and extracted now (or taken from the cache) and kept with it,
        so it reads offline and is never evicted. Saving again adds `tags`. Offline with
        nothing cached, the story is saved without its text (the notice says so). With sync
        set up, a story of a feed the server follows is starred there too. Network."""
        from tui.core.saved import SaveResult, entry_for

        # The feed's own story when there is one (a link followed from an article, an address
        # typed in the palette or the shell may be one), so it is read or unread in both places.
        in_feed = await asyncio.to_thread(self._story_at, url, entry)
        entry = in_feed or (replace(entry, feed_url="") if entry is not None else None)
        article: Article | None = None
        reason: str | None = None
        try:
            result = await self.load_article(url, summary=entry.summary if entry else None)
            article = result.article
        except BroadsheetError as error:
            reason = error.reason
        if article is not None and article.source == "failed":
            reason, article = article.error or "no article text found", None
        kept = entry_for(url, article, entry)
        story = await asyncio.to_thread(self._keep, url, kept, article, tuple(tags))
        if reason:
            notice = f"Saved without its text ({reason}); save it again online to read it offline."
        else:
            notice = "Saved for later: it reads offline."
        return SaveResult(story, article, notice)

    def _keep(
        self, url: str, entry: Entry, article: Article | None, tags: tuple[str, ...]
    ) -> SavedStory:
        from tui.core.saved import SavedStory

        self.state.save(url, entry, article.to_dict() if article else None, tags)
        if article is not None:
            self._offline_set.add(url)
        if self.config.sync is not None and entry.feed_url in self.synced_feed_urls():
            self.set_starred(entry, True)  # queued, sent at the next sync
        found = next((s for s in self.saved() if s.entry.url == url), None)
        return found or SavedStory(entry, time.time(), tags, article is not None)

    def _story_at(self, url: str, entry: Entry | None) -> Entry | None:
        if entry is not None and entry.feed_url:  # the story as listed: look in its feed only
            feed = self.cached_feed(entry.feed_url)
            listed = feed.entries if feed is not None else ()
            if any(e.id == entry.id and e.url == url for e in listed):
                return entry
        return next((s.entry for s in self.stories() if s.entry.url == url), None)

    def unsave(self, url: str) -> bool:
        """Take `url` off the shelf (a star it got stays). False when it was not saved. Disk."""
        removed = self.state.unsave(url)
        self._offline_set.forget()
        return removed

    def saved(self) -> list[SavedStory]:
        """The shelf, newest saved first. Disk work: call in a thread."""
        from tui.core.saved import SavedStory

        return [SavedStory(*row) for row in self.state.saved()]

    def saved_urls(self) -> frozenset[str]:
        """The addresses on the shelf. Disk work."""
        return self.state.saved_urls()

    def saved_stories(self) -> list[StoryState]:
        """The shelf as `stories` lists stories (read, starred, offline), with saved_at. Disk."""
        read = self.state.read_ids()
        star = self.state.starred_ids()
        out = []
        for story in self.saved():
            key = (story.entry.feed_url, story.entry.id)
            out.append(
                StoryState(
                    story.entry,
                    key in read,
                    key in star,
                    story.readable,
                    saved_at=story.saved_at,
                    tags=story.tags,
                )
            )
        return out

    def _saved_article(self, url: str) -> Article | None:
        data = self.state.saved_article(url)
        if data is None:
            return None
        try:
            return Article.from_dict(data)
        except (TypeError, ValueError, KeyError):
            return None

    # -- export and send-to -----------------------------------------------------------------------
    # Files (tui/core/export.py) and the user's own commands ([[share]], tui/core/share.py).

    @property
    def export_dir(self) -> Path:
        """Where exports go: `[settings] export_dir`, else the data dir's `export/`."""
        from pathlib import Path

        chosen = self.config.settings.export_dir
        if chosen:
            return Path(chosen).expanduser()
        return self.state.path.parent / "export"

    @property
    def shares(self) -> tuple[Share, ...]:
        """The `[[share]]` commands, in the config's order."""
        return self.config.shares

    async def export_article(
        self, url: str, *, folder: Path | None = None, format: str = "markdown"
    ) -> Path:
        """Write the article at `url` (cached, saved, else fetched) to a file in `folder` (the
        export dir by default) as "markdown", "html" or "json"; returns its path. Raises
        BroadsheetError when there is no article, OSError when the file cannot be written."""
        from tui.core.export import FORMATS

        if format not in FORMATS:
            raise BroadsheetError(f"unknown export format {format!r} (markdown, html or json)")
        article = (await self.load_article(url)).article
        if article.source == "failed":
            raise ExtractError(article.error or "no article text found", url)
        return await asyncio.to_thread(self._export, article, folder, format)

    def _export(self, article: Article, folder: Path | None, format: str) -> Path:
        from tui.core.export import RENDERERS, SUFFIX, safe_name, write_export

        saved = next((s for s in self.saved() if s.entry.url == article.url), None)
        text = RENDERERS[format](
            article,
            saved_at=saved.saved_at if saved else None,
            tags=saved.tags if saved else (),
        )
        name = safe_name(article.title, article.url)
        return write_export(folder or self.export_dir, name, SUFFIX[format], text)

    async def share(self, share: Share, url: str, title: str) -> ShareOutcome:
        """Run a `[[share]]` command for the article at `url` (exported first when it takes
        `{file}`), stopped after 30 s. Network (the export may fetch) and a subprocess."""
        from tui.core.share import ShareOutcome, run_share

        file = ""
        if share.needs_file:
            try:
                file = str(await self.export_article(url))
            except (BroadsheetError, OSError) as error:
                reason = error.reason if isinstance(error, BroadsheetError) else str(error)
                return ShareOutcome(share.name, None, f"could not export the article: {reason}")
        return await asyncio.to_thread(run_share, share, url, title, file)

    # -- rules -------------------------------------------------------------------------------------
    # [[rules]] and [[queries]] (tui/core/rules/), applied after each refresh and sync.

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self.config.rules

    @property
    def queries(self) -> tuple[Query, ...]:
        return self.config.queries

    def _rule_stories(self) -> tuple[list[RuleStory], dict[tuple[str, str], Entry]]:
        from tui.core.rules import Story

        stories: list[RuleStory] = []
        entries: dict[tuple[str, str], Entry] = {}
        for sub in self.subscriptions:
            feed = self.cached_feed(sub.url)
            if feed is None:
                continue
            name = f"{sub.title or feed.title}\n{sub.url}"
            for entry in feed.entries:
                key = (entry.feed_url, entry.id)
                if key in entries:
                    continue
                entries[key] = entry
                stories.append(
                    Story(
                        key,
                        entry.title,
                        name,
                        entry.author or "",
                        entry.summary,
                        entry.url or "",
                        _timestamp(entry.published),
                        sub.labels,
                    )
                )
        return stories, entries

    def apply_rules(self) -> RuleOutcome:
        """Apply the rules to every cached story: hide and tag (what the list shows), mark read
        and star (once per story: a story marked unread again by hand stays so, until the rules
        change), and work out the saved searches. Disk and CPU work: call in a thread."""
        import hashlib

        from tui.core.rules import RuleOutcome, apply_rules

        if not self.config.rules and not self.config.queries:
            self._rule_outcome = RuleOutcome()
            return self._rule_outcome
        stories, entries = self._rule_stories()
        outcome = apply_rules(self.config.rules, self.config.queries, stories, time.time())
        if any(r.action in ("read", "star") for r in self.config.rules):
            rules_id = hashlib.sha256(
                "\n".join(f"{r.match}\t{r.action}" for r in self.config.rules).encode()
            ).hexdigest()
            seen = self.state.ruled(rules_id)
            read_ids = self.state.read_ids()
            starred = self.state.starred_ids()
            self.mark_read([entries[k] for k in outcome.read - seen if k not in read_ids])
            for key in outcome.star - seen - starred:
                self.set_starred(entries[key], True)
            self.state.set_ruled(rules_id, [k for k in entries if k not in seen], not seen)
        self._rule_outcome = outcome
        return outcome

    @property
    def rule_lines(self) -> list[str]:
        """One line per rule and saved search, with the stories it matched at the rules' last
        application (F shows them)."""
        outcome = self._rule_outcome
        lines = []
        for n, rule in enumerate(self.config.rules):
            count = outcome.counts[n] if outcome and n < len(outcome.counts) else None
            matched = f"{count} stories" if count is not None else "not applied yet"
            lines.append(f"{rule.action:>10}  {rule.match}  ({matched})")
        for query in self.config.queries:
            keys = outcome.queries.get(query.name) if outcome else None
            matched = f"{len(keys)} stories" if keys is not None else "not applied yet"
            lines.append(f"{'search':>10}  {query.name}: {query.match}  ({matched})")
        return lines

    def rule_outcome(self) -> RuleOutcome:
        """What the rules made of the stories at their last application (applied now when
        they never were). Disk and CPU work the first time: call in a thread."""
        outcome = self._rule_outcome
        return outcome if outcome is not None else self.apply_rules()

    def test_rule(self, source: str, keys: Sequence[tuple[str, str]]) -> tuple[int, list[str]]:
        """Try a rule's `match` on the stories `keys` (the list shown): how many it matches
        and the first titles. Raises ConfigError naming the column when it is not a rule.
        CPU work: call in a thread."""
        from tui.core.rules import Query, RuleSyntaxError, apply_rules, compile_match

        try:
            tree = compile_match(source)
        except RuleSyntaxError as error:
            raise ConfigError(f"column {error.column}: {error.message}") from None
        wanted = set(keys)
        stories, entries = self._rule_stories()
        stories = [s for s in stories if s.key in wanted]
        found = apply_rules((), (Query("test", source, tree),), stories, time.time())
        matched = found.queries["test"]
        return len(matched), [entries[k].title for k in matched[:5]]

    async def sync(self, on_progress: Callable[[str], None] | None = None) -> SyncSummary:
        summary = await super().sync(on_progress)
        await asyncio.to_thread(self.apply_rules)  # the synced stories go through the rules
        return summary

    sync.__doc__ = SyncDoor.sync.__doc__


def _timestamp(published: str | None) -> float | None:
    """Seconds since the epoch of an ISO 8601 date (UTC when it names no zone), or None."""
    if not published:
        return None
    from datetime import UTC, datetime

    try:
        when = datetime.fromisoformat(published)
    except ValueError:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()
