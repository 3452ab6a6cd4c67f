"""``get_FOO_display()`` served from zhifa.core.display gives what Django's own gives, for every choice of every
choice field of our models, in Chinese and in English, and for a value that is not a choice."""

from __future__ import annotations

from functools import partialmethod

from django.apps import apps
from django.db import models
from django.utils import translation

from zhifa.core import display


def _choice_fields():
    for config in apps.get_app_configs():
        if config.name.startswith("zhifa."):
            for model in config.get_models():
                for field in model._meta.fields:
                    if field.choices:
                        yield model, field


def test_every_choice_field_of_ours_uses_the_cached_labels():
    fields = list(_choice_fields())
    assert len(fields) > 30
    for model, field in fields:
        method = model.__dict__[f"get_{field.name}_display"]
        assert isinstance(method, partialmethod) and method.func is display._display, (model, field.name)


def test_the_labels_are_djangos_in_both_languages():
    checked = 0
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for model, field in _choice_fields():
                for value, _label in [*field.flatchoices, ("no-such-choice", None)]:
                    obj = model()
                    setattr(obj, field.attname, value)
                    ours = getattr(obj, f"get_{field.name}_display")()
                    assert ours == models.Model._get_FIELD_display(obj, field), (model, field.name, value)
                    checked += 1
    assert checked > 500
    with translation.override("en"):
        from zhifa.cases.models import Case

        assert Case(state="investigating").get_state_display() != Case(state="investigating").state
