"""The structure holds (../shared/design.md, Layout): layers import only downward, and no module reaches into
another module's underscore names. Both read the source, so a violation fails before anything runs."""

from __future__ import annotations

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1] / "kaowu"
# Lowest first. An app may import itself and any app before it; the settings, urls and the API assembly sit
# above every app.
LAYERS = [
    "kernel",
    "policy",
    "catalog",
    "parties",
    "plans",
    "registration",
    "arrangement",
    "items",
    "exams",
    "cbt",
    "results",
    "certificates",
    "oversight",
    "home",
    "demo",
]
TOP = {"settings", "settings_test", "urls", "api", "wsgi", "asgi", "env", "celery", "__init__"}


def _modules():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if "migrations" in rel.parts:
            continue
        yield path, rel


def _type_checking_lines(tree: ast.AST) -> set[int]:
    """Lines inside `if TYPE_CHECKING:` blocks: names for type hints, never imported at run time."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING":
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _imports(path: pathlib.Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_lines(tree)
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []


def _app(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "kaowu" or len(parts) < 2:
        return None
    return parts[1]


def test_layers_import_only_downward():
    upward = []
    for path, rel in _modules():
        own = rel.parts[0] if len(rel.parts) > 1 else rel.stem
        if own in TOP or own not in LAYERS:
            assert own in TOP, f"{rel}: app «{own}» is not in tests/test_layers.py LAYERS; add it where it belongs"
            continue
        is_test = "tests" in rel.parts
        for line, module, _names in _imports(path):
            target = _app(module)
            if target is None or target == own or target in TOP:
                continue
            if target not in LAYERS:
                upward.append(f"{rel}:{line} imports unknown app kaowu.{target}")
                continue
            # Tests of an app may build data through the apps below it only, like the app itself.
            if LAYERS.index(target) > LAYERS.index(own):
                kind = "test " if is_test else ""
                upward.append(f"{kind}{rel}:{line} ({own}) imports kaowu.{target}, a higher layer")
    assert not upward, "Imports that point up:\n" + "\n".join(upward)


def test_no_module_imports_another_modules_underscore_names():
    found = []
    for path, rel in _modules():
        for line, module, names in _imports(path):
            if not module.startswith("kaowu"):
                continue
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private:
                found.append(f"{rel}:{line} from {module} import {', '.join(private)}")
    assert not found, "Underscore names are a module's own; make them public or move them:\n" + "\n".join(found)


@pytest.mark.parametrize("layer", LAYERS)
def test_every_present_app_is_installed(settings, layer):
    if (ROOT / layer).is_dir():
        assert f"kaowu.{layer}" in settings.INSTALLED_APPS


def test_only_the_milestone_module_writes_or_names_plan_milestone_rows():
    """The spine has one writer (plans.milestones): no other module under kaowu/ touches PlanMilestone."""
    allowed = {ROOT / "plans" / "milestones.py", ROOT / "plans" / "models.py", ROOT / "plans" / "admin.py"}  # read-only
    offenders = []
    for path in ROOT.rglob("*.py"):
        if path in allowed or "migrations" in path.parts or "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            name = node.name if isinstance(node, ast.alias) else getattr(node, "id", None)
            if name == "PlanMilestone":
                offenders.append(f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', '?')}")
    assert not offenders, offenders


def test_no_module_computes_a_plan_deadline_from_T_by_hand():
    """Deadlines counted from T live in plans.milestones: no other module calls dates.before on a first date."""
    offenders = []
    for path in ROOT.rglob("*.py"):
        if path == ROOT / "plans" / "milestones.py" or "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for n, line in enumerate(text.splitlines(), start=1):
            if "dates.before(" in line and "first_date" in line:
                offenders.append(f"{path.relative_to(ROOT)}:{n}")
    assert not offenders, offenders


def test_templates_never_type_a_rule_number():
    """Numbers of rules (「前20天」「不少于30%」「T−12」) come from the profile through {% rule %}, so an edit of the
    profile changes every screen; comments ({# … #}) may name them."""
    import re

    pattern = re.compile(r"(前|不少于|至少提前|≥ ?)[0-9]+(个工作日|天|%|人)|T−[0-9]+")
    comment = re.compile(r"\{#.*?#\}")
    offenders = []
    for path in (ROOT.parent / "templates").rglob("*.html"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if pattern.search(comment.sub("", line)):
                offenders.append(f"{path.name}:{n}")
    assert not offenders, offenders


def test_no_test_skips_when_one_of_our_own_modules_is_missing():
    """A module of the project that fails to import is a failure, never a skip."""
    needle = "importorskip(" + '"kaowu'
    offenders = [
        str(path.relative_to(ROOT.parent))
        for base in (ROOT, ROOT.parent / "tests")
        for path in base.rglob("test_*.py")
        if needle in path.read_text(encoding="utf-8")
    ]
    assert not offenders, offenders
