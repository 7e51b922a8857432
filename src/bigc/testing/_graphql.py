"""GraphQL for the fake store: the Admin API (``/stores/{hash}/graphql``), the
Storefront API (``/graphql`` on the store's domain) and storefront tokens.

graphql-core parses, validates and executes; this module holds a small schema
over the store's own tables (products with prices and variants, categories,
customers, orders), cursor connections, a complexity score sent in
``X-Bc-Graphql-Complexity`` (over 10,000 is refused, as BigCommerce does) and
the storefront's sessions: guest, customer (``X-Bc-Customer-Access-Token``
from the ``login`` mutation) and impersonation (``X-Bc-Customer-Id`` with a
customer impersonation token).
"""

from __future__ import annotations

import base64
import bisect
import functools
import hashlib
import secrets
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionSetNode,
    build_schema,
    execute_sync,
    get_operation_ast,
    parse,
    validate,
    value_from_ast_untyped,
)

from bigc._models import Headers
from bigc.testing._catalog import Categories
from bigc.testing._customers import Customers
from bigc.testing._expiring import DEFAULT_MAX_TOKENS, Expiring
from bigc.testing._http import ApiError, Call, json_reply
from bigc.testing._orders import Orders
from bigc.testing._products import Products
from bigc.testing._reply import Reply
from bigc.testing._routes import Route
from bigc.testing._table import Record, Table

__all__ = ["GraphQLService"]

MAX_COMPLEXITY = 10_000
MAX_PAGE = 50  # BigCommerce's largest ``first``
MAX_TOKENS = 20_000  # bounds the work one request can ask of the parser
DEFAULT_PAGE = 10
CUSTOMER_TOKEN_LIFETIME = timedelta(days=1)
WRITE_KEY = "POST /graphql"  # how FakeStore.writes counts mutations that changed something

_COMMON = """
type PageInfo {
  hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String
}
type Money { value: Float! currencyCode: String! }
type Prices { price: Money! salePrice: Money retailPrice: Money }
type Category { entityId: Int! name: String! description: String! }
type CategoryEdge { cursor: String! node: Category! }
type CategoryConnection { pageInfo: PageInfo! edges: [CategoryEdge!]! }
type Variant { entityId: Int! sku: String! prices: Prices! inventoryLevel: Int! }
type VariantEdge { cursor: String! node: Variant! }
type VariantConnection { pageInfo: PageInfo! edges: [VariantEdge!]! }
type Product {
  entityId: Int! name: String! sku: String! prices: Prices!
  categories(first: Int = 10, after: String): CategoryConnection!
  variants(first: Int = 10, after: String): VariantConnection!
}
type ProductEdge { cursor: String! node: Product! }
type ProductConnection { pageInfo: PageInfo! edges: [ProductEdge!]! }
type Order {
  entityId: Int! status: String! customerId: Int! totalIncTax: Money! createdAt: String!
}
type OrderEdge { cursor: String! node: Order! }
type OrderConnection { pageInfo: PageInfo! edges: [OrderEdge!]! }
type Customer {
  entityId: Int! email: String! firstName: String! lastName: String!
  orders(first: Int = 10, after: String): OrderConnection!
}
type CustomerEdge { cursor: String! node: Customer! }
type CustomerConnection { pageInfo: PageInfo! edges: [CustomerEdge!]! }
type Site {
  products(first: Int = 10, after: String): ProductConnection!
  product(entityId: Int!): Product
  categories(first: Int = 10, after: String): CategoryConnection!
}
"""
_ADMIN = """
type Query {
  site: Site!
  customer(entityId: Int!): Customer
  customers(first: Int = 10, after: String): CustomerConnection!
  orders(first: Int = 10, after: String): OrderConnection!
}
input UpdateProductInput { productId: Int! name: String price: Float }
type UpdateProductResult { product: Product! }
type Mutation { updateProduct(input: UpdateProductInput!): UpdateProductResult }
"""
_STOREFRONT = """
type Query { site: Site! customer: Customer }
type CustomerAccessToken { value: String! expiresAt: String! }
type LoginResult { result: String! customer: Customer customerAccessToken: CustomerAccessToken! }
type LogoutResult { result: String! }
type Mutation { login(email: String!, password: String!): LoginResult logout: LogoutResult }
"""

Node = dict[str, Any]
TOKEN_PATHS = {
    "/v3/storefront/api-token": "storefront",
    "/v3/storefront/api-token-private": "private",
    "/v3/storefront/api-token-customer-impersonation": "impersonation",
}


