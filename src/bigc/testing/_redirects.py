"""Storefront redirects v3: the 301 redirects of each site, kept by the store.

Hand-written (not spec-driven) because the import/export jobs
(``_redirect_jobs``) read and write the same redirects. A redirect is keyed
by its site and old path: an upsert with a known ``(site_id, from_path)``
overwrites that redirect, as BigCommerce documents, else creates one.
Its target ``to`` is a manual URL (``type`` "url" with ``url``) or a
dynamic one (a product, brand, category, page or post and its ``entity_id``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bigc.testing._http import Call, json_reply, no_content
from bigc.testing._listing import fields_of, has_filters, select, v3_list
from bigc.testing._reply import Reply
from bigc.testing._routes import Route
from bigc.testing._table import Record, Table

__all__ = ["DYNAMIC_TYPES", "Redirects"]

DYNAMIC_TYPES = ("product", "brand", "category", "page", "post")
REDIRECT_FIELDS = fields_of(id="int", site_id="int")
PATH = "/v3/storefront/redirects"


class Redirects:
    def __init__(self) -> None:
        self.table = Table()

    def routes(self) -> list[Route]:
        return [
            ("GET", PATH, self.list_redirects),
            ("PUT", PATH, self.upsert),
            ("DELETE", PATH, self.delete),
        ]

    def list_redirects(self, call: Call) -> Reply:
        matches = list(select(call, self.table, REDIRECT_FIELDS))
        keyword = call.query.get("keyword")
        if keyword:
            matches = [r for r in matches if keyword.lower() in _text_of(r).lower()]
        return v3_list(call, matches)

    def upsert(self, call: Call) -> Reply:
        items = call.json_list()
        if not items:
            raise call.invalid("The request body must name at least one redirect.")
        checked = [self.checked(call, n, item) for n, item in enumerate(items)]
        saved = [self.save(site_id, from_path, to) for site_id, from_path, to in checked]
        return json_reply(201, {"data": saved, "meta": {}})

    def delete(self, call: Call) -> Reply:
        if not has_filters(call, REDIRECT_FIELDS):
            raise call.invalid("At least one filter (id:in or site_id) is required.")
        for record in list(select(call, self.table, REDIRECT_FIELDS)):
            self.table.delete(record["id"])
        return no_content()

    # -- shared with the import/export jobs -------------------------------------------------

    def save(self, site_id: int, from_path: str, to: Record) -> Record:
        """Create the redirect, or overwrite the one with the same site and old path."""
        for record in self.table:
            if record["site_id"] == site_id and record["from_path"] == from_path:
                record["to"] = to
                return record
        return self.table.put(
            {"id": self.table.new_id(), "site_id": site_id, "from_path": from_path, "to": to}
        )

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


def _text_of(record: Record) -> str:
    return f"{record['from_path']} {record['to'].get('url', '')}"
