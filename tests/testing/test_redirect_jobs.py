"""Redirect import/export jobs in the fake store, through both clients: an export is
the store's own redirects as CSV, an import creates the redirects ``all()`` lists
and reports its bad rows, and job IDs the store never made are 404 (as on
BigCommerce, where the spec-driven fallback used to answer any ID)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest

from bigc import AsyncBigCommerceAPI, BigCommerceAPI
from bigc.exceptions import BadRequestError, ConflictError, DoesNotExistError, InvalidDataError
from bigc.testing import FakeServer, FakeStore
from bigc.testing._forms import FormFile, read_form

HEADER = "Domain,Old Path,Manual URL/Path,Dynamic Target Type,Dynamic Target ID"
DOMAIN = "store-abc.mybigcommerce.com"  # site 1's default domain for store hash "abc"
UNKNOWN = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
Run = Callable[..., Any]


def runner(flavor: str, store: FakeStore) -> Run:
    """``run("redirects_v3.all")``: the method's result, lists read to the end."""

    def run(name: str, *args: Any) -> Any:
        group, method = name.split(".")
        if flavor == "sync":
            api = BigCommerceAPI("abc", "t", transport=store.transport())
            result = getattr(getattr(api, group), method)(*args)
            return result if isinstance(result, (dict, list, str)) else list(result)

        async def go() -> Any:
            transport = store.async_transport()
            async with AsyncBigCommerceAPI("abc", "t", transport=transport) as api:
                result = getattr(getattr(api, group), method)(*args)
                if hasattr(result, "__aiter__"):
                    return [item async for item in result]
                return await result

        return asyncio.run(go())

    return run


@pytest.fixture(params=["sync", "async"])
def run(request: pytest.FixtureRequest) -> Run:
    return runner(request.param, FakeStore())


def upsert(run: Run, *redirects: tuple[int, str, dict[str, Any]]) -> list[dict[str, Any]]:
    body = [{"site_id": s, "from_path": p, "to": to} for s, p, to in redirects]
    saved: list[dict[str, Any]] = run("redirects_v3.update_many", body)
    return saved


def csv_file(*rows: str) -> dict[str, Any]:
    return {"import_file": ("redirects.csv", "\n".join([HEADER, *rows, ""]).encode())}


def test_an_export_downloads_exactly_the_stores_redirects(run: Run) -> None:
    run("sites_v3.create", {"channel_id": 1, "url": "https://shop.example.org"})  # site 1
    run("sites_v3.create", {"channel_id": 2, "url": "https://second.example.org/"})  # site 2
    upsert(
        run,
        (1, "/old-mug", {"type": "product", "entity_id": 77}),
        (1, "/a,b", {"type": "url", "url": "/with,comma"}),
        (2, "/sale", {"type": "url", "url": "https://elsewhere.example/"}),
    )
    job = run("redirects_v3.create_export_job", {})
    assert run("redirects_v3.download_export", job["id"]) == (
        f"{HEADER}\n"
        "shop.example.org,/old-mug,,Product,77\n"
        'shop.example.org,"/a,b","/with,comma",,\n'
        "second.example.org,/sale,https://elsewhere.example/,,\n"
    )
    [event] = run("redirects_v3.export_events", job["id"])
    assert event.event == "message"
    assert event.json() == {
        "job_id": job["id"],
        "status": "complete",
        "completed_items": 3,
        "total_items": 3,
    }


def test_an_export_takes_only_the_site_and_ids_asked_for(run: Run) -> None:
    _, second, _ = upsert(
        run,
        (1, "/one", {"type": "url", "url": "/1"}),
        (1, "/two", {"type": "brand", "entity_id": 2}),
        (3, "/three", {"type": "url", "url": "/3"}),
    )
    job = run("redirects_v3.create_export_job", {"site_id": 1, "redirect_ids": [second["id"]]})
    lines = run("redirects_v3.download_export", job["id"]).splitlines()
    assert lines == [HEADER, f"{DOMAIN},/two,,Brand,2"]
    with pytest.raises(ConflictError) as caught:  # nothing matches: BigCommerce's 409
        run("redirects_v3.create_export_job", {"site_id": 2})
    assert caught.value.status_code == 409
    with pytest.raises(InvalidDataError):
        run("redirects_v3.create_export_job", {"redirect_ids": ["1"]})


