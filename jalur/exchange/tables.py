"""Which tables the programme's data package holds, in which order, and which it leaves out and why.

Every model of every installed app is exported unless it is named in EXCLUDED with its reason, so a
table added later travels without anyone remembering to add it here. Tables are ordered so that a
table comes after the tables its foreign keys point to (a reader loading them in order never meets a
missing row); a model's rows are ordered by primary key, so the same data gives the same bytes.
"""

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import models

# model label (lower case) -> why it is not in the package. docs/exchange.md repeats this list.
EXCLUDED: dict[str, str] = {
    "sessions.session": "log-in sessions: short-lived; people log in again on the new instance",
    "axes.accessattempt": "lock-out counters of wrong passwords: short-lived, the old server's",
    "axes.accessfailurelog": "lock-out failure log: short-lived, the old server's",
    "axes.accessattemptexpiration": "when a lock-out ends: short-lived, the old server's",
    "axes.accesslog": "the lock-out's log-in log; log-ins are in the audit trail (kind AUTH)",
    "django_tasks_database.dbtaskresult": "background task queue: run or dropped by the old server",
    "contenttypes.contenttype": "made by migrate on every instance; referenced by name (app.model)",
    "auth.permission": "made by migrate; Jalur grants access by role (accounts.roles)",
    "auth.group": "unused (access is by role); the export refuses if it holds a row",
    "auth.group_permissions": "unused (access is by role); the export refuses if it holds a row",
    "accounts.user_groups": "unused (access is by role); the export refuses if it holds a row",
    "accounts.user_user_permissions": "unused (access is by role); the export refuses if it holds a row",
    "reports.candidatestat": "derived summary: recounted from the records after the import",
    "reports.tally": "derived summary: recounted from the records after the import",
    "reports.dwelltally": "derived summary: recounted from the records after the import",
    "reports.cohortfigures": "derived summary: recounted from the records after the import",
    "reports.activitytally": "derived summary: recounted from the records after the import",
    "reports.refreshstate": "when the summaries were last recounted: the old server's",
    "exchange.exportjob": "the exports themselves: their files expire, they belong to the old server",
}

# Columns left out of an exported table: (model label, column) -> why. The import leaves them to the
# new server's own default. docs/exchange.md repeats this list.
EXCLUDED_FIELDS: dict[tuple[str, str], str] = {
    ("audit.auditlog", "xid"): (
        "the old server's transaction ids (the changes feed's commit order): instance-local "
        "metadata, not programme data; imported, they would mis-order the new server's feed. "
        "The new server assigns them (PostgreSQL: the import's own transaction, so the imported "
        "history comes first, in id order; SQLite: 0)"
    ),
}

# Excluded tables that must be empty: were a row there, leaving it out would lose something.
MUST_BE_EMPTY = (
    "auth.group",
    "auth.group_permissions",
    "accounts.user_groups",
    "accounts.user_user_permissions",
)

# Reference rows that `migrate` writes into every new instance (regions, document types, the first
# consent text, job types and pathways, training scales). An instance that holds only these is
# still empty; the import replaces them with the programme's own rows (its edits included).
REFERENCE = frozenset(
    {
        "regions.province",
        "regions.regency",
        "regions.district",
        "regions.village",
        "regions.historicalcode",
        "pathways.jobtype",
        "pathways.pathway",
        "pathways.pathway_job_types",
        "candidates.consenttext",
        "candidates.documenttype",
        "training.scalesetting",
    }
)

# Foreign keys to tables left out are written by natural key, which every instance shares.
NATURAL_KEY_TARGETS = {"contenttypes.contenttype"}


@dataclass(frozen=True)
class Table:
    model: type[models.Model]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def name(self) -> str:
        """The resource name: the database table's name (lower case, unique, stable)."""
        return self.model._meta.db_table.lower()

    @property
    def path(self) -> str:
        return f"data/{self.name}.csv"

    @property
    def fields(self) -> list[models.Field]:
        return exported_fields(self.model)

    @property
    def columns(self) -> list[str]:
        return [field.attname for field in self.fields]


def exported_fields(model: type[models.Model]) -> list[models.Field]:
    """The model's concrete fields less the columns EXCLUDED_FIELDS leaves out."""
    label = model._meta.label_lower
    return [f for f in model._meta.concrete_fields if (label, f.attname) not in EXCLUDED_FIELDS]


def _candidates() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in EXCLUDED
    ]


@cache
def tables() -> tuple[Table, ...]:
    """Every exported table, parents before children (ties by name), computed once."""
    chosen = {model._meta.label_lower: model for model in _candidates()}
    parents: dict[str, set[str]] = {}
    for label, model in chosen.items():
        parents[label] = {
            field.related_model._meta.label_lower
            for field in model._meta.concrete_fields
            if field.is_relation
            and field.related_model._meta.label_lower in chosen
            and field.related_model._meta.label_lower != label
        }
    ordered: list[str] = []
    done: set[str] = set()
    while len(ordered) < len(chosen):
        ready = sorted(
            (chosen[label]._meta.db_table.lower(), label)
            for label in chosen
            if label not in done and parents[label] <= done
        )
        if not ready:  # a cycle: take the first remaining table; its keys are checked at the end
            ready = sorted(
                (chosen[label]._meta.db_table.lower(), label)
                for label in chosen
                if label not in done
            )[:1]
        for _name, label in ready:
            ordered.append(label)
            done.add(label)
    return tuple(Table(chosen[label]) for label in ordered)


def table_by_name() -> dict[str, Table]:
    return {table.name: table for table in tables()}


def excluded_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label_lower in EXCLUDED
    ]
