"""What the ledger knows about other apps' objects: who may read an object's history, which agency's
log an object belongs to, how to name an action in Chinese, and which fields change outside actions.

Each app registers its object kinds from its ``AppConfig.ready()``::

    from zhifa.ledger import registry
    registry.register_kind("cases.case", access=queries.access_case, agency=lambda case: case.agency)
    registry.register_actions({"cases.file_case": _("立案"), ...})

``access(user, object_id)`` returns the object or raises Http404/PermissionDenied, exactly like the
app's own permission-checked fetches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    name: str
    label: Any
    access: Callable[[Any, str], Any] | None = None
    agency: Callable[[Any], Any] | None = None
    volatile: frozenset[str] = field(default_factory=frozenset)


_kinds: dict[str, Kind] = {}
_unrecorded: dict[str, Any] = {}
_platform: dict[str, tuple[Callable[[Any], dict[str, Any]] | None, Callable[[Any], Any] | None]] = {}
_actions: dict[str, Any] = {
    "ledger.access": _("调阅"),
    "ledger.platform_data": _("登记平台基础数据"),
}


def register_kind(
    name: str,
    *,
    label: Any = None,
    access: Callable[[Any, str], Any] | None = None,
    agency: Callable[[Any], Any] | None = None,
    volatile: Iterable[str] = (),
) -> None:
    """Register an object kind (``app_label.model``).

    ``volatile`` names fields that legitimately change without an action (bookkeeping such as
    ``last_used_at``); ``verify --state`` ignores them.
    """
    _kinds[name] = Kind(name, label or name, access, agency, frozenset(volatile))


def register_unrecorded(name: str, why: Any) -> None:
    """Declare that the rows of model ``name`` (``app_label.model``) are not recorded in the ledger, and why.

    Every other model of the business apps is recorded: each row an action writes gets its state into the
    action's entries (``ledger.tracking``)."""
    _unrecorded[name] = why


def register_platform_data(
    name: str,
    extra: Callable[[Any], dict[str, Any]] | None = None,
    rows: Callable[[Any], Any] | None = None,
) -> None:
    """Platform-wide data (no agency of its own) that every agency's work depends on: each agency's log
    begins with the state of every row of it (``ledger.actions.record_platform_data``), and its later changes
    are recorded in every log. ``extra(obj)`` adds to the entry what the row alone does not hold; ``rows(qs)``
    picks the platform's rows when the model also holds agencies' own."""
    _platform[name] = (extra, rows)


def platform_data() -> dict[str, tuple[Callable[[Any], dict[str, Any]] | None, Callable[[Any], Any] | None]]:
    return dict(_platform)


def unrecorded_reason(name: str) -> Any:
    return _unrecorded.get(name)


def unrecorded() -> dict[str, Any]:
    return dict(_unrecorded)


def register_actions(labels: Mapping[str, Any]) -> None:
    _actions.update(labels)


def action_names() -> set[str]:
    """Every action the ledger knows by name."""
    return set(_actions)


def kind(name: str) -> Kind | None:
    return _kinds.get(name)


def kind_label(name: str | None) -> Any:
    if not name:
        return ""
    k = _kinds.get(name)
    return k.label if k else name


def action_label(action: str) -> Any:
    """The action's Chinese name; the raw name when none is registered."""
    return _actions.get(action, action)


def agency_of(obj) -> Any:
    """The agency whose log records events about ``obj``."""
    from zhifa.core.snapshot import object_kind

    k = _kinds.get(object_kind(obj))
    if k and k.agency:
        return k.agency(obj)
    from zhifa.org.models import Agency

    if isinstance(obj, Agency):
        return obj
    agency = getattr(obj, "agency", None)
    if agency is None:
        raise ValueError(f"cannot tell which agency's log records {object_kind(obj)}; register the kind")
    return agency
