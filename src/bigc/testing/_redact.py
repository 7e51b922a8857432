"""What the request log keeps of a secret: its name, with ``REDACTED`` as the value.

The store logs what it receives for tests to inspect (``store.requests``,
``GET /__bigc/requests`` on a served store), and a served store runs for days:
its log must not become a store of customer passwords and app secrets. One
rule, by name, decides what a secret is wherever it turns up: a JSON field at
any depth, a query parameter, a GraphQL argument or input field (with the
variables it is given through), or a header. The names come from BigCommerce's
OpenAPI files: ``password``, ``new_password``, ``password_confirmation``,
``prelaunch_password`` (anything with *password*, *passphrase* or *secret* in
it: ``client_secret``, ``api_secret``, a carrier's ``pass_phrase``), and
names ending in *access_token*, *refresh_token*, *api_key*, *auth_key* or
*jwt* (``loginWithCustomerLoginJwt(jwt: …)``), and fields named like a
token header (``Authorization`` in a webhook's own ``headers``). On the login
service's token endpoint the one-time ``code`` is a secret too. True, false and null values
are kept: ``force_password_reset: true`` and a form field's ``secret: false``
tell nothing.

Only what is logged changes: the store carries the request out as it came.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from typing import Any

from graphql import GraphQLSyntaxError
from graphql.language import Lexer, Source, TokenKind

from bigc._models import REDACTED, SECRET_HEADERS

__all__ = ["LOGIN_SECRETS", "REDACTED", "drop_secrets", "is_secret", "redact_body", "redact_query"]

_WORDS = ("password", "passphrase", "secret")
_ENDINGS = ("accesstoken", "refreshtoken", "apikey", "authkey", "jwt")
# Names that are secret on the login service's token endpoint only (a coupon has a code).
LOGIN_SECRETS = frozenset({"code"})
# What a body that could not be decoded must not hold (password, pass_phrase, client_secret).
_NAMED = (b"pass", b"secret")
# A GraphQL request holding none of these names no secret ("\\u" may spell one).
_HINTS = (*_NAMED, b"token", b"jwt", b"auth", b"cookie", b"key", b"\\u")
_SEPARATORS = re.compile(r"[-_\s]")


def is_secret(name: str, extra: frozenset[str] = frozenset()) -> bool:
    """Whether a field, parameter or argument of this name holds a secret."""
    return _plain(name) in extra or _is_secret(name)


@functools.lru_cache(maxsize=4096)
def _is_secret(name: str) -> bool:
    plain = _plain(name)
    return any(w in plain for w in _WORDS) or plain.endswith(_ENDINGS) or plain in _HEADERS


def _plain(name: str) -> str:
    return _SEPARATORS.sub("", name.lower())


# A field named like a secret header (a webhook's own ``headers``) holds one too.
_HEADERS = frozenset(_plain(name) for name in SECRET_HEADERS)


def redact_query(query: Mapping[str, str], extra: frozenset[str] = frozenset()) -> dict[str, str]:
    return {k: (REDACTED if is_secret(k, extra) else v) for k, v in query.items()}


def redact_body(
    body: bytes,
    payload: Any,
    readable: bool,
    graphql: bool = False,
    extra: frozenset[str] = frozenset(),
) -> bytes:
    """``body`` as the log keeps it. ``payload`` is the body decoded (JSON, or a form's
    fields), ``readable`` whether it could be decoded at all. A body with a secret is
    logged as the JSON of its payload with each secret value replaced; one that could
    not be decoded but names a secret is logged as ``REDACTED`` alone."""
    if not body.strip():
        return body
    extras = [name.encode() for name in extra]
    if not readable:  # a body that is not JSON may still carry a password
        lowered = body.lower()
        named = any(word in lowered for word in (*_NAMED, *extras))
        return REDACTED.encode() if named else body
    if graphql:  # a secret may be an argument in the query's text
        lowered = body.lower()
        if not any(hint in lowered for hint in (*_HINTS, *extras)):
            return body
    elif not extra and not _has_secret(payload):
        return body  # most bodies: their keys, already decoded, name no secret
    redacted = _redact_json(payload, extra)
    if graphql and isinstance(redacted, dict):
        redacted = _redact_graphql(redacted, extra)
    elif graphql and isinstance(redacted, list):  # a batch (refused, but logged)
        items = [_redact_graphql(i, extra) if isinstance(i, dict) else i for i in redacted]
        redacted = (
            items if any(a is not b for a, b in zip(items, redacted, strict=True)) else redacted
        )
    if redacted is payload:
        return body
    return json.dumps(redacted, ensure_ascii=False).encode()


def _has_secret(value: Any) -> bool:
    """Whether a decoded body has a secret field (quick: most bodies have none)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, field in item.items():
                if field is not None and field is not True and field is not False:
                    if _is_secret(key):
                        return True
                    if isinstance(field, dict | list):
                        stack.append(field)
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _redact_json(value: Any, extra: frozenset[str]) -> Any:
    """``value`` with every secret field's value replaced; ``value`` itself if it has none."""
    if isinstance(value, dict):
        changed = False
        out: dict[str, Any] = {}
        for key, item in value.items():
            if is_secret(str(key), extra) and item is not None and not isinstance(item, bool):
                out[key], changed = REDACTED, True
            else:
                out[key] = _redact_json(item, extra)
                changed = changed or out[key] is not item
        return out if changed else value
    if isinstance(value, list):
        items = [_redact_json(item, extra) for item in value]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    return value


