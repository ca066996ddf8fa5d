"""Plan PDFs made by a job: the cache, the waiting page, debouncing, failures and limits.

Most tests use a queue that is not in immediate mode (a SQLite file) and run its jobs
by hand, as a worker would, so what a person sees before the job has run can be read.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import time

import pytest
from huey.constants import EmptyData
from pypdf import PdfReader
from sqlalchemy import func, select

from careers_app.clock import uk_today
from careers_app.extensions import db
from careers_app.jobs import huey
from careers_app.pdf_child import RenderFailed, render_isolated
from careers_app.plans import rendering, service
from careers_app.plans.models import PdfRender, PlanShare
from careers_app.security import Role
from tests.coaching_steps import APPLICATION, only_application
from tests.conftest import fresh_app
from tests.planning import SCAN1, typical_plan

SECRET_TEXT = "Only-mine-7781 reflections"


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


@pytest.fixture
def app(database_url: str, tmp_path):  # type: ignore[no-untyped-def]
    """Jobs wait in a real queue (a SQLite file) until a test runs them. The plan's own
    render after a change (the pre-render) is never due within a test unless the test
    shortens its delay: at 0.4 s it fell due, on a busy machine, before a test's first
    run of the queue, and made a PDF (or used up an attempt) the test was counting."""
    with fresh_app(database_url, QUEUE_IMMEDIATE=False,
                   QUEUE_URL=f"sqlite:///{tmp_path / 'jobs.sqlite3'}",
                   PDF_PRERENDER_DELAY=PRERENDER_NEVER_DUE,
                   PDF_RETRY_DELAY=RETRY_DELAY) as app:
        yield app


PRERENDER_NEVER_DUE = 3600.0


# Long enough that a slow first run of the queue never reaches the retry it scheduled.
RETRY_DELAY = 1.0


def run_jobs(app) -> int:
    """Run every job that is waiting and every scheduled job due when this call began, as
    one pass of a worker does. (Due at the moment of asking, a retry scheduled a second
    ahead was run in the same pass whenever the machine was slow enough.)"""
    ran = 0
    with app.app_context():
        started = huey._get_timestamp()
        while True:
            task = huey.dequeue()
            if task is None:
                due = huey.read_schedule(started)
                if not due:
                    return ran
                for item in due:
                    huey.enqueue(item)
                continue
            huey.execute(task)
            ran += 1


def waiting(app, job: str) -> list:
    """The jobs named ``job`` in the queue or its schedule, not yet run."""
    with app.app_context():
        queued = [huey.deserialize_task(raw) for raw in huey.storage.enqueued_items()]
        return [task for task in queued + huey.scheduled() if task.name == job]


@pytest.fixture
def renders(monkeypatch):
    """Counts real renders (each in a child process)."""
    made: list[int] = []
    original = service.render_pdf
    monkeypatch.setattr(service, "render_pdf",
                        lambda html: made.append(1) or original(html))
    return made


@pytest.fixture
def trainee(make_user, sign_in):
    user = make_user("t@example.org", full_name="Alex Trainee")
    sign_in("t@example.org")
    return user


def render_rows(app) -> list[PdfRender]:
    with app.app_context():
        rows = list(db.session.execute(select(PdfRender).order_by(PdfRender.id)).scalars())
        for row in rows:
            db.session.expunge(row)
        return rows


# -- downloads --------------------------------------------------------------------------

def test_a_changed_plan_gives_the_preparing_page_then_the_file(app, client, trainee, renders):
    typical_plan(app, trainee.id)
    client.post("/plan/summary", data={"summary": SECRET_TEXT})
    response = client.get("/plan/pdf")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/plan/pdf/preparing")

    page = client.get("/plan/pdf/preparing")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Preparing your PDF…" in html and "Waiting to start" in html
    assert '<progress id="pdf-progress"' in html and 'value="1"' in html
    assert 'role="status"' in html and "js/pdf-preparing.js" in html
    assert "Check if your PDF is ready" in html  # without JavaScript
    assert "http-equiv" not in html  # no timed refresh: axe and WCAG 2.2.1 refuse one
    assert client.get("/plan/pdf/status").get_json() == {
        "status": "queued", "step": 1, "label": "Waiting to start"}
    assert renders == []

    assert run_jobs(app) >= 1
    assert renders == [1]
    assert client.get("/plan/pdf/status").get_json()["status"] == "ready"
    ready = client.get("/plan/pdf/preparing").get_data(as_text=True)
    assert "Download your PDF" in ready
    assert '<meta http-equiv="refresh" content="0; url=/plan/pdf">' in ready
    download = client.get("/plan/pdf")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert SECRET_TEXT in pdf_text(download.data)
    (row,) = render_rows(app)
    assert row.status == "ready" and row.attempts == 1 and row.finished_at is not None


def test_a_cached_pdf_is_served_at_once_with_no_render_and_no_count(app, client, trainee,
                                                                   renders):
    app.config["PDF_RENDERS_PER_HOUR"] = 1
    typical_plan(app, trainee.id)
    assert client.get("/plan/pdf").status_code == 303
    run_jobs(app)
    assert renders == [1]
    for _ in range(5):  # over the limit of one fresh render, were cached ones counted
        response = client.get("/plan/pdf")
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert renders == [1]
    assert len(render_rows(app)) == 1


def test_a_second_download_while_one_is_queued_starts_no_second_render(app, client, trainee,
                                                                     renders):
    typical_plan(app, trainee.id)
    assert client.get("/plan/pdf").status_code == 303
    assert client.get("/plan/pdf").status_code == 303
    assert len(waiting(app, "render_plan_job")) == 1
    run_jobs(app)
    assert renders == [1]


def test_the_plan_and_the_plan_with_everything_are_each_kept_once_made(app, client, trainee,
                                                                       renders):
    """Each kind of PDF of the live plan has its own place in the cache: asking for one,
    then the other, then the first again renders each once."""
    typical_plan(app, trainee.id)
    for kind in ("", "?appendix=yes"):
        assert client.get(f"/plan/pdf{kind}").status_code == 303
        run_jobs(app)
    assert renders == [1, 1]
    plan, everything = (client.get(f"/plan/pdf{kind}") for kind in ("", "?appendix=yes"))
    for _ in range(2):
        again = client.get("/plan/pdf")
        assert again.status_code == 200 and again.data == plan.data
        again = client.get("/plan/pdf?appendix=yes")
        assert again.status_code == 200 and again.data == everything.data
    assert "Appendix: everything I wrote" in pdf_text(everything.data)
    assert "Appendix: everything I wrote" not in pdf_text(plan.data)
    assert renders == [1, 1]
    assert [row.status for row in render_rows(app)] == ["ready", "ready"]


def test_the_plan_page_gives_the_pdfs_pages_once_made_for_the_plan_as_it_is(
        app, client, trainee):
    typical_plan(app, trainee.id)
    link = re.compile(r"Download your plan as a PDF</a>( \((\d+) pages?\))?")

    def pages_said() -> str | None:
        found = link.search(client.get("/plan/").get_data(as_text=True))
        assert found is not None
        return found.group(2)

    assert pages_said() is None  # not made yet: no guess
    client.get("/plan/pdf")
    run_jobs(app)
    pdf = client.get("/plan/pdf").data
    assert pages_said() == str(len(PdfReader(io.BytesIO(pdf)).pages))
    client.post("/plan/summary", data={"summary": "A much longer aim. " * 100})
    assert pages_said() is None  # the plan has changed since
    client.get("/plan/pdf")
    run_jobs(app)
    longer = client.get("/plan/pdf").data
    assert pages_said() == str(len(PdfReader(io.BytesIO(longer)).pages))


def test_the_plan_page_gives_each_pdfs_pages_the_appendix_included(app, client, trainee):
    typical_plan(app, trainee.id)
    said = re.compile(r">Download your plan (as a PDF|with everything you wrote \(PDF\))</a>"
                      r"(?: \((\d+) pages?\))?")

    def pages_said() -> dict[str, str | None]:
        page = client.get("/plan/").get_data(as_text=True)
        return {link: pages or None for link, pages in said.findall(page)}

    nothing_made = {"as a PDF": None, "with everything you wrote (PDF)": None}
    assert pages_said() == nothing_made
    client.get("/plan/pdf?appendix=yes")
    run_jobs(app)
    everything = client.get("/plan/pdf?appendix=yes").data
    counted = len(PdfReader(io.BytesIO(everything)).pages)
    assert counted > 1
    assert pages_said() == {"as a PDF": None, "with everything you wrote (PDF)": str(counted)}
    client.get("/plan/pdf")
    run_jobs(app)
    plan = client.get("/plan/pdf").data
    assert pages_said() == {"as a PDF": str(len(PdfReader(io.BytesIO(plan)).pages)),
                            "with everything you wrote (PDF)": str(counted)}
    client.post("/plan/summary", data={"summary": "A different aim."})
    assert pages_said() == nothing_made  # both have changed since


def first_look_misses(monkeypatch, name: str) -> None:
    """``rendering.<name>`` answers "not made" the first time only: as if a job stored the
    PDF between that look and the next."""
    real, calls = getattr(rendering, name), []

    def looking(*args):  # type: ignore[no-untyped-def]
        calls.append(1)
        return (False if name == "plan_pdf_is_kept" else None) if len(calls) == 1 \
            else real(*args)

    monkeypatch.setattr(rendering, name, looking)


def test_a_pdf_stored_while_a_download_looked_is_served_not_made_again(
        app, client, trainee, renders, monkeypatch):
    typical_plan(app, trainee.id)
    client.get("/plan/pdf")
    run_jobs(app)
    first_look_misses(monkeypatch, "cached_plan_pdf")
    response = client.get("/plan/pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert waiting(app, "render_plan_job") == []
    assert renders == [1]


def test_a_pdf_stored_while_a_job_looked_is_not_made_again(app, client, trainee, renders,
                                                            monkeypatch):
    typical_plan(app, trainee.id)
    client.get("/plan/pdf")
    run_jobs(app)
    first_look_misses(monkeypatch, "plan_pdf_is_kept")
    with app.app_context():
        assert rendering.make_live_plan_pdf(trainee.id, app.extensions["modules"]) is None
    assert renders == [1]
    assert [row.status for row in render_rows(app)] == ["ready"]


def test_a_changed_plan_renders_again_and_keeps_only_the_newest_pdfs(app, client, trainee,
                                                                     renders):
    typical_plan(app, trainee.id)
    for number in range(6):
        client.post("/plan/summary", data={"summary": f"Version {number} of my aim"})
        for kind in ("", "?appendix=yes"):
            assert client.get(f"/plan/pdf{kind}").status_code == 303
            run_jobs(app)
        assert f"Version {number} of my aim" in pdf_text(client.get("/plan/pdf").data)
    assert len(renders) == 12
    with app.app_context():
        kept = db.session.execute(select(func.count()).select_from(PdfRender)
                                  .where(PdfRender.pdf.is_not(None))).scalar_one()
    assert kept == rendering.LIVE_PDFS_KEPT


# -- pre-rendering on change, debounced --------------------------------------------------

def autosave(client, text: str, version: int):
    return client.post(f"/modules/{SCAN1}/steps/skills-audit/autosave",
                       json={"version": version, "answers": {"top-strengths": text}})


def test_a_burst_of_autosaves_gives_one_render_after_the_plan_is_quiet(app, client, trainee,
                                                                       renders):
    # A second of quiet, looked at 0.6 s after a change: 0.4 s to spare on a busy machine
    # before the job would render early. (At 0.4 s looked at after 0.25 s, a run of the
    # suite beside the browser tests could pass the 0.15 s between.)
    app.config["PDF_PRERENDER_DELAY"] = 1.0
    for version in range(5):
        assert autosave(client, f"Listening {version}", version).status_code == 200
    # One job waits, however many saves: later saves only note their time.
    assert len(waiting(app, "prerender_plan_job")) == 1
    run_jobs(app)
    assert renders == []  # not due yet

    time.sleep(0.6)
    assert autosave(client, "Listening, final", 5).status_code == 200
    assert len(waiting(app, "prerender_plan_job")) == 1
    time.sleep(0.6)  # the first job is due, but the plan changed 0.6 s ago
    run_jobs(app)
    assert renders == []
    # It comes back when the plan has been quiet long enough.
    assert len(waiting(app, "prerender_plan_job")) == 1

    time.sleep(0.6)
    run_jobs(app)
    assert renders == [1]
    response = client.get("/plan/pdf")  # ready before anyone asked: served at once
    assert response.status_code == 200
    assert "Listening, final" in pdf_text(response.data)
    assert renders == [1]

    # Another burst later gives another render; a job whose hash is cached renders nothing.
    assert autosave(client, "Listening, again", 6).status_code == 200
    time.sleep(1.2)
    run_jobs(app)
    assert renders == [1, 1]
    client.post("/plan/summary", data={"summary": ""})  # the same content as before
    time.sleep(1.2)
    run_jobs(app)
    assert renders == [1, 1]


def test_a_save_that_feeds_nothing_into_the_plan_schedules_nothing(app, client, trainee):
    registry = app.extensions["modules"]
    module, step = next((module, step) for module in registry for step in module.steps
                        if step.fields and step.fields[0].type == "long_text"
                        and all(spec.asks is None and spec.type != "action_table"
                                for spec in step.fields))
    response = client.post(f"/modules/{module.slug}/steps/{step.id}/autosave",
                           json={"version": 0, "answers": {step.fields[0].id: "Some words"}})
    assert response.status_code == 200
    assert waiting(app, "prerender_plan_job") == []


def test_plan_edits_schedule_a_render_and_the_request_stays_cheap(app, client, trainee,
                                                                  monkeypatch):
    """The request does no hashing: it only notes the change in the queue's storage."""
    assembled = []
    original = service.assemble
    monkeypatch.setattr(service, "assemble",
                        lambda *a, **k: assembled.append(1) or original(*a, **k))
    assert client.post("/plan/actions/new", data={
        "text": "Ask for a taster week", "measure": "", "support": "", "target_date--day": "14",
        "target_date--month": "3", "target_date--year": "2027", "status": "not_started",
    }).status_code == 302
    assert client.post("/plan/summary", data={"summary": "GP"}).status_code == 302
    assert assembled == []
    assert len(waiting(app, "prerender_plan_job")) == 1
    key = f"careers:pdf-prerender-waiting:{trainee.id}"
    with app.app_context():
        assert huey.storage.peek_data(key) is not EmptyData


