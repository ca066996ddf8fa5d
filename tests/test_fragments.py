"""Kept fragments (careers_app/fragments.py): the header, the footer and the field inputs
drawn once and reused must give exactly the page drawn afresh, and never carry one
person's name, token or answers onto another person's page."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from careers_app.content.schema import FieldSpec, Module
from tests.conftest import csrf_token_from
from tests.planning import answer
from tests.test_plans_questions import complete_every_module

# What changes with every response whether or not anything is kept.
PER_RESPONSE = (re.compile(r'nonce="[^"]+"'),
                # The workshop page's forms have prefixed tokens (assign-csrf_token); a token holds
                # the second it was made in, so two requests can differ there too.
                re.compile(r'name="([\w-]+-)?csrf_token"( type="hidden")? value="[^"]+"'),
                re.compile(r'<meta name="app-session" content="\d+"'),
                re.compile(r'data-absolute-seconds-left="\d+"'))


def comparable(html: str) -> str:
    for pattern in PER_RESPONSE:
        html = pattern.sub("", html)
    return html


def every_step(app) -> list[str]:
    return [f"/modules/{module.slug}/steps/{step.id}"
            for module in app.extensions["modules"] for step in module.steps]


def tricky_answer(module: Module, spec: FieldSpec, today: dt.date):
    """Answers with markup characters, which the kept markup must escape as Jinja does."""
    text = f'<b>{module.slug}</b> & "quotes" \'{spec.id}\' \\ {{{{ not jinja }}}}'
    if spec.type in ("short_text", "long_text"):
        return text[: spec.max_length or 500]
    return spec.kind.sample(spec, lambda limit, n: f"{text} {n}"[:limit], today)


def test_every_step_page_with_kept_fragments_is_the_page_drawn_afresh(app, client, trainee):
    complete_every_module(app, trainee.id)
    paths = every_step(app)
    kept = {path: comparable(client.get(path).get_data(as_text=True)) for path in paths}
    again = {path: comparable(client.get(path).get_data(as_text=True)) for path in paths}
    assert app.extensions["fragments"].entries(), "nothing was kept: the test would prove nothing"
    app.jinja_env.auto_reload = True  # as in development: every fragment drawn afresh
    for path in paths:
        fresh = comparable(client.get(path).get_data(as_text=True))
        assert kept[path] == fresh, path
        assert again[path] == fresh, path


def test_answers_with_markup_are_escaped_in_kept_fields_as_when_drawn_afresh(app, client,
                                                                            trainee):
    today = dt.date(2026, 11, 1)
    for module in app.extensions["modules"]:
        for step in module.steps:
            answer(app, trainee.id, module.slug, step.id,
                   {spec.id: tricky_answer(module, spec, today) for spec in step.fields})
    paths = every_step(app)
    kept = {path: comparable(client.get(path).get_data(as_text=True)) for path in paths}
    assert "<b>scan-1-self-awareness</b>" not in "".join(kept.values())
    assert "&lt;b&gt;scan-1-self-awareness&lt;/b&gt; &amp; &#34;quotes&#34;" in "".join(
        kept.values())
    app.jinja_env.auto_reload = True
    for path in paths:
        assert kept[path] == comparable(client.get(path).get_data(as_text=True)), path


def test_a_rating_shows_checked_only_where_this_trainee_put_it(app, client, trainee,
                                                               make_user, sign_in):
    slug, step_id = "scan-1-self-awareness", "skills-audit"
    module = app.extensions["modules"].get(slug)
    [scale] = [spec for spec in module.step(step_id).fields if spec.type == "scale"]
    first, second = scale.statements[0].value, scale.statements[1].value
    answer(app, trainee.id, slug, step_id, {scale.id: {first: 2}})
    page = client.get(f"/modules/{slug}/steps/{step_id}").get_data(as_text=True)
    assert re.findall(r'id="([^"]+)"[^>]*type="radio" value="\d" checked>', page) == [
        f"{scale.id}--{first}-2"]

    other = make_user("other@example.org", full_name="Sam Other")
    answer(app, other.id, slug, step_id, {scale.id: {second: 5}})
    other_client = app.test_client()
    sign_in("other@example.org", test_client=other_client)
    page = other_client.get(f"/modules/{slug}/steps/{step_id}").get_data(as_text=True)
    assert re.findall(r'id="([^"]+)"[^>]*type="radio" value="\d" checked>', page) == [
        f"{scale.id}--{second}-5"]


PAGES = ("/modules/scan-1-self-awareness/steps/skills-audit",
         "/modules/scan-1-self-awareness/steps/work-values", "/dashboard", "/plan/")


def test_each_kept_fragment_holds_only_its_own_persons_data(app, make_user, sign_in):
    people = {}
    for email, name in (("alex@example.org", "Alex Firstperson"),
                        ("bo@example.org", "Bo Secondperson")):
        user = make_user(email, full_name=name)
        complete_every_module(app, user.id)
        answer(app, user.id, "scan-1-self-awareness", "work-values",
               {"values-reflection": f"Only {name} wrote this"})
        person_client = app.test_client()
        sign_in(email, test_client=person_client)
        people[name] = person_client

    pages: dict[tuple[str, str], str] = {}
    for _ in range(2):  # the second round is served from what the first kept
        for name, person_client in people.items():
            for path in PAGES:
                response = person_client.get(path)
                assert response.status_code == 200, (name, path)
                pages[name, path] = response.get_data(as_text=True)

    for (name, path), page in pages.items():
        (other,) = set(people) - {name}
        assert name in page, (name, path)
        assert other not in page, (name, path)
        assert f"Only {other} wrote this" not in page, (name, path)
        # The sign-out button carries this person's own token: signing out works.
    for name, person_client in people.items():
        page = pages[name, PAGES[0]]
        token = re.search(r'name="csrf_token" value="([^"]+)">Sign out', page)
        assert token, "no token in the sign-out button"
        app.config["WTF_CSRF_ENABLED"] = True
        assert person_client.post("/account/sign-out",
                                  data={"csrf_token": token.group(1)}).status_code == 302
        app.config["WTF_CSRF_ENABLED"] = False

    kept = app.extensions["fragments"].entries()
    assert any(key[0] == "field" for key in kept) and any(key[0] == "header" for key in kept)
    for key, html in kept.items():
        for name in people:
            assert f"Only {name} wrote this" not in html, key
            assert (name in html) == (key[0] == "header" and key[2] == name), key
        assert 'name="csrf_token" value="' not in html.replace(
            'name="csrf_token" value="\ue000slot:csrf\ue001"', ""), key


def test_a_field_with_an_error_is_drawn_afresh_with_the_error(app, client, trainee):
    path = "/modules/scan-1-self-awareness/steps/work-values"
    client.get(path)  # keeps the field's markup
    page = client.get(path).get_data(as_text=True)
    token = csrf_token_from(page)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    response = client.post(path, data={"csrf_token": token, "version": version,
                                       "action": "continue",
                                       "values-reflection": "x\x00y"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 or "There is a problem" in html
    assert "nhsuk-error-message" in html
    # The field is drawn with its error and what was typed, not from the kept markup.
    field = html[html.index('data-field-id="values-reflection"'):]
    field = field[:field.index("</textarea>")]
    assert "nhsuk-form-group--error" in field
    assert "Remove the invisible control character (NUL) from this answer" in field
    assert field.endswith(">x\x00y")


@pytest.mark.parametrize("path", PAGES)
def test_the_header_shows_the_current_area_for_each_page(app, client, trainee, path):
    page = client.get(path).get_data(as_text=True)
    current = re.findall(r'aria-current="page"[^>]*>\s*(?:<strong[^>]*>)?\s*([^<]+)<', page)
    expected = {"/dashboard": ["Dashboard"], "/plan/": ["My action plan"]}.get(path, [])
    assert [text.strip() for text in current] == expected, path


def test_the_workshop_assign_form_is_kept_only_while_it_shows_its_defaults(
        app, make_user, sign_in):
    from careers_app.security import Role
    from tests.workshop_steps import assign_form, the_workshop, workshop_form

    pages = {}
    for email, name in (("jo@example.org", "Jo Facilitator"), ("kim@example.org", "Kim Other")):
        make_user(email, full_name=name, roles=(Role.FACILITATOR,))
        person = app.test_client()
        sign_in(email, test_client=person)
        assert person.post("/workshops/new", data=workshop_form(
            title=f"{name}'s evening")).status_code == 302
        pages[name] = (person, f"/workshops/{the_workshop(app).id}")
        person.get(pages[name][1])  # shows "Workshop created" once

    app.config["WTF_CSRF_ENABLED"] = True  # each session's own token on its form
    kept = {name: comparable(person.get(path).get_data(as_text=True))
            for name, (person, path) in pages.items()}
    # One kept form for both facilitators' sessions and workshops.
    assert len([key for key in app.extensions["fragments"].entries()
                if key[0] == "workshop-assign"]) == 1
    app.jinja_env.auto_reload = True  # as in development: every fragment drawn afresh
    for name, (person, path) in pages.items():
        assert kept[name] == comparable(person.get(path).get_data(as_text=True)), name
        assert f"{name}&#39;s evening" in kept[name]
    app.jinja_env.auto_reload = False

    # Posted with a mistake, the form shows what was typed and the error, not the defaults.
    person, path = pages["Jo Facilitator"]
    token = csrf_token_from(person.get(path).get_data(as_text=True))
    response = person.post(path, data={**assign_form("scan-1-self-awareness", days="400"),
                                       "assign-csrf_token": token})
    html = response.get_data(as_text=True)
    assert "Enter a number of days from 0 to 365" in html
    assert re.search(r'name="assign-days"[^>]*value="400"', html)
    assert re.search(r'name="assign-days"[^>]*value="7"', person.get(path).get_data(as_text=True))
    (markup,) = [markup for found, markup in app.extensions["fragments"].entries().items()
                 if found[0] == "workshop-assign"]
    assert 'name="assign-days"' in markup
    assert 'value="400"' not in markup and 'name="csrf_token"' not in markup
