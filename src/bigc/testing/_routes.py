"""A precompiled route table: path templates to handlers, matched segment by segment.

Routes are grouped by segment count and tried static-first, so
``/v2/orders/count`` wins over ``/v2/orders/{id}`` and a lookup only compares
a handful of short tuples.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bigc.testing._http import Call
from bigc.testing._reply import Reply

__all__ = ["Handler", "Route", "Router"]

Handler = Callable[[Call], Reply]
Route = tuple[str, str, Handler]  # (method, template, handler)


@dataclass
class _Entry:
    text: str
    template: tuple[str | None, ...]  # None marks a parameter
    handlers: dict[str, Handler] = field(default_factory=dict)


class Router:
    def __init__(self) -> None:
        self._by_length: dict[int, list[_Entry]] = {}

    def add(self, method: str, template: str, handler: Handler) -> None:
        parts = tuple(None if p.startswith("{") else p for p in template.strip("/").split("/"))
        entries = self._by_length.setdefault(len(parts), [])
        for entry in entries:
            if entry.template == parts:
                entry.handlers[method] = handler
                return
        entries.append(_Entry(template, parts, {method: handler}))
        # Fewer parameters first: a static segment beats a parameter.
        entries.sort(key=lambda e: sum(p is None for p in e.template))

    def add_all(self, routes: list[Route]) -> None:
        for method, template, handler in routes:
            self.add(method, template, handler)

    def templates(self) -> list[tuple[str, str]]:
        """Every (method, path template) served, for checking against the spec."""
        return [
            (method, entry.text)
            for entries in self._by_length.values()
            for entry in entries
            for method in entry.handlers
        ]

    def match(self, segments: list[str]) -> tuple[dict[str, Handler], tuple[str, ...]] | None:
        """The handlers by method and the path arguments, or None if no route fits."""
        for entry in self._by_length.get(len(segments), ()):
            args: list[str] = []
            for want, got in zip(entry.template, segments, strict=True):
                if want is None:
                    args.append(got)
                elif want != got:
                    break
            else:
                return entry.handlers, tuple(args)
        return None
