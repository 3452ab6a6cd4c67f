import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
application = get_wsgi_application()


def _load_and_freeze() -> None:
    """Load what every request needs (the URL conf with the views, the default language's catalogue), then move all
    the objects alive now — they live as long as the worker — out of the garbage collector's generations
    (``gc.freeze``): a full collection then walks only what requests made. At a million cases a full collection in
    the middle of a case page paused it for 150 ms; after freezing, 15 ms (docs/performance.md)."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 — imports every app's urls and views
    with translation.override(settings.LANGUAGE_CODE):
        translation.gettext("案件")
    gc.collect()
    gc.freeze()


_load_and_freeze()
