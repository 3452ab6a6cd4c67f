"""The ``zhifa`` console script: Django's management commands, plus ``zhifa run``.

``zhifa migrate``, ``zhifa demo``, ``zhifa createsuperuser``, ``zhifa ledger verify`` … are management
commands; ``zhifa run`` prepares the database (migrate, demo data when empty) and serves.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["zhifa", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
