"""The coordinators' user search: the start of a name's or an email's words, through an index."""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

import pytest
from flask_migrate import upgrade
from sqlalchemy import select, text

from careers_app.accounts.models import User, UserSearchTerm
from careers_app.accounts.search_terms import MAX_QUERY_WORDS, after_prefix, terms_for
from careers_app.admin.service import search_statements, search_users
from careers_app.extensions import db
from careers_app.security import Role
from tests.conftest import build_app, logging_preserved
from tests.factories import insert_account_row
from tests.sql_statements import count_queries


@pytest.fixture
def coordinator(client, make_user, sign_in):
    make_user("coord@example.org", full_name="Chris Coordinator", roles=(Role.COORDINATOR,))
    make_user("priya@example.org", full_name="Priya Patel")
    make_user("patel.p@nhs.net", full_name="Sam Jones")
    make_user("shah@example.org", full_name="Priya Shah")
    make_user("spat@example.org", full_name="Alex Spatula")
    make_user("am@example.org", full_name="Anne-Marie O'Brien")
    sign_in("coord@example.org")
    return client


def names_found(client, query: str) -> list[str]:
    response = client.get("/admin/users", query_string={"q": query})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return [html.unescape(name) for name in
            re.findall(r'<span class="nhsuk-u-visually-hidden"> for ([^<]+)</span>', page)]


def test_the_start_of_a_name_or_an_email_finds_the_person(coordinator):
    # "Spatula" has "pat" inside a word, not at its start.
    assert names_found(coordinator, "pat") == ["Priya Patel", "Sam Jones"]
    assert names_found(coordinator, "PATEL") == ["Priya Patel", "Sam Jones"]
    assert names_found(coordinator, "pri") == ["Priya Patel", "Priya Shah"]
    assert names_found(coordinator, "atel") == []


def test_a_person_with_several_matching_words_is_listed_and_counted_once(coordinator,
                                                                         make_user):
    # "pat", "patel", "patel.pat" and the whole address all start with "pat": four of
    # her words in the range the search reads, one person in the list and the count.
    make_user("patel.pat@example.org", full_name="Pat Patel")
    assert names_found(coordinator, "pat") == ["Pat Patel", "Priya Patel", "Sam Jones"]
    page = coordinator.get("/admin/users", query_string={"q": "pat"}).get_data(as_text=True)
    assert "3 people matching" in page
    assert names_found(coordinator, "pat patel") == ["Pat Patel", "Priya Patel", "Sam Jones"]
    assert names_found(coordinator, "patel pat") == ["Pat Patel", "Priya Patel", "Sam Jones"]


def test_every_word_must_match(coordinator):
    assert names_found(coordinator, "priya pat") == ["Priya Patel"]
    assert names_found(coordinator, "  pat   PRIYA ") == ["Priya Patel"]
    assert names_found(coordinator, "priya nobody") == []


def test_an_email_address_is_found_from_its_start_and_its_words(coordinator):
    assert names_found(coordinator, "patel.p@nhs") == ["Sam Jones"]
    assert names_found(coordinator, "patel.p@nhs.net") == ["Sam Jones"]
    assert names_found(coordinator, "shah@") == ["Priya Shah"]
    # The domain alone is no one's word: it would find everyone at a trust.
    assert names_found(coordinator, "nhs.net") == []


def test_hyphenated_and_apostrophe_names_are_found_by_each_part(coordinator):
    for query in ("anne", "marie", "anne-m", "o'b", "brien", "anne o'brien"):
        assert names_found(coordinator, query) == ["Anne-Marie O'Brien"], query


def test_characters_that_mean_something_to_like_are_plain_text(coordinator, make_user):
    make_user("a_b@example.org", full_name="Under Score")
    assert names_found(coordinator, "a_") == ["Under Score"]
    assert names_found(coordinator, "%") == []
    assert names_found(coordinator, "_") == []


def test_a_renamed_person_is_found_by_the_new_name_not_the_old(app, client, make_user,
                                                            sign_in, coordinator):
    make_user("renamed@example.org", full_name="Jo Oldname")
    renamed = app.test_client()
    sign_in("renamed@example.org", test_client=renamed)
    response = renamed.post("/account/profile", data={
        "details-full_name": "Jo Newname", "details-professional_group": "doctor_dentist",
        "details-region": "london", "details-training_stage": "core"})
    assert response.status_code == 302
    assert names_found(coordinator, "newn") == ["Jo Newname"]
    assert names_found(coordinator, "oldname") == []
    # An email changed through the ORM is kept in step too.
    with app.app_context():
        person = db.session.execute(
            select(User).where(User.email == "renamed@example.org")).scalar_one()
        person.email = "jo.new@example.org"
        db.session.commit()
    assert names_found(coordinator, "jo.new") == ["Jo Newname"]
    assert names_found(coordinator, "renamed") == []


def test_the_hint_says_what_is_matched(coordinator):
    page = coordinator.get("/admin/users").get_data(as_text=True)
    assert "Type the start of a first name, family name or email address" in page


