"""Offline check of a ledger proof bundle, with the agency's public key alone. No Django, no database.

    python -m zhifa.ledger.verify_bundle BUNDLE.json --key AGENCY.pub

``AGENCY.pub`` holds the agency's verifier key (one line, ``name+keyid+base64``), obtained independently
of the bundle — from the public portal (/portal/ledger/) or the agency itself. Exit status 0: the checkpoint
is signed by that key and every entry in the bundle is in the log it describes; 1: something does not
verify (the reason is printed); 2: the files cannot be read.

Only this file, ``merkle.py`` and ``notes.py`` are needed (plus the ``cryptography`` package, and ``gmalg``
for SM2 keys).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import sys
from typing import Any

if __package__ in (None, ""):  # run as a plain script: python verify_bundle.py ...
    import os

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    from zhifa.ledger import merkle, notes
else:
    from . import merkle, notes

FORMAT = "zhifa-ledger-bundle/1"


class BundleError(Exception):
    pass


def verify(bundle: dict[str, Any], key: notes.PublicKey) -> list[dict[str, Any]]:
    """Check the bundle; returns the verified entries (decoded). Raises BundleError on the first failure."""
    if bundle.get("format") != FORMAT:
        raise BundleError(f"不是账本证明包（format 应为 {FORMAT}）")
    if bundle.get("public_key") and bundle["public_key"].strip() != key.vkey():
        raise BundleError("证明包中的公钥与所提供的公钥不一致：请以从公开渠道取得的公钥为准")
    try:
        checkpoint = notes.open_checkpoint(bundle["checkpoint"], key)
    except (KeyError, notes.NoteError) as exc:
        raise BundleError(f"检查点签名无效：{exc}") from exc
    if checkpoint.origin != bundle.get("origin"):
        raise BundleError("检查点的日志标识与证明包不符")
    wanted = bundle.get("object") or {}
    verified = []
    previous: tuple[int, bytes] | None = None
    for item in bundle.get("entries", []):
        seq = item.get("seq")
        if not isinstance(seq, int):
            raise BundleError("记录缺少序号")
        try:
            body = base64.b64decode(item["body"], validate=True)
            proof = [bytes.fromhex(h) for h in item["inclusion_proof"]]
        except (KeyError, TypeError, ValueError, binascii.Error) as exc:
            raise BundleError(f"第 {seq} 条记录格式错误") from exc
        leaf = merkle.leaf_hash(body)
        if item.get("leaf_hash") and item["leaf_hash"] != leaf.hex():
            raise BundleError(f"第 {seq} 条记录的内容与其叶哈希不符：记录被改动")
        if not merkle.verify_inclusion(seq, checkpoint.size, leaf, proof, checkpoint.root):
            raise BundleError(f"第 {seq} 条记录的包含证明不成立：记录被改动，或不在该检查点的账本中")
        try:
            entry = json.loads(body)
            head = entry["head"]
        except (ValueError, KeyError, TypeError) as exc:
            raise BundleError(f"第 {seq} 条记录不是有效的账本记录") from exc
        if head.get("seq") != seq or head.get("log") != checkpoint.origin:
            raise BundleError(f"第 {seq} 条记录的序号或日志标识与证明不符")
        if wanted and (head.get("kind") != wanted.get("kind") or head.get("object") != str(wanted.get("id"))):
            raise BundleError(f"第 {seq} 条记录不属于证明包所述对象")
        if previous is not None and previous[0] == seq - 1 and head.get("prev") != previous[1].hex():
            raise BundleError(f"第 {seq} 条记录与前一条记录的哈希链不符")
        previous = (seq, leaf)
        verified.append(entry)
    return verified


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m zhifa.ledger.verify_bundle",
        description="离线验证执法记录账本的证明包（无需数据库）。",
    )
    parser.add_argument("bundle", help="证明包 JSON 文件")
    parser.add_argument("--key", required=True, help="执法主体的公钥文件（一行：名称+密钥编号+base64 公钥）")
    args = parser.parse_args(argv)
    try:
        with open(args.bundle, encoding="utf-8") as fh:
            bundle = json.load(fh)
        with open(args.key, encoding="utf-8") as fh:
            key = notes.parse_vkey(fh.read())
    except (OSError, ValueError) as exc:
        print(f"无法读取：{exc}", file=sys.stderr)
        return 2
    try:
        entries = verify(bundle, key)
    except BundleError as exc:
        print(f"验证失败：{exc}")
        return 1
    checkpoint = notes.parse_checkpoint(notes.parse_note(bundle["checkpoint"])[0])
    obj = bundle.get("object") or {}
    print(f"日志：{checkpoint.origin}（检查点：{checkpoint.size} 条记录，{checkpoint.time or '时间未知'}）")
    print(f"对象：{obj.get('kind', '')} #{obj.get('id', '')}")
    for entry in entries:
        head, record = entry["head"], entry.get("record", {})
        actor = record.get("actor") or {}
        who = actor.get("name") or "系统"
        print(f"  第 {head['seq']} 条  {head['at']}  {head['action']}  {who}  ✓")
    print(f"验证通过：{len(entries)} 条记录均包含在经签名的账本中，内容未被改动。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