# -- failures ----------------------------------------------------------------------------

def failing(kind: str):
    def render(html: str):
        raise RenderFailed(kind)
    return render


def test_a_plan_too_long_to_render_gets_the_clear_message_and_is_listed(
        app, client, trainee, make_user, sign_in, monkeypatch, caplog):
    typical_plan(app, trainee.id)
    client.post("/plan/summary", data={"summary": SECRET_TEXT})
    monkeypatch.setattr(service, "render_pdf", failing("timeout"))
    caplog.set_level(logging.INFO)
    assert client.get("/plan/pdf").status_code == 303
    run_jobs(app)  # the first attempt: a timeout is tried once more
    (row,) = render_rows(app)
    assert row.status == "queued" and row.failure == "timeout" and row.attempts == 1
    time.sleep(RETRY_DELAY + 0.05)
    run_jobs(app)
    (row,) = render_rows(app)
    assert row.status == "failed" and row.attempts == 2 and row.failure == "timeout"

    page = text_of(client.get("/plan/pdf/preparing"))
    assert "Your plan is too long to turn into a PDF in one go" in page
    assert "Shorten some of your longest answers" in page and "Print" in page
    assert client.get("/plan/pdf/status").get_json()["status"] == "failed"
    # Asking again for the same content shows the same message without rendering again.
    again = client.get("/plan/pdf")
    assert again.status_code == 303 and waiting(app, "render_plan_job") == []
    assert SECRET_TEXT not in caplog.text
    assert "pdf render failed: render id" in caplog.text and "timeout" in caplog.text

    make_user("co@example.org", roles=(Role.COORDINATOR,))
    coordinator = app.test_client()
    sign_in("co@example.org", test_client=coordinator)
    listing = text_of(coordinator.get("/admin/pdfs"))
    assert "Alex Trainee" in listing and "Took longer than the time limit" in listing
    assert SECRET_TEXT not in listing
    assert "PDFs not made" in text_of(coordinator.get("/admin/users"))
    assert client.get("/admin/pdfs").status_code == 403


