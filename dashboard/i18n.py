"""The dashboard's words: English message ids, Danish from the gettext catalogs in locale/da.

Every `*.po` file in the catalog folder is merged into one catalog at import, so a feature can keep
its own file; there are no compiled `.mo` files to keep in step. A test extracts every message id
from the code and templates and fails on one without a Danish translation.
"""

from __future__ import annotations

import array
import io
import struct
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, unescape
from babel.support import Translations

CATALOGS = Path(__file__).with_name("locale") / "da" / "LC_MESSAGES"


def load_catalog(folder: Path = CATALOGS) -> Catalog:
    merged = Catalog(locale="da", domain="messages")
    for path in sorted(folder.glob("*.po")):
        with path.open("rb") as file:
            for message in read_po(file, locale="da"):
                if message.id and message.string:
                    merged.add(message.id, message.string)
    return merged


def load_translations(folder: Path = CATALOGS) -> Translations:
    """The merged catalogs as gettext translations. Read by a small reader of the plain
    entries these files hold (msgid, msgstr, comments, flags): Babel's reader and .mo writer
    took about a tenth of a start and 1 MB of the process for the same result. A file with
    anything more (plurals, contexts) is read by Babel."""
    try:
        strings = _plain_strings(folder)
    except _NotPlain:
        buffer = io.BytesIO()
        write_mo(buffer, load_catalog(folder))
        buffer.seek(0)
        return Translations(fp=buffer, domain="messages")
    return Translations(fp=io.BytesIO(_mo_file(strings)), domain="messages")


class _NotPlain(Exception):
    """An entry the small reader leaves to Babel."""


def _plain_strings(folder: Path) -> dict[str, str]:
    """msgid → msgstr of every translated entry (a fuzzy flag changes nothing, as in the merged
    Babel catalog); the first file (by name) wins a message id that two files translate."""
    strings: dict[str, str] = {}
    for path in sorted(folder.glob("*.po")):
        for msgid, msgstr in _entries(path.read_text(encoding="utf-8")):
            if msgid and msgstr:
                strings.setdefault(msgid, msgstr)
    return strings


def _entries(text: str) -> Iterator[tuple[str, str]]:
    fields: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in [*text.splitlines(), ""]:
        line = raw.strip()
        if line.startswith("#~"):  # obsolete: not in the catalog
            continue
        if not line or (line.startswith("#") and fields.get("msgstr") is not None):
            if "msgid" in fields:
                yield "".join(fields["msgid"]), "".join(fields.get("msgstr", []))
            fields, current = {}, None
        if not line or line.startswith("#"):
            continue
        keyword, _space, rest = line.partition(" ")
        if line.startswith('"'):
            if current is None:
                raise _NotPlain(line)
            current.append(_string(line))
        elif keyword in ("msgid", "msgstr") and keyword not in fields:
            current = fields[keyword] = [_string(rest)]
        else:  # msgctxt, msgid_plural, msgstr[n], or something unexpected
            raise _NotPlain(line)


def _string(quoted: str) -> str:
    quoted = quoted.strip()
    if len(quoted) < 2 or not (quoted.startswith('"') and quoted.endswith('"')):
        raise _NotPlain(quoted)
    return unescape(quoted)


_MO_HEADER = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n"


def _mo_file(strings: dict[str, str]) -> bytes:
    """A GNU .mo file (the format gettext reads): a header, then the strings sorted by id."""
    entries = sorted({"": _MO_HEADER, **strings}.items())
    ids = [key.encode() for key, _ in entries]
    texts = [value.encode() for _, value in entries]
    count = len(entries)
    start = 7 * 4 + 16 * count  # after the header and the two tables
    id_table: list[int] = []
    text_table: list[int] = []
    data = bytearray()
    for block, table in ((ids, id_table), (texts, text_table)):
        for item in block:
            table += [len(item), start + len(data)]
            data += item + b"\0"
    header = struct.pack("Iiiiiii", 0x950412DE, 0, count, 28, 28 + 8 * count, 0, 0)
    return header + array.array("i", id_table + text_table).tobytes() + bytes(data)


TRANSLATIONS = load_translations()


def _(message: str) -> str:
    """The Danish text of an English message id."""
    return TRANSLATIONS.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return TRANSLATIONS.ngettext(singular, plural, count)
