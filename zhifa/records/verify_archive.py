"""Offline check of a case archive package (案卷归档包), with the agency's public key alone. No Django, no database.

    python -m zhifa.records.verify_archive CASE.zip --key AGENCY.pub

Checks: every file the 卷内目录 lists hashes to the SHA-256 of the manifest; every ledger bundle in the package
verifies with the key (zhifa.ledger.verify_bundle); and every listed SHA-256 is named by a verified ledger entry
(the entry that stored the file). Exit 0 when all hold, 1 when something does not, 2 when the files cannot be read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import zipfile

if __package__ in (None, ""):
    import os

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from zhifa.ledger import notes, verify_bundle


def verify(path: str, key) -> list[str]:
    """The problems found (empty: the package verifies)."""
    problems: list[str] = []
    with zipfile.ZipFile(path) as z:
        manifest = json.loads(z.read("manifest.json"))
        named: set[str] = set()
        for bundle_path in manifest.get("bundles", []):
            try:
                entries = verify_bundle.verify(json.loads(z.read(bundle_path)), key)
            except (verify_bundle.BundleError, KeyError, ValueError) as exc:
                problems.append(f"{bundle_path}：{exc}")
                continue
            for entry in entries:
                named.update(f.get("sha256") for f in (entry.get("record") or {}).get("files", []))
        for row in manifest.get("index", []):
            digest = hashlib.sha256()
            try:
                with z.open(row["path"]) as fh:
                    while block := fh.read(1024 * 1024):
                        digest.update(block)
            except (KeyError, zipfile.BadZipFile) as exc:
                problems.append(f"{row['path']}：{exc}")
                continue
            if digest.hexdigest() != row["sha256"]:
                problems.append(f"第 {row['number']} 件 {row['path']}：内容与清单中的SHA-256不一致")
            elif row["sha256"] not in named:
                problems.append(f"第 {row['number']} 件 {row['path']}：SHA-256 不在经验证的账本记录中")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m zhifa.records.verify_archive", description="离线验证案卷归档包（无需数据库）。"
    )
    parser.add_argument("package", help="归档包 ZIP 文件")
    parser.add_argument("--key", required=True, help="执法主体的公钥文件")
    args = parser.parse_args(argv)
    try:
        with open(args.key, encoding="utf-8") as fh:
            key = notes.parse_vkey(fh.read())
        problems = verify(args.package, key)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        print(f"无法读取：{exc}", file=sys.stderr)
        return 2
    for problem in problems:
        print(f"验证失败：{problem}")
    if not problems:
        print("验证通过：归档包中的每个文件均与清单一致，且由经签名的账本记录。")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
