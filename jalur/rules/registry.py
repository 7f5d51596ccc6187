"""Every rule of `jalur.rules` registers here with its title and legal sources.

`docs/rules.md` is generated from this registry (`python manage.py rules_page`); a test fails when
the page is out of date, so a rule added, moved or re-sourced shows up in review.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .sources import Source


@dataclass(frozen=True)
class Rule:
    code: str  # "<module>.<function>", e.g. "fees.worker_may_pay"
    title: str
    sources: tuple[Source, ...]
    function: Callable
    table: Callable[[], list[tuple[str, ...]]] | None = None

    @property
    def summary(self) -> str:
        doc = (self.function.__doc__ or "").strip()
        return " ".join(doc.split("\n\n")[0].split())


REGISTRY: dict[str, Rule] = {}


def rule(
    *,
    title: str,
    sources: Sequence[Source],
    table: Callable[[], list[tuple[str, ...]]] | None = None,
):
    """Register the decorated function as a rule of the law or of the programme.

    `table`, when given, returns rows (the first one the header) that the rules page prints under the
    rule, for rules that are mostly data (who may pay each cost item, the deadline of each state).
    """

    def register(function: Callable) -> Callable:
        module = function.__module__.removeprefix("jalur.rules.")
        code = f"{module}.{function.__name__}"
        if code in REGISTRY and REGISTRY[code].function is not function:
            raise RuntimeError(f"rule {code} registered twice")
        REGISTRY[code] = Rule(code, title, tuple(sources), function, table)
        return function

    return register


def all_rules() -> list[Rule]:
    """Every rule, after importing each module of the package so that all have registered."""
    import importlib
    import pkgutil

    import jalur.rules as package

    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{info.name}")
    return sorted(REGISTRY.values(), key=lambda r: r.code)
