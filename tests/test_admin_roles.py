"""Coordinators grant and remove roles; the command line does the same."""

from __future__ import annotations

from sqlalchemy import select

from careers_app.accounts.models import User
from careers_app.accounts.service import find_user_by_email
from careers_app.cli import DEMO_ACCOUNTS, DEMO_PASSWORD
from careers_app.extensions import db
from careers_app.security import Role
from tests.sql_statements import count_queries


def roles_of(app, email: str) -> set[str]:
    with app.app_context():
        return {str(role) for role in find_user_by_email(email).roles}


def test_coordinator_lists_and_searches_users(client, make_user, sign_in):
    make_user("coord@example.org", full_name="Chris Coord", roles=(Role.COORDINATOR,))
    make_user("alex@example.org", full_name="Alex Able")
    make_user("blair@example.org", full_name="Blair Bell")
    sign_in("coord@example.org")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "3 people" in page and "Alex Able" in page and "Blair Bell" in page
    page = client.get("/admin/users?q=BLAIR").get_data(as_text=True)
    assert "1 person" in page and "Blair Bell" in page and "Alex Able" not in page
    page = client.get("/admin/users?q=%25").get_data(as_text=True)
    assert "0 people" in page


def test_user_search_pages_keep_the_total_and_stop_at_the_last_page(app, client, make_user,
                                                                   sign_in):
    make_user("coord@example.org", full_name="Chris Coord", roles=(Role.COORDINATOR,))
    with app.app_context():  # 53 matching people, named so their order is known
        db.session.add_all(User(email=f"person{n:02d}@example.org",
                                full_name=f"Pat Patel {n:02d}", password_hash="x",
                                professional_group="doctor_dentist", region="london",
                                training_stage="core") for n in range(53))
        db.session.commit()
    sign_in("coord@example.org")
    first = client.get("/admin/users?q=patel").get_data(as_text=True)
    assert "53 people matching" in first
    assert "Pat Patel 00" in first and "Pat Patel 24" in first and "Pat Patel 25" not in first
    assert "Page 2 of 3" in first
    last = client.get("/admin/users?q=patel&page=3").get_data(as_text=True)
    assert "53 people matching" in last
    assert "Pat Patel 50" in last and "Pat Patel 52" in last and "Pat Patel 49" not in last
    assert "Page 2 of 3" in last and "Page 4" not in last
    assert client.get("/admin/users?q=patel&page=4").status_code == 404
    assert client.get("/admin/users?q=nobody-has-this&page=2").status_code == 404
    everyone = client.get("/admin/users?page=2").get_data(as_text=True)
    # Chris Coord comes first by name, so page 2 starts one person later.
    assert "54 people" in everyone and "Pat Patel 24" in everyone
    assert "Pat Patel 23" not in everyone


def test_coordinator_grants_and_removes_roles(app, client, make_user, sign_in):
    make_user("coord@example.org", roles=(Role.COORDINATOR,))
    person = make_user("sam@example.org")
    sign_in("coord@example.org")
    response = client.post(f"/admin/users/{person.id}/roles",
                           data={"roles": ["coach", "facilitator"]})
    assert response.status_code == 302
    assert roles_of(app, "sam@example.org") == {"trainee", "coach", "facilitator"}
    client.post(f"/admin/users/{person.id}/roles", data={"roles": ["facilitator"]})
    assert roles_of(app, "sam@example.org") == {"trainee", "facilitator"}
    client.post(f"/admin/users/{person.id}/roles", data={})
    assert roles_of(app, "sam@example.org") == {"trainee"}


def test_a_new_role_shows_its_area_in_the_navigation(app, client, make_user, sign_in):
    make_user("sam@example.org")
    sign_in("sam@example.org")
    assert "Users and roles" not in client.get("/dashboard").get_data(as_text=True)
    with app.app_context():
        from careers_app.accounts.service import set_roles

        set_roles(find_user_by_email("sam@example.org"), {Role.COORDINATOR})
    assert "Users and roles" in client.get("/dashboard").get_data(as_text=True)


def test_coordinator_cannot_remove_their_own_coordinator_role(app, client, make_user, sign_in):
    me = make_user("coord@example.org", roles=(Role.COORDINATOR,))
    sign_in("coord@example.org")
    page = client.post(f"/admin/users/{me.id}/roles", data={"roles": ["coach"]}).get_data(
        as_text=True)
    assert "You cannot remove your own coordinator role" in page
    assert roles_of(app, "coord@example.org") == {"trainee", "coordinator"}


def test_unknown_role_and_unknown_user(app, client, make_user, sign_in):
    make_user("coord@example.org", roles=(Role.COORDINATOR,))
    person = make_user("sam@example.org")
    sign_in("coord@example.org")
    page = client.post(f"/admin/users/{person.id}/roles", data={"roles": ["admin"]}).get_data(
        as_text=True)
    assert "There is a problem" in page
    assert roles_of(app, "sam@example.org") == {"trainee"}
    assert client.get("/admin/users/99999/roles").status_code == 404


def test_user_list_costs_a_fixed_number_of_queries(app, client, make_user, sign_in):
    make_user("coord@example.org", roles=(Role.COORDINATOR,))
    sign_in("coord@example.org")

    few = count_queries(app, client, "/admin/users")
    for number in range(30):
        make_user(f"person{number}@example.org", roles=(Role.COACH,))
    assert count_queries(app, client, "/admin/users") == few


def test_cli_creates_a_user_with_roles(app, runner):
    result = runner.invoke(args=["users", "create", "Coach@Example.org", "--name", "Cee Coach",
                                 "--role", "coach", "--role", "facilitator",
                                 "--password", "a good long password"])
    assert result.exit_code == 0, result.output
    assert roles_of(app, "coach@example.org") == {"trainee", "coach", "facilitator"}


def test_cli_prompts_for_the_password_and_checks_it(app, runner):
    result = runner.invoke(args=["users", "create", "p@example.org", "--name", "P"],
                           input="short\nshort\n")
    assert result.exit_code != 0
    assert "between 12 and 256" in result.output
    result = runner.invoke(args=["users", "create", "p@example.org", "--name", "P"],
                           input="a good long password\na good long password\n")
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["users", "create", "P@example.org", "--name", "P",
                                 "--password", "a good long password"])
    assert result.exit_code != 0 and "already uses" in result.output


def test_demo_seed_creates_one_account_per_role_once(app, runner, client):
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0 and DEMO_PASSWORD in result.output
    with app.app_context():
        emails = set(db.session.execute(select(User.email)).scalars())
    assert emails == {email for email, _name, _roles in DEMO_ACCOUNTS}
    assert roles_of(app, "coordinator@example.org") == {"trainee", "coordinator"}
    response = client.post("/account/sign-in",
                           data={"email": "trainee@example.org", "password": DEMO_PASSWORD})
    assert response.headers["Location"].endswith("/dashboard")


def test_demo_seed_refuses_in_production(app, runner):
    app.config["APP_ENV"] = "production"
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code != 0
    assert "refused in production" in result.output
    with app.app_context():
        assert db.session.execute(select(User)).first() is None
