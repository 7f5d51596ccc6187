# The first day each person misses a required document, kept by candidates.document_state (issue
# 20, target 3): the documents-missing list pages over the partial index below. Filled here,
# set-based, from the documents so far, after the index is built.

from django.db import migrations, models

from jalur.candidates.document_state import documents_due_expression

DOCUMENT_STAGES = [
    "registered",
    "correction",
    "verified",
    "training",
    "trained",
    "selection",
    "pre_departure",
    "ready",
]


def backfill(apps, schema_editor):
    Candidate = apps.get_model("candidates", "Candidate")
    CandidateDocument = apps.get_model("candidates", "CandidateDocument")
    DocumentType = apps.get_model("candidates", "DocumentType")
    types = list(DocumentType.objects.filter(is_active=True, required=True))
    if types:
        due = documents_due_expression(types, CandidateDocument.objects)
        # only the people who will miss one: few rows written, each into the index built first
        # (a build after a whole-table update would wait for the oldest open snapshot to be used)
        missing = (
            Candidate.objects.filter(stage__in=DOCUMENT_STAGES)
            .annotate(due=due)
            .filter(due__isnull=False)
        )
        Candidate.objects.filter(pk__in=missing.values("pk")).update(documents_due_on=due)
    if schema_editor.connection.vendor == "postgresql":
        # the planner's figures for the new column, before the list's first page is planned
        schema_editor.execute("ANALYZE candidates_candidate")


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0011_candidate_returnee_state"),
    ]

    operations = [
        migrations.AddField(
            model_name="candidate",
            name="documents_due_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="dokumen kurang sejak"
            ),
        ),
        migrations.AddIndex(
            model_name="candidate",
            index=models.Index(
                condition=models.Q(("documents_due_on__isnull", False)),
                fields=["documents_due_on", "id"],
                name="candidate_documents_due",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
