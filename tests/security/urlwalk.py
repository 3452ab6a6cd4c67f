"""Every URL pattern of the project, walked from the URL conf (pages, the API router's routes and their @action
extra routes, the Django admin) with the HTTP methods each view answers."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

UNSAFE = ("post", "put", "patch", "delete")


@dataclass(frozen=True)
class Route:
    key: str  # the URL name ("namespace:name"); the route itself for an unnamed pattern
    route: str  # the pattern's text, prefixes included
    methods: tuple[str, ...]  # lower-case HTTP methods the view answers (OPTIONS/HEAD/TRACE left out)
    params: tuple[str, ...]  # the parameters the pattern takes


def _methods(callback) -> tuple[str, ...]:
    actions = getattr(callback, "actions", None)  # a DRF viewset route: its method → action mapping
    if actions:
        return tuple(m for m in ("get", "post", "put", "patch", "delete") if m in actions)
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if cls is not None:  # a class-based view (Django or DRF): the handlers it defines
        names = getattr(callback, "view_initkwargs", {}).get("http_method_names") or cls.http_method_names
        return tuple(m for m in ("get", "post", "put", "patch", "delete") if m in names and hasattr(cls, m))
    return ("get", "post")  # a function view: asked both (it answers 405 to the one it does not take)


def routes() -> list[Route]:
    """One Route per URL name (the router's format-suffix twins, ``.json`` and the like, are the same view with
    the same permission: they share the name and are requested through it)."""
    out: dict[str, Route] = {}

    def walk(patterns, prefix="", ns=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = ns if p.namespace is None else (f"{ns}:{p.namespace}" if ns else p.namespace)
                yield from walk(p.url_patterns, prefix + str(p.pattern), inner)
            elif isinstance(p, URLPattern):
                yield p, prefix + str(p.pattern), ns

    for p, route, ns in walk(get_resolver().url_patterns):
        if "format" in p.pattern.regex.groupindex and p.name:
            continue  # the format-suffix twin of a named route
        key = (f"{ns}:{p.name}" if ns else p.name) if p.name else route
        if key in out:
            continue
        out[key] = Route(key, route, _methods(p.callback), tuple(p.pattern.regex.groupindex))
    return list(out.values())
