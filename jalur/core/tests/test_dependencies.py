"""Every package Jalur imports is declared in pyproject.toml, where its kind of module needs it.

Running code (anything under jalur/ outside tests) may import only [project] dependencies, or a
package of an optional extra when the import is guarded (`try: import redis / except ImportError`).
Tests and tooling (tests/, conftest.py, benchmarks/) may also use the `dev` extra. The other way
round, every runtime dependency is used: imported, or named where Django loads it by name.
"""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
# Runtime dependencies nothing imports: Django or a command loads them by name.
LOADED_BY_NAME = {
    "psycopg": "Django's PostgreSQL backend (DATABASE_URL=postgres://…)",
    "gunicorn": "the web server of scripts/run.sh and of the deploy guide",
    "argon2-cffi": "PASSWORD_HASHERS' Argon2PasswordHasher",
    "whitenoise": "MIDDLEWARE and STORAGES in settings.py",
    "django-axes": "INSTALLED_APPS 'axes'",
    "django-htmx": "INSTALLED_APPS and MIDDLEWARE 'django_htmx'",
    "django-tasks-db": "INSTALLED_APPS and TASKS 'django_tasks_db'",
}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_names(requirements: list[str]) -> set[str]:
    return {canonical(re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", r).group(0)) for r in requirements}


def imports(source: str) -> list[tuple[str, bool]]:
    """(top-level module, guarded) for each absolute import; guarded = inside a try that catches
    ImportError, the way an optional package is imported."""
    found = []

    def visit(node, guarded: bool):
        if isinstance(node, ast.Try):
            catches = {
                name.id
                for handler in node.handlers
                for name in ast.walk(handler.type or ast.Name("BaseException"))
                if isinstance(name, ast.Name)
            }
            inner = guarded or bool(
                catches & {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}
            )
            for child in node.body:
                visit(child, inner)
            for child in [*node.handlers, *node.orelse, *node.finalbody]:
                visit(child, guarded)
            return
        if isinstance(node, ast.Import):
            found.extend((alias.name.split(".")[0], guarded) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.module.split(".")[0], guarded))
        for child in ast.iter_child_nodes(node):
            visit(child, guarded)

    visit(ast.parse(source), False)
    return found


def undeclared(
    files: dict[Path, str], *, project: dict, distributions: dict[str, list[str]]
) -> list[str]:
    """Problems for `files` (path → "runtime" or "tooling") against pyproject's `project` table."""
    runtime = requirement_names(project["dependencies"])
    extras = {k: requirement_names(v) for k, v in project["optional-dependencies"].items()}
    optional = set().union(*extras.values()) - extras.get("dev", set())
    problems = []
    for path, kind in sorted(files.items()):
        for module, guarded in sorted(set(imports(path.read_text(encoding="utf-8")))):
            if module in sys.stdlib_module_names or module in {"jalur", "__future__"}:
                continue
            if (path.parent / f"{module}.py").exists():  # a script's neighbour (benchmarks/)
                continue
            names = {canonical(d) for d in distributions.get(module, [])}
            if not names:
                problems.append(f"{path}: imports {module}, which no installed package provides")
                continue
            allowed = runtime | (extras.get("dev", set()) if kind == "tooling" else set())
            if guarded:
                allowed = allowed | optional
            if not names & allowed:
                where = "[project].dependencies" + (
                    " or the dev extra" if kind == "tooling" else ""
                )
                problems.append(
                    f"{path}: imports {module} ({', '.join(sorted(names))}); declare it in {where}"
                )
    return problems


def jalur_files() -> dict[Path, str]:
    files = {}
    for path in [*ROOT.joinpath("jalur").rglob("*.py"), *ROOT.joinpath("benchmarks").rglob("*.py")]:
        relative = path.relative_to(ROOT)
        tooling = relative.parts[0] == "benchmarks" or "tests" in relative.parts
        files[path] = "tooling" if tooling else "runtime"
    files[ROOT / "conftest.py"] = "tooling"
    return files


def test_every_imported_package_is_declared_where_its_module_needs_it():
    problems = undeclared(
        jalur_files(), project=PYPROJECT["project"], distributions=packages_distributions()
    )
    assert not problems, "\n".join(problems)


def test_every_runtime_dependency_is_used():
    distributions = packages_distributions()
    imported = {
        canonical(d)
        for path, kind in jalur_files().items()
        if kind == "runtime"
        for module, _ in imports(path.read_text(encoding="utf-8"))
        for d in distributions.get(module, [])
    }
    unused = requirement_names(PYPROJECT["project"]["dependencies"]) - imported
    unused -= {canonical(name) for name in LOADED_BY_NAME}
    assert not unused, f"declared but never imported by running code: {sorted(unused)}"


def test_the_check_finds_an_undeclared_import_in_a_made_up_module(tmp_path):
    module = tmp_path / "made_up.py"
    module.write_text(
        "import json\n"
        "import openpyxl\n"
        "from yaml import safe_load\n"
        "import pytest\n"
        "from . import sibling\n"
        "try:\n"
        "    import redis\n"
        "except ImportError:\n"
        "    redis = None\n"
        "def later():\n"
        "    import ghostpkg.sub\n"
    )
    project = {
        "dependencies": ["openpyxl>=3.1"],
        "optional-dependencies": {"dev": ["pytest>=8"], "redis": ["redis>=5"]},
    }
    distributions = {
        "openpyxl": ["openpyxl"],
        "yaml": ["PyYAML"],
        "pytest": ["pytest"],
        "redis": ["redis"],
    }

    def flagged(kind):
        found = undeclared({module: kind}, project=project, distributions=distributions)
        return {re.search(r"imports (\w+)", p).group(1): p for p in found}

    as_runtime = flagged("runtime")
    assert set(as_runtime) == {"yaml", "pytest", "ghostpkg"}
    assert "declare it in [project].dependencies" in as_runtime["yaml"]
    assert "no installed package provides" in as_runtime["ghostpkg"]
    assert set(flagged("tooling")) == {"yaml", "ghostpkg"}

    # The same optional package imported without a guard must be a runtime dependency.
    module.write_text("import redis\n")
    assert set(flagged("runtime")) == {"redis"}
