"""``zhifa backup DEST [--keys-dest KEYS]``: back up the database and the stored files, and the keys apart."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhifa.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "备份数据库（PostgreSQL：pg_dump -Fc；SQLite：在线备份）和本地文件存储到 DEST；"
        "--keys-dest 把账本签名私钥、电子印章和 secret_key 备份到另一个地方。见 docs/backup.md。"
    )

    def add_arguments(self, parser):
        parser.add_argument("dest", help="数据备份目录（不存在或为空）")
        parser.add_argument("--keys-dest", help="密钥备份目录：必须与数据备份分开（不在其中，也不包含它）")
        parser.add_argument("--no-media", action="store_true", help="不复制本地文件存储")

    def handle(self, *args, dest, keys_dest, no_media, **options):
        try:
            backup(
                Path(dest),
                keys_dest=Path(keys_dest) if keys_dest else None,
                media=not no_media,
                say=self.stdout.write,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
