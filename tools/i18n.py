"""The translation pipeline: source strings (English) in the code → .ts (Qt Linguist) → .qm (shipped).

    python tools/i18n.py update     # extract every tr()/translate() string of desktop/ into the .ts
    python tools/i18n.py release    # build the .qm from the .ts (commit both)
    python tools/i18n.py check      # list what is untranslated; exit 1 if anything is

`update` keeps existing translations, adds new strings as unfinished and drops strings that are gone from
the code. Translate the unfinished ones with Qt Linguist (`pyside6-linguist`) or any text editor, then run
`release`. tests/views/test_translations.py fails while a string is untranslated or the .qm is stale.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (ROOT / "desktop", ROOT / "reports")  # reports/ has texts that follow the interface language
TS = ROOT / "desktop" / "resources" / "i18n" / "branchdesk_zh_CN.ts"


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    translation: str  # for a plural message (%n) the first form: Chinese has one
    kind: str  # "" (finished), "unfinished", "vanished" or "obsolete"
    forms: tuple[str, ...] = ()  # every plural form, when the message is a plural one


def tool(name: str) -> str:
    """pyside6-lupdate/-lrelease: on PATH, or beside this Python (a venv that is not activated)."""
    found = shutil.which(name)
    if found:
        return found
    folder = Path(sys.executable).parent
    for candidate in (folder / name, folder / f"{name}.exe", folder / "Scripts" / f"{name}.exe"):
        if candidate.exists():
            return str(candidate)
    raise SystemExit(f"{name} not found: install PySide6 in this Python ({sys.executable})")


def source_files() -> list[Path]:
    return sorted(p for folder in SOURCES for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def update(ts: Path = TS) -> list[Message]:
    ts.parent.mkdir(parents=True, exist_ok=True)
    listing = ts.with_suffix(".files.lst")
    listing.write_text("\n".join(str(p) for p in source_files()) + "\n", encoding="utf-8")
    try:
        subprocess.run(
            [
                tool("pyside6-lupdate"),
                f"@{listing}",
                "-ts",
                str(ts),
                "-source-language",
                "en",
                "-target-language",
                "zh_CN",
                "-locations",
                "none",  # no line numbers: the .ts changes only when a string does
                "-no-obsolete",
                "-silent",
            ],
            check=True,
            cwd=ROOT,
        )
    finally:
        listing.unlink(missing_ok=True)
    return read_ts(ts)


def release(ts: Path = TS, qm: Path | None = None) -> Path:
    qm = qm or ts.with_suffix(".qm")
    subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True, cwd=ROOT)
    return qm


def read_ts(ts: Path = TS) -> list[Message]:
    messages = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None:
                messages.append(Message(name, message.findtext("source", ""), "", "unfinished"))
                continue
            forms = tuple(form.text or "" for form in translation.iter("numerusform"))
            messages.append(
                Message(
                    context=name,
                    source=message.findtext("source", ""),
                    translation=forms[0] if forms else (translation.text or ""),
                    kind=translation.get("type", ""),
                    forms=forms,
                )
            )
    return messages


def untranslated(messages: list[Message]) -> list[Message]:
    return [m for m in messages if m.kind or not all(f.strip() for f in (m.forms or (m.translation,)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("update", "release", "check"))
    parser.add_argument("--ts", type=Path, default=TS, help=f"the .ts file (default {TS.relative_to(ROOT)})")
    parser.add_argument("--qm", type=Path, help="where release writes the .qm (default: beside the .ts)")
    args = parser.parse_args(argv)
    if args.command == "release":
        print(f"built {release(args.ts, args.qm)}")
        return 0
    messages = update(args.ts) if args.command == "update" else read_ts(args.ts)
    todo = untranslated(messages)
    done = len(messages) - len(todo)
    print(f"{args.ts}: {len(messages)} strings, {done} translated, {len(todo)} to translate")
    for m in todo:
        print(f"  [{m.context}] {m.source!r}")
    return 1 if todo and args.command == "check" else 0


if __name__ == "__main__":
    sys.exit(main())
