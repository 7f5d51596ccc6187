# Each returnee's first return and next follow-up, kept by protection (issue 20, target 3): the
# returnees' list pages over the index below. protection 0010 fills them.

import datetime

from django.db import migrations, models
from django.db.models.functions import Coalesce


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0010_candidate_has_pathway"),
    ]

    operations = [
        migrations.AddField(
            model_name="candidate",
            name="follow_up_due_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="tindak lanjut berikutnya"
            ),
        ),
        migrations.AddField(
            model_name="candidate",
            name="returned_first_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="pertama pulang"
            ),
        ),
        migrations.AddIndex(
            model_name="candidate",
            index=models.Index(
                models.Case(
                    models.When(
                        stage__in=["ready", "departed", "withdrawn"],
                        then=models.Value(datetime.date(9999, 12, 31)),
                    ),
                    default=Coalesce(
                        models.F("follow_up_due_on"), models.Value(datetime.date(9999, 12, 31))
                    ),
                    output_field=models.DateField(),
                ),
                models.OrderBy(models.F("returned_first_on"), descending=True),
                models.F("id"),
                condition=models.Q(("returned_first_on__isnull", False)),
                name="candidate_returnees",
            ),
        ),
    ]
