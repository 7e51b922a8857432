"""The benchmark's model of a real link to BigCommerce: a caching proxy in front of the fake store.

``python bench/wire.py --upstream URL [--latency-ms 100] [--bandwidth-mbps 50] [--gzip]``
prints its own base URL on the first line, then serves until terminated.

Every answer is held back ``latency`` after its request arrived, then sent
no faster than ``bandwidth`` per connection; with ``--gzip`` it is gzip-compressed
(level 6, as nginx and most CDNs do) for clients that ask. The fake store runs
on one core and builds and encodes every page again for every request (a
250-product page takes it tens of milliseconds), while BigCommerce answers
from a fleet. So the proxy keeps each GET answer it has fetched, keyed by
path, query and coding, and a priming run fills it before anything is timed:
what is measured is the client and the modelled link, nothing else.

``GET /__wire/stats`` answers the requests and body bytes sent since the
last call, as JSON, and resets them.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import sys
from dataclasses import dataclass

import aiohttp
from aiohttp import web

# Hop-by-hop and framing headers: the proxy sets its own.
_SKIPPED = frozenset(
    {"content-length", "content-encoding", "transfer-encoding", "connection", "keep-alive"}
)
SLICE_SECONDS = 0.005  # the link is modelled in slices of about 5 ms


@dataclass(frozen=True)
class Answer:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


class Wire:
    def __init__(
        self, upstream: str, latency: float, bandwidth_mbps: float | None, compress: bool
    ) -> None:
        self.upstream = upstream.rstrip("/")
        self.latency = latency
        self.rate = None if bandwidth_mbps is None else bandwidth_mbps * 125_000  # bytes/s
        self.compress = compress
        self.cache: dict[tuple[str, str, bool], Answer] = {}
        self.requests = 0
        self.body_bytes = 0
        self.session: aiohttp.ClientSession | None = None

    async def fetch(self, request: web.BaseRequest, gzipped: bool) -> Answer:
        key = (request.method, request.path_qs, gzipped)
        if request.method == "GET" and key in self.cache:
            return self.cache[key]
        assert self.session is not None
        headers = {k: v for k, v in request.headers.items() if k.lower() not in {"host"}}
        headers["Accept-Encoding"] = "identity"
        async with self.session.request(
            request.method,
            self.upstream + request.path_qs,
            headers=headers,
            data=await request.read(),
        ) as upstream:
            body = await upstream.read()
            kept = tuple((k, v) for k, v in upstream.headers.items() if k.lower() not in _SKIPPED)
            status = upstream.status
        if gzipped and body:
            body = gzip.compress(body, 6, mtime=0)
            kept += (("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding"))
        answer = Answer(status, kept, body)
        if request.method == "GET" and status < 300:
            self.cache[key] = answer
        return answer

    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        if request.path == "/__wire/stats":
            stats = {"requests": self.requests, "body_bytes": self.body_bytes}
            self.requests = self.body_bytes = 0
            return web.json_response(stats)
        arrived = asyncio.get_running_loop().time()
        accepts = request.headers.get("Accept-Encoding", "").lower()
        gzipped = self.compress and "gzip" in accepts
        answer = await self.fetch(request, gzipped)
        wait = arrived + self.latency - asyncio.get_running_loop().time()
        if wait > 0:
            await asyncio.sleep(wait)
        self.requests += 1
        self.body_bytes += len(answer.body)
        response = web.StreamResponse(status=answer.status, headers=dict(answer.headers))
        if answer.status != 204:
            response.content_length = len(answer.body)
        await response.prepare(request)
        await self.send(response, answer.body)
        return response

    async def send(self, response: web.StreamResponse, body: bytes) -> None:
        if self.rate is None:
            await response.write(body)
            return
        loop = asyncio.get_running_loop()
        step = max(1024, int(self.rate * SLICE_SECONDS))
        started = loop.time()
        for sent in range(0, len(body), step):
            await response.write(body[sent : sent + step])
            wait = started + (sent + step) / self.rate - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)


async def serve(args: argparse.Namespace) -> None:
    wire = Wire(args.upstream, args.latency_ms / 1000, args.bandwidth_mbps, args.gzip)
    wire.session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=0), auto_decompress=False
    )
    server = web.Server(wire.handle, access_log=None)
    runner = web.ServerRunner(server)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    print(f"http://127.0.0.1:{port}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
        await wire.session.close()


def stats(base_url: str) -> dict[str, int]:
    """The proxy's counters since the last call (and reset them)."""
    import urllib.request

    with urllib.request.urlopen(base_url + "/__wire/stats", timeout=10) as answer:
        return dict(json.loads(answer.read()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--bandwidth-mbps", type=float)
    parser.add_argument("--gzip", action="store_true")
    asyncio.run(serve(parser.parse_args()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
