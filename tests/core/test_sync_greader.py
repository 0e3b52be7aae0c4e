"""The Google Reader API client against loopback fakes: the servers' quirks and bad answers."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator

import pytest

from tests.servers.greader import PASSWORD, READ, STARRED, FakeGReader, FakeHandler, fake_greader
from tui.core.sync.errors import SyncAuthError, SyncError
from tui.core.sync.greader import GReaderClient, base_url
from tui.core.sync.items import item_id, long_id


@pytest.fixture
def server() -> Iterator[FakeGReader]:
    with fake_greader() as fake:
        yield fake


def client_for(server: FakeGReader, password: str = PASSWORD, **options: object) -> GReaderClient:
    return GReaderClient(server.base, "alice", password, **options)  # type: ignore[arg-type]


# -- ids ------------------------------------------------------------------------------------------


def test_long_and_short_ids_normalise_to_the_same_sixteen_hex_digits() -> None:
    assert item_id("tag:google.com,2005:reader/item/000000000000001f") == "000000000000001f"
    assert item_id("31") == "000000000000001f"
    assert item_id(31) == "000000000000001f"
    assert item_id("tag:google.com,2005:reader/item/1F") == "000000000000001f"
    # Google Reader sent ids with the top bit set as negative decimals (signed 64-bit).
    assert item_id("-1") == "ffffffffffffffff"
    assert item_id(str(2**63 + 5)) == "8000000000000005"
    assert long_id("000000000000001f") == "tag:google.com,2005:reader/item/000000000000001f"


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "abc",
        "tag:google.com,2005:reader/item/",
        "tag:google.com,2005:reader/item/xyz",
        "tag:google.com,2005:reader/item/00000000000000001f",
        str(2**64),
        True,
        1.5,
        [],
        "1 2",
    ],
)
def test_things_that_are_not_ids_are_refused(raw: object) -> None:
    assert item_id(raw) is None


def test_base_url_gets_its_trailing_slash_and_refuses_credentials() -> None:
    assert str(base_url("https://rss.test/v1")) == "https://rss.test/v1/"
    assert str(base_url("https://rss.test/")) == "https://rss.test/"
    assert str(base_url("https://rss.test")) == "https://rss.test/"
    for bad in ("ftp://rss.test/", "rss.test/api", "https://u:p@rss.test/", "", "http://"):
        with pytest.raises(SyncError):
            base_url(bad)


# -- login, tokens, quirks -------------------------------------------------------------------------


async def test_login_reads_everything_and_sends_the_auth_header(server: FakeGReader) -> None:
    stream = server.add_feed("http://feeds.test/a.xml", "A", folder="News")
    first = server.add_item(stream, "One", "https://a.test/1", read=True)
    second = server.add_item(stream, "Two", "https://a.test/2", starred=True)
    async with client_for(server) as client:
        subs = await client.subscriptions()
        pages = [page async for page in client.stream()]
        unread = await client.unread_ids()
        starred = await client.starred_ids()
    assert [(s.id, s.url, s.title, s.folders) for s in subs] == [
        (stream, "http://feeds.test/a.xml", "A", ("News",))
    ]
    items = [item for page in pages for item in page]
    assert [(i.id, i.title, i.url, i.read, i.starred) for i in items] == [
        (server.hex_id(second), "Two", "https://a.test/2", False, True),
        (server.hex_id(first), "One", "https://a.test/1", True, False),
    ]
    # The same items, named short-form by stream/items/ids, come out in the same form.
    assert unread == {server.hex_id(second)}
    assert starred == {server.hex_id(second)}
    assert server.logins == 1
    sub_call = server.calls("reader/api/0/subscription/list")[0]
    assert sub_call.headers["authorization"] == "GoogleLogin auth=alice/token1"


async def test_miniflux_style_base_at_the_root_works_with_or_without_the_slash() -> None:
    with fake_greader(prefix="/") as server:
        server.add_feed("http://feeds.test/a.xml")
        for base in (server.origin, server.origin + "/"):
            async with GReaderClient(base, "alice", PASSWORD) as client:
                assert len(await client.subscriptions()) == 1
    with fake_greader(prefix="/v1/") as server:
        server.add_feed("http://feeds.test/a.xml")
        async with GReaderClient(server.origin + "/v1", "alice", PASSWORD) as client:
            assert len(await client.subscriptions()) == 1
        assert server.calls("reader/api/0/subscription/list")


async def test_inoreader_app_headers_are_sent_on_every_request(server: FakeGReader) -> None:
    server.required_headers = {"AppId": "1000001", "AppKey": "k3y"}
    server.add_feed("http://feeds.test/a.xml")
    async with client_for(server) as client:
        with pytest.raises(SyncError, match=r"HTTP 403.*app_id and app_key"):
            await client.subscriptions()
    async with client_for(server, app_id="1000001", app_key="k3y") as client:
        assert len(await client.subscriptions()) == 1
        await client.set_read([f"{1:016x}"])
    assert all(seen.headers.get("appid") == "1000001" for seen in server.seen[-4:])
    assert all(seen.headers.get("appkey") == "k3y" for seen in server.seen[-4:])


async def test_wrong_password_is_a_clear_auth_error_without_the_password(
    server: FakeGReader,
) -> None:
    async with client_for(server, password="hunter2-wrong") as client:
        with pytest.raises(SyncAuthError) as caught:
            await client.subscriptions()
    text = str(caught.value) + repr(caught.value) + repr(client)
    assert "refused the user name or password" in text
    assert "hunter2" not in text
    assert caught.value.__cause__ is None and caught.value.__context__ is None


async def test_an_expired_token_logs_in_again_once(server: FakeGReader) -> None:
    server.add_feed("http://feeds.test/a.xml")
    server.expire_after = 2
    async with client_for(server) as client:
        for _ in range(5):
            assert len(await client.subscriptions()) == 1
    assert server.logins == 3  # the first, then one per expiry


async def test_a_worn_out_write_token_is_renewed(server: FakeGReader) -> None:
    stream = server.add_feed("http://feeds.test/a.xml")
    items = [server.add_item(stream, f"T{n}", f"https://a.test/{n}") for n in range(3)]
    server.token_uses = 1
    async with client_for(server) as client:
        for item in items:
            await client.set_read([server.hex_id(item)])
    assert all(i.read for i in items)
    assert len(server.calls("reader/api/0/token")) == 3 and server.logins == 3


async def test_a_web_page_instead_of_the_login_answer(server: FakeGReader) -> None:
    server.raw["accounts/ClientLogin"] = answer(
        200, b"<html><form>Log in</form></html>", "text/html"
    )
    async with client_for(server) as client:
        with pytest.raises(SyncError, match="web page, not the API"):
            await client.login()


async def test_a_401_after_a_fresh_login_fails_clearly(server: FakeGReader) -> None:
    server.refuse_all = True
    async with client_for(server) as client:
        with pytest.raises(SyncAuthError, match="refused the login again"):
            await client.subscriptions()
    assert server.logins == 2  # one retry, no loop


async def test_continuation_pages_and_the_ot_nt_window(server: FakeGReader) -> None:
    stream = server.add_feed("http://feeds.test/a.xml")
    items = [server.add_item(stream, f"T{n}", f"https://a.test/{n}") for n in range(25)]
    async with client_for(server, page_size=10, ids_page_size=7) as client:
        pages = [page async for page in client.stream()]
        assert [len(p) for p in pages] == [10, 10, 5]
        assert len(await client.unread_ids()) == 25
        since = items[20].crawl_ms // 1000
        until = items[22].crawl_ms // 1000
        window = [i for p in [p async for p in client.stream(since=since, until=until)] for i in p]
    assert [i.title for i in window] == ["T22", "T21", "T20"]
    calls = server.calls("reader/api/0/stream/contents/user/-/state/com.google/reading-list")
    assert [c.query.get("c") is not None for c in calls[:3]] == [False, True, True]
    assert calls[-1].query["ot"] == [str(since)] and calls[-1].query["nt"] == [str(until)]
    assert len(server.calls("reader/api/0/stream/items/ids")) == 4  # 7 + 7 + 7 + 4


async def test_edit_tag_marks_in_batches_with_the_write_token(server: FakeGReader) -> None:
    stream = server.add_feed("http://feeds.test/a.xml")
    items = [server.add_item(stream, f"T{n}", f"https://a.test/{n}") for n in range(300)]
    ids = [server.hex_id(i) for i in items]
    async with client_for(server) as client:
        assert await client.set_read(ids + ids[:5]) == 2  # 300 unique ids: 250 + 50
        assert all(i.read for i in items)
        await client.set_read(ids[:3])  # the same mark twice: nothing flips
        assert all(i.read for i in items)
        await client.set_read(ids[:3], False)
        await client.set_starred(ids[:2])
        await client.set_starred(ids[:1], False)
    assert [(i.read, i.starred) for i in items[:4]] == [
        (False, False),
        (False, True),
        (False, False),
        (True, False),
    ]
    edits = server.calls("reader/api/0/edit-tag")
    assert all(e.form["T"][0].startswith("T") for e in edits)
    assert edits[0].form["a"] == [READ] and len(edits[0].form["i"]) == 250
    assert edits[0].form["i"][0].startswith("tag:google.com,2005:reader/item/")
    assert edits[-1].form["r"] == [STARRED]
    assert len(server.calls("reader/api/0/token")) == 1  # fetched once, reused


async def test_subscribe_quickadd_and_unsubscribe(server: FakeGReader) -> None:
    async with client_for(server) as client:
        await client.subscribe("http://feeds.test/b.xml", title="B", folder="Tech")
        stream = await client.quickadd("http://feeds.test/c.xml")
        subs = {s.url: s for s in await client.subscriptions()}
        assert subs["http://feeds.test/b.xml"].folders == ("Tech",)
        assert subs["http://feeds.test/c.xml"].id == stream
        await client.unsubscribe("http://feeds.test/b.xml")
        await client.unsubscribe(stream)
        assert await client.subscriptions() == []
        with pytest.raises(SyncError, match="only http"):
            await client.subscribe("javascript:alert(1)")
        with pytest.raises(SyncError, match="no subscription"):
            await client.unsubscribe("http://feeds.test/none.xml")


# -- bad answers -----------------------------------------------------------------------------------


def answer(status: int, body: bytes, content_type: str = "application/json", **headers: str):  # type: ignore[no-untyped-def]
    def handler(h: FakeHandler) -> None:
        h.reply(status, body, content_type, headers)

    return handler


SUBS = "reader/api/0/subscription/list"
CONTENTS = "reader/api/0/stream/contents/user/-/state/com.google/reading-list"


@pytest.mark.parametrize(
    ("handler", "message"),
    [
        (answer(200, b"<!DOCTYPE html><html>login</html>", "text/html"), "web page, not the API"),
        (answer(200, b'{"subscriptions": [', "application/json"), "not valid JSON"),
        (answer(200, b"\xff\xfe garbage \x00", "application/json"), "not valid JSON"),
        (answer(200, b"[" * 100_000, "application/json"), "not valid JSON"),
        (answer(200, b'{"nothing": 1}'), "has no subscriptions"),
        (answer(200, b"[1, 2]"), "has no subscriptions"),
        (answer(500, b"Internal error: password=abc", "text/plain"), "HTTP 500"),
        (answer(302, b"", "text/plain", Location="http://evil.test/steal"), "another host"),
        (answer(200, b"x", "application/json", **{"Content-Encoding": "br"}), "encoding"),
        (answer(200, b"x" * 100, "application/json", **{"Content-Encoding": "gzip"}), "corrupt"),
    ],
)
async def test_bad_answers_are_clear_errors(server: FakeGReader, handler, message: str) -> None:  # type: ignore[no-untyped-def]
    server.raw[SUBS] = handler
    async with client_for(server) as client:
        with pytest.raises(SyncError, match=message) as caught:
            await client.subscriptions()
    assert PASSWORD not in str(caught.value)
    assert "\n" not in str(caught.value)


async def test_a_redirect_to_another_host_is_never_followed(server: FakeGReader) -> None:
    with fake_greader() as other:
        server.raw[SUBS] = answer(307, b"", "text/plain", Location=other.base + "/" + SUBS)
        async with client_for(server) as client:
            with pytest.raises(SyncError, match="another host"):
                await client.subscriptions()
        assert other.seen == []  # the Authorization header never went there


async def test_a_redirect_on_the_same_host_is_followed_for_reads(server: FakeGReader) -> None:
    server.add_feed("http://feeds.test/a.xml")
    server.raw["old/list"] = answer(301, b"", "text/plain", Location=server.base + "/" + SUBS)
    async with client_for(server) as client:
        data = await client._json("GET", "old/list")
    assert len(data["subscriptions"]) == 1


async def test_huge_and_endless_answers_stop_at_the_cap(server: FakeGReader) -> None:
    server.raw[SUBS] = answer(200, b" " * 3_000_000)
    async with client_for(server, max_bytes=2_000_000) as client:
        with pytest.raises(SyncError, match="larger than 1 MiB"):
            await client.subscriptions()
    server.raw[SUBS] = lambda h: h.stream_forever()
    async with client_for(server, max_bytes=2_000_000) as client:
        with pytest.raises(SyncError, match="larger than"):
            await client.subscriptions()
    bomb = gzip.compress(b" " * 50_000_000)
    server.raw[SUBS] = answer(200, bomb, "application/json", **{"Content-Encoding": "gzip"})
    async with client_for(server, max_bytes=2_000_000) as client:
        with pytest.raises(SyncError, match="larger than"):
            await client.subscriptions()


async def test_a_slow_endless_answer_stops_at_the_deadline(server: FakeGReader) -> None:
    def drip(h: FakeHandler) -> None:
        h.stream_forever(b" ", seconds=10)

    server.raw[SUBS] = drip
    async with client_for(server, total_timeout=0.5, max_bytes=10**9) as client:
        with pytest.raises(SyncError, match=r"within 0\.5 s"):
            await client.subscriptions()


async def test_hostile_items_are_sanitised_or_skipped(server: FakeGReader) -> None:
    stream = server.add_feed("http://feeds.test/a.xml")
    good = server.add_item(stream, "Evil \x1b]0;pwned\x07title\x1b[31m red", "javascript:alert(1)")
    server.add_item(stream, "<b>Bold</b> &amp; more", None)
    items = [i.to_json() for i in sorted(server.items.values(), key=lambda i: i.num)]
    items.append(dict(items[0]))  # a repeated id
    items.append({"id": "not-an-id", "title": "skipped"})
    items.append("garbage")
    items.append({"id": "7", "title": 42, "canonical": "nope", "categories": [None, 5]})
    server.raw[CONTENTS] = answer(200, json.dumps({"items": items}).encode())
    async with client_for(server) as client:
        page = await client.stream_page()
        streamed = [i for p in [p async for p in client.stream()] for i in p]
    assert page.skipped == 2
    assert len(page.items) == 4
    assert [i.id for i in streamed] == [i.id for i in page.items if i is not page.items[2]]
    first = page.items[0]
    assert first.id == server.hex_id(good)
    assert first.title == "Evil title red"
    assert first.url is None  # javascript: is not a link
    assert page.items[1].title == "Bold & more" and page.items[1].url is None
    assert page.items[3].title == "" and page.items[3].id == f"{7:016x}"


@pytest.mark.parametrize("body", [b"[1, 2]", b'{"error": "busy"}', b'{"itemRefs": "x"}', b"null"])
async def test_an_id_list_without_item_refs_is_an_error_not_an_empty_list(
    server: FakeGReader, body: bytes
) -> None:
    server.raw["reader/api/0/stream/items/ids"] = answer(200, body)
    async with client_for(server) as client:
        with pytest.raises(SyncError, match="no itemRefs"):
            await client.unread_ids()


async def test_an_empty_id_list_or_stream_is_fine(server: FakeGReader) -> None:
    server.raw["reader/api/0/stream/items/ids"] = answer(200, b'{"itemRefs": null}')
    server.raw[CONTENTS] = answer(200, b'{"items": null}')
    async with client_for(server) as client:
        assert await client.unread_ids() == set()
        assert [page async for page in client.stream()] == []


async def test_a_repeated_continuation_token_stops_the_loop(server: FakeGReader) -> None:
    stream = server.add_feed("http://feeds.test/a.xml")
    item = server.add_item(stream, "T", "https://a.test/1").to_json()
    server.raw[CONTENTS] = answer(
        200, json.dumps({"items": [item], "continuation": "same"}).encode()
    )
    async with client_for(server) as client:
        with pytest.raises(SyncError, match="repeated a continuation"):
            async for _ in client.stream():
                pass
    assert len(server.calls(CONTENTS)) == 2


async def test_the_password_and_tokens_never_show(server: FakeGReader) -> None:
    calls = []

    def password() -> str:
        calls.append(1)
        return PASSWORD

    server.add_feed("http://feeds.test/a.xml")
    client = GReaderClient(server.base, "alice", password)
    await client.set_read(["0000000000000001"])
    text = repr(client) + repr(vars(client)) + str(client.__dict__)
    assert PASSWORD not in text and "token1" not in text and "T1" not in text.split("requests")[0]
    assert calls == [1]  # the password is asked for once per login
    await client.aclose()


async def test_connection_refused_is_a_plain_error() -> None:
    with fake_greader() as server:
        base = server.base
    async with GReaderClient(base, "alice", PASSWORD, connect_timeout=2) as client:
        with pytest.raises(SyncError, match="cannot connect"):
            await client.subscriptions()
