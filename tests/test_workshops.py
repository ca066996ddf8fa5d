"""Workshops: facilitators follow progress and never read answers unless a member shows them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from careers_app.clock import in_uk, uk_today
from careers_app.extensions import db
from careers_app.mail import outbox
from careers_app.security import Role
from careers_app.workshops.models import Membership
from tests.registration_steps import register_and_confirm
from tests.sql_statements import count_queries
from tests.workshop_steps import (
    SCAN1,
    SCAN2,
    add_members,
    assign_form,
    the_workshop,
    workshop_form,
    write_markers,
)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


@pytest.fixture
def people(app, make_user, sign_in):
    accounts = {
        "facilitator": ("f@example.org", "Jo Facilitator", (Role.FACILITATOR,)),
        "other_facilitator": ("f2@example.org", "Kim Other", (Role.FACILITATOR,)),
        "trainee": ("t@example.org", "Alex Trainee", ()),
        "trainee2": ("t2@example.org", "Bea Second", ()),
    }
    found = {}
    for key, (email, name, roles) in accounts.items():
        found[f"{key}_user"] = make_user(email, full_name=name, roles=roles)
        found[key] = app.test_client()
        sign_in(email, test_client=found[key])
    return found


def created(app, people, day=None):
    response = people["facilitator"].post("/workshops/new", data=workshop_form(day=day))
    assert response.status_code == 302, text_of(response)[-500:]
    return the_workshop(app)


def join(client, code):
    return client.post("/workshops/join", data={"code": code, "action": "confirm"})


def memberships(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count(Membership.id))).scalar_one()


def test_relative_and_fixed_due_dates_are_computed_correctly(app, people):
    workshop = created(app, people, day=dt.date(2030, 5, 20))
    url = f"/workshops/{workshop.id}"
    people["facilitator"].post(url, data=assign_form(SCAN1, days="7", direction="before"))
    people["facilitator"].post(url, data=assign_form(SCAN2, days="3", direction="after"))
    page = text_of(people["facilitator"].get(url))
    assert "due 13 May 2030 (7 days before the workshop)" in page
    assert "due 23 May 2030 (3 days after the workshop)" in page
    people["facilitator"].post(url, data=assign_form(SCAN2, kind="fixed",
                                                     due=dt.date(2030, 6, 1)))
    assert "due 1 June 2030" in text_of(people["facilitator"].get(url))


def test_due_dates_before_today_are_refused(app, people):
    workshop = created(app, people, day=uk_today() + dt.timedelta(days=3))
    url = f"/workshops/{workshop.id}"
    response = people["facilitator"].post(url, data=assign_form(SCAN1, days="7"))
    assert "which has passed: choose a date from today" in text_of(response)
    response = people["facilitator"].post(url, data=assign_form(
        SCAN1, kind="fixed", due=uk_today() - dt.timedelta(days=1)))
    page = text_of(response)
    assert "which has passed" in page and 'href="#assign-due_on--day"' in page
    assert "Assign a module below" in text_of(people["facilitator"].get(url))


def test_joining_by_code_shows_what_the_facilitator_sees_and_twice_is_harmless(app, people):
    workshop = created(app, people)
    people["facilitator"].post(f"/workshops/{workshop.id}", data=assign_form(SCAN1))
    typed = f" {workshop.join_code[:3].lower()}-{workshop.join_code[3:].lower()} "
    preview = text_of(people["trainee"].post("/workshops/join", data={"code": typed}))
    assert "What your facilitator will see" in preview
    assert "SCAN 1: Self awareness" in preview and "Not started" in preview
    assert memberships(app) == 0
    assert join(people["trainee"], workshop.join_code).status_code == 302
    assert join(people["trainee"], workshop.join_code).status_code == 302
    assert memberships(app) == 1
    link = text_of(people["trainee2"].get(f"/workshops/join?code={workshop.join_code}"))
    assert "Join the workshop" in link


def test_unknown_and_archived_codes_say_so_plainly(app, people):
    page = text_of(people["trainee"].post("/workshops/join", data={"code": "ZZZ-999"}))
    assert "There is no workshop with that code" in page and 'value="ZZZ-999"' in page
    workshop = created(app, people)
    people["facilitator"].post(f"/workshops/{workshop.id}/archive")
    page = text_of(join(people["trainee"], workshop.join_code))
    assert "That workshop has ended and can no longer be joined" in page
    assert memberships(app) == 0
    for code in ("", "\x00", "x" * 100_000):
        response = people["trainee"].post("/workshops/join", data={"code": code})
        assert response.status_code in (200, 400)


def test_a_second_facilitator_gets_404_and_a_trainee_403(app, people):
    workshop = created(app, people)
    other = people["other_facilitator"]
    for url in (f"/workshops/{workshop.id}", f"/workshops/{workshop.id}/edit",
                f"/workshops/{workshop.id}/progress.csv", f"/workshops/{workshop.id}/remind"):
        assert other.get(url).status_code == 404, url
        assert people["trainee"].get(url).status_code == 403, url
    assert other.post(f"/workshops/{workshop.id}/archive").status_code == 404
    assert people["trainee"].get("/workshops/").status_code == 403
    assert people["trainee"].get("/workshops/new").status_code == 403
    assert the_workshop(app).archived_at is None


def test_facilitators_never_see_answers_unless_a_member_shows_one_module(app, people):
    workshop = created(app, people)
    facilitator, url = people["facilitator"], f"/workshops/{workshop.id}"
    facilitator.post(url, data=assign_form(SCAN1))
    facilitator.post(url, data=assign_form(SCAN2))
    markers = {}
    for key in ("trainee", "trainee2"):
        join(people[key], workshop.join_code)
        user_id = people[f"{key}_user"].id
        for slug in (SCAN1, SCAN2):
            markers[(key, slug)] = f"MARKER{user_id}{slug[:6].upper()}Q"
            write_markers(app, user_id, slug, markers[(key, slug)], complete=slug == SCAN1)

    def facilitator_output() -> str:
        pages = [facilitator.get(u).get_data(as_text=True) for u in (
            "/workshops/", url, f"{url}?sort=last", f"{url}?sort=module-0",
            f"{url}?sort=module-1", f"{url}/remind", f"{url}/remind?module={SCAN2}",
            f"{url}/edit", "/dashboard")]
        return "\n".join(pages) + facilitator.get(f"{url}/progress.csv").get_data(as_text=True)

    seen = facilitator_output()
    assert "Completed on" in seen and "Step" in seen  # progress is there
    assert [m for m in markers.values() if m in seen] == []

    membership = next(m for m in _memberships_of(app, people["trainee_user"].id))
    people["trainee"].post(f"/workshops/memberships/{membership}/show/{SCAN2}",
                           data={"shown": "yes"})
    shown_url = f"{url}/members/{membership}/modules/{SCAN2}"
    shown = facilitator.get(shown_url)
    assert shown.status_code == 200
    assert markers[("trainee", SCAN2)] in shown.get_data(as_text=True)
    assert [m for m in markers.values() if m in facilitator_output()] == []
    assert facilitator.get(f"{url}/members/{membership}/modules/{SCAN1}").status_code == 404
    assert people["other_facilitator"].get(shown_url).status_code == 404

    people["trainee"].post(f"/workshops/memberships/{membership}/show/{SCAN2}",
                           data={"shown": "no"})
    assert facilitator.get(shown_url).status_code == 404


def _memberships_of(app, user_id):
    with app.app_context():
        return db.session.execute(select(Membership.id).where(
            Membership.user_id == user_id)).scalars().all()


def test_a_member_who_leaves_disappears_from_the_matrix_and_the_csv(app, people):
    workshop = created(app, people)
    url = f"/workshops/{workshop.id}"
    people["facilitator"].post(url, data=assign_form(SCAN1))
    join(people["trainee"], workshop.join_code)
    join(people["trainee2"], workshop.join_code)
    assert "Alex Trainee" in text_of(people["facilitator"].get(url))
    (membership,) = _memberships_of(app, people["trainee_user"].id)
    people["trainee"].post(f"/workshops/memberships/{membership}/leave")
    assert "Alex Trainee" not in text_of(people["facilitator"].get(url))
    response = people["facilitator"].get(f"{url}/progress.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # charset once
    exported = response.get_data(as_text=True)
    assert "Alex Trainee" not in exported and "Bea Second" in exported
    assert people["trainee2"].post(f"/workshops/memberships/{membership}/leave").status_code \
        == 404


def test_matrix_cells_summary_row_and_csv(app, people):
    workshop = created(app, people)
    url = f"/workshops/{workshop.id}"
    people["facilitator"].post(url, data=assign_form(SCAN1))
    for key in ("trainee", "trainee2"):
        join(people[key], workshop.join_code)
    write_markers(app, people["trainee_user"].id, SCAN1, "x", complete=True)
    page = text_of(people["facilitator"].get(url))
    today = in_uk(dt.datetime.now(dt.UTC))
    assert f"Completed on {today.day} {today:%B %Y}" in page
    assert "Not started" in page and "50%" in page
    rows = list(csv.reader(io.StringIO(
        people["facilitator"].get(f"{url}/progress.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Member", "Email", "Last activity"]
    assert rows[1][0] == "Alex Trainee" and rows[1][3].startswith("Completed on")
    assert rows[2][0] == "Bea Second" and rows[2][3] == "Not started"
    assert rows[-1][0] == "Completed" and rows[-1][3] == "50%"


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\")", "+SUM(1)", "-2+3", "@cmd",
                                  "\tTab"])
def test_csv_cells_that_look_like_formulas_are_neutralised(app, people, name, make_user,
                                                            sign_in):
    workshop = created(app, people)
    people["facilitator"].post(f"/workshops/{workshop.id}", data=assign_form(SCAN1))
    make_user("evil@example.org", full_name=name)
    evil = app.test_client()
    sign_in("evil@example.org", test_client=evil)
    join(evil, workshop.join_code)
    exported = people["facilitator"].get(f"/workshops/{workshop.id}/progress.csv")
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1][0] == "'" + name


def test_reminders_preview_go_to_those_not_done_and_only_once_a_day(app, people):
    workshop = created(app, people)
    url = f"/workshops/{workshop.id}"
    people["facilitator"].post(url, data=assign_form(SCAN1))
    for key in ("trainee", "trainee2"):
        join(people[key], workshop.join_code)
    write_markers(app, people["trainee_user"].id, SCAN1, "done", complete=True)
    people["facilitator"].post(url, data=assign_form(SCAN2))
    preview = text_of(people["facilitator"].get(f"{url}/remind", query_string={
        "module": SCAN2}))
    assert f'<option value="{SCAN2}" selected>' in preview
    assert "Alex Trainee" in preview and "“SCAN 2: Career exploration”" in preview
    preview = text_of(people["facilitator"].get(f"{url}/remind", query_string={
        "module": SCAN1}))
    assert "Bea Second" in preview and "Alex Trainee" not in preview
    assert "Please complete the module" in preview
    sent = people["facilitator"].post(f"{url}/remind", data={"module": SCAN1, "action": "send"})
    assert sent.status_code == 302
    with app.app_context():
        assert [m["To"] for m in outbox()] == ["t2@example.org"]
    again = people["facilitator"].post(f"{url}/remind", data={"module": SCAN1, "action": "send"})
    assert "already gone today" in text_of(again)
    with app.app_context():
        assert len(outbox()) == 1


def test_the_dashboard_lists_assigned_modules_overdue_highlighted_with_an_ics(app, people):
    workshop = created(app, people, day=uk_today() + dt.timedelta(days=2))
    url = f"/workshops/{workshop.id}"
    people["facilitator"].post(url, data=assign_form(SCAN1, days="1", direction="before"))
    people["facilitator"].post(url, data=assign_form(SCAN2, days="5", direction="after"))
    join(people["trainee"], workshop.join_code)
    page = text_of(people["trainee"].get("/dashboard"))
    assert "Modules set by your workshops" in page
    assert "SCAN 1: Self awareness" in page and "Not started" in page
    assert "Overdue" not in page
    with app.app_context():
        db.session.execute(db.update(type(the_workshop(app))).values(
            starts_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=3)))
        db.session.commit()
    assert "Overdue" in text_of(people["trainee"].get("/dashboard"))
    ics = Calendar.from_ical(people["trainee"].get("/workshops/due-dates.ics").data)
    assert len(ics.walk("VEVENT")) == 2


def test_query_counts_do_not_grow_with_the_number_of_members(app, people):
    workshop = created(app, people)
    url = f"/workshops/{workshop.id}"
    people["facilitator"].post(url, data=assign_form(SCAN1))
    people["facilitator"].post(url, data=assign_form(SCAN2))
    join(people["trainee"], workshop.join_code)
    add_members(app, workshop.id, 4)
    small = {u: count_queries(app, people["facilitator"], u)
             for u in (url, f"{url}/progress.csv")}
    small_dashboard = count_queries(app, people["trainee"], "/dashboard")
    add_members(app, workshop.id, 195, start=100)
    assert memberships(app) == 200
    large = {u: count_queries(app, people["facilitator"], u)
             for u in (url, f"{url}/progress.csv")}
    assert large == small
    assert count_queries(app, people["trainee"], "/dashboard") == small_dashboard
    assert max(large.values()) <= 8


def test_someone_without_an_account_signs_up_and_comes_back_to_the_join_link(app, people):
    workshop = created(app, people)
    visitor = app.test_client()
    link = f"/workshops/join?code={workshop.join_code}"
    sign_in_page = visitor.get(link)
    assert sign_in_page.status_code == 302 and "/account/sign-in" in sign_in_page.headers[
        "Location"]
    page = visitor.get(sign_in_page.headers["Location"]).get_data(as_text=True)
    register = re.search(r'href="(/account/register\?next=[^"]+)"', page).group(1)
    response = register_and_confirm(app, visitor, {
        "full_name": "New Person", "email": "new@example.org",
        "password": "a long enough password", "professional_group": "pharmacy",
        "region": "london", "training_stage": "other"}, path=register.replace("&amp;", "&"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(link)
    assert "Join the workshop" in text_of(visitor.get(response.headers["Location"]))


def test_registration_without_next_still_lands_on_the_dashboard(app, client):
    response = register_and_confirm(app, client, {
        "full_name": "New Person", "email": "new@example.org",
        "password": "a long enough password", "professional_group": "pharmacy",
        "region": "london", "training_stage": "other"},
        path="/account/register?next=//evil.example/x")
    assert response.headers["Location"].endswith("/dashboard")


def test_nasty_input_on_every_workshop_form_never_gives_a_server_error(app, people):
    workshop = created(app, people)
    facilitator, url = people["facilitator"], f"/workshops/{workshop.id}"
    nasty = ("a\x00b", "z" * 300_000, "99999999999999999999", "-5", "<script>x</script>",
             "٣", "")
    for field in ("title", "day--day", "day--year", "time", "format", "description"):
        for value in nasty:
            for target in ("/workshops/new", f"{url}/edit"):
                response = facilitator.post(target, data={**workshop_form(), field: value})
                assert response.status_code in (200, 302), (target, field, value[:8])
    for field in ("assign-module", "assign-due_kind", "assign-days", "assign-direction",
                  "assign-due_on--day"):
        for value in nasty:
            response = facilitator.post(url, data={**assign_form(SCAN1), field: value})
            assert response.status_code in (200, 302), (field, value[:8])
    for value in nasty:
        assert facilitator.get(f"{url}/remind", query_string={"module": value}).status_code == 200
        assert facilitator.post(f"{url}/remind", data={"module": value, "action": "send"}
                                ).status_code in (200, 302)
        assert facilitator.get(url, query_string={"sort": value}).status_code == 200
        assert people["trainee"].post("/workshops/join", data={
            "code": value, "action": "confirm"}).status_code in (200, 302)
    assert people["trainee"].post("/workshops/memberships/1/show/x%00y").status_code == 404


def test_the_csv_lists_members_in_the_order_the_matrix_shows_them(app, people):
    """By name, as the page is sorted unless the facilitator asks otherwise; it was in
    the order people joined."""
    workshop = created(app, people)
    url = f"/workshops/{workshop.id}"
    people["facilitator"].post(url, data=assign_form(SCAN1))
    join(people["trainee2"], workshop.join_code)  # Bea Second joins first
    join(people["trainee"], workshop.join_code)
    page = text_of(people["facilitator"].get(url))
    assert page.index("Alex Trainee") < page.index("Bea Second")
    exported = people["facilitator"].get(f"{url}/progress.csv").get_data(as_text=True)
    assert exported.index("Alex Trainee") < exported.index("Bea Second")


def test_days_typed_in_words_are_refused_in_the_services_words_and_kept(app, people):
    workshop = created(app, people)
    page = text_of(people["facilitator"].post(f"/workshops/{workshop.id}",
                                               data=assign_form(SCAN1, days="seven")))
    assert "Enter a number of days from 0 to 365, in figures" in page
    assert "Not a valid integer value" not in page
    assert 'value="seven"' in page


def test_an_archived_workshop_does_not_ask_for_a_module_it_cannot_take(app, people):
    workshop = created(app, people)
    people["facilitator"].post(f"/workshops/{workshop.id}/archive")
    page = text_of(people["facilitator"].get(f"/workshops/{workshop.id}"))
    assert "Assign a module below" not in page
    assert "No modules were assigned before this workshop was archived." in page


def test_a_wrong_date_and_a_wrong_time_of_a_workshop_are_named_at_once(app, people):
    form = {**workshop_form(time="6pm"), "day--day": "31", "day--month": "2"}
    page = text_of(people["facilitator"].post("/workshops/new", data=form))
    assert "Date must be a real date" in page
    assert "Enter a time between 00:00 and 23:59, for example 18:30" in page
    assert 'value="6pm"' in page