def test_running_out_of_memory_is_not_tried_again(app, client, trainee, monkeypatch):
    typical_plan(app, trainee.id)
    monkeypatch.setattr(service, "render_pdf", failing("memory"))
    client.get("/plan/pdf")
    run_jobs(app)
    (row,) = render_rows(app)
    assert row.status == "failed" and row.attempts == 1 and row.failure == "memory"
    assert "too long to turn into a PDF" in text_of(client.get("/plan/pdf/preparing"))


def test_another_failure_says_to_try_again(app, client, trainee, monkeypatch):
    app.config["PDF_RENDER_ATTEMPTS"] = 1
    typical_plan(app, trainee.id)
    monkeypatch.setattr(service, "render_pdf", failing("crashed"))
    client.get("/plan/pdf")
    run_jobs(app)
    page = text_of(client.get("/plan/pdf/preparing"))
    assert "Something went wrong while making the PDF" in page
    assert "Try again in a few minutes" in page


def test_the_child_process_is_killed_at_its_deadline_and_limited_in_memory():
    long_html = "<html><body>" + "<p>Long answer about training.</p>" * 4000 + "</body></html>"
    started = time.monotonic()
    with pytest.raises(RenderFailed) as timed_out:
        render_isolated(long_html, 0.2, 1024)
    assert timed_out.value.kind == "timeout"
    assert time.monotonic() - started < 3
    with pytest.raises(RenderFailed) as starved:
        render_isolated(long_html, 20, 120)
    assert starved.value.kind == "memory"
    fine = render_isolated("<html><body><p>Fine</p><p style='break-before: page'>Two</p>"
                           "</body></html>", 20, 1024)
    assert fine.pdf.startswith(b"%PDF") and fine.refused == 0
    assert fine.pages == len(PdfReader(io.BytesIO(fine.pdf)).pages) == 2


