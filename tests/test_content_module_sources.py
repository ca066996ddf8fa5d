"""The module-level `sources:` lists name live, primary pages over https."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

PROJECT_MODULES = Path(__file__).parent.parent / "modules"
# Closed, staging or copy sites: never a source of facts.
BANNED = ("http://", "pixl8.cloud", "docstoc", "docsbay", "paperzz", "vdocuments",
          "medicalcareers.nhs.uk",
          "scribd.com", "azurewebsites.net", "web.archive.org",
          # Old London careers pages: the careers unit now publishes on lpmde.ac.uk.
          "//london.hee.nhs.uk", "londonprofessionaldevelopment.hee.nhs.uk")
MODULE_FILES = sorted(PROJECT_MODULES.glob("*.yaml"))


def module_sources(path: Path) -> list[str]:
    return yaml.safe_load(path.read_text(encoding="utf-8")).get("sources") or []


def test_every_module_file_is_checked():
    assert len(MODULE_FILES) >= 19
    assert sum(len(module_sources(path)) for path in MODULE_FILES) >= 150


@pytest.mark.parametrize("path", MODULE_FILES, ids=lambda path: path.stem)
def test_module_sources_are_https_and_not_on_weak_sites(path):
    sources = module_sources(path)
    assert sources, f"{path.name} lists no module-level sources"
    for entry in sources:
        assert isinstance(entry, str), (path.name, entry)
        assert ": https://" in entry, f"{path.name}: no https address in {entry!r}"
        bad = [word for word in BANNED if word in entry]
        assert not bad, f"{path.name}: {bad} in {entry!r}"


@pytest.mark.parametrize("path", MODULE_FILES, ids=lambda path: path.stem)
def test_module_sources_list_each_address_once(path):
    urls = [entry.rsplit(": ", 1)[-1] for entry in module_sources(path)]
    repeated = sorted({url for url in urls if urls.count(url) > 1})
    assert not repeated, f"{path.name} lists the same page more than once: {repeated}"
