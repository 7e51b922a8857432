"""Every spec-driven answer of the fake store against the official OpenAPI files.

One walk over the endpoint table calls each operation without hand-written
behaviour once (create, list, get, update, then deletes, deepest first), on
items that exist, and each answer is validated with openapi-core against the
response schema the spec declares for its status.
"""

from __future__ import annotations

import pytest

from bigc.testing import FakeStore
from tests.testing.spec_walk import Sent, Walk, check_answer, hand_written, operation, sender

# Where the official files contradict themselves, so that no answer can satisfy
# every operation of one resource (strict xfail: fixing one turns the test red).
SPEC_FLAWS = {
    "POST /v3/catalog/products/{product_id}/images": "image_url: a URI here, any text in GET",
    "PUT /v3/catalog/products/{product_id}/images/{image_id}": "image_url: as for POST",
    "POST /v3/catalog/products/{product_id}/options": "config dates: date-time here, date in GET",
    "DELETE /v3/storefront/api-token": "declares a body for 200 with no media type",
}
# Items addressed by two IDs (``/records/{variant_id}/{currency_code}``) are not
# kept apart from their one-ID collection yet.
TWO_ID_ITEMS = "/pricelists/{price_list_id}/records/{variant_id}/{currency_code}"


def _walk() -> list[Sent]:
    store = FakeStore.with_sample_data(products=3, customers=3, orders=3, seed=2)
    walk = Walk(sender(store), lambda row: hand_written(store, row))
    return [s for s in walk.run() if s.row.path != TWO_ID_ITEMS]


SENT = _walk()


def test_the_walk_reaches_every_spec_driven_operation() -> None:
    assert len(SENT) > 500


@pytest.mark.parametrize(
    "sent", SENT, ids=[f"{s.row.http_method} /{s.row.api}{s.row.path}" for s in SENT]
)
def test_answer_matches_the_official_spec(sent: Sent) -> None:
    flaw = SPEC_FLAWS.get(f"{sent.row.http_method} /{sent.row.api}{sent.row.path}")
    if operation(sent.row).declared == "object":
        flaw = "the file declares one object for a list; the store answers a list"
    if flaw:
        pytest.xfail(flaw)
    assert sent.status < 400, sent.body
    check_answer(sent)
