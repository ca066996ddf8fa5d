"""Whatever arrives, in a form or as JSON, every step answers with a message, never a 500."""

from __future__ import annotations

NASTY_VALUES = [
    None, 0, -1, 2**64, 3.5, float("inf"), True, "", " ", "\x00", "a\x00b", "\ud800",
    "x" * 100_000, "<script>alert(1)</script>", "{{7*7}}", "\u202eevil", "🙂" * 50,
    [], [None], [[[]]], ["\x00"], {}, {"selected": "a"}, {"day": {"x": 1}},
    {"options": [None, 5], "criteria": ["x"], "scores": "no"},
    {"options": ["a"], "criteria": [{"label": "x", "weight": "5"}], "scores": [["9"]]},
    [{"action": 5, "target": "tomorrow"}], [{"target": {"day": "\x00"}}],
]

NASTY_TEXT = ["\x00", "x" * 25_000, "<img src=x onerror=alert(1)>", "-1", "99999999999999",
              "１", "\u202e"]


def every_step(app):
    for module in app.extensions["modules"]:
        for step in module.steps:
            yield module, step


def test_json_autosave_answers_every_value_with_200_or_422(app, client, trainee):
    statuses = set()
    for module, step in every_step(app):
        url = f"/modules/{module.slug}/steps/{step.id}/autosave"
        version = 0
        for spec in step.fields:
            for value in NASTY_VALUES:
                response = client.post(url, json={"version": version,
                                                  "answers": {spec.id: value}})
                statuses.add(response.status_code)
                assert response.status_code in (200, 422), (step.id, spec.id, repr(value)[:80])
                if response.status_code == 200:
                    version = response.json["version"]
                else:
                    assert response.json["errors"][spec.id]
    assert statuses == {200, 422}


def test_form_posts_answer_every_value_with_a_redirect_or_a_message(app, client, trainee):
    for module, step in every_step(app):
        url = f"/modules/{module.slug}/steps/{step.id}"
        page = client.get(url).get_data(as_text=True)
        names = sorted({part.split('"')[0] for part in page.split('name="')[1:]})
        names = [name for name in names if name not in ("csrf_token", "version", "action")]
        for text in NASTY_TEXT:
            data = {name: text for name in names}
            current = client.get(url).get_data(as_text=True)
            version = current.split('name="version" value="')[1].split('"')[0]
            for action in ("later", "continue", f"remove-row--{step.fields[0].id}--{text}"):
                response = client.post(url, data={**data, "version": version,
                                                  "action": action})
                assert response.status_code in (302, 400), (step.id, repr(text)[:40])
                body = response.get_data(as_text=True)
                assert "<img src=x" not in body and "<script>alert" not in body
                if response.status_code == 302:
                    version = str(int(version) + 1)
                else:
                    version = body.split('name="version" value="')[1].split('"')[0]


def test_bad_versions_in_a_form_get_a_message(client, trainee):
    url = "/modules/scan-3-arriving-at-a-decision/steps/your-decision"
    for version in ("", "-1", "1.5", "٣", "9" * 40, "\x00"):
        response = client.post(url, data={"version": version, "first-choice": "Kept"})
        assert response.status_code == 400
        assert 'value="Kept"' in response.get_data(as_text=True)
