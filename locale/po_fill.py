"""Fill msgstr in a .po file from a JSON file {msgid: msgstr}; with --identity, msgstr = msgid.

Used after `make messages`: English is the source language, so its catalogue is the identity;
Georgian translations are written by people into a JSON file and merged here.
"""

import json
import sys
from pathlib import Path


def unquote(lines: list[str]) -> str:
    return "".join(line.strip()[1:-1] for line in lines)


def fill_block(block: str, mapping: dict[str, str], identity: bool) -> tuple[str, str | None]:
    """Return the block with its translation filled, and the msgid if it is still missing."""
    lines = block.split("\n")
    starts = [k for k, line in enumerate(lines) if line.startswith("msgid ")]
    if not starts or any(line.startswith("msgid_plural") for line in lines):
        return block, None
    msgid_at = starts[0]
    msgstr_at = next(k for k, line in enumerate(lines) if line.startswith("msgstr"))
    msgid = unquote([lines[msgid_at][6:], *lines[msgid_at + 1 : msgstr_at]]).replace('\\"', '"')
    if not msgid:
        return block, None
    current = unquote([lines[msgstr_at][7:], *lines[msgstr_at + 1 :]])
    new = msgid if identity else mapping.get(msgid)
    if new is None:
        return block, (None if current else msgid)
    kept = [line for line in lines[:msgstr_at] if not (line.startswith("#,") and "fuzzy" in line)]
    return "\n".join([*kept, 'msgstr "' + new.replace('"', '\\"') + '"']), None


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
