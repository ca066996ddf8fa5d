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

from careers_app.content.fields import is_empty, matrix_results, parse_date
from careers_app.content.loader import ModuleRegistry
from careers_app.content.schema import FieldSpec, Module
from careers_app.worksheets.presenters import format_date, option_label

# Bump when the document's shape or the print template changes, so cached PDFs are redone.
DOCUMENT_VERSION = 1

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
    listed = list(registry)
    return sorted(listed, key=lambda m: (STAGE_ORDER.index(m.stage), listed.index(m)))


def step_label(module: Module, step_id: str) -> str:
    number = next(i for i, step in enumerate(module.steps, start=1) if step.id == step_id)
    return f"{module.title}, step {number}: {module.steps[number - 1].title}"


def display(spec: FieldSpec, value: Any) -> dict[str, Any]:
    """How one answer reads on a plan: text and tables only, nothing to interpret later."""
    kind = spec.type
    if kind in ("short_text", "long_text"):
        return {"kind": "text", "text": value}
    if kind == "choice":
        return {"kind": "text", "text": option_label(spec, value)}
    if kind == "date":
        return {"kind": "text", "text": format_date(value)}
    if kind == "multi_choice":
        items = [option_label(spec, item) for item in value["selected"] if item != "other"]
        if "other" in value["selected"] and value.get("other"):
            items.append(f"Other: {value['other']}")
        return {"kind": "bullets", "items": items}
    if kind == "ranking":
        return {"kind": "ranking", "items": [option_label(spec, item) for item in value]}
    if kind == "scale":
        low, high = spec.scale_labels or ("low", "high")
        rows = [{"label": s.label, "value": value.get(s.value)} for s in spec.statements]
        return {"kind": "ratings", "low": low, "high": high, "rows": rows}
    if kind == "list":
        return {"kind": "table", "columns": [c.label for c in spec.columns],
                "rows": [[row.get(c.id, "") for c in spec.columns] for row in value]}
    if kind == "decision_matrix":
        return {"kind": "table", "columns": ["Option", "Weighted score", "Rank"],
                "rows": [[r.option, str(r.total), str(r.rank)] for r in matrix_results(value)]}
    raise ValueError(f"no plan display for {kind}")


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


def collect(registry: ModuleRegistry, answers: Mapping[tuple[str, str], Mapping[str, Any]]
            ) -> tuple[Items, list[WorksheetAction], Fillers]:
    """Plan items per section, worksheet action rows, and which modules fill each section.

    ``answers`` maps (module slug, step id) to that step's saved answers.
    """
    items: Items = {key: [] for key in SECTIONS}
    actions: list[WorksheetAction] = []
    fillers: Fillers = {key: [] for key in SECTIONS}
    for module in ordered_modules(registry):
        for number, step in enumerate(module.steps, start=1):
            saved = answers.get((module.slug, step.id), {})
            for spec in step.fields:
                if spec.plan is None:
                    continue
                filler = {"title": module.title, "slug": module.slug}
                if filler not in fillers[spec.plan]:
                    fillers[spec.plan].append(filler)
                value = saved.get(spec.id)
                if is_empty(spec, value):
                    continue
                if spec.type == "action_table":
                    actions.extend(_worksheet_actions(module, step.id, spec, value))
                    continue
                items[spec.plan].append({
                    "label": spec.label, "module": module.title, "step": step.title,
                    "step_number": number, "slug": module.slug, "step_id": step.id,
                    "display": display(spec, value),
                })
    return items, actions, fillers


def action_entry(*, text: str, measure: str, support: str, target: dt.date | None,
                 status: str, status_label: str, source: str | None) -> dict[str, Any]:
    return {"text": text, "measure": measure, "support": support,
            "target": target.isoformat() if target else None,
            "target_text": f"{target.day} {target:%B %Y}" if target else "",
            "status": status, "status_label": status_label, "source": source}


def build_document(owner: Owner, today: dt.date, summary: str,
                   items: Items, actions: Iterable[dict[str, Any]],
                   fillers: Fillers) -> dict[str, Any]:
    """The whole plan, in section order, ready for a template or a snapshot."""
    return {
        "version": DOCUMENT_VERSION,
        "owner": {"name": owner.name, "professional_group": owner.professional_group,
                  "stage": owner.stage, "region": owner.region},
        "date": today.isoformat(),
        "date_text": f"{today.day} {today:%B %Y}",
        "summary": summary,
        "actions": list(actions),
        "sections": [
            {"key": key, "title": title, "items": items[key], "filled_by": fillers[key]}
            for key, title in SECTIONS.items()
        ],
    }


def content_hash(document: Mapping[str, Any]) -> str:
    """SHA-256 of the document in a canonical form: equal content, equal hash."""
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def is_blank(document: Mapping[str, Any]) -> bool:
    return not document["summary"] and not document["actions"] and not any(
        section["items"] for section in document["sections"])