@pytest.mark.parametrize(("query", "message"), [
    ("a\x00b", "Remove the invisible control character (NUL)"),
    ("p" * 255, "Search must be 254 characters or fewer"),
    (" ".join(["pat"] * (MAX_QUERY_WORDS + 1)), f"Search for {MAX_QUERY_WORDS} words or fewer"),
])
def test_a_search_that_cannot_be_run_gets_a_message(coordinator, query, message):
    response = coordinator.get("/admin/users", query_string={"q": query})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert "matching" not in page


@pytest.mark.parametrize("raw", [
    "%ED%A0%80",  # a lone surrogate's bytes (not UTF-8): read as a replacement character
    "%F4%8F%BF%BF" * 3,  # the highest code point, which has nothing after it
    "%EF%BF%BF",
    "p" * 254,
])
def test_odd_characters_find_no_one_without_an_error(coordinator, raw):
    response = coordinator.get(f"/admin/users?q={raw}")
    assert response.status_code == 200
    assert "0 people matching" in response.get_data(as_text=True)


def test_the_words_of_an_account():
    assert terms_for("Anne-Marie  O'Brien", "Patel.P+Work@NHS.net") == {
        "anne-marie", "anne", "marie", "o'brien", "o", "brien",
        "patel.p+work@nhs.net", "patel.p+work", "patel", "p", "work"}
    assert "strauss" in terms_for("Jo Strauß", "jo@example.org")


def test_after_prefix_is_the_end_of_a_range_of_words():
    assert after_prefix("pat") == "pau"
    assert after_prefix("a\ud7ff") == "a\ue000"  # never a surrogate
    assert after_prefix("a\U0010ffff") == "b"
    assert after_prefix("\U0010ffff") is None


def test_a_search_costs_the_same_queries_whatever_it_finds(app, coordinator, make_user):
    def statements(query: str) -> int:
        return count_queries(app, coordinator, "/admin/users?" + urlencode({"q": query}))

    few = statements("priya")
    for number in range(30):
        make_user(f"priya{number}@example.org", full_name=f"Priya Number{number}",
                  roles=(Role.COACH,))
    assert statements("priya") == few
    assert statements("priya num") == few
    # Finding no one, there are no accounts' details to read: one statement fewer.
    assert statements("priya num patel") == few - 1


def _plan(sql: str, words: dict[str, str]) -> str:
    if db.engine.dialect.name == "sqlite":
        rows = db.session.execute(text(f"EXPLAIN QUERY PLAN {sql}"), words).all()
        return "\n".join(str(row[-1]) for row in rows)
    # So few rows would be read whole in any case: forbid that, to see the index can serve.
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    rows = db.session.execute(text(f"EXPLAIN {sql}"), words).all()
    return "\n".join(row[0] for row in rows)


@pytest.mark.parametrize(("query", "index"), [
    ("pat", "ix_user_search_term_term_full_name_user_id"),  # a range of the words
    ("patel priya", "ix_user_search_term_term_full_name_user_id"),
    ("", "ix_user_full_name_id"),  # everyone, in order of name
])
def test_the_search_reads_an_index_not_every_account(app, coordinator, query, index):
    with app.app_context():
        found, _total = search_statements(query, 2)
        sql = str(found.compile(db.engine, compile_kwargs={"literal_binds": True}))
        plan = _plan(sql, {})
        db.session.rollback()
    assert index in plan, plan
    if query:  # the words carry the name: the user table is not read to sort them
        assert '"user"' not in sql and " user " not in plan.lower(), plan


def test_a_word_with_punctuation_is_in_its_prefix_range(app, coordinator):
    # The range is code point order on both databases, so the index's order is the same
    # order: a word with punctuation is inside its prefix's range, and nothing else.
    with app.app_context():
        found, total = search_users("anne-m", 1)
    assert [person.full_name for person in found] == ["Anne-Marie O'Brien"] and total == 1


def test_deleting_an_account_deletes_its_words(app, make_user):
    from careers_app.account_deletion.service import SELF, delete_account

    person = make_user("gone@example.org", full_name="Gone Person")
    with app.app_context():
        assert db.session.execute(select(UserSearchTerm).where(
            UserSearchTerm.user_id == person.id)).first() is not None
        delete_account(db.session.get(User, person.id), None, SELF)
        assert db.session.execute(select(UserSearchTerm).where(
            UserSearchTerm.user_id == person.id)).first() is None


def test_the_migration_gives_existing_accounts_their_words(tmp_path):
    # A SQLite file of its own whichever database the suite runs on: the backfill is
    # plain Python over plain rows.
    app = build_app(f"sqlite:///{tmp_path / 'before.sqlite3'}")
    with logging_preserved(), app.app_context():
        upgrade(revision="dd901f34c932")
        insert_account_row(7, "priya.patel@nhs.net", "Priya Patel")
        db.session.commit()
        upgrade()
        words = set(db.session.execute(select(UserSearchTerm.term).where(
            UserSearchTerm.user_id == 7)).scalars())
        assert words == terms_for("Priya Patel", "priya.patel@nhs.net")
        found, total = search_users("priya pat", 1)
        # Each word carries the account's name (migration 5a7c1e3f9b20 copied it).
        assert [(person.id, person.full_name) for person in found] == [(7, "Priya Patel")]
        assert total == 1
