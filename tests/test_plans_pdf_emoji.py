"""Emoji in an answer print as emoji in the plan PDF, and text no database could store
never turns the PDF into a server error."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from careers_app import pdf as pdf_module
from tests.planning import SCAN1, answer

EMOJI_ANSWER = "Feeling 😊 about GP 🩺 training"
EMOJI = ("😊", "🩺")


@pytest.fixture
def trainee(make_user, sign_in):
    user = make_user("t@example.org", full_name="Sam Emoji")
    sign_in("t@example.org")
    return user


def drawn_characters(data: bytes) -> dict[str, set[str]]:
    """For each embedded font, the characters its glyphs were drawn for (its ToUnicode
    map), so a character drawn as another font's empty box shows up under that font."""
    found: dict[str, set[str]] = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"]).split("+")[-1]
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor, f"{name} is not embedded"
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            characters = found.setdefault(name, set())
            for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
                for target in re.findall(r"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]+)>", block):
                    characters.update(bytes.fromhex(target).decode("utf-16-be"))
    return found


def test_emoji_in_an_answer_are_drawn_with_the_bundled_emoji_font(app, client, trainee):
    answer(app, trainee.id, SCAN1, "skills-audit", {"top-strengths": EMOJI_ANSWER})
    response = client.get("/plan/pdf")
    assert response.status_code == 200
    fonts = drawn_characters(response.data)
    assert "Noto-Emoji" in fonts, sorted(fonts)
    for character in EMOJI:
        assert character in fonts["Noto-Emoji"]
        others = [name for name, drawn in fonts.items() if name != "Noto-Emoji"]
        assert not [name for name in others if character in fonts[name]]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert EMOJI_ANSWER in " ".join(text.split())


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="needs poppler-utils")
def test_poppler_sees_the_emoji_font_embedded(app, client, trainee, tmp_path):
    answer(app, trainee.id, SCAN1, "skills-audit", {"top-strengths": EMOJI_ANSWER})
    path = tmp_path / "plan.pdf"
    path.write_bytes(client.get("/plan/pdf").data)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                             check=True).stdout
    (row,) = [line for line in listing.splitlines() if "Noto-Emoji" in line]
    assert row.split()[-5] == "yes"  # the "emb" column
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert EMOJI_ANSWER in " ".join(text.split())


def test_the_fetcher_serves_the_emoji_font_and_nothing_beside_it():
    fetcher = pdf_module.BundledAssetsOnly(pdf_module._ASSETS)
    font = fetcher.fetch(f"{pdf_module.ASSET_PREFIX}NotoEmoji-Regular.woff").read()
    assert font.startswith(b"wOFF")
    for url in (f"{pdf_module.ASSET_PREFIX}NotoEmoji-Regular.woff2",
                f"{pdf_module.ASSET_PREFIX}../vendor/noto-emoji/LICENSE",
                pdf_module.EMOJI_FONT.as_uri()):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


@pytest.mark.parametrize("bad", ["Feeling \x00 fine", "Feeling \ud83d fine"])
def test_an_answer_no_database_could_store_is_refused_and_the_pdf_still_renders(
        app, client, trainee, bad):
    answer(app, trainee.id, SCAN1, "skills-audit", {"top-strengths": "Kept 😊"})
    step = f"/modules/{SCAN1}/steps/skills-audit"
    version = client.get(step).get_data(as_text=True).split(
        'name="version" value="')[1].split('"')[0]
    response = client.post(f"{step}/autosave", json={"version": int(version),
                                                      "answers": {"top-strengths": bad}})
    assert response.status_code == 422
    assert response.json["errors"]["top-strengths"]
    response = client.get("/plan/pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert "Kept 😊" in " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


@pytest.mark.parametrize("bad", ["a\x00b", "a\ud800b", "\udfff"])
def test_the_renderer_turns_unstorable_characters_into_a_pdf_not_an_error(bad):
    """The last wall, for text that reached a print template some other way."""
    rendered = pdf_module.render_pdf(
        f"<html lang='en'><head><title>t</title></head><body><p>{bad}</p></body></html>")
    assert rendered.pdf.startswith(b"%PDF") and rendered.refused == 0