def test_an_import_creates_the_redirects_and_reports_bad_rows(run: Run) -> None:
    upsert(run, (1, "/kept", {"type": "url", "url": "/before"}))
    job = run(
        "redirects_v3.create_import_job",
        csv_file(
            f"{DOMAIN},/kept,/after,,",  # the same site and old path: overwritten
            f"{DOMAIN.upper()},/cat,,category,5",
            "unknown.example,/lost,/found,,",
            f"{DOMAIN},no-slash,/x,,",
            f"{DOMAIN},/both,/x,Product,1",
            f"{DOMAIN},/neither,,,",
            f"{DOMAIN},/thing,,Thing,1",
            f"{DOMAIN},/short",
        ),
    )
    listed = run("redirects_v3.all")
    assert [(r["id"], r["site_id"], r["from_path"], r["to"]) for r in listed] == [
        (1, 1, "/kept", {"type": "url", "url": "/after"}),
        (2, 1, "/cat", {"type": "category", "entity_id": 5}),
    ]
    [event] = run("redirects_v3.import_events", job["id"])
    report = event.json()
    assert (report["job_id"], report["status"]) == (job["id"], "complete")
    assert (report["total_items"], report["completed_items"], report["failed_items"]) == (8, 2, 6)
    assert [e["row"] for e in report["errors"]] == [4, 5, 6, 7, 8, 9]
    assert report["errors"][0]["message"] == "No site has the domain 'unknown.example'."
    jobs = run("redirects_v3.all_imex_jobs")
    assert [(j["id"], j["type"], j["failed_items"]) for j in jobs] == [(job["id"], "import", 6)]
    assert jobs[0]["errors"] == report["errors"]


@pytest.mark.parametrize(
    "form",
    [
        {"import_file": ("r.csv", b"Domain,Old Path\nx,/y\n")},  # another header
        {"import_file": ("r.csv", b"")},  # no header at all
        {"import_file": ("r.png", b"\x89PNG\r\n\x1a\n\xff\xfe")},  # not text
        {"other_file": ("r.csv", HEADER.encode())},  # no import_file field
    ],
    ids=["wrong-header", "empty", "not-text", "no-field"],
)
def test_an_import_without_a_csv_of_that_header_is_400(run: Run, form: dict[str, Any]) -> None:
    with pytest.raises(BadRequestError) as caught:
        run("redirects_v3.create_import_job", form)
    assert caught.value.status_code == 400
    assert run("redirects_v3.all_imex_jobs") == []


def test_an_import_sent_as_json_is_400() -> None:
    store = FakeStore()
    reply = store.handle(
        "POST",
        "/stores/abc/v3/storefront/redirects/imex/import",
        {"X-Auth-Token": "t", "Content-Type": "application/json"},
        json.dumps({"import_file": f"{HEADER}\n{DOMAIN},/a,/b,,\n"}).encode(),
    )
    assert reply.status == 400
    assert json.loads(reply.body)["title"].startswith("The form data must have")


