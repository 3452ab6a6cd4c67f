"""Verification: recompute every leaf, the chain, every tree node and checkpoint root from the stored bytes,
check each checkpoint's signature, re-hash the files entries name, and (``state``) compare each audited
object's latest recorded state with its live row. Read-only; ``actions.run_verification`` records runs.

Entries are streamed once, in order, and each one costs a few hash computations and a prefix comparison
(see ``encoding``): no JSON is parsed except for entries that name files, or that fail.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.snapshot import DIGESTED

from . import encoding, keys, merkle, notes, registry
from .encoding import normalize
from .models import Checkpoint, Entry, Log

DIGEST_NAMES = frozenset(DIGESTED.values())

MAX_PROBLEMS = 100
CHUNK = 5000


@dataclass
class Problem:
    agency: str
    message: str
    seq: int | None = None
    checkpoint: int | None = None
    kind: str | None = None
    object_id: str | None = None

    def __str__(self) -> str:
        if self.seq is not None:
            where = _("第 %(n)d 条记录") % {"n": self.seq}
        elif self.checkpoint is not None:
            where = _("检查点（%(n)d 条）") % {"n": self.checkpoint}
        elif self.kind is not None:
            where = f"{self.kind} #{self.object_id}"
        else:
            where = _("账本")
        located = _("%(where)s：%(message)s") % {"where": where, "message": self.message}
        return f"[{self.agency}] {located}"


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    logs: int = 0
    entries: int = 0
    checkpoints: int = 0
    files: int = 0
    objects: int = 0
    sizes: dict[str, int] = field(default_factory=dict)
    _largest: dict[str, tuple[int, Any]] | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)


def verify(
    *, agency=None, state: bool = False, files: bool = True, progress: Callable | None = None
) -> Report:
    report = Report()
    logs = Log.objects.select_related("agency").order_by("origin")
    if agency is not None:
        logs = logs.filter(pk=agency.pk)
    for log in logs:
        verify_log(log, report, files=files, progress=progress)
    verify_auth_chain(report, agency=agency)
    if state:
        verify_state(report, agency=agency)
    return report


def _chunks(log: Log) -> Iterator[list[tuple]]:
    """Lists of (seq, at text, actor_id, action, kind, object_id, body, nodes) in order, fetched by key range,
    so no database keeps a long-running cursor open and memory stays flat. PostgreSQL writes the time
    the way heads do; on SQLite Python does."""
    qn = connection.ops.quote_name
    if connection.vendor == "postgresql":
        at = f"""to_char({qn("at")} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""
        convert = None
    else:
        at = qn("at")
        convert = _datetime_reader()
    sql = (
        f"SELECT {qn('seq')}, {at}, {qn('actor_id')}, {qn('action')}, {qn('object_kind')}, "
        f"{qn('object_id')}, {qn('body')}, {qn('nodes')} FROM {qn(Entry._meta.db_table)} "
        f"WHERE {qn('log_id')} = %s AND {qn('seq')} >= %s ORDER BY {qn('seq')} LIMIT {CHUNK}"
    )
    start = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(sql, [log.pk, start])
            rows = cursor.fetchall()
            if not rows:
                return
            if convert is not None or not isinstance(rows[0][6], bytes):
                rows = [
                    (
                        seq,
                        encoding.format_time(convert(at)) if convert else at,
                        actor,
                        action,
                        kind,
                        oid,
                        bytes(body),
                        bytes(nodes),
                    )
                    for seq, at, actor, action, kind, oid, body, nodes in rows
                ]
            yield rows
            start = rows[-1][0] + 1


def _datetime_reader() -> Callable[[Any], Any]:
    """Raw SQLite cursors give naive UTC datetimes (or text)."""
    import datetime as dt

    def parse(value):
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value

    return parse


def _explain_head(body: bytes, expected: dict[str, Any]) -> str:
    """Why the stored bytes do not start with the expected head (the slow path, for messages only)."""
    try:
        head = json.loads(body)["head"]
    except (ValueError, KeyError, TypeError):
        return _("记录内容不是有效的账本记录（无法解析），记录已被改动")
    if head.get("prev") != expected["prev"]:
        return _("记录中的前一条哈希与前一条记录不符：哈希链断裂（本条或前一条记录被改动）")
    for name, column in (
        ("action", _("操作")),
        ("actor", _("操作人")),
        ("at", _("时间")),
        ("kind", _("对象类型")),
        ("object", _("对象编号")),
        ("seq", _("序号")),
        ("log", _("日志标识")),
    ):
        if head.get(name) != expected[name]:
            return _("%(column)s字段与记录内容不符（数据库中的字段或记录内容被改动）") % {"column": column}
    return _("记录内容的格式不规范（不是规范化 JSON），记录已被改动")


def verify_log(log: Log, report: Report, *, files: bool = True, progress: Callable | None = None) -> None:
    code = log.agency.code
    report.logs += 1
    key = keys.public_key(log)
    try:
        if keys.load(log).public_bytes != key.key:
            report.add(Problem(code, _("签名私钥文件与登记的公钥不一致（密钥文件或公钥被替换）")))
    except FileNotFoundError:
        report.warnings.append(
            _("[%(code)s] 本机没有签名私钥文件 %(file)s，不影响验证，但无法签署新的检查点")
            % {"code": code, "file": log.key_file}
        )
    except (OSError, notes.NoteError) as exc:
        report.add(Problem(code, _("签名私钥文件无法读取：%(error)s") % {"error": exc}))

    # Checkpoints first: their signatures and stored fields; roots are compared while streaming.
    expected_roots: dict[int, list[Checkpoint]] = {}
    for cp in Checkpoint.objects.filter(log=log).order_by("size").prefetch_related("cosignatures"):
        report.checkpoints += 1
        try:
            signed = notes.open_checkpoint(cp.note, key)
        except notes.NoteError as exc:
            report.add(
                Problem(code, _("签名无效或格式错误（%(error)s）") % {"error": exc}, checkpoint=cp.size)
            )
            continue
        if signed.size != cp.size or signed.root != bytes(cp.root_hash) or signed.time != cp.at:
            report.add(Problem(code, _("检查点字段与签名内容不符"), checkpoint=cp.size))
            continue
        expected_roots.setdefault(cp.size, []).append(cp)
        _check_cosignatures(code, cp, report)
    # This deployment as a witness of its own logs (or both roles in one database): what it cosigned.
    from .models import WitnessState

    witnessed: dict[int, list] = {}
    for state in WitnessState.objects.filter(origin=log.origin):
        witnessed.setdefault(state.size, []).append(state)

    frontier: list[bytes] = []
    prev: bytes | None = None
    n = 0
    origin = log.origin
    head = encoding.HeadEncoder(origin).prefix
    zero = hashlib.sha256(b"\x00")
    append_leaf = merkle.append_leaf
    # The hot loop: a prefix comparison and one or two hashes per entry, no JSON parsing.
    for rows in _chunks(log):
        for seq, at_text, actor_id, action, kind, object_id, body, nodes in rows:
            if seq != n:
                report.add(
                    Problem(
                        code,
                        _("缺少第 %(first)d 条至第 %(last)d 条记录（记录被删除）")
                        % {"first": n, "last": seq - 1},
                        seq=n,
                    )
                )
                break
            prefix = head(action, actor_id, at_text, kind, object_id, prev, seq)
            if not body.startswith(prefix):
                expected = {
                    "action": action,
                    "actor": actor_id,
                    "at": at_text,
                    "kind": kind,
                    "object": object_id,
                    "seq": seq,
                    "log": origin,
                    "prev": prev.hex() if prev else None,
                }
                report.add(Problem(code, _explain_head(body, expected), seq=seq))
            h = zero.copy()
            h.update(body)
            leaf = h.digest()
            if n & 1:
                completed = b"".join(append_leaf(frontier, n, leaf))
            else:
                frontier.append(leaf)
                completed = leaf
            if completed != nodes:
                if nodes[:32] != leaf:
                    report.add(Problem(code, _("记录内容与存储的叶哈希不符：记录内容或哈希被改动"), seq=seq))
                else:
                    report.add(Problem(code, _("存储的默克尔树节点哈希被改动"), seq=seq))
            if files:
                at = body.find(b',"files":', len(prefix))
                if at < 0 or body[at + 9 : at + 11] != b"[]":
                    _check_files(code, seq, body, report)
            prev = leaf
            n += 1
            if n in witnessed:
                root = merkle.frontier_root(frontier)
                for state in witnessed[n]:
                    if bytes(state.root_hash) != root:
                        report.add(
                            Problem(
                                code,
                                _("与见证方 %(witness)s 副署的第 %(n)d 条时的根哈希不符：账本历史被改写")
                                % {"witness": state.witness, "n": n},
                            )
                        )
            if n in expected_roots:
                root = merkle.frontier_root(frontier)
                for cp in expected_roots[n]:
                    if bytes(cp.root_hash) != root:
                        report.add(
                            Problem(
                                code,
                                _("检查点的根哈希与由记录重新计算的不符：其范围内的记录被改动"),
                                checkpoint=cp.size,
                            )
                        )
            if progress is not None and n % 100_000 == 0:
                progress(code, n)
        else:
            continue
        break  # a gap: the rest cannot be checked in order
    report.entries += n
    report.sizes[origin] = n
    _shorter_than_before(log, n, report)

    signed_size = max(expected_roots, default=0)
    if n > signed_size:
        report.warnings.append(
            _(
                "[%(code)s] 第 %(first)d 条起的 %(n)d 条记录尚未被签名检查点覆盖：若它们连同账本行一并被删改，"
                "签名无法发现（见 docs/ledger.md“验证能证明什么”）"
            )
            % {"code": code, "first": signed_size, "n": n - signed_size}
        )
    for size, states in witnessed.items():
        if size > n:
            report.add(
                Problem(
                    code,
                    _("见证方 %(witness)s 已副署 %(size)d 条记录，但账本只有 %(n)d 条：记录被删除")
                    % {"witness": states[0].witness, "size": size, "n": n},
                )
            )
    for size in expected_roots:
        if size > n:
            report.add(
                Problem(
                    code,
                    _("检查点包含 %(size)d 条记录，但账本只有 %(n)d 条：记录被删除") % {"size": size, "n": n},
                    checkpoint=size,
                )
            )
    if log.size != n or bytes(log.frontier) != b"".join(frontier) or (bytes(log.last_leaf) or None) != prev:
        report.add(
            Problem(
                code,
                _("账本状态（%(size)d 条）与记录（%(n)d 条）不符：账本行或记录被改动")
                % {"size": log.size, "n": n},
            )
        )


def _check_cosignatures(code: str, cp: Checkpoint, report: Report) -> None:
    """Each witness cosignature stored with the checkpoint must verify over the checkpoint as it is now."""
    from . import witness

    for cosignature in cp.cosignatures.all():
        try:
            key = witness.parse_witness_key(cosignature.witness_key)
            text, _sigs = notes.parse_note(cp.note)
            witness.open_cosignature(cosignature.line, key, text)
        except (witness.WitnessError, notes.NoteError) as exc:
            report.add(
                Problem(
                    code,
                    _("见证方 %(witness)s 的副署不成立：%(error)s")
                    % {"witness": cosignature.witness_key.split("+", 1)[0], "error": exc},
                    checkpoint=cp.size,
                )
            )


def _largest_sizes() -> dict[str, tuple[int, Any]]:
    """{origin: (most entries any earlier verification run counted, when)}."""
    from .models import VerificationRun

    largest: dict[str, tuple[int, Any]] = {}
    runs = VerificationRun.objects.filter(finished_at__isnull=False)
    for sizes, at in runs.values_list("sizes", "started_at").iterator(chunk_size=CHUNK):
        for origin, size in (sizes or {}).items() if isinstance(sizes, dict) else ():
            if isinstance(size, int) and size > largest.get(origin, (0, None))[0]:
                largest[origin] = (size, at)
    return largest


def _shorter_than_before(log: Log, n: int, report: Report) -> None:
    """A log is append-only: an earlier verification run that counted more entries means its tail was deleted
    (even when the log row was rewritten to match and no checkpoint covered that tail)."""
    if report._largest is None:
        report._largest = _largest_sizes()
    most, when = report._largest.get(log.origin, (0, None))
    if most > n:
        report.add(
            Problem(
                log.agency.code,
                _("%(when)s 的验证时账本有 %(was)d 条记录，现在只有 %(n)d 条：末尾的记录被删除")
                % {"when": timezone.localtime(when).strftime("%Y-%m-%d %H:%M"), "was": most, "n": n},
            )
        )


def _check_files(code: str, seq: int, body: bytes, report: Report) -> None:
    try:
        named = json.loads(body)["record"]["files"]
    except (ValueError, KeyError, TypeError):
        return  # the leaf and head checks report a broken body
    for item in named:
        name, want = item.get("name"), item.get("sha256")
        report.files += 1
        try:
            digest = hashlib.sha256()
            with default_storage.open(name, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):  # noqa: B023 - fh is the loop's own
                    digest.update(chunk)
        except (FileNotFoundError, OSError):
            report.add(Problem(code, _("记录所列文件 %(name)s 在存储中不存在") % {"name": name}, seq=seq))
            continue
        if digest.hexdigest() != want:
            report.add(
                Problem(
                    code,
                    _("记录所列文件 %(name)s 的 SHA-256 与记录不符：文件被改动") % {"name": name},
                    seq=seq,
                )
            )


# --state: the latest recorded state of each object against its live row.


def _same(field, live: Any, recorded: Any) -> bool:
    """Equal as JSON, or equal as values of the field ("1000" and "1000.00" for a decimal, the same
    instant written in two time zones): the recorded text comes from the object before it was saved."""
    if live == recorded:
        return True
    if field is None or live is None or recorded is None:
        return False
    try:
        return field.to_python(live) == field.to_python(recorded)
    except Exception:  # text the field cannot read is a difference
        return False


def _canonical(value: Any) -> Any:
    import rfc8785

    return json.loads(rfc8785.dumps(normalize(value)))


def latest_states(agency=None) -> dict[tuple[str, str], tuple[str, int, Any, Any]]:
    """{(kind, id): (agency code, seq, at, state)} from the newest entry per object that records a state."""
    found: dict[tuple[str, str], tuple[str, int, Any, Any]] = {}
    logs = Log.objects.select_related("agency")
    if agency is not None:
        logs = logs.filter(pk=agency.pk)
    for log in logs:
        done: set[tuple[str, str]] = set()
        rows = (
            Entry.objects.filter(log=log, object_kind__isnull=False, object_id__isnull=False)
            .order_by("-seq")
            .values_list("seq", "at", "object_kind", "object_id", "body")
            .iterator(chunk_size=CHUNK)
        )
        for seq, at, kind, object_id, body in rows:
            key = (kind, object_id)
            if key in done:
                continue
            body = bytes(body)
            if b'"state":' not in body:
                continue
            try:
                payload = json.loads(body)["record"]["payload"]
            except (ValueError, KeyError, TypeError):
                continue  # verify_log reports it
            if not isinstance(payload, dict) or "state" not in payload:
                continue
            done.add(key)
            current = found.get(key)
            if current is None or current[2] < at:
                found[key] = (log.agency.code, seq, at, payload["state"])
    return found


def verify_state(report: Report, *, agency=None) -> None:
    by_kind: dict[str, dict[str, tuple[str, int, Any, Any]]] = {}
    for (kind, object_id), recorded in latest_states(agency).items():
        by_kind.setdefault(kind, {})[object_id] = recorded
    _never_recorded(report, by_kind, agency)
    for kind, objects in sorted(by_kind.items()):
        app_label, _sep, model_name = kind.partition(".")
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            report.warnings.append(_("%(kind)s：模型已不存在，跳过核对") % {"kind": kind})
            continue
        volatile = registry.kind(kind).volatile if registry.kind(kind) else frozenset()
        fields = {f.attname: f for f in model._meta.concrete_fields}
        ids = list(objects)
        pk_field = model._meta.pk
        live: dict[str, Any] = {}
        for i in range(0, len(ids), 500):
            chunk = []
            for object_id in ids[i : i + 500]:
                try:
                    chunk.append(pk_field.to_python(object_id))
                except Exception:  # an id that cannot be this model's key: compared as missing below
                    continue
            for obj in model._default_manager.filter(pk__in=chunk):
                live[str(obj.pk)] = obj
        from zhifa.core.snapshot import snapshot

        for object_id, (code, seq, _at, state) in sorted(objects.items()):
            report.objects += 1
            obj = live.get(object_id)
            if state is None:
                if obj is not None:
                    report.add(
                        Problem(
                            code,
                            _("记录显示已删除（第 %(n)d 条），但数据库中仍存在：未经操作恢复或新增")
                            % {"n": seq},
                            kind=kind,
                            object_id=object_id,
                        )
                    )
                continue
            if obj is None:
                report.add(
                    Problem(
                        code,
                        _("数据库中已不存在，最近一次记录（第 %(n)d 条）之后未经操作被删除") % {"n": seq},
                        kind=kind,
                        object_id=object_id,
                    )
                )
                continue
            now = _canonical(snapshot(obj))
            if not isinstance(state, dict):
                continue
            changed = sorted(
                name
                for name in set(now) | set(state)
                if name not in volatile
                and not (
                    name in DIGEST_NAMES and name not in state
                )  # recorded before credentials were digested
                and not _same(fields.get(name), now.get(name), state.get(name))
            )
            credentials = [name for name in changed if name in DIGEST_NAMES]
            for name in credentials:
                report.add(
                    Problem(
                        code,
                        (
                            _("密码被直接改动")
                            if name == DIGESTED["password"]
                            else _("令牌或查询码的哈希被直接改动")
                        )
                        + _(
                            "：数据库中的哈希与最近一次记录（第 %(n)d 条）的密钥摘要不符（未经操作直接修改了数据库，"
                            "可能被用来冒用该账户登录）"
                        )
                        % {"n": seq},
                        kind=kind,
                        object_id=object_id,
                    )
                )
            changed = [name for name in changed if name not in DIGEST_NAMES]
            if changed:
                report.add(
                    Problem(
                        code,
                        _(
                            "数据库中的当前数据与最近一次记录（第 %(n)d 条）不符，字段：%(fields)s（未经操作直接修改了数据库）"
                        )
                        % {"n": seq, "fields": "、".join(changed)},
                        kind=kind,
                        object_id=object_id,
                    )
                )


def _never_recorded(report: Report, by_kind: dict[str, dict[str, Any]], agency) -> None:
    """Rows of recorded models (``tracking.recorded_models``: every model of our apps not declared unrecorded)
    that no entry has ever described: inserted around the actions layer.

    Verifying one agency: a row no entry of any log describes is attributed to its agency the way appends are
    (``registry.agency_of``), so rows of models without an ``agency`` field of their own (a case's officers, a
    certificate) are checked too."""
    from .tracking import recorded_models

    anywhere: dict[str, set[str]] | None = None
    if agency is not None:
        anywhere = {}
        kinds = list(recorded_models())
        for kind, object_id in (
            Entry.objects.filter(object_kind__in=kinds, object_id__isnull=False)
            .values_list("object_kind", "object_id")
            .distinct()
            .iterator(chunk_size=CHUNK)
        ):
            anywhere.setdefault(kind, set()).add(object_id)
    for kind, model in sorted(recorded_models().items()):
        owned = any(f.name == "agency" and f.is_relation for f in model._meta.concrete_fields)
        rows = model._base_manager.all()
        if agency is not None and owned:
            rows = rows.filter(agency=agency)
        known = by_kind.get(kind, {})
        elsewhere = anywhere.get(kind, set()) if anywhere is not None else set()
        columns = ("pk", "agency__code") if owned else ("pk",)
        unknown: list[tuple] = []
        for row in rows.values_list(*columns).order_by().iterator(chunk_size=CHUNK):
            object_id = str(row[0])
            if object_id in known or object_id in elsewhere:
                continue
            unknown.append(row)
        if agency is not None and not owned and unknown:
            unknown = _of_agency(model, unknown, agency)
        for row in unknown:
            report.objects += 1
            report.add(
                Problem(
                    row[1] if len(row) > 1 and row[1] else "—",
                    _("数据库中存在，但账本中没有任何记录：未经操作新增"),
                    kind=kind,
                    object_id=str(row[0]),
                )
            )


def _of_agency(model, rows: list[tuple], agency) -> list[tuple]:
    """(pk, agency code) of the rows among ``rows`` whose log is ``agency``'s (or cannot be told)."""
    out = []
    for i in range(0, len(rows), 500):
        for obj in model._base_manager.filter(pk__in=[row[0] for row in rows[i : i + 500]]):
            owner = _owner(obj)
            if owner is None or owner.pk == agency.pk:
                out.append((obj.pk, agency.code))
    return out


def _owner(obj, depth: int = 3):
    """The agency whose log would record ``obj``: its registered kind's, else the first parent's (a case's
    officer: the case's) that can be told; None when none can (reported under every agency verified)."""
    try:
        owner = registry.agency_of(obj)
    except Exception:
        owner = None
    if owner is not None or depth == 0:
        return owner
    for f in obj._meta.concrete_fields:
        if f.many_to_one and getattr(obj, f.attname, None) is not None:
            try:
                owner = _owner(getattr(obj, f.name), depth - 1)
            except Exception:  # a dangling reference: try the next parent
                continue
            if owner is not None:
                return owner
    return None


# The login audit record's own chain (org.AuthEvent), and its links recorded in the agencies' logs.


def verify_auth_chain(report: Report, *, agency=None) -> None:
    """Recompute the login audit record's hash chain and check each link an agency's log recorded
    (``org.actions.record_auth_event``): a changed row breaks its hash, a deleted one leaves a gap in the
    numbers or a recorded link with no row."""
    from zhifa.org.actions import AUTH_ACTION, auth_event_hash
    from zhifa.org.models import AuthEvent

    anchors: dict[int, tuple[str, int, str]] = {}
    entries = Entry.objects.filter(action=AUTH_ACTION).select_related("log__agency")
    if agency is not None:
        entries = entries.filter(log=agency.pk)
    for entry in entries.only("seq", "body", "log__agency__code").iterator(chunk_size=CHUNK):
        try:
            event = json.loads(bytes(entry.body))["record"]["payload"]["event"]
            anchors[int(event["seq"])] = (entry.log.agency.code, entry.seq, event["chain_hash"])
        except (ValueError, KeyError, TypeError):
            continue  # verify_log reports a broken body
    legacy = AuthEvent.objects.filter(seq__isnull=True).count()
    if legacy:
        report.warnings.append(_("另有 %(n)d 条登录审计记录早于哈希链，无法核对是否被删改") % {"n": legacy})
    prev = ""
    expected = 1
    where = _("登录审计记录")
    for event in AuthEvent.objects.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=CHUNK):
        if event.seq != expected:
            report.add(
                Problem(
                    "—",
                    _("%(where)s第 %(first)d 条至第 %(last)d 条缺失（被删除）")
                    % {"where": where, "first": expected, "last": event.seq - 1},
                )
            )
        elif auth_event_hash(prev, event) != event.chain_hash:
            report.add(
                Problem(
                    "—",
                    _("%(where)s第 %(n)d 条的内容与链哈希不符（记录被改动）")
                    % {"where": where, "n": event.seq},
                )
            )
        anchor = anchors.pop(event.seq, None)
        if anchor is not None and anchor[2] != event.chain_hash:
            report.add(
                Problem(
                    anchor[0],
                    _("%(where)s第 %(n)d 条与账本所记的链哈希不符（记录被改动或替换）")
                    % {"where": where, "n": event.seq},
                    seq=anchor[1],
                )
            )
        prev = event.chain_hash
        expected = event.seq + 1
    for number, (code, seq, _hash) in sorted(anchors.items()):
        report.add(
            Problem(
                code,
                _("账本记有%(where)s第 %(n)d 条，但数据库中已不存在（被删除）")
                % {"where": where, "n": number},
                seq=seq,
            )
        )
