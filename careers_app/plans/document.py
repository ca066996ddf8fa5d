"""The plan as a plain, JSON-ready document, assembled from worksheet answers.

The same document feeds the plan page, the coach's view, the PDF and a snapshot, so a
snapshot shows exactly what was sent: it holds display text, not references to module
files that may later change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from careers_app.clock import UK
from careers_app.content.fields import is_empty, parse_date
from careers_app.content.loader import ModuleRegistry
from careers_app.content.schema import FieldSpec, Module, Step
from careers_app.worksheets.service import SavedStep

# Bump when the document's shape or the print template changes, so cached PDFs are redone.
# 2: one answer per shared question, with the date it was given; an optional appendix.
DOCUMENT_VERSION = 2
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

SECTIONS: dict[str, str] = {
    "decision": "Career aim and decision",
    "strengths": "Strengths",
    "values": "Values",
    "interests": "Interests",
    "options": "Options considered",
    "actions": "SMART actions",
    "support": "Support needed",
    "contingency": "Contingency",
    "notes": "Notes",
}
# Comments may also be about the summary or the plan as a whole.
COMMENT_SECTIONS: dict[str, str] = {"general": "The plan as a whole",
                                    "summary": "Career aim in a paragraph", **SECTIONS}
STAGE_ORDER = ("S", "C", "A", "N", "reflection", "interview", "networking")


@dataclass(frozen=True)
class Owner:
    name: str
    professional_group: str
    stage: str
    region: str


@dataclass(frozen=True)
class WorksheetAction:
    """One row of a worksheet's action table, located so it can be tracked on the plan."""

    source_key: str
    source: str
    slug: str
    step_id: str
    text: str
    measure: str
    support: str
    target: dt.date | None


def ordered_modules(registry: ModuleRegistry) -> list[Module]:
    """SCAN first, in S-C-A-N order, then the other modules in the order they load."""
    # Positions from enumerate: list.index would compare the modules field by field.
    ordered = sorted(enumerate(registry),
                     key=lambda pair: (STAGE_ORDER.index(pair[1].stage), pair[0]))
    return [module for _, module in ordered]


def step_label(module: Module, step_id: str) -> str:
    number = next(i for i, step in enumerate(module.steps, start=1) if step.id == step_id)
    return f"{module.title}, step {number}: {module.steps[number - 1].title}"


def display(spec: FieldSpec, value: Any) -> dict[str, Any]:
    """How one answer reads on a plan: text and tables only, nothing to interpret later."""
    return spec.kind.display(spec, value)


def _worksheet_actions(module: Module, step_id: str, spec: FieldSpec,
                       rows: list[Mapping[str, Any]]) -> list[WorksheetAction]:
    source = step_label(module, step_id)
    return [
        WorksheetAction(
            source_key=f"{module.slug}/{step_id}/{spec.id}/{index}", source=source,
            slug=module.slug, step_id=step_id, text=row.get("action", ""),
            measure=row.get("measure", ""), support=row.get("support", ""),
            target=parse_date(row.get("target")),
        )
        for index, row in enumerate(rows)
        if row.get("action", "").strip()
    ]


Items = dict[str, list[dict[str, Any]]]
Fillers = dict[str, list[dict[str, str]]]


def date_text(moment: dt.datetime | dt.date) -> str:
    when = moment.astimezone(UK).date() if isinstance(moment, dt.datetime) else moment
    return f"{when.day} {when:%B %Y}"


def _top(shown: dict[str, Any], count: int | None) -> dict[str, Any]:
    """Only the highest-rated statements, or the first entries of a ranking."""
    if count is None:
        return shown
    if shown["kind"] == "ratings":
        rated = [row for row in shown["rows"] if row["value"]]
        rated.sort(key=lambda row: -row["value"])  # stable: ties keep the module's order
        return {**shown, "rows": rated[:count]}
    if shown["kind"] == "ranking":
        return {**shown, "items": shown["items"][:count]}
    return shown


@dataclass(frozen=True)
class Answer:
    """One saved, non-empty answer and where it was given."""

    module: Module
    number: int
    step: Step
    spec: FieldSpec
    value: Any
    given: dt.datetime

    @property
    def key(self) -> str:
        return f"{self.module.slug}/{self.step.id}/{self.spec.id}"

    def item(self, *, key: str, label: str, section: str, top: int | None = None,
             question: str | None = None) -> dict[str, Any]:
        return {"key": key, "label": label, "section": section, "question": question,
                "module": self.module.title, "step": self.step.title,
                "step_number": self.number, "slug": self.module.slug,
                "step_id": self.step.id, "given_text": date_text(self.given),
                "display": _top(display(self.spec, self.value), top)}


def answers_in_order(registry: ModuleRegistry, saved: Mapping[tuple[str, str], SavedStep]
                     ) -> list[Answer]:
    """Every saved answer that says something, module by module in programme order."""
    found = []
    for module in ordered_modules(registry):
        for number, step in enumerate(module.steps, start=1):
            stored = saved.get((module.slug, step.id))
            if stored is None:
                continue
            for spec in step.fields:
                value = stored.answers.get(spec.id)
                if not is_empty(spec, value):
                    found.append(Answer(module, number, step, spec, value,
                                        stored.given.get(spec.id, EPOCH)))
    return found


def latest_answers(registry: ModuleRegistry, answers: list[Answer]) -> dict[str, Answer]:
    """The newest answer to each shared question; a tie goes to the later module."""
    latest: dict[str, Answer] = {}
    for answer in answers:
        asked = answer.spec.asks
        if asked in registry.questions and (
                asked not in latest or answer.given >= latest[asked].given):
            latest[asked] = answer
    return latest


