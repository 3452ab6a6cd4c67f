"""The ledger's tables: one log per 执法主体, its entries, its signed checkpoints, and verification runs.

Rows here are written only by ``zhifa.ledger.actions``. An entry's ``body`` is the exact canonical JSON
that is hashed (see ``encoding``); the other entry columns repeat values of its head so pages can find
entries, and ``verify`` checks them against the body. ``nodes`` holds the Merkle tree hashes this entry's
append completed (its leaf hash first), so proofs read O(log n) rows and never rehash leaves.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import KeyAlgorithm


class Log(models.Model):
    """One agency's append-only log. Its row is the lock that serialises appends (SELECT ... FOR UPDATE)."""

    agency = models.OneToOneField(
        "org.Agency",
        verbose_name=_("执法主体"),
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="ledger_log",
    )
    origin = models.CharField(_("日志标识"), max_length=200, unique=True)
    algorithm = models.CharField(_("签名算法"), max_length=10, choices=KeyAlgorithm.choices)
    public_key = models.BinaryField(_("公钥"))
    key_file = models.CharField(_("私钥文件"), max_length=200, help_text=_("位于 LEDGER_KEY_DIR 目录下"))
    size = models.BigIntegerField(_("记录条数"), default=0)
    frontier = models.BinaryField(default=b"")  # the perfect subtrees of [0, size), largest first
    last_leaf = models.BinaryField(default=b"")  # the leaf hash of the last entry: the next one's "prev"
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("执法记录账本")
        verbose_name_plural = _("执法记录账本")
        ordering = ["origin"]
        constraints = [
            models.CheckConstraint(condition=models.Q(size__gte=0), name="ledger_log_size_nonnegative")
        ]

    def __str__(self) -> str:
        return self.origin


class Entry(models.Model):
    pk = models.CompositePrimaryKey("log", "seq")
    # No index of its own: the primary key (log, seq) begins with it.
    log = models.ForeignKey(Log, on_delete=models.PROTECT, related_name="entries", db_index=False)
    seq = models.BigIntegerField(_("序号"))
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=100)
    object_kind = models.CharField(_("对象类型"), max_length=100, null=True)
    object_id = models.CharField(_("对象编号"), max_length=64, null=True)
    body = models.BinaryField()
    nodes = models.BinaryField()

    class Meta:
        verbose_name = _("账本记录")
        verbose_name_plural = _("账本记录")
        ordering = ["log", "seq"]
        indexes = [
            models.Index(fields=["object_kind", "object_id"], name="ledger_entry_object"),
            # Pages that list entries of some kinds of action and object in an agency's log by time, newest first
            # (the 调阅记录: ``records.access.query``); the object id last, so filtering by a case's objects reads
            # the index alone.
            models.Index(
                fields=["log", "action", "object_kind", "at", "object_id"], name="ledger_entry_access"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.log_id}#{self.seq}"

    @property
    def leaf_hash(self) -> bytes:
        return bytes(self.nodes[:32])


class Checkpoint(models.Model):
    """A signed tree head in the C2SP tlog-checkpoint format; ``note`` is the text as published."""

    log = models.ForeignKey(Log, on_delete=models.PROTECT, related_name="checkpoints")
    size = models.BigIntegerField(_("记录条数"))
    root_hash = models.BinaryField(_("根哈希"))
    at = models.DateTimeField(_("签署时间"))
    note = models.TextField(_("检查点"))

    class Meta:
        verbose_name = _("检查点")
        verbose_name_plural = _("检查点")
        ordering = ["log", "-size"]
        constraints = [
            models.UniqueConstraint(fields=["log", "size"], name="ledger_checkpoint_once_per_size")
        ]

    def __str__(self) -> str:
        return f"{self.log_id}@{self.size}"

    @property
    def root_hex(self) -> str:
        return bytes(self.root_hash).hex()


class VerificationRun(models.Model):
    """One run of ``zhifa ledger verify`` (or the audit page's button): when, what, and the outcome."""

    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("结束时间"), null=True)
    agency = models.ForeignKey(
        "org.Agency",
        verbose_name=_("执法主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    with_state = models.BooleanField(_("核对数据库当前数据"), default=False)
    ok = models.BooleanField(_("完整"), null=True)
    entries = models.BigIntegerField(_("已核对记录"), default=0)
    checkpoints = models.IntegerField(_("已核对检查点"), default=0)
    problems = models.TextField(_("发现的问题"), blank=True)
    # {origin: number of entries found}: a later run that finds fewer reports the log's tail deleted.
    sizes = models.JSONField(_("各账本记录条数"), default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("账本验证")
        verbose_name_plural = _("账本验证")
        ordering = ["-started_at", "-id"]


class Cosignature(models.Model):
    """A witness's cosignature of one of our checkpoints (C2SP tlog-cosignature), as the witness returned it."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="cosignatures")
    witness_key = models.TextField(_("见证方公钥"))  # the witness's verifier key line (name+id+base64)
    line = models.TextField(_("副署"))  # "— <name> base64(key id ‖ timestamp ‖ signature)"
    signed_at = models.DateTimeField(_("副署时间"))
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("见证副署")
        verbose_name_plural = _("见证副署")
        ordering = ["checkpoint", "id"]
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "witness_key"], name="ledger_cosignature_once")
        ]


class WitnessState(models.Model):
    """This deployment acting as a witness: the latest checkpoint it cosigned for each log (origin)."""

    witness = models.CharField(_("见证方名称"), max_length=200)
    origin = models.CharField(_("日志标识"), max_length=200)
    log_key = models.TextField(_("日志公钥"))
    size = models.BigIntegerField(_("记录条数"))
    root_hash = models.BinaryField(_("根哈希"))
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("见证状态")
        verbose_name_plural = _("见证状态")
        constraints = [
            models.UniqueConstraint(fields=["witness", "origin"], name="ledger_witness_state_once")
        ]
