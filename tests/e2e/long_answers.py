"""Full, long answers for every step of a module, built from the module file.

The kind of text a trainee really writes: several sentences, long specialty names,
a pasted web address with no spaces in it. Each answer keeps within the field's limits,
so the worksheet service saves it as the browser's "Save and continue" would.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from careers_app.content.schema import FieldSpec, Module

# A pasted address is one long "word": the text around it must wrap, not widen the page.
ADDRESS = "https://www.example.org/medical-specialty-recruitment/person-specifications/2027"
SENTENCES = (
    "I am an F2 doctor in south London, torn between general practice and emergency "
    "medicine, and I keep coming back to the conversations I have with families.",
    "Gastroenterology/hepatology and intensive care medicine both came up when I talked "
    "it through with my educational supervisor, so I have kept them on the list.",
    f"The person specification is at {ADDRESS} and I have read it twice.",
    "Night shifts in the emergency department tire me more than I expected, but the "
    "variety and the teamwork keep me interested in a way clinic work has not.",
)
OPTIONS = ("General practice (GPST) in north-east London",
           "Emergency medicine (ACCS) in Kent, Surrey and Sussex",
           "Intensive care medicine, single specialty",
           "A clinical fellow year in medical education",
           "Gastroenterology/hepatology via internal medicine training",
           "Anaesthetics (core training) in London")
FACTORS = ("Continuity of care with the same patients", "Rota and time with my family",
           "Procedures and hands-on work", "Competition ratios", "Teaching others")


def paragraph(words: int, start: int = 0) -> str:
    """Sentences from SENTENCES (from the ``start``-th on), as many as fit in ``words``
    words, at least one."""
    chosen: list[str] = []
    for sentence in (SENTENCES * 4)[start % len(SENTENCES):]:
        if chosen and len(" ".join([*chosen, sentence]).split()) > words:
            break
        chosen.append(sentence)
    return " ".join(chosen)


def text(limit: int, start: int = 0) -> str:
    """As much of a paragraph as ``limit`` characters allow, ending on a whole word."""
    whole = paragraph(120, start)
    if len(whole) <= limit:
        return whole
    return whole[:limit].rsplit(" ", 1)[0]


def date_parts(day: dt.date) -> dict[str, str]:
    return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}


def field_answer(spec: FieldSpec, today: dt.date) -> Any:
    kind = spec.type
    if kind == "short_text":
        return text(spec.max_length or 200)
    if kind == "long_text":
        return paragraph(min(spec.max_words or 200, 150))
    if kind == "choice":
        return spec.options[0].value
    if kind == "multi_choice":
        return {"selected": [option.value for option in spec.options[:3]], "other": ""}
    if kind == "scale":
        return {statement.value: number % 5 + 1
                for number, statement in enumerate(spec.statements)}
    if kind == "ranking":
        return [option.value for option in spec.options]
    if kind == "list":
        rows = max(3, spec.min_rows)
        return [{column.id: text(min(column.max_length, 160), row + number)
                 for number, column in enumerate(spec.columns)}
                for row in range(min(rows, spec.max_rows))]
    if kind == "action_table":
        return [{"action": text(160, number), "measure": text(120, number + 1),
                 "support": text(120, number + 2),
                 "target": date_parts(today + dt.timedelta(days=60 * (number + 1)))}
                for number in range(min(3, spec.max_rows))]
    if kind == "date":
        return date_parts(today + dt.timedelta(days=90))
    if kind == "decision_matrix":
        options = list(OPTIONS[: spec.max_options])
        factors = list(FACTORS[: spec.max_criteria])
        return {"options": options,
                "criteria": [{"label": label, "weight": 5 - n % 5}
                             for n, label in enumerate(factors)],
                "scores": [[(i + j) % 5 + 1 for j in range(len(factors))]
                           for i in range(len(options))]}
    # A type added since: its own sample answer, in the same prose.
    return spec.kind.sample(spec, lambda limit, n: text(min(limit, 160), n), today)


def long_answers(module: Module, today: dt.date) -> dict[str, dict[str, Any]]:
    """Every field of every step of ``module``, answered at length."""
    return {step.id: {spec.id: field_answer(spec, today) for spec in step.fields}
            for step in module.steps}
