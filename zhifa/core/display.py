"""``get_FOO_display()`` without rebuilding the choices on every call.

Django's ``Model._get_FIELD_display`` makes a dict of the field's whole choice list each time it is called, hashing
every label — and our labels are lazy translations, so each call translates every choice of the field. The case page
shows the kind of 40 records, 30 documents and 20 evidence items: about 2,800 translations a page, a tenth of its
time. Here each field's labels are looked up in a dict made once per field and language (labels are translated
when the dict is made, in the language active then). The answer is the same as Django's: the label as a string, or
the value itself when it is not one of the choices (tests/core/test_display.py compares them for every choice field of
every model of ours, in both languages)."""

from __future__ import annotations

from functools import partialmethod

from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import get_language

_labels: dict[tuple[int, str | None], dict] = {}


def labels(field) -> dict:
    """{value: label} of ``field``'s choices in the active language."""
    key = (id(field), get_language())
    found = _labels.get(key)
    if found is None:
        found = _labels[key] = {value: force_str(label) for value, label in field.flatchoices}
    return found


def _display(self, field):
    value = getattr(self, field.attname)
    try:
        return labels(field).get(value, value)
    except TypeError:  # an unhashable value (a list in a JSON field with choices): Django's own way
        return models.Model._get_FIELD_display(self, field)


def install(app_configs) -> int:
    """Point the ``get_FOO_display`` Django made for each choice field of ``app_configs``' models at the cached
    lookup; a model that defines its own is left alone. Returns how many were replaced."""
    n = 0
    for config in app_configs:
        for model in config.get_models():
            for field in model._meta.fields:
                name = f"get_{field.name}_display"
                current = model.__dict__.get(name)
                if (
                    field.choices
                    and isinstance(current, partialmethod)
                    and current.func is models.Model._get_FIELD_display
                ):
                    setattr(model, name, partialmethod(_display, field=field))
                    n += 1
    return n
