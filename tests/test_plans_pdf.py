"""The plan PDF: content, metadata, download headers, caching, and no fetching at all."""

from __future__ import annotations

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import weasyprint
from pypdf import PdfReader

from careers_app import pdf as pdf_module
from careers_app.plans import service
from tests.planning import SCAN1, SCAN3, SCAN4, action_row, answer, typical_plan


@pytest.fixture
def trainee(make_user, sign_in):
    user = make_user("t@example.org", full_name="Alex Trainée")
    sign_in("t@example.org")
    return user


def pdf_text(data: bytes) -> str:
    """The text of every page, with line breaks inside table cells made spaces."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def test_weasyprint_is_at_least_70():
    assert tuple(int(p) for p in weasyprint.__version__.split(".")[:2]) >= (70, 0)


def test_pdf_of_a_fixture_plan(app, client, trainee):
    typical_plan(app, trainee.id)
    client.post("/plan/summary", data={"summary": "General practice in south London."})
    response = client.get("/plan/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert response.headers["Cache-Control"] == "no-store"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="alex-trainee-action-plan-')
    assert disposition.endswith(".pdf")
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 2  # the plan a coach reads, not every answer
    assert reader.metadata.title == "Career action plan: Alex Trainée"
    assert reader.metadata.author == "Alex Trainée"
    assert "Career action plan" in reader.metadata.subject
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged for screen readers
    text = pdf_text(response.data)
    for expected in ("Book a taster week in a GP surgery", "14 March 2027", "General practice",
                     "Explaining risks to patients", "Confidential", "Page 1 of 2",
                     "Core or early specialty training", "SMART actions", "Back-up plan"):
        assert expected in text, expected


def test_values_order_and_ratings_are_drawn_as_charts(app, client, trainee):
    answer(app, trainee.id, SCAN1, "work-values", {"values-ranking": [
        "lifestyle", "challenge", "service", "creating", "security", "independence",
        "leadership", "expertise"]})
    answer(app, trainee.id, SCAN1, "skills-audit", {"skills": {"communication": 5}})
    plan = pdf_text(client.get("/plan/pdf").data)
    # The plan lists the top 3 values (the 3 that SCAN 1 says are carried forward, and
    # that the decision matrix takes) and the highest-rated skills, in order.
    assert plan.index("Lifestyle:") < plan.index("Challenge:") < plan.index("Service:")
    assert "Creating" not in plan and "Security" not in plan and "Expertise" not in plan
    assert "Communicating with patients, families and carers: 5 out of 5" in plan
    # Everything I wrote draws them all as charts.
    text = pdf_text(client.get("/plan/pdf?appendix=yes").data)
    assert "1 Lifestyle" in text and "8 Expertise" in text
    assert "Your values in order, most important first" in text
    assert "1 means" in text and "not rated" in text


def test_an_unchanged_plan_is_not_rendered_again(app, client, trainee, monkeypatch):
    renders = []
    original = service.render_pdf
    monkeypatch.setattr(service, "render_pdf", lambda html: renders.append(1) or original(html))
    typical_plan(app, trainee.id)
    first = client.get("/plan/pdf").data
    assert client.get("/plan/pdf").data == first
    assert len(renders) == 1
    client.post("/plan/summary", data={"summary": "A new aim"})
    assert client.get("/plan/pdf").data != first
    assert len(renders) == 2
    assert "A new aim" in pdf_text(client.get("/plan/pdf").data)
    assert len(renders) == 2


# -- nothing a trainee writes can make the renderer fetch or embed anything ---------

class Canary:
    """A loopback HTTP server that counts every request made to it."""

    def __init__(self) -> None:
        hits = self.hits = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.end_headers()
                self.wfile.write(b"body { background: red }")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def canary():
    server = Canary()
    yield server
    server.close()


def hostile_markup(port: int) -> list[str]:
    base = f"http://127.0.0.1:{port}"
    return [
        f'<img src="{base}/x">',
        '<link rel="attachment" href="file:///etc/hostname">',
        f"<style>@import url({base}/c.css);</style>",
        f'<p style="background: url({base}/style-attr)">styled</p>',
        '<img src="../../../../../etc/hostname">',
        f'<link rel="stylesheet" href="{base}/sheet.css">',
        f'<svg><image href="{base}/svg-image"/><use href="{base}/svg-use#a"/></svg>',
        f'<iframe src="{base}/frame"></iframe><object data="{base}/object"></object>',
        f'<a rel="attachment" href="{base}/attach">attach</a>',
        '<img src="file:///etc/passwd"><img src="data:image/svg+xml,<svg/>">',
    ]


def assert_nothing_embedded(data: bytes) -> None:
    assert b"/EmbeddedFiles" not in data
    assert b"/FileAttachment" not in data
    assert PdfReader(io.BytesIO(data)).attachments == {}


def test_hostile_text_in_a_plan_fetches_nothing_and_embeds_nothing(app, client, trainee, canary):
    payloads = hostile_markup(canary.port)
    joined = " ".join(payloads)
    client.post("/plan/summary", data={"summary": joined[:2000]})
    answer(app, trainee.id, SCAN1, "skills-audit", {"top-strengths": joined})
    answer(app, trainee.id, SCAN4, "action-plan", {"actions": [
        action_row(payload, (1, 6, 2027), measure=payload, support=payload)
        for payload in payloads]})
    client.post("/plan/actions/track")
    response = client.get("/plan/pdf")
    assert response.status_code == 200
    assert canary.hits == []
    assert_nothing_embedded(response.data)
    text = pdf_text(response.data)
    assert "/etc/hostname" in text and f"127.0.0.1:{canary.port}/x" in text  # shown as text


def test_the_fetcher_refuses_everything_even_in_raw_markup(canary):
    """The second wall: were escaping ever lost, the renderer still fetches nothing."""
    body = "".join(hostile_markup(canary.port))
    html = (f"<html><head><title>t</title><style>@import url(http://127.0.0.1:{canary.port}/i);"
            f"</style></head><body><p>Raw</p>{body}</body></html>")
    rendered = pdf_module.render_pdf(html)
    assert rendered.pdf.startswith(b"%PDF")
    assert canary.hits == []
    assert rendered.refused >= 10
    assert_nothing_embedded(rendered.pdf)


def test_the_fetcher_serves_only_bundled_stylesheets_by_exact_name():
    fetcher = pdf_module.BundledAssetsOnly(pdf_module._ASSETS)
    assert fetcher.fetch(pdf_module.stylesheet_url("plan.css")).read().startswith(b"/*")
    for url in ("careers-app-asset:../plan.css", "careers-app-asset:/etc/hostname",
                "file:///etc/hostname", "http://127.0.0.1/", "data:text/css,body{}"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.refused == 5


def test_rendering_happens_outside_any_database_transaction(app, client, trainee, monkeypatch):
    from careers_app.extensions import db

    seen = []
    original = service.render_pdf
    monkeypatch.setattr(service, "render_pdf",
                        lambda html: seen.append(db.session().in_transaction()) or original(html))
    typical_plan(app, trainee.id)
    assert client.get("/plan/pdf").status_code == 200
    assert seen == [False]


def test_prose_in_columns_prints_a_block_per_row_in_the_appendix_and_scores_stay_a_table(
        app, client, trainee):
    answer(app, trainee.id, SCAN3, "shortlist", {"shortlist": [
        {"option": "General practice", "appeal": "Seeing families over years",
         "still-to-find-out": "How the rota works"},
        {"option": "Emergency medicine", "appeal": "", "still-to-find-out": "Night shifts"},
    ]})
    answer(app, trainee.id, SCAN3, "weigh-options", {"matrix": {
        "options": ["General practice", "Emergency medicine"],
        "criteria": [{"label": "Continuity", "weight": 5}, {"label": "Pace", "weight": 2}],
        "scores": [[5, 2], [2, 5]]}})
    plan, appendix = pdf_text(client.get("/plan/pdf?appendix=yes").data).split(
        "Appendix: everything I wrote")
    # The plan keeps the shortlist a table (the column names, then each row): it takes
    # less height on a plan meant to be short.
    assert ("Option What appeals to you about it What you still need to find out General "
            "practice Seeing families over years How the rota works") in plan
    # In the appendix each row of prose is a block, every cell after its column's name;
    # an empty cell is left out rather than printed as a bare label.
    text = appendix
    assert ("Option: General practice What appeals to you about it: Seeing families over "
            "years What you still need to find out: How the rota works") in text
    assert ("Option: Emergency medicine What you still need to find out: Night shifts"
            in text)
    # Short columns (scores, ranks) stay a table: the column names, then each row.
    assert "Option Weighted score Rank General practice 29 1 Emergency medicine 20 2" in text
