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
        from django.apps import apps

        from .display import install

        # get_FOO_display() looks its label up instead of rebuilding (and translating) the choices each call.
        ours = [config for config in apps.get_app_configs() if config.name.startswith("zhifa.")]
        install(ours)
        from .constraints import install as plain_checks

        # full_clean() checks a plain CheckConstraint in Python instead of a query per constraint, and does not ask
        # again about a foreign key or unique value an instance still has as read.
        plain_checks(ours)
        from .cache import ensure_table

        # The embedded mode's shared cache lives in a table of its own (zhifa.core.cache).
        post_migrate.connect(ensure_table, sender=self, dispatch_uid="zhifa.core.cache.ensure_table")

        # Every process knows every task: a web worker queues jobs whose handlers live in the apps' tasks modules.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")
        # The task queue's tables when Huey keeps them in this database (PostgreSQL storage): zhifa.core.queue.
        post_migrate.connect(_queue_tables, sender=self, dispatch_uid="zhifa.core.queue.create_storage")


def _queue_tables(using="default", **kwargs):
    from django.conf import settings
    from django.db import connections

    dsn = settings.HUEY.get("dsn", "")
    if dsn and dsn.rsplit("/", 1)[-1].split("?")[0] == connections[using].settings_dict["NAME"]:
        from .queue import create_storage

        create_storage()
