"""The dashboard's words: English message ids, Danish from the gettext catalogs in locale/da.

Every `*.po` file in the catalog folder is merged into one catalog at import, so a feature can keep
its own file; there are no compiled `.mo` files to keep in step. A test extracts every message id
from the code and templates and fails on one without a Danish translation.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
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
    buffer = io.BytesIO()
    write_mo(buffer, load_catalog(folder))
    buffer.seek(0)
    return Translations(fp=buffer, domain="messages")


TRANSLATIONS = load_translations()


def _(message: str) -> str:
    """The Danish text of an English message id."""
    return TRANSLATIONS.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return TRANSLATIONS.ngettext(singular, plural, count)
