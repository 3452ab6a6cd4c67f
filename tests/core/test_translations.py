"""The committed English catalogue is complete: every msgid is translated, none is fuzzy, and each
translation keeps the placeholders of its Chinese source; the compiled .mo matches the .po.

Top up after adding strings (from the zhifa/ directory):
    ../.venv/bin/zhifa makemessages -l en --no-obsolete   # then translate the new and fuzzy entries
    ../.venv/bin/zhifa compilemessages -l en

The .po is read by the small parser below, not by Django or polib.
"""

import gettext
import re
from collections import Counter
from pathlib import Path

LC_MESSAGES = Path(__file__).resolve().parents[2] / "zhifa" / "locale" / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"

# %(name)s, %s, %d, %.2f … (not %%), and str.format fields {name}, {0}, {} (not {{ }}).
PLACEHOLDER = re.compile(
    r"%%|%(?:\([^)]*\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[sdiouxXeEfFgGcr]|\{\{|\}\}|\{[^{}]*\}"
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unquote(text):
    text = text.strip()
    assert text.startswith('"') and text.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def parse_po(source):
    """Entries of a .po text as dicts: msgctxt, msgid, msgid_plural, msgstr ({index: text}), flags, line.

    Obsolete entries (#~) are skipped; they are not part of the catalogue."""
    entries, entry, field = [], None, None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for number, raw in enumerate(source.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            if not line:
                finish()
                entry, field = None, None
            continue
        if entry is None:
            entry = {"msgctxt": None, "msgid_plural": None, "msgstr": {}, "flags": set(), "line": number}
        if line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(",") if f.strip())
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert field is not None, f"django.po:{number}: continuation without a keyword"
            if isinstance(field, tuple):
                entry["msgstr"][field[1]] += _unquote(line)
            else:
                entry[field] += _unquote(line)
        else:
            keyword, _, rest = line.partition(" ")
            if "msgid" in entry and keyword in ("msgctxt", "msgid"):  # no blank line between entries
                finish()
                entry = {"msgctxt": None, "msgid_plural": None, "msgstr": {}, "flags": set(), "line": number}
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match or keyword == "msgstr":
                field = ("msgstr", int(match.group(1)) if match else 0)
                entry["msgstr"][field[1]] = _unquote(rest)
            elif keyword in ("msgctxt", "msgid", "msgid_plural"):
                field = keyword
                entry[field] = _unquote(rest)
            else:
                raise AssertionError(f"django.po:{number}: unexpected line {raw!r}")
    finish()
    return entries


def placeholders(text):
    return Counter(p for p in PLACEHOLDER.findall(text) if p not in ("%%", "{{", "}}"))


def problems(entries):
    """Human-readable problems: untranslated, fuzzy, or placeholders that differ from the msgid's."""
    found = []
    for e in entries:
        if e["msgid"] == "":  # the header
            continue
        where = f"django.po:{e['line']} {e['msgid']!r}"
        if "fuzzy" in e["flags"]:
            found.append(f"{where}: fuzzy")
        translations = e["msgstr"].values()
        if not translations or any(t == "" for t in translations):
            found.append(f"{where}: untranslated")
            continue
        wanted = placeholders(e["msgid"])
        for index, text in sorted(e["msgstr"].items()):
            got = placeholders(text)
            if e["msgid_plural"] is None:
                ok = got == wanted
            else:  # a plural form may leave out the count (“one entry”) but may add nothing
                ok = not (got - (wanted | placeholders(e["msgid_plural"])))
            if not ok:
                found.append(
                    f"{where}: msgstr[{index}] placeholders {sorted(got.elements())} "
                    f"differ from the msgid's {sorted(wanted.elements())}"
                )
    return found


def test_catalogue_is_complete_and_keeps_placeholders():
    entries = parse_po(PO.read_text(encoding="utf-8"))
    assert len(entries) > 1000, "the English catalogue looks truncated"
    found = problems(entries)
    assert not found, (
        f"{len(found)} problem(s) in the English catalogue; translate them, then run compilemessages:\n"
        + "\n".join(found[:50])
    )


def test_compiled_catalogue_matches_the_po():
    entries = parse_po(PO.read_text(encoding="utf-8"))
    with MO.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = []
    for e in entries:
        if not e["msgid"] or e["msgid_plural"] is not None or "fuzzy" in e["flags"] or not e["msgstr"][0]:
            continue
        key = e["msgid"] if e["msgctxt"] is None else f"{e['msgctxt']}\x04{e['msgid']}"
        if compiled._catalog.get(key) != e["msgstr"][0]:
            stale.append(e["msgid"])
    assert not stale, (
        f"django.mo is out of date for {len(stale)} entries (first: {stale[0]!r}); "
        "run: cd zhifa && ../.venv/bin/zhifa compilemessages -l en"
    )


def test_the_check_catches_untranslated_fuzzy_and_lost_placeholders():
    sample = r"""
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

#, python-format
msgid "共%(n)d项。"
msgstr "%(n)d entries."

msgid "未翻译"
msgstr ""

#, fuzzy
msgid "模糊"
msgstr "Fuzzy"

#, python-format
msgid "%(a)s与%(b)s"
msgstr ""
"%(a)s and "
"%(c)s"

msgid "{name}已保存"
msgstr "Saved"

#~ msgid "旧"
#~ msgstr ""
"""
    entries = parse_po(sample)
    assert [e["msgid"] for e in entries] == [
        "",
        "共%(n)d项。",
        "未翻译",
        "模糊",
        "%(a)s与%(b)s",
        "{name}已保存",
    ]
    assert entries[4]["msgstr"][0] == "%(a)s and %(c)s"
    found = problems(entries)
    assert len(found) == 4
    assert "untranslated" in found[0] and "fuzzy" in found[1]
    assert "placeholders" in found[2] and "placeholders" in found[3]
