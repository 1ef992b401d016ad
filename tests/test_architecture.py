"""The domains depend one way, and the pure cores stay free of Flask and the database
(docs/architecture.md). Every import in app/ counts, also those inside functions."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"

# Lowest first. A module may import its own domain, the shared modules and any lower domain;
# never a higher one. A lower domain tells a higher one what happened through a signal
# (app/units/signals.py, app/inspections/signals.py), which the higher one subscribes to.
LAYERS = (
    "checklists",
    "scoring",
    "planning core",  # the pure upgrade planner: app/planning/__init__.py and its modules
    "units",
    "inspections",  # with its photos (app/inspections/photos/)
    "assessments",
    "applicants",
    "planning",  # plans, scenarios, overrides and exports: the planner's services and views
    "reports",
    "backup",  # the database and the photos in one archive
    "demo",
    "web",
    "pwa",
    "health",
)
SHARED = frozenset(
    {
        "api",
        "audit",
        "auth",
        "bulk",
        "config",
        "db_statistics",
        "errors",
        "extensions",
        "locking",
        "spreadsheets",
        "timeutil",
        "translations",
        "webhooks",
    }
)
PLANNING_CORE = frozenset(
    {"candidates", "demand", "greedy", "indexed", "options", "portfolio", "records", "totals"}
)

# The pure cores: no Flask, no database, no web glue; they import only each other and
# app.errors, so they run (and are tested) without an app.
PURE = (
    "app.checklists.answer_types",
    "app.checklists.items",
    "app.checklists.loader",
    "app.checklists.mapping",
    "app.checklists.measurefile",
    "app.checklists.definitions",
    "app.checklists.findings",
    "app.checklists.validation",
    "app.checklists.yamlsrc",
    "app.scoring",  # all of it but its routes and schemas
    "app.planning",  # the core modules above
    "app.inspections.photos.colour",
    "app.inspections.photos.processing",
    "app.inspections.photos.sniff",
    "app.units.facts",
    "app.units.importing",
    "app.units.numbering",
    "app.units.search_terms",
)
NOT_PURE = frozenset({"app.scoring.routes", "app.scoring.schemas"})
IMPURE_LIBRARIES = ("flask", "flask_", "sqlalchemy", "werkzeug", "marshmallow", "apispec")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(APP.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            # `from app.x import y`: y may be a module of app.x
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


MODULES = {_module_name(path): path for path in sorted(APP.rglob("*.py"))}


def domain_of(module: str) -> str | None:
    """The domain of an app module (None for the app factory itself)."""
    parts = module.split(".")
    if len(parts) == 1:
        return None
    domain = parts[1]
    if domain == "planning":
        is_package = len(parts) == 2
        return "planning core" if is_package or parts[2] in PLANNING_CORE else "planning"
    return domain


def _is_module(name: str) -> bool:
    return name in MODULES


def _rank(domain: str) -> int:
    return -1 if domain in SHARED else LAYERS.index(domain)


def is_pure(module: str) -> bool:
    if module in NOT_PURE:
        return False
    if module == "app.planning" or module.startswith("app.planning."):
        return domain_of(module) == "planning core"
    return any(module == p or module.startswith(p + ".") for p in PURE)


def test_every_domain_is_placed():
    domains = {domain_of(m) for m in MODULES} - {None}
    assert domains <= set(LAYERS) | SHARED, domains - set(LAYERS) - SHARED


def against_direction(module: str, imports: list[tuple[int, str]]) -> list[str]:
    own = domain_of(module)
    wrong = []
    for line, name in imports:
        if not name.startswith("app.") or not _is_module(name):
            continue
        other = domain_of(name)
        if other is None or other == own or other in SHARED:
            continue
        if own in SHARED or _rank(other) > _rank(own):
            wrong.append(f"line {line}: {name} ({own} -> {other})")
    return wrong


def impure(module: str, imports: list[tuple[int, str]]) -> list[str]:
    wrong = []
    for line, name in imports:
        root = name.split(".")[0]
        if root.startswith(IMPURE_LIBRARIES):
            wrong.append(f"line {line}: {name}")
        elif _is_module(name) and name != "app.errors" and not is_pure(name):
            wrong.append(f"line {line}: {name} (not a pure core)")
    return wrong


@pytest.mark.parametrize("module", sorted(m for m in MODULES if domain_of(m)))
def test_imports_follow_the_direction(module):
    wrong = against_direction(module, _imports(MODULES[module]))
    assert not wrong, "imports against the direction:\n" + "\n".join(wrong)


@pytest.mark.parametrize("module", sorted(m for m in MODULES if is_pure(m)))
def test_pure_cores_import_no_framework(module):
    wrong = impure(module, _imports(MODULES[module]))
    assert not wrong, f"{module} must stay pure:\n" + "\n".join(wrong)


def test_the_checks_find_a_wrong_import():
    assert against_direction("app.units.services", [(3, "app.assessments.services")])
    assert against_direction("app.planning.options", [(3, "app.planning.services")])
    assert against_direction("app.audit.services", [(3, "app.units.models")])
    assert not against_direction("app.planning.services", [(3, "app.planning.options")])
    assert not against_direction("app.assessments.services", [(3, "app.units.models")])
    assert impure("app.scoring.engine", [(3, "flask")])
    assert impure("app.scoring.engine", [(3, "sqlalchemy.orm")])
    assert impure("app.scoring.engine", [(3, "app.extensions")])
    assert not impure("app.scoring.engine", [(3, "app.errors"), (4, "app.checklists.definitions")])
