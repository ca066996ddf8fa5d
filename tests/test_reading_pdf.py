"""The plan PDF is printed with the reader's typeface, size and page colour, and a PDF
made before a change of preferences is never served after it."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from careers_app import pdf as pdf_module
from tests.planning import SCAN1, answer

ANSWER = "Explaining risks to patients in plain words"
PREFERENCES = {"text_size": "largest", "line_spacing": "wide", "letter_spacing": "default",
               "typeface": "atkinson", "colours": "cream", "motion": "default"}


@pytest.fixture
def trainee(make_user, sign_in):
    user = make_user("t@example.org", full_name="Sam Reader")
    sign_in("t@example.org")
    return user


def font_names(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            # "ABCDEF+Atkinson-Hyperlegible-Bold" -> "AtkinsonHyperlegibleBold"
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1].replace("-", ""))
    return names


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def plan_pdf(client) -> bytes:
    response = client.get("/plan/pdf")
    assert response.status_code == 200, response.status_code
    assert response.data.startswith(b"%PDF")
    return response.data


@pytest.mark.parametrize(("typeface", "font"), [("atkinson", "AtkinsonHyperlegible"),
                                                ("opendyslexic", "OpenDyslexic")])
def test_the_plan_pdf_is_set_in_the_chosen_typeface(app, client, trainee, typeface, font):
    answer(app, trainee.id, SCAN1, "skills-audit", {"top-strengths": ANSWER})
    standard = plan_pdf(client)
    assert not any(font in name for name in font_names(standard))
    client.post("/account/reading", data={**PREFERENCES, "typeface": typeface})
    chosen = plan_pdf(client)
    # The cached standard PDF was not served: the preferences are part of its key.
    assert chosen != standard
    assert any(name.startswith(font) for name in font_names(chosen)), font_names(chosen)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(chosen)).pages)
    assert ANSWER in " ".join(text.split())


def test_larger_text_makes_more_pages_and_going_back_gives_the_standard_pdf(
        app, client, trainee):
    answer(app, trainee.id, SCAN1, "skills-audit", {"top-strengths": (ANSWER + ". ") * 35})
    standard = plan_pdf(client)
    client.post("/account/reading", data=PREFERENCES)
    largest = plan_pdf(client)
    assert page_count(largest) > page_count(standard)
    client.post("/account/reading", data={**PREFERENCES, "typeface": "default",
                                          "text_size": "default", "line_spacing": "default",
                                          "colours": "default"})
    again = plan_pdf(client)
    assert page_count(again) == page_count(standard)
    assert not any("Atkinson" in name for name in font_names(again))


def test_the_dark_scheme_prints_as_the_standard_page(app, client, trainee):
    client.post("/account/reading", data={**PREFERENCES, "colours": "dark",
                                          "typeface": "default", "text_size": "default",
                                          "line_spacing": "default"})
    with app.test_request_context():
        from careers_app.accounts.models import User
        from careers_app.extensions import db
        from careers_app.plans.service import assemble
        from careers_app.reading.preferences import DEFAULT

        user = db.session.get(User, trainee.id)
        assert assemble(user, app.extensions["modules"]).reading == DEFAULT


def test_the_fetcher_serves_the_reading_fonts_and_nothing_beside_them():
    fetcher = pdf_module.BundledAssetsOnly(pdf_module._ASSETS)
    for name in pdf_module.READING_FONTS:
        assert fetcher.fetch(f"{pdf_module.ASSET_PREFIX}{name}").read().startswith(b"wOFF")
    for url in (f"{pdf_module.ASSET_PREFIX}opendyslexic-latin-400-normal.woff2",
                f"{pdf_module.ASSET_PREFIX}LICENSE-OpenDyslexic",
                (pdf_module.READING_FONT_FOLDER / pdf_module.READING_FONTS[0]).as_uri()):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_a_snapshot_is_printed_standard_even_when_the_live_pdf_is_not(app, client, trainee):
    """What a coach is sent is the standard print, whichever way the live PDF was made."""
    from careers_app.accounts.models import User
    from careers_app.extensions import db
    from careers_app.plans.models import PlanSnapshot
    from careers_app.plans.rendering import make_snapshot_pdf
    from careers_app.plans.sharing import take_snapshot

    answer(app, trainee.id, SCAN1, "skills-audit", {"top-strengths": ANSWER})
    client.post("/account/reading", data=PREFERENCES)
    live = plan_pdf(client)
    assert any(name.startswith("AtkinsonHyperlegible") for name in font_names(live))
    with app.test_request_context():
        user = db.session.get(User, trainee.id)
        snapshot = take_snapshot(user, app.extensions["modules"], "share")
        db.session.commit()
        assert snapshot.pdf is None  # the Atkinson live PDF is not copied into it
        make_snapshot_pdf(snapshot.id)
        printed = db.session.get(PlanSnapshot, snapshot.id).pdf
    assert printed.startswith(b"%PDF")
    assert not any("Atkinson" in name for name in font_names(printed))


def test_the_data_export_prints_the_plan_in_the_persons_preferences(app, client, trainee):
    from careers_app.accounts.models import User
    from careers_app.extensions import db
    from careers_app.personal_data.archive import plan_pdf as export_plan_pdf

    answer(app, trainee.id, SCAN1, "skills-audit", {"top-strengths": ANSWER})
    client.post("/account/reading", data={**PREFERENCES, "typeface": "opendyslexic"})
    with app.test_request_context():
        user = db.session.get(User, trainee.id)
        made = export_plan_pdf(user, app.extensions["modules"])
    assert any(name.startswith("OpenDyslexic") for name in font_names(made.pdf))


def test_a_coachs_copy_of_a_live_share_is_printed_standard(app, client, trainee, make_user,
                                                            sign_in, monkeypatch):
    """The typeface and page colour a trainee reads with are theirs: a coach reading a
    live share downloads the standard print, and the trainee's own stays as they chose."""
    import datetime as dt

    from sqlalchemy import select

    from careers_app.clock import uk_today
    from careers_app.extensions import db
    from careers_app.plans.models import PlanShare
    from careers_app.security import Role

    answer(app, trainee.id, SCAN1, "skills-audit", {"top-strengths": ANSWER})
    client.post("/account/reading", data={**PREFERENCES, "typeface": "opendyslexic"})
    make_user("coach@example.org", full_name="Sam Coach", roles=(Role.COACH,))
    until = uk_today() + dt.timedelta(days=30)
    assert client.post("/plan/shares/new", data={
        "coach": "coach@example.org", "mode": "live", "expires_on--day": str(until.day),
        "expires_on--month": str(until.month), "expires_on--year": str(until.year),
    }).status_code == 302
    own = plan_pdf(client)
    assert any(name.startswith("OpenDyslexic") for name in font_names(own))
    coach = app.test_client()
    sign_in("coach@example.org", test_client=coach)
    with app.app_context():
        share_id = db.session.execute(select(PlanShare.id)).scalar_one()
    shared = coach.get(f"/shared-with-me/{share_id}/pdf")
    assert shared.status_code == 200 and shared.data.startswith(b"%PDF")
    assert not any("OpenDyslexic" in name for name in font_names(shared.data))
    assert any(name.startswith("LiberationSans") for name in font_names(shared.data))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(shared.data)).pages)
    assert ANSWER in " ".join(text.split())
    # The trainee's next download is theirs again, and both prints are kept: taking turns,
    # neither is rendered again.
    from careers_app.plans import service

    renders: list[int] = []
    original = service.render_pdf
    monkeypatch.setattr(service, "render_pdf", lambda html: renders.append(1) or original(html))
    for _ in range(2):
        assert plan_pdf(client) == own
        assert coach.get(f"/shared-with-me/{share_id}/pdf").data == shared.data
    assert renders == []
