"""Contract substitution: what in a later document of a placement is worse for the worker.

A worker's terms are written three times: the job order the labour office approved, the offer the
P3MI makes, and the employment contract the worker signs. Each later one is held to the one before
it (the offer to the job order, the contract to the accepted offer) by the one comparison below, so
"worse for the worker" means the same at both steps:

- another position, or another contract length, is worse (contract substitution);
- a lower wage, or a wage in another currency, is worse; a higher one is only a difference;
- more hours per week are worse; fewer are only a difference;
- the employer's name written otherwise is only a difference (the office looks at it).

Money is compared as `Decimal`, never as float: 215000.10 and 215000.1 are the same wage, and a
wage one thousandth lower is lower.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy

from . import sources
from .registry import rule


def _words(text) -> str:
    """The words of a typed text, whatever the spacing and capitals ("Operator  CNC" = "operator cnc")."""
    return " ".join(str(text or "").split()).casefold()


@dataclass(frozen=True)
class Terms:
    """The terms of one document (job order, offer or contract), as plain values.

    A term that is None is not stated in that document and is not compared (an offer states no
    weekly hours; a contract does not repeat the order's reference).
    """

    employer: str | None = None
    position: str | None = None
    wage: Decimal | None = None
    currency: str | None = None
    contract_months: int | None = None
    hours_per_week: Decimal | None = None

    def __post_init__(self):
        for name in ("wage", "hours_per_week"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, Decimal):
                raise TypeError(f"Terms.{name} must be a Decimal, not {type(value).__name__}")
        if self.contract_months is not None and not isinstance(self.contract_months, int):
            raise TypeError("Terms.contract_months must be an int")


@dataclass(frozen=True)
class Difference:
    """One term that differs: its name, as agreed, as proposed, and whether it is worse for the worker."""

    term: str  # employer, position, wage, contract_months, hours_per_week
    agreed: object
    proposed: object
    worse: bool


def _stated(*values) -> bool:
    return all(value is not None for value in values)


@rule(
    title=gettext_lazy("Substitusi kontrak: apa yang lebih buruk bagi pekerja"),
    sources=(sources.CONTRACT_CONTENT, sources.CONTRACT_SUBSTITUTION),
)
def contract_differences(agreed: Terms, proposed: Terms) -> list[Difference]:
    """Every term where `proposed` differs from `agreed`, each marked worse for the worker or not.

    Another position or contract length, a lower wage or one in another currency, and more weekly
    hours are worse for the worker: they cannot be accepted. A higher wage, fewer hours or the
    employer's name written otherwise are differences the office may accept. A wage is in its
    currency: the wage difference carries (currency, amount) on each side.
    """
    found: list[Difference] = []
    if _stated(agreed.employer, proposed.employer) and _words(agreed.employer) != _words(
        proposed.employer
    ):
        found.append(Difference("employer", agreed.employer, proposed.employer, worse=False))
    if _stated(agreed.position, proposed.position) and _words(agreed.position) != _words(
        proposed.position
    ):
        found.append(Difference("position", agreed.position, proposed.position, worse=True))
    if _stated(agreed.wage, proposed.wage):
        other_currency = _stated(agreed.currency, proposed.currency) and _words(
            agreed.currency
        ) != _words(proposed.currency)
        if other_currency or agreed.wage != proposed.wage:
            found.append(
                Difference(
                    "wage",
                    (agreed.currency, agreed.wage),
                    (proposed.currency, proposed.wage),
                    worse=other_currency or proposed.wage < agreed.wage,
                )
            )
    if (
        _stated(agreed.contract_months, proposed.contract_months)
        and agreed.contract_months != proposed.contract_months
    ):
        found.append(
            Difference(
                "contract_months", agreed.contract_months, proposed.contract_months, worse=True
            )
        )
    if (
        _stated(agreed.hours_per_week, proposed.hours_per_week)
        and agreed.hours_per_week != proposed.hours_per_week
    ):
        found.append(
            Difference(
                "hours_per_week",
                agreed.hours_per_week,
                proposed.hours_per_week,
                worse=proposed.hours_per_week > agreed.hours_per_week,
            )
        )
    return found