def question_key(question_id: str) -> str:
    return f"question:{question_id}"


def collect(registry: ModuleRegistry, saved: Mapping[tuple[str, str], SavedStep],
            choices: Mapping[str, bool]) -> tuple[Items, list[WorksheetAction], Fillers]:
    """Plan items per section, worksheet action rows, and which modules fill each section.

    The plan holds the newest answer to each shared question unless the trainee took it
    off (``choices`` maps an item key to False), every answer they added (True), and
    every worksheet action. Choices for answers that no longer exist are simply unused.
    """
    answers = answers_in_order(registry, saved)
    latest = latest_answers(registry, answers)
    items: Items = {key: [] for key in SECTIONS}
    for question in registry.questions.values():
        answer = latest.get(question.id)
        key = question_key(question.id)
        if answer is not None and choices.get(key, True):
            items[question.section].append(answer.item(
                key=key, label=question.title, section=question.section, top=question.top,
                question=question.id))
    actions: list[WorksheetAction] = []
    for answer in answers:
        if answer.spec.type == "action_table":
            actions.extend(_worksheet_actions(answer.module, answer.step.id, answer.spec,
                                              answer.value))
        elif choices.get(answer.key):
            section = answer_section(registry, answer.spec)
            items[section].append(answer.item(key=answer.key, label=answer.spec.label,
                                              section=section))
    return items, actions, _fillers(registry)


def action_table_steps(registry: ModuleRegistry) -> list[tuple[str, str]]:
    """The (module, step) of every step with an action table."""
    return [(module.slug, step.id) for module in registry for step in module.steps
            if any(spec.type == "action_table" for spec in step.fields)]


def worksheet_actions(registry: ModuleRegistry, saved: Mapping[tuple[str, str], SavedStep]
                      ) -> list[WorksheetAction]:
    """The rows of every action table, in programme order, as ``collect`` lists them."""
    return [action for answer in answers_in_order(registry, saved)
            if answer.spec.type == "action_table"
            for action in _worksheet_actions(answer.module, answer.step.id, answer.spec,
                                             answer.value)]


def answer_section(registry: ModuleRegistry, spec: FieldSpec) -> str:
    """Where an answer goes when the trainee adds it to their plan."""
    if spec.asks in registry.questions:
        return registry.questions[spec.asks].section
    return spec.plan or "notes"


def _fillers(registry: ModuleRegistry) -> Fillers:
    """The modules whose answers fill each section of a default plan."""
    fillers: Fillers = {key: [] for key in SECTIONS}
    for module in ordered_modules(registry):
        for step in module.steps:
            for spec in step.fields:
                if spec.type == "action_table":
                    section = "actions"
                elif spec.asks in registry.questions:
                    section = registry.questions[spec.asks].section
                else:
                    continue
                filler = {"title": module.title, "slug": module.slug}
                if filler not in fillers[section]:
                    fillers[section].append(filler)
    return fillers


def everything(registry: ModuleRegistry, saved: Mapping[tuple[str, str], SavedStep]
               ) -> list[dict[str, Any]]:
    """Every answer of every module, grouped by module and step: "Everything I wrote"."""
    modules: list[dict[str, Any]] = []
    for answer in answers_in_order(registry, saved):
        if not modules or modules[-1]["slug"] != answer.module.slug:
            modules.append({"slug": answer.module.slug, "title": answer.module.title,
                            "steps": []})
        steps = modules[-1]["steps"]
        if not steps or steps[-1]["step_id"] != answer.step.id:
            steps.append({"step_id": answer.step.id, "number": answer.number,
                          "title": answer.step.title, "answers": []})
        steps[-1]["answers"].append({
            "key": answer.key, "label": answer.spec.label, "asks": answer.spec.asks,
            "actions": answer.spec.type == "action_table",
            "given_text": date_text(answer.given),
            "display": display(answer.spec, answer.value)})
    return modules


def action_entry(*, text: str, measure: str, support: str, target: dt.date | None,
                 status: str, status_label: str, source: str | None) -> dict[str, Any]:
    return {"text": text, "measure": measure, "support": support,
            "target": target.isoformat() if target else None,
            "target_text": f"{target.day} {target:%B %Y}" if target else "",
            "status": status, "status_label": status_label, "source": source}


def build_document(owner: Owner, today: dt.date, summary: str,
                   items: Items, actions: Iterable[dict[str, Any]],
                   fillers: Fillers, appendix: list[dict[str, Any]] | None = None
                   ) -> dict[str, Any]:
    """The whole plan, in section order, ready for a template or a snapshot.

    ``appendix`` is "Everything I wrote", when the trainee chose to include it.
    """
    return {
        "version": DOCUMENT_VERSION,
        "owner": {"name": owner.name, "professional_group": owner.professional_group,
                  "stage": owner.stage, "region": owner.region},
        "date": today.isoformat(),
        "date_text": f"{today.day} {today:%B %Y}",
        "summary": summary,
        "actions": list(actions),
        "sections": [
            # A section no shared question fills is shown only when the trainee adds to it.
            {"key": key, "title": title, "items": items[key], "filled_by": fillers[key],
             "default": bool(fillers[key])}
            for key, title in SECTIONS.items()
        ],
        "with_appendix": appendix is not None,
        "appendix": appendix or [],
    }


def content_hash(document: Mapping[str, Any]) -> str:
    """SHA-256 of the document in a canonical form: equal content, equal hash."""
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def is_blank(document: Mapping[str, Any]) -> bool:
    return not document["summary"] and not document["actions"] and not any(
        section["items"] for section in document["sections"])