@dataclass(frozen=True)
class _Token:
    kind: str  # storefront, private or impersonation
    scopes: frozenset[str]


@dataclass(frozen=True)
class _Session:
    """Who a storefront request speaks for."""

    customer_id: int | None = None
    customer_token: str | None = None


@functools.cache
def _schema(roots: str) -> GraphQLSchema:
    """The schema with these root types, built once per process (it never changes)."""
    return build_schema(_COMMON + roots)


def _money(value: Any) -> Node:
    return {"value": round(float(value or 0), 4), "currencyCode": "USD"}


def _cursor(kind: str, record_id: int) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{record_id}".encode()).decode()


def _after_id(kind: str, cursor: str) -> int:
    try:
        prefix, _, number = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if prefix == kind and number.isdigit():
            return int(number)
    except ValueError:
        pass
    raise GraphQLError(f"The cursor {cursor!r} is not valid here.", extensions={"code": "CURSOR"})


def _gql_error(error: ApiError) -> GraphQLError:
    extensions: dict[str, Any] = {"status": error.status}
    if error.errors:
        extensions["fields"] = error.errors
    return GraphQLError(error.message, extensions=extensions)


def _errors_reply(status: int, message: str) -> Reply:
    return json_reply(status, {"errors": [{"message": message}]})


