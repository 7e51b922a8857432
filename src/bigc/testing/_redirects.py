"""Storefront redirects v3: the 301 redirects of each site, kept by the store.

Hand-written (not spec-driven) because the import/export jobs
(``_redirect_jobs``) read and write the same redirects. A redirect is keyed
by its site and old path: an upsert with a known ``(site_id, from_path)``
overwrites that redirect, as BigCommerce documents, else creates one.
Its target ``to`` is a manual URL (``type`` "url" with ``url``) or a
dynamic one (a product, brand, category, page or post and its ``entity_id``).

A site's domain is the host of its ``url`` (``/v3/sites``); site 1, the
default storefront every store has, is ``store-{store_hash}.mybigcommerce.com``
while no site record says otherwise. ``include=to_url`` shows the full target
URL: a manual path on the site's domain, or the URL of the product, brand,
category, page or post as the store has it (left out when that is gone).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from bigc.testing._http import Call, json_reply, no_content
from bigc.testing._listing import by_key, fields_of, has_filters, select, v3_list
from bigc.testing._reply import Reply
from bigc.testing._routes import Route
from bigc.testing._table import Record, Table

__all__ = ["DYNAMIC_TYPES", "Redirects"]

DYNAMIC_TYPES = ("product", "brand", "category", "page", "post")
DELETE_FIELDS = fields_of(id="int", site_id="int")
# What a list filters and sorts by (``sort=type`` sorts by the target's type).
LIST_FIELDS = {
    **DELETE_FIELDS,
    "from_path": by_key("str", "from_path"),
    "type": by_key("str", "to.type"),
}
PATH = "/v3/storefront/redirects"
# Where the store keeps each dynamic target, and its URL's key there.
TARGETS = {
    "product": ("/v3/catalog/products/{}", "custom_url"),
    "brand": ("/v3/catalog/brands/{}", "custom_url"),
    "category": ("/v3/catalog/categories/{}", "custom_url"),
    "page": ("/v3/content/pages/{}", "url"),
    "post": ("/v2/blog/posts/{}", "url"),
}
Read = Callable[[Call, str, dict[str, str]], Any]


class Redirects:
    """``read(call, path, query)``: what a GET answers, through the whole store."""

    def __init__(self, read: Read) -> None:
        self.table = Table()
        self.read = read
        self._by_path: dict[tuple[int, str], Record] = {}

    def routes(self) -> list[Route]:
        return [
            ("GET", PATH, self.list_redirects),
            ("PUT", PATH, self.upsert),
            ("DELETE", PATH, self.delete),
        ]

    def list_redirects(self, call: Call) -> Reply:
        matches = list(select(call, self.table, LIST_FIELDS))
        keyword = call.query.get("keyword", "").lstrip("/").lower()
        if keyword:  # from the start of the path: "blue" finds /blue-shirt, not /royal-blue
            matches = [r for r in matches if r["from_path"].lstrip("/").lower().startswith(keyword)]
        if "to_url" not in call.query.get("include", "").split(","):
            return v3_list(call, matches)
        domains = self.domains(call)
        return v3_list(call, matches, lambda r: self._with_to_url(call, r, domains))

    def upsert(self, call: Call) -> Reply:
        items = call.json_list()
        if not items:
            raise call.invalid("The request body must name at least one redirect.")
        checked = [self.checked(call, n, item) for n, item in enumerate(items)]
        saved = [self.save(site_id, from_path, to) for site_id, from_path, to in checked]
        return json_reply(201, {"data": saved, "meta": {}})

    def delete(self, call: Call) -> Reply:
        if not has_filters(call, DELETE_FIELDS):
            raise call.invalid("At least one filter (id:in or site_id) is required.")
        for record in list(select(call, self.table, DELETE_FIELDS)):
            self.table.delete(record["id"])
            del self._by_path[record["site_id"], record["from_path"]]
        return no_content()

    # -- shared with the import/export jobs -------------------------------------------------

    def save(self, site_id: int, from_path: str, to: Record) -> Record:
        """Create the redirect, or overwrite the one with the same site and old path."""
        record = self._by_path.get((site_id, from_path))
        if record is not None:
            record["to"] = to
            return record
        record = {"id": self.table.new_id(), "site_id": site_id, "from_path": from_path, "to": to}
        self._by_path[site_id, from_path] = record
        return self.table.put(record)

    def domains(self, call: Call) -> dict[int, str]:
        """Each site's domain (lower case) by site ID, site 1's default included."""
        found = {1: f"store-{call.store_hash}.mybigcommerce.com".lower()}
        sites = self.read(call, "/v3/sites", {"limit": "250"})
        for site in sites if isinstance(sites, list) else []:
            host = urlsplit(str(site.get("url", ""))).hostname if isinstance(site, dict) else None
            if host and isinstance(site.get("id"), int):
                found[site["id"]] = host.lower()
        return found

    def _with_to_url(self, call: Call, record: Record, domains: dict[int, str]) -> Record:
        to = record["to"]
        if to["type"] == "url":
            path = to["url"]
        else:
            where, key = TARGETS[to["type"]]
            target = self.read(call, where.format(to["entity_id"]), {})
            path = target.get(key) if isinstance(target, dict) else None
            path = path.get("url") if isinstance(path, dict) else path
        if not isinstance(path, str) or not path:
            return record
        if urlsplit(path).scheme:  # a manual target may be a full URL elsewhere
            return {**record, "to_url": path}
        domain = domains.get(record["site_id"])
        return {**record, "to_url": f"https://{domain}{path}"} if domain else record

    def checked(self, call: Call, n: int, item: Any) -> tuple[int, str, Record]:
        """(site_id, from_path, to) of upsert item ``n``, or 422 naming what is wrong."""
        if not isinstance(item, dict):
            raise call.invalid(f"Redirect {n} must be an object.", {str(n): "must be an object"})
        site_id, from_path = item.get("site_id"), item.get("from_path")
        if not isinstance(site_id, int) or isinstance(site_id, bool) or site_id < 1:
            raise call.invalid(f"Redirect {n} needs a site_id.", {f"{n}.site_id": "required"})
        if not isinstance(from_path, str) or not from_path.startswith("/"):
            raise call.invalid(
                f"Redirect {n} needs a from_path starting with '/'.",
                {f"{n}.from_path": "required"},
            )
        problem, to = target_of(item.get("to"))
        if problem:
            raise call.invalid(f"Redirect {n}: {problem}", {f"{n}.to": problem})
        return site_id, from_path, to


def target_of(to: Any) -> tuple[str, Record]:
    """(what is wrong with a redirect's ``to`` or "", the ``to`` to store)."""
    if not isinstance(to, Mapping):
        return "the target 'to' must be an object.", {}
    kind = to.get("type")
    if kind == "url":
        url = to.get("url")
        if not isinstance(url, str) or not url or len(url) > 2048:
            return "a manual target needs a url of at most 2048 characters.", {}
        return "", {"type": "url", "url": url}
    entity = to.get("entity_id")
    if kind not in DYNAMIC_TYPES:
        return f"the target type must be one of url, {', '.join(DYNAMIC_TYPES)}.", {}
    if not isinstance(entity, int) or isinstance(entity, bool) or entity < 1:
        return f"a {kind} target needs an entity_id.", {}
    return "", {"type": kind, "entity_id": entity}
