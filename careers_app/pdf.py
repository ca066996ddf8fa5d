"""Turning our own HTML into PDF with WeasyPrint, without letting it fetch anything.

WeasyPrint will otherwise load any URL or local file that markup names, and can embed
files as attachments. Trainees' text is escaped before it reaches the HTML, so it cannot
become markup; this fetcher is the second wall. It serves only the print stylesheets
bundled with the app and the fonts `make assets` installs (emoji, and the typefaces a
reader can choose on /account/reading), by exact name, from memory, and refuses every
other URL: http(s), file:, data:, relative paths. No base URL is set, so relative paths
resolve to nothing.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from careers_app.config import PROJECT_ROOT
from careers_app.text import replace_surrogates

ASSET_PREFIX = "careers-app-asset:"
ASSET_FOLDER = PROJECT_ROOT / "templates" / "pdf"
# Noto Emoji (monochrome, SIL Open Font License), copied from npm by `make assets`: the
# system fonts have no emoji, which printed as empty boxes. plan.css names it last.
EMOJI_FONT = PROJECT_ROOT / "static" / "vendor" / "noto-emoji" / "NotoEmoji-Regular.woff"
# The typefaces of the reading preferences (careers_app/reading/), also from `make assets`;
# templates/pdf/typeface-*.css name them. Only the one a plan's reader chose is loaded.
READING_FONT_FOLDER = PROJECT_ROOT / "static" / "vendor" / "reading-fonts"
READING_FONTS = tuple(f"{family}-latin-{weight}-normal.woff"
                      for family in ("atkinson-hyperlegible", "opendyslexic")
                      for weight in (400, 700))
MINIMUM_WEASYPRINT = (70, 0)

log = logging.getLogger(__name__)
# WeasyPrint's warnings quote URLs and CSS from the document; those could echo what a
# trainee wrote, which must never reach a log. Our own log says how many were refused.
logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
logging.getLogger("weasyprint.progress").setLevel(logging.CRITICAL)


def _weasyprint_version() -> tuple[int, int]:
    major, minor = weasyprint.__version__.split(".")[:2]
    return int(major), int(minor)


if _weasyprint_version() < MINIMUM_WEASYPRINT:  # pragma: no cover - guarded by the pin
    raise RuntimeError("WeasyPrint 70.0 or later is required: earlier fetchers can be bypassed")


def _load_assets(folder: Path, emoji_font: Path,
                 reading_fonts: tuple[Path, ...] = ()) -> dict[str, tuple[bytes, str]]:
    """Every print stylesheet and font, keyed by the only URL that reaches each."""
    assets = {f"{ASSET_PREFIX}{path.name}": (path.read_bytes(), "text/css")
              for path in sorted(folder.glob("*.css"))}
    if emoji_font.is_file():
        assets[f"{ASSET_PREFIX}{emoji_font.name}"] = (emoji_font.read_bytes(), "font/woff")
    else:  # PDFs still render; emoji in them print as empty boxes
        log.warning("pdf: emoji font missing, run make assets")
    for font in reading_fonts:
        if font.is_file():
            assets[f"{ASSET_PREFIX}{font.name}"] = (font.read_bytes(), "font/woff")
        else:  # PDFs still render, in the usual fonts
            log.warning("pdf: reading font %s missing, run make assets", font.name)
    return assets


class BundledAssetsOnly(URLFetcher):
    """Serve bundled assets by exact URL; refuse everything else and count it."""

    def __init__(self, assets: dict[str, tuple[bytes, str]]) -> None:
        super().__init__(allowed_protocols=set(), allow_redirects=False, timeout=1)
        self._assets = assets
        self.refused = 0

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        asset = self._assets.get(url)
        if asset is None:
            self.refused += 1
            raise ValueError("resource refused: PDFs may only use bundled assets")
        body, media_type = asset
        return URLFetcherResponse(url, body=body, headers={"Content-Type": media_type})


_ASSETS = _load_assets(ASSET_FOLDER, EMOJI_FONT,
                       tuple(READING_FONT_FOLDER / name for name in READING_FONTS))
# Cached PDFs are keyed by this too, so a changed print template or font is never served
# stale (a PDF cached without the emoji font is drawn again once it is installed).
PRINT_TEMPLATES_DIGEST = hashlib.sha256(
    b"".join(path.read_bytes() for path in sorted(ASSET_FOLDER.iterdir()) if path.is_file())
    + b"".join(body for _url, (body, _type) in sorted(_ASSETS.items()))
).hexdigest()
# Setting fonts up is a good part of a render; each thread keeps its own configuration
# because WeasyPrint's is not safe to share between threads.
_fonts = threading.local()


def _font_configuration() -> FontConfiguration:
    if not hasattr(_fonts, "configuration"):
        _fonts.configuration = FontConfiguration()
    return _fonts.configuration


@dataclass(frozen=True)
class RenderedPdf:
    """A PDF, its number of pages, and how many resources the document asked for in vain."""

    pdf: bytes
    pages: int
    refused: int


def render_pdf(html: str) -> RenderedPdf:
    """PDF/UA bytes for ``html``, with its pages and refused resources counted.

    Call this outside any database transaction: rendering takes a noticeable fraction of
    a second, and a write lock held that long would stall other people's saves.
    """
    try:
        html.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate: forms refuse them, but one reaching a print template any other
        # way would make WeasyPrint raise. Print the replacement character instead.
        html = replace_surrogates(html)
    fetcher = BundledAssetsOnly(_ASSETS)
    # A render makes hundreds of thousands of small objects (boxes, styles, text runs)
    # that live until it ends; the cyclic garbage collector, set off by that many
    # allocations, walked them again and again, 10 to 15 % of a long plan's time. It is
    # paused for the render (in the child that renders one PDF and exits, and
    # harmlessly in a test's own process) and collects as usual afterwards.
    collecting = gc.isenabled()
    gc.disable()
    try:
        # Laid out, then written: as HTML.write_pdf does, with the pages counted between.
        options: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "pdf_identifier": False}
        document = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher).render(
            font_config=_font_configuration(), **options)
        pdf = document.write_pdf(**options)
    finally:
        if collecting:
            gc.enable()
    if fetcher.refused:
        log.warning("pdf: refused %d resource request(s)", fetcher.refused)
    return RenderedPdf(pdf, len(document.pages), fetcher.refused)


def stylesheet_url(name: str) -> str:
    """The URL a print template uses for a bundled stylesheet."""
    url = f"{ASSET_PREFIX}{name}"
    if url not in _ASSETS:
        raise KeyError(f"no bundled print stylesheet {name}")
    return url