def drop_secrets(value: Any) -> Any:
    """``value`` without its secret fields (``value`` itself if it has none): what
    BigCommerce answers for a resource it was sent a password for."""
    if isinstance(value, dict):
        kept = {
            k: drop_secrets(v)
            for k, v in value.items()
            if v is None or isinstance(v, bool) or not is_secret(str(k))
        }
        same = len(kept) == len(value) and all(kept[k] is value[k] for k in kept)
        return value if same else kept
    if isinstance(value, list):
        items = [drop_secrets(item) for item in value]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    return value


def _redact_graphql(payload: dict[str, Any], extra: frozenset[str]) -> dict[str, Any]:
    """A GraphQL request with the secret arguments' literals replaced in the query text,
    and the variables passed to secret arguments replaced."""
    query = payload.get("query")
    if not isinstance(query, str):
        return payload
    text, secret_variables = _redact_document(query, extra)
    variables = payload.get("variables")
    if isinstance(variables, dict) and secret_variables & variables.keys():
        variables = {
            k: (REDACTED if k in secret_variables and v is not None else v)
            for k, v in variables.items()
        }
    if text is query and variables is payload.get("variables"):
        return payload
    redacted = {**payload, "query": text}
    if "variables" in payload:
        redacted["variables"] = variables
    return redacted


_LITERALS = (TokenKind.STRING, TokenKind.BLOCK_STRING, TokenKind.INT, TokenKind.FLOAT)


def _redact_document(query: str, extra: frozenset[str]) -> tuple[str, set[str]]:
    """(the query with each ``secretName: <literal>`` literal replaced, the names of the
    variables given as ``secretName: $variable``). Token by token, so a query that
    does not parse is redacted too; from a token that cannot be read, the rest is cut."""
    lexer = Lexer(Source(query))
    spans: list[tuple[int, int]] = []
    variables: set[str] = set()
    recent: list[Any] = []  # the last three tokens
    try:
        while (token := lexer.advance()).kind != TokenKind.EOF:
            recent = [*recent[-2:], token]
            if len(recent) < 3 or recent[1].kind != TokenKind.COLON:
                continue
            name, _, value = recent
            if name.kind != TokenKind.NAME or not is_secret(str(name.value), extra):
                continue
            if value.kind in _LITERALS:
                spans.append((value.start, value.end))
            elif value.kind == TokenKind.DOLLAR:
                following = lexer.advance()
                if following.kind == TokenKind.NAME:
                    variables.add(str(following.value))
                recent = [following]
    except GraphQLSyntaxError:
        cut = recent[-1].end if recent else 0
        spans.append((cut, len(query)))
    if not spans:
        return query, variables
    parts, last = [], 0
    for start, end in spans:
        parts += [query[last:start], json.dumps(REDACTED)]
        last = end
    return "".join([*parts, query[last:]]), variables
