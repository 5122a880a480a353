"""Which route of an HTTP API a request names: matched the way HTTP APIs match them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from infra.template import HttpRoute


@dataclass(frozen=True)
class RouteMatch:
    route: HttpRoute
    path_parameters: dict[str, str]

    @property
    def route_key(self) -> str:
        return f"{self.route.method} {self.route.path}"


@dataclass(frozen=True)
class _CompiledRoute:
    route: HttpRoute
    pattern: re.Pattern[str]
    names: tuple[str, ...]
    specificity: tuple[Any, ...]


_VARIABLE = re.compile(r"\{([^{}+]+)(\+?)\}")


def _compile(route: HttpRoute) -> _CompiledRoute:
    """A path template ("/v1/complaints/{ticket}", "/files/{proxy+}") as a regex.

    Specificity orders candidates as HTTP APIs do: routes without a greedy variable
    first, literal segments before variables; among greedy routes, the longest prefix.
    """
    segments = [part for part in route.path.split("/") if part]
    regex, names, ranks, greedy = "", [], [], False
    for index, segment in enumerate(segments):
        variable = _VARIABLE.fullmatch(segment)
        if variable is None:
            regex += "/" + re.escape(segment)
            ranks.append(0)
            continue
        names.append(variable.group(1))
        greedy = bool(variable.group(2))
        if greedy and index != len(segments) - 1:
            raise ValueError(f"greedy variable must be the last segment: {route.path}")
        regex += "/(.+)" if greedy else "/([^/]+)"
        ranks.append(1)
    specificity = (1, -len(ranks), tuple(ranks)) if greedy else (0, 0, tuple(ranks))
    return _CompiledRoute(route, re.compile(regex or "/"), tuple(names), specificity)


class RouteTable:
    """The routes of one API, matched most specific first."""

    def __init__(self, routes: Sequence[HttpRoute]) -> None:
        compiled = [_compile(route) for route in routes]
        self._routes = sorted(compiled, key=lambda c: (c.specificity, c.route.method == "ANY"))

    def match(self, method: str, raw_path: str) -> RouteMatch | None:
        for candidate in self._routes:
            if candidate.route.method not in (method, "ANY"):
                continue
            found = candidate.pattern.fullmatch(raw_path)
            if found:
                values = (unquote(value) for value in found.groups())
                return RouteMatch(candidate.route, dict(zip(candidate.names, values, strict=True)))
        return None

    def serves_path(self, raw_path: str) -> bool:
        """Whether any route, whatever its method, owns this path."""
        return any(candidate.pattern.fullmatch(raw_path) for candidate in self._routes)