class GraphQLService:
    """Answers GraphQL requests over the store's tables; one per store."""

    def __init__(
        self,
        products: Products,
        categories: Categories,
        customers: Customers,
        orders: Orders,
        writes: Counter[str],
        on_write: Callable[[Call, Reply], None] | None = None,
        clock: Callable[[], float] = time.time,
        max_tokens: int = DEFAULT_MAX_TOKENS,
    ) -> None:
        self._products = products
        self._categories = categories
        self._customers = customers
        self._orders = orders
        self._writes = writes
        self._on_write = on_write  # what a REST write would set off (webhooks)
        self._clock = clock
        # Storefront tokens and customer sessions: each at most ``max_tokens`` alive.
        self._tokens = Expiring[_Token](max_tokens, clock)
        self._customer_tokens = Expiring[int](max_tokens, clock)

    # -- storefront tokens (v3 REST) ----------------------------------------------

    def routes(self) -> list[Route]:
        return [
            *[("POST", path, self.create_token) for path in TOKEN_PATHS],
            ("DELETE", "/v3/storefront/api-token", self.revoke_token),
        ]

    def revoke_token(self, call: Call) -> Reply:
        """``DELETE /v3/storefront/api-token`` with the token in ``Sf-Api-Token``: from
        now on it fails as an expired one does (impersonation tokens only expire)."""
        sent = (call.headers.get("sf-api-token") or "").strip()
        token = self._tokens.get(sent)
        if token is None or token.kind == "impersonation":
            raise ApiError(422, "Sf-Api-Token must name a storefront or private token.")
        self._tokens.pop(sent)
        return Reply(200)

    def create_token(self, call: Call) -> Reply:
        """``POST /v3/storefront/api-token[-private|-customer-impersonation]``."""
        kind = TOKEN_PATHS[call.path]
        body = call.json_object()
        expires_at = body.get("expires_at")
        if isinstance(expires_at, bool) or not isinstance(expires_at, int):
            raise call.invalid("expires_at is required.", {"expires_at": "required"})
        if expires_at <= self._clock():
            raise call.invalid("expires_at must be in the future.", {"expires_at": "invalid"})
        has_one, has_many = "channel_id" in body, "channel_ids" in body
        if has_one == has_many:
            raise call.invalid("Give either channel_id or channel_ids.", {"channel_id": "required"})
        channels = [body["channel_id"]] if has_one else body["channel_ids"]
        if not isinstance(channels, list) or not all(
            isinstance(c, int) and not isinstance(c, bool) and c >= 1 for c in channels
        ):
            raise call.invalid("Channel IDs must be positive integers.", {"channel_id": "invalid"})
        origins = body.get("allowed_cors_origins")
        if origins is not None and (
            not isinstance(origins, list)
            or not 1 <= len(origins) <= 2
            or not all(isinstance(o, str) and o for o in origins)
        ):
            raise call.invalid(
                "allowed_cors_origins takes one or two origins.",
                {"allowed_cors_origins": "invalid"},
            )
        scopes = body.get("scopes")
        if kind == "private" and (not isinstance(scopes, list) or not scopes):
            raise call.invalid("scopes are required for a private token.", {"scopes": "required"})
        token = "sf." + secrets.token_urlsafe(24)
        self._tokens.put(token, _Token(kind, frozenset(scopes or ())), float(expires_at))
        return json_reply(200, {"data": {"token": token}, "meta": {}})

    # -- requests -------------------------------------------------------------------

    def storefront_refusal(self, headers: Mapping[str, str]) -> Reply | None:
        """The answer to a storefront request whose credentials are not good, else None."""
        session = self._storefront_session(headers)
        return None if isinstance(session, _Session) else session

    def answer(
        self,
        api: str,
        method: str,
        payload: Any,
        bad_json: bool,
        headers: Mapping[str, str],
        store_hash: str | None = None,
    ) -> Reply:
        """Answer a request to the Admin (``api="graphql"``) or Storefront API."""
        if method != "POST":
            return _errors_reply(405, f"{method} is not allowed on /graphql; use POST.")
        if bad_json:
            return _errors_reply(400, "The request body is not valid JSON.")
        if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
            return _errors_reply(400, "The request body must hold a 'query' string.")
        variables = payload.get("variables")
        name = payload.get("operationName")
        if variables is not None and not isinstance(variables, dict):
            return _errors_reply(400, "'variables' must be a JSON object.")
        if name is not None and not isinstance(name, str):
            return _errors_reply(400, "'operationName' must be a string.")
        if api == "graphql":
            schema, root = _schema(_ADMIN), self._admin_root(store_hash or "")
        else:
            session = self._storefront_session(headers)
            assert isinstance(session, _Session)  # refused earlier otherwise
            schema, root = _schema(_STOREFRONT), self._storefront_root(session)
        return self._execute(schema, root, payload["query"], variables, name)

    def _execute(
        self,
        schema: GraphQLSchema,
        root: Node,
        query: str,
        variables: dict[str, Any] | None,
        operation_name: str | None,
    ) -> Reply:
        try:
            document = parse(query, max_tokens=MAX_TOKENS)
        except GraphQLError as error:
            return json_reply(200, {"errors": [error.formatted]})
        problems = validate(schema, document)
        if problems:
            return json_reply(200, {"errors": [p.formatted for p in problems]})
        operation = get_operation_ast(document, operation_name)
        headers: list[tuple[str, str]] = [
            ("X-Bc-Graphql-Query-Hash", hashlib.sha256(query.encode()).hexdigest())
        ]
        if operation is not None:
            score = _complexity(document, operation.selection_set, variables or {})
            headers.append(("X-Bc-Graphql-Complexity", str(score)))
            if score > MAX_COMPLEXITY:
                message = f"Query complexity {score} exceeds the maximum of {MAX_COMPLEXITY}."
                refused = {"message": message, "extensions": {"code": "COMPLEXITY_LIMIT"}}
                return json_reply(200, {"errors": [refused]}, tuple(headers))
        result = execute_sync(
            schema,
            document,
            root_value=root,
            variable_values=variables,
            operation_name=operation_name,
        )
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [e.formatted for e in result.errors]
        return json_reply(200, body, tuple(headers))

    # -- sessions ---------------------------------------------------------------------

    def _storefront_session(self, raw_headers: Mapping[str, str]) -> _Session | Reply:
        headers = Headers(raw_headers)
        auth = headers.get("authorization") or ""
        scheme, _, value = auth.partition(" ")
        token = self._tokens.get(value.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            return _errors_reply(401, "The storefront token is missing, invalid or expired.")
        customer_token = headers.get("x-bc-customer-access-token")
        impersonated = headers.get("x-bc-customer-id")
        if customer_token is not None and impersonated is not None:
            return _errors_reply(400, "Send X-Bc-Customer-Access-Token or X-Bc-Customer-Id.")
        if impersonated is not None:
            if token.kind != "impersonation":
                return _errors_reply(403, "X-Bc-Customer-Id needs a customer impersonation token.")
            if not (impersonated.isascii() and impersonated.isdigit() and len(impersonated) < 20):
                return _errors_reply(400, "X-Bc-Customer-Id must be a customer ID.")
            return _Session(customer_id=int(impersonated))
        if customer_token is not None:
            if token.kind == "impersonation":
                return _errors_reply(403, "An impersonation token cannot carry a customer login.")
            if token.kind == "private" and "Customer" not in token.scopes:
                return _errors_reply(403, "This private token lacks the Customer scope.")
            found = self._customer_tokens.get(customer_token)
            if found is not None and found not in self._customers.table:
                self._customer_tokens.pop(customer_token)  # the customer was deleted
                found = None
            if found is None:
                return _errors_reply(401, "The customer access token is invalid or expired.")
            return _Session(customer_id=found, customer_token=customer_token)
        return _Session()

    # -- roots ----------------------------------------------------------------------------

    def _admin_root(self, store_hash: str) -> Node:
        return {
            "site": self._site(storefront=False),
            "customer": lambda info, entityId: self._customer_or_error(entityId),
            "customers": lambda info, first, after=None: self._connection(
                "customer",
                self._customers.table.ids(),
                self._customers.table.get,
                self._customer_node,
                first,
                after,
            ),
            "orders": lambda info, first, after=None: self._connection(
                "order",
                self._visible_orders(None),
                self._orders.table.get,
                self._order_node,
                first,
                after,
            ),
            "updateProduct": lambda info, input: self._update_product(input, store_hash),
        }

    def _storefront_root(self, session: _Session) -> Node:
        def customer(info: Any) -> Node | None:
            if session.customer_id is None:
                return None
            record = self._customers.table.get(session.customer_id)
            return None if record is None else self._customer_node(record)

        return {
            "site": self._site(storefront=True),
            "customer": customer,
            "login": lambda info, email, password: self._login(email, password),
            "logout": lambda info: self._logout(session),
        }

    def _site(self, storefront: bool) -> Node:
        """``site``; the storefront does not show hidden products and categories."""

        def shown(table: Table) -> Callable[[int], Record | None]:
            def fetch(record_id: int) -> Record | None:
                record = table.get(record_id)
                hidden = record is not None and storefront and not record.get("is_visible", True)
                return None if hidden else record

            return fetch

        products, categories = shown(self._products.table), shown(self._categories.table)

        def product(info: Any, entityId: int) -> Node | None:
            record = products(entityId)
            return None if record is None else self._product_node(record)

        return {
            "products": lambda info, first, after=None: self._connection(
                "product", self._products.table.ids(), products, self._product_node, first, after
            ),
            "product": product,
            "categories": lambda info, first, after=None: self._connection(
                "category",
                self._categories.table.ids(),
                categories,
                self._category_node,
                first,
                after,
            ),
        }

    # -- nodes ------------------------------------------------------------------------------

    def _product_node(self, record: Record) -> Node:
        product_id = record["id"]
        sale, retail = record.get("sale_price"), record.get("retail_price")
        return {
            "entityId": product_id,
            "name": record["name"],
            "sku": record.get("sku") or "",
            "prices": {
                "price": _money(record.get("price")),
                "salePrice": _money(sale) if sale else None,
                "retailPrice": _money(retail) if retail else None,
            },
            "categories": lambda info, first, after=None: self._connection(
                "category",
                sorted(record.get("categories") or []),
                self._categories.table.get,
                self._category_node,
                first,
                after,
            ),
            "variants": lambda info, first, after=None: self._connection(
                "variant",
                self._products.variant_ids(product_id),
                self._products.variants.get,
                self._variant_node,
                first,
                after,
            ),
        }

    def _variant_node(self, record: Record) -> Node:
        shown = self._products.render_variant(record)
        return {
            "entityId": shown["id"],
            "sku": shown["sku"],
            "prices": {
                "price": _money(shown["calculated_price"]),
                "salePrice": None,
                "retailPrice": None,
            },
            "inventoryLevel": shown.get("inventory_level") or 0,
        }

    @staticmethod
    def _category_node(record: Record) -> Node:
        return {
            "entityId": record["id"],
            "name": record["name"],
            "description": record.get("description") or "",
        }

    def _customer_node(self, record: Record) -> Node:
        customer_id = record["id"]
        return {
            "entityId": customer_id,
            "email": record["email"],
            "firstName": record.get("first_name") or "",
            "lastName": record.get("last_name") or "",
            "orders": lambda info, first, after=None: self._connection(
                "order",
                self._visible_orders(customer_id),
                self._orders.table.get,
                self._order_node,
                first,
                after,
            ),
        }

    @staticmethod
    def _order_node(record: Record) -> Node:
        return {
            "entityId": record["id"],
            "status": record.get("status") or "",
            "customerId": record.get("customer_id") or 0,
            "totalIncTax": _money(record.get("total_inc_tax")),
            "createdAt": record.get("date_created") or "",
        }

    def _visible_orders(self, customer_id: int | None) -> list[int]:
        table, hidden = self._orders.table, self._orders.hidden
        ids = [i for i in table.ids() if i not in hidden]
        if customer_id is None:
            return ids
        return [i for i in ids if (table.get(i) or {}).get("customer_id") == customer_id]

    def _connection(
        self,
        kind: str,
        ids: list[int],
        fetch: Callable[[int], Record | None],
        node: Callable[[Record], Node],
        first: int | None,
        after: str | None,
    ) -> Node:
        """One page of a cursor connection over ``ids`` (ascending)."""
        if first is None or not 1 <= first <= MAX_PAGE:  # an explicit null is not the default
            shown = "null" if first is None else first
            raise GraphQLError(f"first must be between 1 and {MAX_PAGE}, got {shown}.")
        start = 0 if after is None else bisect.bisect_right(ids, _after_id(kind, after))
        records: list[Record] = []
        index = start
        while index < len(ids) and len(records) < first:  # ``fetch`` gives None: not shown
            record = fetch(ids[index])
            index += 1
            if record is not None:
                records.append(record)
        edges = [{"cursor": _cursor(kind, r["id"]), "node": node(r)} for r in records]
        return {
            "pageInfo": {
                "hasNextPage": index < len(ids),
                "hasPreviousPage": start > 0,
                "startCursor": edges[0]["cursor"] if edges else None,
                "endCursor": edges[-1]["cursor"] if edges else None,
            },
            "edges": edges,
        }

    # -- resolvers with effects ------------------------------------------------------------

    def _customer_or_error(self, customer_id: int) -> Node:
        record = self._customers.table.get(customer_id)
        if record is None:
            raise GraphQLError(
                f"Customer {customer_id} was not found.", extensions={"code": "NOT_FOUND"}
            )
        return self._customer_node(record)

    def _update_product(self, values: Mapping[str, Any], store_hash: str) -> Node:
        product_id = values["productId"]
        changes = {k: values[k] for k in ("name", "price") if values.get(k) is not None}
        path = f"/v3/catalog/products/{product_id}"
        call = Call("PUT", "v3", path, {}, changes, (str(product_id),), store_hash)
        try:
            record = self._products.find(call, product_id)
            self._products.change(call, record, changes)
        except ApiError as error:
            raise _gql_error(error) from None
        self._writes[WRITE_KEY] += 1
        if self._on_write is not None:  # as the same change through REST would
            self._on_write(call, Reply(200))
        return {"product": self._product_node(record)}

    def _login(self, email: str, password: str) -> Node:
        customer_id = self._customers.table.owner_of(email)
        if customer_id is None or not self._customers.check_password(customer_id, password):
            raise GraphQLError("Invalid credentials.", extensions={"code": "INVALID_CREDENTIALS"})
        record = self._customers.table.get(customer_id) or {}
        self._writes[WRITE_KEY] += 1  # a new session
        token = "cat." + secrets.token_urlsafe(24)
        expires = datetime.now(timezone.utc) + CUSTOMER_TOKEN_LIFETIME
        lifetime = CUSTOMER_TOKEN_LIFETIME.total_seconds()
        self._customer_tokens.put(token, customer_id, self._clock() + lifetime)
        return {
            "result": "success",
            "customer": self._customer_node(record),
            "customerAccessToken": {"value": token, "expiresAt": expires.isoformat()},
        }

    def _logout(self, session: _Session) -> Node:
        if session.customer_token is None:
            raise GraphQLError("No customer is signed in.", extensions={"code": "NOT_SIGNED_IN"})
        self._customer_tokens.pop(session.customer_token)
        self._writes[WRITE_KEY] += 1
        return {"result": "success"}


def _complexity(
    document: DocumentNode, selection_set: SelectionSetNode, variables: Mapping[str, Any]
) -> int:
    """A score like BigCommerce's: one per field, times the page sizes above it."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }

    fragment_scores: dict[str, int] = {}

    def score(selections: SelectionSetNode) -> int:
        """The score of a selection set at page size 1 (a score scales with it).

        Fragments are scored once each, so fragments that spread others many
        times cannot make this take exponential time.
        """
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += 1
                if selection.selection_set is not None:
                    total += _page_size(selection) * score(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                total += score(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in fragment_scores and name in fragments:
                    # Validation has ruled out cycles.
                    fragment_scores[name] = score(fragments[name].selection_set)
                total += fragment_scores.get(name, 0)
        return total

    def _page_size(field: FieldNode) -> int:
        for argument in field.arguments or ():
            if argument.name.value == "first":
                value = value_from_ast_untyped(argument.value, dict(variables))
                return value if isinstance(value, int) and value > 0 else DEFAULT_PAGE
        is_connection = field.selection_set is not None and any(
            isinstance(s, FieldNode) and s.name.value == "edges"
            for s in field.selection_set.selections
        )
        return DEFAULT_PAGE if is_connection else 1

    return score(selection_set)
