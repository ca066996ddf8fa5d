"""Builders for plan tests: answers saved through the real worksheet service."""

from __future__ import annotations

from typing import Any

from flask import Flask

from careers_app.worksheets.service import find_answer, save_step

SCAN1 = "scan-1-self-awareness"
SCAN3 = "scan-3-arriving-at-a-decision"
SCAN4 = "scan-4-next-steps"


def answer(app: Flask, user_id: int, slug: str, step_id: str, answers: dict[str, Any]) -> None:
    """Save ``answers`` for one step as a confirmed save, failing loudly if refused."""
    with app.app_context():
        module = app.extensions["modules"].get(slug)
        step = module.step(step_id)
        current = find_answer(user_id, slug, step_id)
        outcome = save_step(user_id, module, step, answers, current.version if current else 0)
        assert outcome.status == "saved", outcome.errors


def date_parts(day: int, month: int, year: int) -> dict[str, str]:
    return {"day": str(day), "month": str(month), "year": str(year)}


def action_row(action: str, target: tuple[int, int, int], measure: str = "", support: str = ""):
    return {"action": action, "measure": measure, "support": support,
            "target": date_parts(*target)}


SKILLS = ("communication", "team-working", "clinical-reasoning", "practical-skills",
          "under-pressure", "uncertainty", "organisation", "leadership", "teaching", "research",
          "improvement", "digital")
VALUES = ("service", "lifestyle", "security", "challenge", "independence", "creating",
          "leadership", "expertise")


def typical_plan(app: Flask, user_id: int) -> None:
    """Answers across SCAN 1, 3 and 4 that feed several plan sections."""
    answer(app, user_id, SCAN1, "skills-audit", {
        "skills": dict(zip(SKILLS, (5, 4, 4, 3, 5, 2, 3, 2, 4, 1, 2, 3), strict=True)),
        "top-strengths": "Explaining risks to patients in plain words",
    })
    answer(app, user_id, SCAN1, "work-values", {
        "values-ranking": list(VALUES),
        "values-reflection": "Continuity of care matters more to me than pace",
    })
    answer(app, user_id, SCAN3, "your-decision", {
        "first-choice": "General practice", "reasons": "Long-term relationships with patients",
    })
    answer(app, user_id, SCAN4, "action-plan", {"actions": [
        action_row("Book a taster week in a GP surgery", (14, 3, 2027), "Week booked",
                   "Educational supervisor"),
        action_row("Talk to two GP trainees about the rota", (2, 4, 2027)),
    ]})
    answer(app, user_id, SCAN4, "contingency", {"back-up-plan": "Apply for core medical training"})
