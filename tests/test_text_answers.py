"""The operations that answer text, through both clients against the fake store:
a redirect export downloads as CSV text, and job progress comes as events."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bigc import AsyncBigCommerceAPI, BigCommerceAPI, Request, ServerSentEvent
from bigc.exceptions import InvalidResponseError
from bigc.testing import FakeStore

DEPLOYMENT = "019500e2-933d-7057-8e81-090dd7240795"


def an_export(store: FakeStore) -> str:
    """The ID of an export job of one redirect (unknown job IDs are 404, as on BigCommerce)."""
    redirect = {"site_id": 1, "from_path": "/old", "to": {"type": "url", "url": "/new"}}
    store.api("PUT", "/v3/storefront/redirects", json=[redirect])
    job_id: str = store.api("POST", "/v3/storefront/redirects/imex/export", json={})["id"]
    return job_id


def call(flavor: str, store: FakeStore, method: str, *args: Any, **options: Any) -> Any:
    """``api.<method>(*args)`` through the sync or the async client; the result and the request."""
    sent: list[Request] = []
    hooks = {"request": [sent.append]}
    group, name = method.split(".")
    if flavor == "sync":
        api = BigCommerceAPI("s", "t", transport=store.transport(), event_hooks=hooks)
        return getattr(getattr(api, group), name)(*args, **options), sent[-1]

    async def run() -> Any:
        transport = store.async_transport()
        async with AsyncBigCommerceAPI("s", "t", transport=transport, event_hooks=hooks) as api:
            return await getattr(getattr(api, group), name)(*args, **options)

    return asyncio.run(run()), sent[-1]


by_flavor = pytest.mark.parametrize("flavor", ["sync", "async"])


@by_flavor
def test_a_redirect_export_downloads_as_csv_text(flavor: str) -> None:
    store = FakeStore()
    export = an_export(store)
    text, request = call(flavor, store, "redirects_v3.download_export", export)
    assert (
        text.splitlines()[0]
        == "Domain,Old Path,Manual URL/Path,Dynamic Target Type,Dynamic Target ID"
    )
    assert request.headers["Accept"] == "*/*"
    assert request.url.endswith(f"/v3/storefront/redirects/imex/export/{export}/download")


@by_flavor
def test_a_deployment_streams_its_progress_as_events(flavor: str) -> None:
    events, request = call(flavor, FakeStore(), "hosting_v3.get_deployment_event", DEPLOYMENT)
    assert all(isinstance(e, ServerSentEvent) and e.event == "message" for e in events)
    statuses = [e.json()["deployment_status"] for e in events]
    assert statuses[0] == "queued" and len(statuses) >= 2
    assert {e.json()["deployment_uuid"] for e in events} == {DEPLOYMENT}
    assert request.headers["Accept"] == "text/event-stream"


@by_flavor
def test_the_callers_accept_header_wins(flavor: str) -> None:
    store = FakeStore()
    _, request = call(
        flavor,
        store,
        "redirects_v3.export_events",
        an_export(store),
        headers={"accept": "text/event-stream; q=1"},
    )
    assert [v for k, v in request.headers.items() if k.lower() == "accept"] == [
        "text/event-stream; q=1"
    ]


@by_flavor
def test_a_csv_that_is_not_utf8_is_an_invalid_response(flavor: str) -> None:
    store = FakeStore()
    export = an_export(store)
    store.fail(
        "GET",
        "*/download",
        status=200,
        body=b"Domain\n\xff\n",
        headers={"Content-Type": "text/csv"},
    )
    with pytest.raises(InvalidResponseError, match="not valid utf-8") as caught:
        call(flavor, store, "redirects_v3.download_export", export)
    assert caught.value.status_code == 200
