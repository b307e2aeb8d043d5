"""Fill msgstr in a .po file from a JSON file {msgid: msgstr}; with --identity, msgstr = msgid.

Used after `make messages`: English is the source language, so its catalogue is the identity;
Georgian translations are written by people into a JSON file and merged here. A plural entry
takes a list ["singular form", "plural form"]. Fuzzy guesses made by msgmerge count as missing.
"""

import json
import sys
from pathlib import Path


def unquote(lines: list[str]) -> str:
    return "".join(line.strip()[1:-1] for line in lines).replace('\\"', '"')


def quote(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'


def first_index(lines: list[str], prefix: str) -> int | None:
    return next((k for k, line in enumerate(lines) if line.startswith(prefix)), None)


def fill_block(block: str, mapping: dict, identity: bool) -> tuple[str, str | None]:
    """Return the block with its translation filled, and the msgid if it is still missing."""
    lines = block.split("\n")
    msgid_at = first_index(lines, "msgid ")
    if msgid_at is None:
        return block, None
    plural_at = first_index(lines, "msgid_plural ")
    msgstr_at = first_index(lines, "msgstr")
    msgid = unquote([lines[msgid_at][6:], *lines[msgid_at + 1 : plural_at or msgstr_at]])
    if not msgid:
        return block, None
    fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
    current = unquote(
        [line.split(" ", 1)[1] if line.startswith("msgstr") else line for line in lines[msgstr_at:]]
    )
    if plural_at is not None:
        plural = unquote([lines[plural_at][13:], *lines[plural_at + 1 : msgstr_at]])
        new = [msgid, plural] if identity else mapping.get(msgid)
    else:
        new = msgid if identity else mapping.get(msgid)
    if new is None:
        return block, (msgid if fuzzy or not current else None)
    kept = [line for line in lines[:msgstr_at] if not (line.startswith("#,") and "fuzzy" in line)]
    kept = [line for line in kept if not line.startswith("#| ")]
    if isinstance(new, list):
        translated = [f"msgstr[{n}] {quote(form)}" for n, form in enumerate(new)]
    else:
        translated = [f"msgstr {quote(new)}"]
    return "\n".join([*kept, *translated]), None


def main(path: Path, source: str) -> list[str]:
    identity = source == "--identity"
    mapping = {} if identity else json.loads(Path(source).read_text(encoding="utf-8"))
    blocks, missing = [], []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        filled, still_missing = fill_block(block, mapping, identity)
        blocks.append(filled)
        if still_missing:
            missing.append(still_missing)
    path.write_text("\n\n".join(blocks), encoding="utf-8")
    return missing


if __name__ == "__main__":
    untranslated = main(Path(sys.argv[1]), sys.argv[2])
    print(json.dumps({"untranslated": untranslated}, ensure_ascii=False, indent=1))
