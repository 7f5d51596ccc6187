"""Writes `docs/rules.md`: every rule of `jalur.rules`, its legal sources, where it is enforced and
the tests that pin it, found from the code itself so the page cannot drift from it.

"Enforced in" is every function outside `jalur/rules` that calls the rule; "pinned by" is every test
that calls it, or that says it pins it with `@pytest.mark.rule("<module>.<function>")` (a stage test
that drives the rule through a page or a service). `python manage.py rules_page` rewrites the page;
`core/tests/test_rules_page.py` fails when it is out of date.
"""

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import translation

from jalur.rules.registry import Rule, all_rules

PAGE = "docs/rules.md"


@dataclass(frozen=True, order=True)
class Place:
    path: str  # relative to the repository
    function: str  # "Class.method" or "function"

    @property
    def is_test(self) -> bool:
        return "/tests/" in f"/{self.path}" and Path(self.path).name.startswith("test_")

    def cite(self) -> str:
        if self.is_test:
            return f"`{self.path}::{self.function.replace('.', '::')}`"
        return f"`{self.path}` `{self.function}`"


def _dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


class _Finder(ast.NodeVisitor):
    """Collects, per enclosing function, the rules it calls or names in a `rule` marker."""

    def __init__(self, wanted: dict[str, str], package: str = ""):
        self.wanted = wanted  # "jalur.rules.fees.worker_may_pay" -> "fees.worker_may_pay"
        self.package = package  # the importing module's package, for relative imports
        self.aliases: dict[str, str] = {}
        self.stack: list[str] = []
        self.found: set[tuple[str, str]] = set()

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name.startswith("jalur.rules"):
                self.aliases[alias.asname or alias.name] = alias.name

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if node.level:  # a relative import: only the rules package's own modules matter
            base = self.package.rsplit(".", node.level - 1)[0] if node.level > 1 else self.package
            module = ".".join(filter(None, [base, module]))
        if module.startswith("jalur.rules"):
            for alias in node.names:
                self.aliases[alias.asname or alias.name] = f"{module}.{alias.name}"

    def _scope(self, node, name: str) -> None:
        for decorator in getattr(node, "decorator_list", ()):
            self._marker(decorator, name)
        self.stack.append(name)
        self.generic_visit(node)
        self.stack.pop()

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._scope(node, node.name)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._scope(node, node.name)

    visit_AsyncFunctionDef = visit_FunctionDef

    def _marker(self, decorator: ast.AST, name: str) -> None:
        if (
            isinstance(decorator, ast.Call)
            and _dotted(decorator.func) in ("pytest.mark.rule", "mark.rule")
            and decorator.args
            and isinstance(decorator.args[0], ast.Constant)
        ):
            code = decorator.args[0].value
            self.found.add((".".join([*self.stack, name]), code))

    def _reference(self, node: ast.AST) -> bool:
        dotted = _dotted(node)
        if not dotted:
            return False
        head, _, rest = dotted.partition(".")
        if head not in self.aliases:
            return False
        full = ".".join(filter(None, [self.aliases[head], rest]))
        for candidate in (full, full.rpartition(".")[0]):
            if candidate in self.wanted and self.stack:
                self.found.add((".".join(self.stack), self.wanted[candidate]))
                return True
        return False

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if not self._reference(node):
            self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        self._reference(node)


def rule_places(root: Path, rules: list[Rule]) -> dict[str, list[Place]]:
    """For each rule code, the functions that use it: in the stage apps, in other rules (a rule
    built on another), and in tests."""
    wanted = {f"jalur.rules.{r.code}": r.code for r in rules}
    places: dict[str, set[Place]] = defaultdict(set)
    package = root / "jalur"
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if "/migrations/" in relative or relative.startswith("jalur/rules/registry"):
            continue
        package = ".".join(Path(relative).with_suffix("").parts[:-1])
        finder = _Finder(wanted, package)
        own = Path(relative).with_suffix("").as_posix().replace("/", ".")
        for full in wanted:  # a rule calling another rule of its own module by its bare name
            if full.rpartition(".")[0] == own:
                finder.aliases[full.rpartition(".")[2]] = full
        finder.visit(ast.parse(path.read_text(encoding="utf-8"), relative))
        for function, code in finder.found:
            if f"jalur.rules.{code}" != f"{own}.{function}":  # not the rule itself
                places[code].add(Place(relative, function))
    return {code: sorted(found) for code, found in places.items()}


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    header, *body = rows
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c).replace("|", "/") for c in row) + " |" for row in body]
    return lines


def render(root: Path | None = None) -> str:
    root = Path(root or settings.BASE_DIR)
    rules = all_rules()
    places = rule_places(root, rules)
    unknown = sorted(set(places) - {r.code for r in rules})
    if unknown:
        raise ValueError(f"tests name rules that do not exist: {', '.join(unknown)}")
    out = [
        "# Rules of the law and of the programme",
        "",
        "Generated from `jalur/rules/` by `python manage.py rules_page`; do not edit by hand (a test fails",
        "when this page is out of date). The legal background behind each source is in [`law.md`](law.md).",
        "Each rule is a function of `jalur/rules/<module>.py`; *enforced in* lists the functions of the stage",
        "apps that call it, *pinned by* the tests that call it or are marked `@pytest.mark.rule(...)`.",
        "",
        "| rule | what | sources |",
        "|---|---|---|",
    ]
    with translation.override("id"):
        for r in rules:
            cites = "; ".join(s.cite() for s in r.sources)
            out.append(f"| [`{r.code}`](#{r.code.replace('.', '')}) | {r.title} | {cites} |")
        for r in rules:
            out += ["", f"## `{r.code}`", "", f"**{r.title}.** {r.summary}", "", "Sources:"]
            for s in r.sources:
                link = f" — <{s.url}>" if s.url else ""
                out.append(f"- {s.cite()}: {s.title}{link}")
            if r.table is not None:
                out += ["", *_table(r.table())]
            found = places.get(r.code, [])
            enforced = [p for p in found if not p.is_test]
            pinned = [p for p in found if p.is_test]
            out += ["", "Enforced in:"]
            out += [f"- {p.cite()}" for p in enforced] or ["- (nowhere yet)"]
            out += ["", "Pinned by:"]
            out += [f"- {p.cite()}" for p in pinned] or ["- (no test yet)"]
    return "\n".join(out) + "\n"


def write(root: Path | None = None) -> Path:
    root = Path(root or settings.BASE_DIR)
    target = root / PAGE
    target.write_text(render(root), encoding="utf-8")
    return target
