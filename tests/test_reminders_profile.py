"""Choosing reminders on the profile page: only the kinds that can reach the person, all
ticked until they untick one, saved with a success banner, kept as ticked on an error."""

from __future__ import annotations

import re

from careers_app.security import Role
from tests.reminder_steps import opt_outs

PERSONAL = {"actions", "module", "appointment"}


def ticked(html: str) -> dict[str, bool]:
    """Each reminder checkbox on the page: its value, and whether it is ticked."""
    boxes = {}
    for tag in re.findall(r'<input[^>]*name="reminders-wanted"[^>]*>', html):
        value = re.search(r'value="([^"]*)"', tag).group(1)
        boxes[value] = re.search(r"\bchecked\b", tag) is not None
    return boxes


def test_a_trainee_sees_their_three_reminders_all_ticked(client, trainee):
    page = client.get("/account/profile").get_data(as_text=True)
    assert ticked(page) == dict.fromkeys(PERSONAL, True)
    assert "Which reminders do you want?" in page
    assert "Email me on Monday mornings with the actions in my plan" in page
    assert "Email me 3 days before a module my workshop assigned is due" in page
    assert "Email me the day before a careers coaching appointment" in page
    assert "coaching applications waiting" not in page


def test_a_coordinator_also_sees_the_queue_reminder(client, make_user, sign_in):
    make_user("co@example.org", roles=(Role.COORDINATOR,))
    sign_in("co@example.org")
    page = client.get("/account/profile").get_data(as_text=True)
    assert ticked(page) == dict.fromkeys(PERSONAL | {"queue"}, True)
    assert ("Email me about coaching applications waiting 10 days without a coach, and "
            "those past the 14-day reply target") in page


def test_saving_shows_success_and_keeps_the_choice(client, trainee, app):
    response = client.post("/account/profile", data={
        "reminders-shown": "1", "reminders-wanted": ["module", "appointment"]},
        follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "nhsuk-notification-banner--success" in page
    assert "Your reminder choices have been saved." in page
    assert ticked(page) == {"actions": False, "module": True, "appointment": True}
    assert opt_outs(app) == {(trainee.id, "actions")}

    # Nothing ticked at all is a choice too; ticking again opts back in.
    client.post("/account/profile", data={"reminders-shown": "1"})
    assert opt_outs(app) == {(trainee.id, kind) for kind in PERSONAL}
    client.post("/account/profile", data={"reminders-shown": "1",
                                           "reminders-wanted": ["actions"]})
    assert opt_outs(app) == {(trainee.id, "module"), (trainee.id, "appointment")}
    page = client.get("/account/profile").get_data(as_text=True)
    assert ticked(page) == {"actions": True, "module": False, "appointment": False}


def test_a_choice_not_offered_is_an_error_that_keeps_the_ticks(client, trainee, app):
    # A browser cannot send a lone surrogate: the nearest it gets is invalid UTF-8.
    for bad in ("queue", "nonsense%00", "%ED%A0%80", "x" * 10_000):
        response = client.post(
            "/account/profile", data=f"reminders-shown=1&reminders-wanted=module"
            f"&reminders-wanted={bad}", content_type="application/x-www-form-urlencoded")
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "There is a problem" in page
        assert 'href="#reminders-wanted"' in page
        assert "Choose only from the reminders listed" in page
        assert ticked(page) == {"actions": False, "module": True, "appointment": False}
    assert opt_outs(app) == set()


def test_saving_other_details_leaves_the_reminder_choices_alone(client, trainee, app):
    client.post("/account/profile", data={"reminders-shown": "1",
                                           "reminders-wanted": ["appointment"]})
    response = client.post("/account/profile", data={"details-full_name": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert ticked(page) == {"actions": False, "module": False, "appointment": True}
    assert opt_outs(app) == {(trainee.id, "actions"), (trainee.id, "module")}