# -- the per-person limit ----------------------------------------------------------------

def test_downloads_past_30_a_minute_get_the_too_many_attempts_page(app, client, trainee,
                                                                  make_user, sign_in):
    typical_plan(app, trainee.id)
    assert client.get("/plan/pdf").status_code == 303  # the first asks for a render
    run_jobs(app)
    statuses = [client.get("/plan/pdf").status_code for _ in range(29)]
    assert statuses == [200] * 29
    refused = client.get("/plan/pdf")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert "You have tried this too many times in a short time" in text_of(refused)
    # The count is per person.
    make_user("other@example.org")
    other = app.test_client()
    sign_in("other@example.org", test_client=other)
    assert other.get("/plan/pdf").status_code == 303


def test_past_the_hourly_limit_of_fresh_renders_a_clear_429_page(app, client, trainee,
                                                               make_user, sign_in):
    app.config["PDF_RENDERS_PER_HOUR"] = 2
    typical_plan(app, trainee.id)
    for summary in ("One", "Two"):
        client.post("/plan/summary", data={"summary": summary})
        assert client.get("/plan/pdf").status_code == 303
        run_jobs(app)
        assert client.get("/plan/pdf").status_code == 200
    client.post("/plan/summary", data={"summary": "Three"})
    refused = client.get("/plan/pdf")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    page = text_of(refused)
    assert "You have made a lot of PDFs recently" in page and "Try again in" in page
    assert "does not count" in page
    # Another person is not held back by it.
    make_user("other@example.org")
    other = app.test_client()
    sign_in("other@example.org", test_client=other)
    assert other.get("/plan/pdf").status_code == 303
    # What was already made still downloads, counting nothing.
    client.post("/plan/summary", data={"summary": "Two"})
    assert client.get("/plan/pdf").status_code == 200


