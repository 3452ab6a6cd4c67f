from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhifa.core"
    label = "core"
    verbose_name = "zhifa"

    def ready(self):
        from .forms import install_input_rules

        # Every form field refuses control and direction characters, over-long text and out-of-range numbers.
        install_input_rules()
