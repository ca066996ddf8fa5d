"""The shape of a module file, checked when the app starts.

Content authors edit YAML; these models say precisely what is allowed, so a mistake
is reported with the file, step and field instead of surfacing as a broken page.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from careers_app.content.field_types import FIELD_TYPES, FieldKind, check_settings

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$", max_length=60)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# Where an earlier answer lives: "module slug/step id/field id", in any module.
Reference = Annotated[str, StringConstraints(
    pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*/[a-z0-9]+(?:[-_][a-z0-9]+)*/[a-z0-9]+(?:[-_][a-z0-9]+)*$",
    max_length=190)]


def _known_type(name: str) -> str:
    """A registered field type; otherwise the message a Literal of the names would give."""
    if name not in FIELD_TYPES:
        *first, last = (repr(known) for known in FIELD_TYPES)
        raise ValueError(f"Input should be {', '.join(first)} or {last} (got {name!r})")
    return name


# The names of the registered field types (careers_app/content/field_types/).
FieldType = Annotated[str, AfterValidator(_known_type)]
PlanSection = Literal[
    "strengths", "values", "interests", "options", "decision", "actions", "support",
    "contingency", "notes",
]
Stage = Literal["S", "C", "A", "N", "interview", "networking", "reflection"]
Audience = Literal[
    "foundation", "specialty", "consultant", "nursing-midwifery", "pharmacy", "dentistry", "all",
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(Strict):
    value: Slug
    label: Text


class Column(Strict):
    id: Slug
    label: Text
    max_length: int = Field(default=300, ge=1, le=5000)


class FieldSpec(Strict):
    id: Slug
    type: FieldType
    label: Text
    hint: str | None = None
    required: bool = False
    plan: PlanSection | None = None
    max_length: int | None = Field(default=None, ge=1, le=5000)
    max_words: int | None = Field(default=None, ge=1, le=5000)
    options: tuple[Option, ...] = ()
    allow_other: bool = False
    statements: tuple[Option, ...] = ()
    scale_labels: tuple[Text, Text] | None = None
    columns: tuple[Column, ...] = ()
    min_rows: int = Field(default=0, ge=0, le=50)
    max_rows: int = Field(default=10, ge=1, le=50)
    max_options: int = Field(default=6, ge=2, le=12)
    max_criteria: int = Field(default=8, ge=1, le=12)
    suggested_criteria: tuple[Text, ...] = ()
    # The question this field asks when other modules ask it too (an id in
    # questions/questions.yaml): the plan shows only the newest answer to a question.
    asks: Slug | None = None
    # Earlier answers that fill this field in while the trainee has not answered it.
    filled_from: tuple[Reference, ...] = ()
    # An earlier answer that lists things (a list, ranking or multi_choice field) whose
    # entries this field offers to choose from, as the trainee's own words.
    choose_from: Reference | None = None

    @field_validator("filled_from", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _settings_fit_the_type(self) -> FieldSpec:
        # Settings the type needs, then settings that belong to other types.
        check_settings(self.kind, self)
        if self.asks and self.plan:
            raise ValueError(f"a field that asks '{self.asks}' goes where that question "
                             "goes on the plan: remove plan:")
        _require_unique(list(self.filled_from), "filled_from reference")
        _require_unique([option.value for option in self.options], "options value")
        _require_unique([statement.value for statement in self.statements], "statements value")
        _require_unique([column.id for column in self.columns], "column id")
        return self

    @property
    def kind(self) -> FieldKind:
        """What the field's type does: checks, form inputs, templates, plan display."""
        return FIELD_TYPES[self.type]


class Source(Strict):
    """A page a trainee can read to check a step's facts, shown under "Find out more"."""

    organisation: Text
    title: Text
    url: Text

    @model_validator(mode="after")
    def _secure_address(self) -> Source:
        # Links leave the service in the same tab; an http:// page can be altered on the way.
        if not self.url.startswith("https://") or len(self.url) <= len("https://"):
            raise ValueError(f"the web address must start with https:// (got {self.url!r})")
        return self


class Step(Strict):
    id: Slug
    title: Text
    guidance: Text
    example: str | None = None
    # The guidance states facts a trainee could check (dates, rules, who does what), so
    # the step must name at least one primary source for them.
    facts: bool = False
    sources: tuple[Source, ...] = ()
    # The id of an earlier step with a decision_matrix field: the guidance of this step
    # talks about its totals, so the page shows them as last saved.
    show_totals_from: Slug | None = None
    # Earlier answers shown read-only above the fields, each with a link to change it.
    recall: tuple[Reference, ...] = ()
    fields: tuple[FieldSpec, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_field_ids(self) -> Step:
        _require_unique([field.id for field in self.fields], "field id")
        if self.facts and not self.sources:
            raise ValueError("states facts (facts: true) but has no sources: add at least one "
                             "source with organisation, title and an https:// url")
        _require_unique([source.url for source in self.sources], "source url")
        _require_unique(list(self.recall), "recall reference")
        return self

    def matrix_field(self) -> FieldSpec | None:
        return next((field for field in self.fields if field.type == "decision_matrix"), None)


class Module(Strict):
    slug: Slug
    title: Text
    summary: Text
    stage: Stage
    audiences: tuple[Audience, ...] = Field(min_length=1)
    minutes: int = Field(ge=1, le=600)
    version: int = Field(ge=1)
    sources: tuple[Text, ...] = ()
    steps: tuple[Step, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_step_ids(self) -> Module:
        _require_unique([step.id for step in self.steps], "step id")
        for index, step in enumerate(self.steps):
            source = step.show_totals_from
            earlier = {item.id: item for item in self.steps[:index]}
            if source is not None and not (
                    source in earlier and earlier[source].matrix_field() is not None):
                raise ValueError(f"step {step.id}: show_totals_from must name an earlier "
                                 "step with a decision_matrix field")
        return self

    def step(self, step_id: str) -> Step | None:
        return next((step for step in self.steps if step.id == step_id), None)


class Question(Strict):
    """One question that several modules ask; see modules/README.md, "One answer to one
    question". Every question is on a trainee's plan unless they take it off."""

    id: Slug
    title: Text
    section: PlanSection
    # For a scale or ranking answer: how many of the highest-rated (or first) entries
    # the plan shows; the whole answer stays in "Everything I wrote".
    top: int | None = Field(default=None, ge=1, le=20)


def _require_unique(values: list[str], what: str) -> None:
    """Refuse the first value that appears twice, naming it for the content author."""
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what}: {value}")
        seen.add(value)