# -- nobody follows another person's PDF -------------------------------------------------

@pytest.fixture
def people(app, make_user, sign_in):
    alex = make_user("t@example.org", full_name="Alex Trainee")
    make_user("b@example.org", full_name="Bo Other")
    make_user("coach@example.org", full_name="Sam Coach", roles=(Role.COACH,))
    make_user("coach2@example.org", full_name="Jo Other", roles=(Role.COACH,))
    typical_plan(app, alex.id)
    clients = {}
    for name, email in (("alex", "t@example.org"), ("bo", "b@example.org"),
                        ("coach", "coach@example.org"), ("other_coach", "coach2@example.org")):
        clients[name] = app.test_client()
        sign_in(email, test_client=clients[name])
    return clients


def test_another_persons_snapshot_and_plan_pdf_are_404(app, people):
    until = uk_today() + dt.timedelta(days=30)
    people["alex"].post("/plan/shares/new", data={
        "coach": "coach@example.org", "mode": "snapshot", "expires_on--day": str(until.day),
        "expires_on--month": str(until.month), "expires_on--year": str(until.year)})
    people["alex"].post("/coaching/apply", data={**APPLICATION, "action": "attach"})
    with app.app_context():
        share_id = db.session.execute(select(PlanShare.id)).scalar_one()
    application_id = only_application(app).id
    # The snapshot's PDF is not made yet: its coach waits for it.
    assert people["coach"].get(f"/shared-with-me/{share_id}/pdf").status_code == 303
    for suffix in ("pdf", "pdf/preparing", "pdf/status"):
        assert people["other_coach"].get(f"/shared-with-me/{share_id}/{suffix}").status_code \
            == 404
    for suffix in ("plan.pdf", "plan/preparing", "plan/status"):
        url = f"/coaching/applications/{application_id}/{suffix}"
        assert people["bo"].get(url).status_code == 404
        assert people["other_coach"].get(url).status_code == 404
    assert people["alex"].get(
        f"/coaching/applications/{application_id}/plan/status").get_json()["status"] \
        == "queued"

    run_jobs(app)
    snapshot_pdf = people["coach"].get(f"/shared-with-me/{share_id}/pdf")
    assert snapshot_pdf.status_code == 200 and snapshot_pdf.data.startswith(b"%PDF")
    attached = people["alex"].get(f"/coaching/applications/{application_id}/plan.pdf")
    assert attached.status_code == 200 and "General practice" in pdf_text(attached.data)


