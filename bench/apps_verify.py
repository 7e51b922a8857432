"""What verifying costs an app per request: bigc.apps against the libraries underneath.

Prints microseconds per call and the ratio to the baseline measured in the
same run: ``standardwebhooks`` for webhook signatures, a bare ``jwt.decode``
for signed payloads. Run: ``.venv/bin/python bench/apps_verify.py``.
"""

from __future__ import annotations

import json
import time
import timeit
import uuid
from collections.abc import Callable

import jwt
from standardwebhooks import Webhook

from bigc.apps import verify_signed_payload, verify_webhook, webhook_headers

SECRET = "bench-client-secret-0123456789abcdef"
CLIENT_ID = "bench-client"
BODY = json.dumps(
    {
        "scope": "store/order/created",
        "store_id": "1025646",
        "data": {"type": "order", "id": 250},
        "hash": "dd70c0976e06b67aaf671e73f49dcb79230ebf9d",
        "created_at": 1561479335,
        "producer": "stores/abc123",
    }
).encode()


def per_call_us(fn: Callable[[], object], number: int = 20000) -> float:
    return min(timeit.repeat(fn, number=number, repeat=5)) / number * 1e6


def main() -> None:
    headers = webhook_headers(SECRET, "msg_bench", BODY)
    standard = Webhook(SECRET.encode())
    now = int(time.time())
    claims = {
        "aud": CLIENT_ID,
        "iss": "bc",
        "iat": now,
        "nbf": now,
        "exp": now + 86400,
        "jti": str(uuid.uuid4()),
        "sub": "stores/abc123",
        "user": {"id": 1, "email": "a@example.com"},
        "owner": {"id": 1, "email": "a@example.com"},
        "url": "/",
        "channel_id": None,
    }
    token = jwt.encode(claims, SECRET, algorithm="HS256")
    rows = [
        ("webhook: standardwebhooks.verify (baseline)", lambda: standard.verify(BODY, headers)),
        ("webhook: bigc.apps.verify_webhook", lambda: verify_webhook(BODY, headers, SECRET)),
        (
            "jwt: jwt.decode (baseline)",
            lambda: jwt.decode(token, SECRET, algorithms=["HS256"], audience=CLIENT_ID),
        ),
        (
            "jwt: bigc.apps.verify_signed_payload",
            lambda: verify_signed_payload(token, CLIENT_ID, SECRET),
        ),
    ]
    baseline = 0.0
    print("| call | µs per call | ratio to baseline |")
    print("|---|---:|---:|")
    for name, fn in rows:
        us = per_call_us(fn)
        if "baseline" in name:
            baseline = us
        print(f"| {name} | {us:.1f} | {us / baseline:.2f} |")


if __name__ == "__main__":
    main()
