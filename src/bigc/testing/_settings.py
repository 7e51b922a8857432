"""Currencies v2 and webhooks v3: plain CRUD with a few store rules.

A fresh store has one currency, USD (id 1), which is the default and cannot be
deleted. Webhook destinations must be ``https://`` URLs, as BigCommerce
requires; webhook times are Unix timestamps.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from bigc.testing._crud import Crud, Kind, money_strings
from bigc.testing._dates import iso, utcnow
from bigc.testing._http import Call, no_content
from bigc.testing._listing import fields_of, v3_one
from bigc.testing._reply import Reply
from bigc.testing._routes import Route
from bigc.testing._table import Record, Table

__all__ = ["Currencies", "Webhooks"]


def currency_template() -> Record:
    return {
        "id": 0,
        "is_default": False,
        "last_updated": "",
        "country_iso2": "",
        "default_for_country_codes": [],
        "currency_code": "",
        "currency_exchange_rate": "1.0000000000",
        "name": "",
        "token": "$",
        "auto_update": False,
        "token_location": "left",
        "decimal_token": ".",
        "thousands_token": ",",
        "decimal_places": 2,
        "enabled": True,
        "is_transactional": True,
        "use_default_name": False,
    }


def webhook_template() -> Record:
    return {
        "id": 0,
        "client_id": "",
        "store_hash": "",
        "scope": "",
        "destination": "",
        "headers": None,
        "is_active": True,
        "created_at": 0,
        "updated_at": 0,
    }


CURRENCY = Kind(
    "currency",
    currency_template,
    required=(
        "name",
        "currency_code",
        "currency_exchange_rate",
        "token_location",
        "token",
        "decimal_token",
        "thousands_token",
        "decimal_places",
    ),
    readonly=frozenset({"id", "last_updated", "is_default"}),
)


class Currencies(Crud):
    def __init__(self) -> None:
        super().__init__(
            Table(unique="currency_code"), CURRENCY, fields_of(id="int", currency_code="str")
        )
        usd = {"currency_code": "USD", "name": "US Dollar", "country_iso2": "US"}
        self.seed({**usd, "is_default": True, "last_updated": iso(utcnow())})

    def routes(self, base: str = "/v2/currencies", *, batch_delete: bool = False) -> list[Route]:
        return [*super().routes(base), ("DELETE", base, self.delete_all)]

    def normalize(self, body: Mapping[str, Any]) -> Mapping[str, Any]:
        return money_strings(body, frozenset({"currency_exchange_rate"}), "{:.10f}".format)

    def prepare(self, call: Call, changes: Record, existing: Record | None) -> None:
        changes["last_updated"] = iso(utcnow())

    def remove(self, call: Call, record_id: int) -> Record:
        if self.find(call, record_id)["is_default"]:
            raise call.invalid("The default currency cannot be deleted.")
        return super().remove(call, record_id)

    def delete_all(self, call: Call) -> Reply:
        for record in list(self.table):
            if not record["is_default"]:
                self.table.delete(record["id"])
        return no_content()


class Webhooks(Crud):
    def __init__(self) -> None:
        super().__init__(
            Table(),
            Kind("webhook", webhook_template, required=("scope", "destination")),
            fields_of(id="int", scope="str", destination="str", is_active="bool"),
        )

    def routes(self, base: str = "/v3/hooks", *, batch_delete: bool = False) -> list[Route]:
        return super().routes(base)

    def prepare(self, call: Call, changes: Record, existing: Record | None) -> None:
        destination = changes.get("destination")
        if destination is not None and not str(destination).startswith("https://"):
            raise call.invalid(
                "The destination must be an https:// URL.", {"destination": "must use https"}
            )
        self._check_one_per_scope_and_destination(call, changes, existing)
        now = int(time.time())
        changes["updated_at"] = now
        if existing is None:
            changes.update(created_at=now, store_hash=call.store_hash, client_id="bigc-fake-store")

    def _check_one_per_scope_and_destination(
        self, call: Call, changes: Record, existing: Record | None
    ) -> None:
        """BigCommerce keeps one hook per store, app, scope and destination; an app
        that creates its hooks again on every install must fail here as it would there."""
        old = existing or {"store_hash": call.store_hash}
        wanted = {k: changes.get(k, old.get(k)) for k in ("scope", "destination")}
        for hook in self.table:
            same_store = hook is not existing and hook.get("store_hash") == old["store_hash"]
            if same_store and all(hook.get(k) == v for k, v in wanted.items()):
                raise call.invalid(
                    f"A webhook for {wanted['scope']} and this destination already exists "
                    f"(id {hook['id']}).",
                    {"destination": "must be unique per scope"},
                )

    def delete(self, call: Call) -> Reply:
        """BigCommerce answers a webhook delete with the deleted webhook."""
        record = self.remove(call, call.int_arg(-1))
        return v3_one(call, record)