def test_an_import_file_over_20_mb_is_413() -> None:
    from urllib3.filepost import encode_multipart_formdata

    from bigc.testing._redirect_jobs import MAX_IMPORT_BYTES

    row = f"{DOMAIN},/a,/b,,\n".encode()
    for size, status in ((MAX_IMPORT_BYTES, 201), (MAX_IMPORT_BYTES + 1, 413)):
        content = (HEADER + "\n").encode() + row
        blank = b" " * 99_999 + b"\n"  # padding: blank lines (skipped), each one short cell
        content += blank * ((size - len(content)) // len(blank))
        content += b" " * (size - len(content))
        body, content_type = encode_multipart_formdata({"import_file": ("r.csv", content)})
        reply = FakeStore().handle(
            "POST",
            "/stores/abc/v3/storefront/redirects/imex/import",
            {"X-Auth-Token": "t", "Content-Type": content_type},
            body,
        )
        assert reply.status == status, reply.body[:200]


@pytest.mark.parametrize("method", ["download_export", "export_events", "import_events"], ids=str)
def test_a_job_the_store_never_made_is_404(run: Run, method: str) -> None:
    with pytest.raises(DoesNotExistError) as caught:
        run(f"redirects_v3.{method}", UNKNOWN)
    assert caught.value.status_code == 404 and UNKNOWN in str(caught.value)


def test_an_export_is_not_an_import_nor_the_reverse(run: Run) -> None:
    upsert(run, (1, "/a", {"type": "url", "url": "/b"}))
    export = run("redirects_v3.create_export_job", {})["id"]
    imported = run("redirects_v3.create_import_job", csv_file(f"{DOMAIN},/c,/d,,"))["id"]
    for method, job_id in (
        ("import_events", export),
        ("export_events", imported),
        ("download_export", imported),
    ):
        with pytest.raises(DoesNotExistError):
            run(f"redirects_v3.{method}", job_id)


def test_redirect_upserts_and_deletes_are_checked(run: Run) -> None:
    for bad in (
        {"site_id": 1, "from_path": "/a"},  # no target
        {"site_id": 1, "from_path": "a", "to": {"type": "url", "url": "/b"}},
        {"site_id": 1, "from_path": "/a", "to": {"type": "product"}},
        {"from_path": "/a", "to": {"type": "url", "url": "/b"}},
    ):
        with pytest.raises(InvalidDataError):
            run("redirects_v3.update_many", [bad])
    upsert(run, (1, "/a", {"type": "url", "url": "/b"}), (2, "/c", {"type": "url", "url": "/d"}))
    with pytest.raises(InvalidDataError):  # a bulk delete names what it deletes
        run("redirects_v3.delete_many")
    assert [r["from_path"] for r in run("redirects_v3.all")] == ["/a", "/c"]


def test_a_bulk_delete_takes_the_filtered_redirects() -> None:
    store = FakeStore()
    store.api(
        "PUT",
        "/v3/storefront/redirects",
        json=[
            {"site_id": 1, "from_path": "/a", "to": {"type": "url", "url": "/b"}},
            {"site_id": 2, "from_path": "/c", "to": {"type": "url", "url": "/d"}},
        ],
    )
    store.api("DELETE", "/v3/storefront/redirects", site_id=2)
    assert [r["from_path"] for r in store.api("GET", "/v3/storefront/redirects")["data"]] == ["/a"]
    again = {"site_id": 2, "from_path": "/c", "to": {"type": "url", "url": "/e"}}
    [made] = store.api("PUT", "/v3/storefront/redirects", json=[again])["data"]
    assert made["id"] == 3  # a new redirect: the deleted one is gone for good


def test_a_form_file_keeps_its_bytes() -> None:
    from urllib3.filepost import encode_multipart_formdata

    body, content_type = encode_multipart_formdata(
        {"import_file": ("r.csv", b"a,b\n"), "note": "hi"}
    )
    fields, bad = read_form(body, content_type)
    assert not bad and fields is not None
    upload = fields["import_file"]
    assert isinstance(upload, FormFile) and upload == "r.csv" and upload.content == b"a,b\n"
    assert fields["note"] == "hi" and not isinstance(fields["note"], FormFile)


async def test_a_round_trip_over_a_served_store() -> None:
    store = FakeStore()
    with FakeServer(store) as server:
        async with AsyncBigCommerceAPI("abc", "t", base_url=server.base_url) as api:
            group = api.redirects_v3
            job = await group.create_import_job(csv_file(f"{DOMAIN},/old,,Post,9"))
            [event] = await group.import_events(job["id"])
            assert (event.json()["completed_items"], event.json()["errors"]) == (1, [])
            export = await group.create_export_job({"site_id": 1})
            text = await group.download_export(export["id"])
            assert text == f"{HEADER}\n{DOMAIN},/old,,Post,9\n"
            with pytest.raises(DoesNotExistError):
                await group.download_export(job["id"])


def test_a_list_finds_by_keyword_sorts_and_shows_target_urls() -> None:
    store = FakeStore.with_sample_data(products=2, customers=0, orders=0)
    product_url = store.api("GET", "/v3/catalog/products/2")["data"]["custom_url"]["url"]
    store.api(
        "PUT",
        "/v3/storefront/redirects",
        json=[
            {"site_id": 1, "from_path": "/blue-shirt", "to": {"type": "url", "url": "/shirts"}},
            {
                "site_id": 1,
                "from_path": "/royal-blue",
                "to": {"type": "url", "url": "https://x.io/"},
            },
            {"site_id": 1, "from_path": "/Blue", "to": {"type": "product", "entity_id": 2}},
            {"site_id": 1, "from_path": "/gone", "to": {"type": "brand", "entity_id": 999}},
        ],
    )

    def listed(**query: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = store.api("GET", "/v3/storefront/redirects", **query)["data"]
        return found

    # From the start of the path only, as BigCommerce documents: not /royal-blue.
    assert [r["from_path"] for r in listed(keyword="blue")] == ["/blue-shirt", "/Blue"]
    by_type = [r["to"]["type"] for r in listed(sort="type", direction="desc")]
    assert by_type == ["url", "url", "product", "brand"]
    assert all("to_url" not in r for r in listed())
    urls = {r["from_path"]: r.get("to_url") for r in listed(include="to_url")}
    assert urls == {
        "/blue-shirt": "https://store-store.mybigcommerce.com/shirts",
        "/royal-blue": "https://x.io/",
        "/Blue": f"https://store-store.mybigcommerce.com{product_url}",
        "/gone": None,  # the brand does not exist: no URL to show
    }
