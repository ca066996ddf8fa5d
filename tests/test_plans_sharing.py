"""Sharing a plan with a coach: who may see it, for how long, comments and the record."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from careers_app.audit import AuditEvent
from careers_app.clock import uk_today
from careers_app.extensions import db
from careers_app.mail import outbox
from careers_app.plans.models import PlanShare, PlanSnapshot
from careers_app.security import Role
from tests.planning import SCAN3, answer, typical_plan


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


@pytest.fixture
def people(app, make_user, sign_in):
    """A trainee with a plan (signed in on ``trainee``) and two coaches, each with a client."""
    trainee = make_user("t@example.org", full_name="Alex Trainee")
    coach = make_user("coach@example.org", full_name="Sam Coach", roles=(Role.COACH,))
    other_coach = make_user("coach2@example.org", full_name="Jo Other", roles=(Role.COACH,))
    typical_plan(app, trainee.id)
    clients = {}
    for name, email in (("trainee", "t@example.org"), ("coach", "coach@example.org"),
                        ("other_coach", "coach2@example.org")):
        clients[name] = app.test_client()
        sign_in(email, test_client=clients[name])
    return {"trainee_user": trainee, "coach_user": coach, "other_coach_user": other_coach,
            **clients}


def share(client, coach="coach@example.org", mode="snapshot", days=30):
    until = uk_today() + dt.timedelta(days=days)
    return client.post("/plan/shares/new", data={
        "coach": coach, "mode": mode, "expires_on--day": str(until.day),
        "expires_on--month": str(until.month), "expires_on--year": str(until.year),
    })


def shares_in_db(app) -> list[PlanShare]:
    with app.app_context():
        rows = list(db.session.execute(select(PlanShare).order_by(PlanShare.id)).scalars())
        for row in rows:
            db.session.expunge(row)
        return rows


def test_share_form_suggests_thirty_days(people):
    page = people["trainee"].get("/plan/shares/new").get_data(as_text=True)
    in_30 = uk_today() + dt.timedelta(days=30)
    for part, expected in (("day", in_30.day), ("month", in_30.month), ("year", in_30.year)):
        tag = re.search(rf'<input[^>]*name="expires_on--{part}"[^>]*>', page).group(0)
        assert f'value="{expected}"' in tag


def test_coach_without_a_share_gets_404(people):
    assert people["coach"].get("/shared-with-me/1").status_code == 404
    assert people["coach"].get("/shared-with-me/1/pdf").status_code == 404
    assert "No trainee is sharing" in text_of(people["coach"].get("/shared-with-me/"))


def test_a_trainee_cannot_open_coach_pages(people):
    assert people["trainee"].get("/shared-with-me/").status_code == 403


def test_shared_coach_reads_the_plan_and_its_pdf_and_the_trainee_sees_the_receipt(app, people):
    assert share(people["trainee"]).status_code == 302
    (made,) = shares_in_db(app)
    listing = text_of(people["coach"].get("/shared-with-me/"))
    assert "Alex Trainee" in listing
    page = text_of(people["coach"].get(f"/shared-with-me/{made.id}"))
    assert "Alex Trainee’s action plan" in page
    assert "Book a taster week in a GP surgery" in page
    assert 'href="/modules/scan' not in page  # no links to edit the trainee's answers
    pdf = people["coach"].get(f"/shared-with-me/{made.id}/pdf")
    assert pdf.data.startswith(b"%PDF") and pdf.headers["Cache-Control"] == "no-store"

    receipt = text_of(people["trainee"].get("/plan/shares/"))
    assert "Viewed by Sam Coach on" in receipt
    log = text_of(people["trainee"].get("/plan/shares/log"))
    assert "Your plan was read" in log and "The PDF of your plan was downloaded" in log
    assert "Sam Coach" in log
    with app.app_context():
        actions = db.session.execute(
            select(AuditEvent.action).where(AuditEvent.subject_id == people["trainee_user"].id)
        ).scalars().all()
    assert actions.count("share_viewed") == 1 and actions.count("share_pdf_downloaded") == 1


def test_after_revocation_the_coach_gets_404(app, people):
    share(people["trainee"])
    (made,) = shares_in_db(app)
    assert people["coach"].get(f"/shared-with-me/{made.id}").status_code == 200
    assert people["trainee"].post(f"/plan/shares/{made.id}/revoke").status_code == 302
    assert people["coach"].get(f"/shared-with-me/{made.id}").status_code == 404
    assert people["coach"].get(f"/shared-with-me/{made.id}/pdf").status_code == 404
    assert "Alex Trainee" not in text_of(people["coach"].get("/shared-with-me/"))
    assert "Stopped" in text_of(people["trainee"].get("/plan/shares/"))


def test_after_expiry_the_coach_gets_404(app, people):
    share(people["trainee"], days=1)
    (made,) = shares_in_db(app)
    assert people["coach"].get(f"/shared-with-me/{made.id}").status_code == 200
    with app.app_context():
        db.session.execute(update(PlanShare).values(expires_on=uk_today() - dt.timedelta(days=1)))
        db.session.commit()
    assert people["coach"].get(f"/shared-with-me/{made.id}").status_code == 404
    assert "Ended" in text_of(people["trainee"].get("/plan/shares/"))


def test_a_second_coach_gets_404_for_the_first_coachs_share(app, people):
    share(people["trainee"])
    (made,) = shares_in_db(app)
    other = people["other_coach"]
    assert other.get(f"/shared-with-me/{made.id}").status_code == 404
    assert other.get(f"/shared-with-me/{made.id}/pdf").status_code == 404
    assert other.post(f"/shared-with-me/{made.id}", data={
        "section": "general", "body": "Not mine"}).status_code == 404


def test_another_trainee_cannot_revoke_a_share(app, people, make_user, sign_in):
    share(people["trainee"])
    (made,) = shares_in_db(app)
    make_user("b@example.org")
    stranger = app.test_client()
    sign_in("b@example.org", test_client=stranger)
    assert stranger.post(f"/plan/shares/{made.id}/revoke").status_code == 404
    assert shares_in_db(app)[0].revoked_at is None


def test_comments_are_seen_by_the_trainee_and_that_coach_only(app, people):
    share(people["trainee"])
    share(people["trainee"], coach="Jo Other")
    first, second = shares_in_db(app)
    assert second.coach_id == people["other_coach_user"].id
    response = people["coach"].post(f"/shared-with-me/{first.id}", data={
        "section": "actions", "body": "Ask the practice manager about dates"})
    assert response.status_code == 302

    plan = text_of(people["trainee"].get("/plan/"))
    assert "Ask the practice manager about dates" in plan
    assert "Comment from Sam Coach" in plan
    actions_part = plan[plan.index('id="actions"'):plan.index('id="support"')]
    assert "Ask the practice manager about dates" in actions_part
    assert "Ask the practice manager" in text_of(people["coach"].get(f"/shared-with-me/{first.id}"))
    assert "Ask the practice manager" not in text_of(
        people["other_coach"].get(f"/shared-with-me/{second.id}"))

    with app.app_context():
        (message,) = outbox()
    assert message["To"] == "t@example.org"
    assert "Sam Coach has left a comment" in message.get_content()
    assert "practice manager" not in message.get_content()  # the words stay behind sign-in


def test_a_snapshot_is_unchanged_after_the_trainee_edits_the_live_plan(app, people):
    share(people["trainee"], mode="snapshot")
    share(people["trainee"], coach="coach2@example.org", mode="live")
    frozen, live = shares_in_db(app)
    before_pdf = people["coach"].get(f"/shared-with-me/{frozen.id}/pdf").data
    answer(app, people["trainee_user"].id, SCAN3, "your-decision", {"first-choice": "Psychiatry"})
    people["trainee"].post("/plan/summary", data={"summary": "Changed my mind"})

    frozen_page = text_of(people["coach"].get(f"/shared-with-me/{frozen.id}"))
    assert "General practice" in frozen_page
    assert "Psychiatry" not in frozen_page and "Changed my mind" not in frozen_page
    assert people["coach"].get(f"/shared-with-me/{frozen.id}/pdf").data == before_pdf
    with app.app_context():
        snapshot = db.session.execute(select(PlanSnapshot)).scalar_one()
        assert snapshot.sha256 == hashlib.sha256(before_pdf).hexdigest()
        assert snapshot.content["summary"] == ""

    live_page = text_of(people["other_coach"].get(f"/shared-with-me/{live.id}"))
    assert "Psychiatry" in live_page and "Changed my mind" in live_page
    live_pdf = people["other_coach"].get(f"/shared-with-me/{live.id}/pdf").data
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(live_pdf)).pages)
    assert "Changed my mind" in text


@pytest.mark.parametrize("typed", ["t@example.org", "nobody@example.org", "Alex Trainee",
                                   "someone", "COACH@example.org.evil"])
def test_sharing_with_someone_who_is_not_a_coach_says_so_plainly(app, people, typed):
    response = share(people["trainee"], coach=typed)
    page = text_of(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "We could not find a coach with that name or email address" in page
    assert f'value="{typed}"' in page  # what was typed is kept
    assert shares_in_db(app) == []


def test_coach_email_and_name_match_without_regard_to_case(app, people):
    assert share(people["trainee"], coach="  COACH@Example.org ").status_code == 302
    assert share(people["trainee"], coach="sam coach").status_code == 302
    assert {s.coach_id for s in shares_in_db(app)} == {people["coach_user"].id}


@pytest.mark.parametrize(("days", "message"), [
    (-1, "must be today or in the future"), (91, "You can share for up to 90 days"),
])
def test_expiry_in_the_past_or_beyond_90_days_is_refused(app, people, days, message):
    response = share(people["trainee"], days=days)
    assert response.status_code == 200
    page = text_of(response)
    assert message in page and 'href="#expires_on--day"' in page
    assert shares_in_db(app) == []


def test_expiry_that_is_not_a_date_keeps_what_was_typed(app, people):
    response = people["trainee"].post("/plan/shares/new", data={
        "coach": "coach@example.org", "mode": "live", "expires_on--day": "31",
        "expires_on--month": "2", "expires_on--year": "2027"})
    page = text_of(response)
    assert "must be a real date" in page
    assert 'value="31"' in page and 'value="coach@example.org"' in page
    assert shares_in_db(app) == []


def test_exactly_90_days_is_allowed(app, people):
    assert share(people["trainee"], days=90).status_code == 302


def test_the_list_of_shares_says_which_is_a_copy_and_which_follows_the_plan(app, people):
    """The form's words for a fixed copy ("as it is now") were the list's words for a
    share that follows every change."""
    share(people["trainee"], mode="snapshot")
    share(people["trainee"], coach="coach2@example.org", mode="live")
    form = text_of(people["trainee"].get("/plan/shares/new"))
    assert "A copy of your plan as it is now, which will not change" in form
    listed = text_of(people["trainee"].get("/plan/shares/"))
    assert "A copy from" in listed and "Your plan as it is whenever they look" in listed
    assert "Your plan as it is now" not in listed


def test_the_share_form_gives_the_latest_date_it_accepts_and_accepts_it(app, people):
    """Its hint gave "for example 27 3 2027", which the form refused once that was more
    than 90 days away."""
    last = uk_today() + dt.timedelta(days=90)
    form = text_of(people["trainee"].get("/plan/shares/new"))
    assert f"the latest is {last.day} {last.month} {last.year}." in form
    assert "27 3 2027" not in form
    assert share(people["trainee"], days=90).status_code == 302
