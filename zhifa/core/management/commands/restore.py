"""``zhifa restore SRC [--keys-from KEYS]``: restore a backup into an empty database and an empty file store."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhifa.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "把 zhifa backup 的备份恢复到当前配置的（空）数据库和（空）文件存储目录；--keys-from 同时恢复密钥。"
        "恢复后运行 zhifa ledger verify --state。见 docs/backup.md。"
    )
    requires_system_checks = []  # the database is empty until restored

    def add_arguments(self, parser):
        parser.add_argument("source", help="zhifa backup 写出的数据备份目录")
        parser.add_argument("--keys-from", help="zhifa backup --keys-dest 写出的密钥备份目录")
        parser.add_argument("--no-media", action="store_true", help="不恢复文件存储（例如文件在对象存储中）")

    def handle(self, *args, source, keys_from, no_media, **options):
        try:
            restore(
                Path(source),
                keys_from=Path(keys_from) if keys_from else None,
                media=not no_media,
                say=self.stdout.write,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
