"""Each candidate's selection facts (training.SelectionFacts, and SkillFacts per job type), counted
from the records so far; `training.services.facts` keeps them from now on."""

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):
    # The service's own definition, so the backfill and what is kept cannot differ; it reads only
    # columns of this migration's state.
    from jalur.training.services.facts import facts_rebuild

    facts_rebuild()


class Migration(migrations.Migration):

    dependencies = [
        ('candidates', '0009_candidate_departed_since'),
        ('pathways', '0005_pathway_assigned_by_rule'),
        ('training', '0006_cohort_list_order'),
    ]

    operations = [
        migrations.CreateModel(
            name='SelectionFacts',
            fields=[
                ('candidate', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='selection_facts', serialize=False, to='candidates.candidate')),
                ('marks', models.PositiveIntegerField(default=0, verbose_name='jumlah catatan kehadiran')),
                ('attended', models.PositiveIntegerField(default=0, verbose_name='jumlah hadir')),
                ('language_jp', models.FloatField(blank=True, null=True, verbose_name='nilai bahasa Jepang terbaik')),
                ('language_jp_until', models.DateField(blank=True, null=True)),
                ('language_kr', models.FloatField(blank=True, null=True, verbose_name='nilai bahasa Korea terbaik')),
                ('language_kr_until', models.DateField(blank=True, null=True)),
            ],
            options={
                'verbose_name': 'ringkasan pelatihan untuk seleksi',
                'verbose_name_plural': 'ringkasan pelatihan untuk seleksi',
            },
        ),
        migrations.CreateModel(
            name='SkillFacts',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('best', models.FloatField(verbose_name='nilai uji keterampilan terbaik')),
                ('best_until', models.DateField(blank=True, null=True)),
                ('passed_until', models.DateField(blank=True, null=True)),
                ('candidate', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='skill_facts', to='candidates.candidate')),
                ('job_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='pathways.jobtype')),
            ],
            options={
                'verbose_name': 'ringkasan uji keterampilan untuk seleksi',
                'verbose_name_plural': 'ringkasan uji keterampilan untuk seleksi',
                'constraints': [models.UniqueConstraint(fields=('candidate', 'job_type'), name='skill_facts_one_per_job_type')],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
