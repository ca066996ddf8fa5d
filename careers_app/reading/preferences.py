"""What a reader can choose, and how a choice is read back from a cookie or the account.

Every setting has a fixed list of values; the first is the default. Anything else read
back (an old cookie, a value someone typed into one, a row written by a later version)
becomes the default for that setting, without an error: a preference must never stop a
page from showing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

# (value, label) per setting, default first. The labels are the form's radio labels.
TEXT_SIZES = (("default", "Standard"), ("large", "Large"), ("larger", "Larger"),
              ("largest", "Largest"))
LINE_SPACINGS = (("default", "Standard"), ("wide", "Wide"), ("widest", "Widest"))
LETTER_SPACINGS = (("default", "Standard"), ("wide", "Wide"))
TYPEFACES = (("default", "Frutiger (the NHS typeface), or Arial where it is not installed"),
             ("atkinson", "Atkinson Hyperlegible"),
             ("opendyslexic", "OpenDyslexic"))
COLOUR_SCHEMES = (("default", "Standard: dark text on white and light grey"),
                  ("cream", "Dark text on a cream background"),
                  ("blue", "Dark text on a pale blue background"),
                  ("dark", "Light text on a dark background"))
MOTIONS = (("default", "As my device is set"), ("reduce", "Reduce motion"))

OPTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "text_size": TEXT_SIZES, "line_spacing": LINE_SPACINGS,
    "letter_spacing": LETTER_SPACINGS, "typeface": TYPEFACES,
    "colours": COLOUR_SCHEMES, "motion": MOTIONS,
}

# Names of the fonts as they are embedded in a PDF (tests read them back with pypdf).
PDF_FONT_NAMES = {"atkinson": "AtkinsonHyperlegible", "opendyslexic": "OpenDyslexic"}


@dataclass(frozen=True)
class ReadingPreferences:
    text_size: str = "default"
    line_spacing: str = "default"
    letter_spacing: str = "default"
    typeface: str = "default"
    colours: str = "default"
    motion: str = "default"

    @classmethod
    def from_mapping(cls, stored: Any) -> ReadingPreferences:
        """Read leniently: a missing, unknown or ill-typed value is that setting's default."""
        if not isinstance(stored, Mapping):
            return DEFAULT
        chosen = {}
        for setting in fields(cls):
            value = stored.get(setting.name)
            allowed = {option for option, _label in OPTIONS[setting.name]}
            if isinstance(value, str) and value in allowed:
                chosen[setting.name] = value
        return cls(**chosen)

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    @property
    def is_default(self) -> bool:
        return self == DEFAULT

    def html_attributes(self) -> dict[str, str]:
        """Data attributes for <html>, which static/css/reading.css styles."""
        return {f"data-reading-{name.replace('_', '-')}": value
                for name, value in self.as_dict().items()}

    def for_print(self) -> ReadingPreferences:
        """What a PDF keeps: everything but the dark scheme (paper is light) and motion."""
        return ReadingPreferences(
            text_size=self.text_size, line_spacing=self.line_spacing,
            letter_spacing=self.letter_spacing, typeface=self.typeface,
            colours="default" if self.colours == "dark" else self.colours)


DEFAULT = ReadingPreferences()
