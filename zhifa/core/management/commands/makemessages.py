"""``makemessages`` that also finds ``_l("…")``: our modules import ``gettext_lazy as _l`` beside ``gettext as _``,
and xgettext knows only the names Django gives it, so those strings never reached the catalogue (English users saw
the Chinese). Everything else is Django's command."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l"]
