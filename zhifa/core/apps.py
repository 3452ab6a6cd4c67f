from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "zhifa.core"
    label = "core"
    verbose_name = "zhifa"

    def ready(self):
        from .forms import install_input_rules

        # Every form field refuses control and direction characters, over-long text and out-of-range numbers.
        install_input_rules()
        from .cache import ensure_table

        # The embedded mode's shared cache lives in a table of its own (zhifa.core.cache).
        post_migrate.connect(ensure_table, sender=self, dispatch_uid="zhifa.core.cache.ensure_table")