def test_the_waiting_page_and_status_show_only_ones_own_render(app, people, monkeypatch):
    monkeypatch.setattr(service, "render_pdf", failing("memory"))
    people["alex"].get("/plan/pdf")
    run_jobs(app)
    assert people["alex"].get("/plan/pdf/status").get_json()["status"] == "failed"
    # Bo has asked for nothing: Bo's page and status know nothing of Alex's failure.
    assert people["bo"].get("/plan/pdf/status").get_json()["status"] == "start"
    page = text_of(people["bo"].get("/plan/pdf/preparing"))
    assert "too long" not in page and "Alex" not in page
    people["bo"].get("/plan/pdf")
    assert people["bo"].get("/plan/pdf/status").get_json()["status"] == "queued"
    assert people["alex"].get("/plan/pdf/status").get_json()["status"] == "failed"


def test_the_migration_moves_each_kept_pdf_to_its_render(tmp_path, database_url):
    """Migration 9c4e2a7d1b35: the PDF a plan kept moves to the render of the same
    content, and a render of other content keeps none."""
    from flask_migrate import upgrade
    from sqlalchemy import column, insert, table

    from careers_app.db import UTCDateTime, utcnow
    from tests.conftest import app_on_an_empty_database
    from tests.factories import insert_account_row

    kept, older = "a" * 64, "b" * 64
    with app_on_an_empty_database(database_url, tmp_path):
        upgrade(revision="5a7c1e3f9b20")
        insert_account_row(7, "alex@example.org", "Alex Trainee")
        db.session.execute(insert(table(
            "action_plan", column("user_id"), column("summary"),
            column("updated_at", UTCDateTime()), column("pdf_hash"), column("pdf"),
        )).values(user_id=7, summary="", updated_at=utcnow(), pdf_hash=kept,
                  pdf=b"%PDF-kept"))
        renders = table("pdf_render", column("key"), column("user_id"), column("status"),
                        column("failure"), column("attempts"),
                        column("requested_at", UTCDateTime()))
        for digest in (kept, older):
            db.session.execute(insert(renders).values(
                key=f"plan:7:{digest}", user_id=7, status="ready", failure="", attempts=1,
                requested_at=utcnow()))
        db.session.commit()
        upgrade()
        assert rendering.cached_plan_pdf(7, kept) == b"%PDF-kept"
        assert rendering.cached_plan_pdf(7, older) is None
