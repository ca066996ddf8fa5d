"""Loading module files into an immutable registry, with errors a content author can act on."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from careers_app.content.schema import Module, Question

# The questions several modules ask (see modules/README.md), in the order the plan shows them.
QUESTIONS_FILE = Path("questions") / "questions.yaml"


class ModuleError(Exception):
    """A module file is broken; the message names the file, step and field."""


@dataclass(frozen=True)
class ModuleRegistry:
    modules: Mapping[str, Module]
    questions: Mapping[str, Question] = field(default_factory=dict)

    def get(self, slug: str) -> Module | None:
        return self.modules.get(slug)

    def __iter__(self) -> Iterator[Module]:
        return iter(self.modules.values())

    def __len__(self) -> int:
        return len(self.modules)


def _describe_location(raw: Any, location: tuple[int | str, ...]) -> str:
    """Turn pydantic's ('steps', 2, 'fields', 0, 'type') into "step 'x', field 'y', type".

    Sources have no id, so ('steps', 0, 'sources', 1) becomes "step 'x', source 2".
    """
    parts: list[str] = []
    node = raw
    index = 0
    while index < len(location):
        key = location[index]
        child = node.get(key) if isinstance(node, dict) else None
        if (key in ("steps", "fields", "sources") and index + 1 < len(location)
                and isinstance(child, list)):
            position = location[index + 1]
            item = child[position] if isinstance(position, int) and position < len(child) else {}
            name = {"steps": "step", "fields": "field", "sources": "source"}[key]
            item_id = item.get("id") if isinstance(item, dict) else None
            parts.append(f"{name} '{item_id}'" if item_id else f"{name} {int(position) + 1}")
            node = item
            index += 2
            continue
        parts.append(str(key))
        node = child
        index += 1
    return ", ".join(parts)


# libyaml's parser when PyYAML was built with it: about 14 times faster than the pure
# Python one on the module files, which every app start (and every test's app) reads.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """Plain YAML data (no tags that build objects), as yaml.safe_load gives."""
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 (a safe loader)


def _read_yaml(path: Path) -> Any:
    try:
        return parse_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ModuleError(f"{path.name}: not valid YAML{where}: {problem}") from error
    except (OSError, UnicodeDecodeError) as error:
        raise ModuleError(f"{path.name}: cannot be read: {error}") from error


def load_questions(directory: Path) -> dict[str, Question]:
    """The shared questions, by id; none when the folder has no questions file."""
    path = directory / QUESTIONS_FILE
    if not path.is_file():
        return {}
    raw = _read_yaml(path)
    if not isinstance(raw, list):
        raise ModuleError(f"{QUESTIONS_FILE}: must be a list of questions (id, title, section)")
    questions: dict[str, Question] = {}
    for position, item in enumerate(raw, start=1):
        try:
            question = Question.model_validate(item)
        except ValidationError as error:
            problem = error.errors()[0]
            where = ".".join(str(part) for part in problem["loc"])
            raise ModuleError(f"{QUESTIONS_FILE}: question {position}, {where}: "
                              f"{problem['msg']}") from error
        if question.id in questions:
            raise ModuleError(f"{QUESTIONS_FILE}: question '{question.id}' is listed twice")
        questions[question.id] = question
    return questions


def load_module(path: Path) -> Module:
    """Read and validate one module file."""
    raw = _read_yaml(path)
    if not isinstance(raw, dict):
        raise ModuleError(f"{path.name}: must be a mapping of module keys (slug, title, ...)")
    try:
        return Module.model_validate(raw)
    except ValidationError as error:
        problems = error.errors()
        # A broken step or field also makes its list look empty to pydantic; that
        # follow-on "too short" complaint would only mislead an author.
        locations = [tuple(problem["loc"]) for problem in problems]

        def is_follow_on(loc: tuple[int | str, ...]) -> bool:
            return any(len(other) > len(loc) and other[: len(loc)] == loc for other in locations)

        problems = [
            problem for problem in problems
            if not (problem["type"] == "too_short" and is_follow_on(tuple(problem["loc"])))
        ]
        messages = []
        for problem in problems:
            where = _describe_location(raw, tuple(problem["loc"]))
            message = problem["msg"].removeprefix("Value error, ")
            if problem["type"] == "extra_forbidden":
                message = "unknown key"
            elif problem["type"] == "literal_error":
                message = f"{message} (got {problem.get('input')!r})"
            messages.append(f"{path.name}: {where}: {message}" if where else
                            f"{path.name}: {message}")
        raise ModuleError("\n".join(messages)) from error


# Registries already loaded in this process, by folder and the state of its files.
_loaded: dict[tuple[str, tuple[tuple[str, int, int], ...]], ModuleRegistry] = {}


def _fingerprint(directory: Path) -> tuple[tuple[str, int, int], ...]:
    """Every file under ``directory`` with its modification time and size: a changed,
    added or removed file gives another fingerprint."""
    found = []
    for path in sorted(directory.rglob("*")) if directory.is_dir() else []:
        if path.is_file():
            stat = path.stat()
            found.append((str(path.relative_to(directory)), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def cached_registry(directory: Path) -> ModuleRegistry:
    """``load_registry``, once per process for files that have not changed since: each
    app the process builds (every test builds its own) shares the checked registry,
    which is never changed after loading."""
    key = (str(directory.resolve()), _fingerprint(directory))
    if key not in _loaded:
        _loaded[key] = load_registry(directory)
    return _loaded[key]


def load_registry(directory: Path) -> ModuleRegistry:
    """Load every ``*.yaml`` file in ``directory``; raises ModuleError listing every problem."""
    from careers_app.content.references import reference_problems

    modules: dict[str, Module] = {}
    files: dict[str, str] = {}
    problems: list[str] = []
    for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else []:
        try:
            module = load_module(path)
        except ModuleError as error:
            problems.append(str(error))
            continue
        if module.slug in modules:
            problems.append(f"{path.name}: slug '{module.slug}' is used by another module")
            continue
        modules[module.slug] = module
        files[module.slug] = path.name
    if problems:
        raise ModuleError("\n".join(problems))
    registry = ModuleRegistry(modules, load_questions(directory))
    # Links between modules can only be checked once every module has loaded.
    if problems := reference_problems(registry, files):
        raise ModuleError("\n".join(problems))
    return registry
