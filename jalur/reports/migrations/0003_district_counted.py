"""Kecamatan outside the home kab/kota are counted under their kab/kota (in the home province) or
their province (`facts.district_counted`): the facts and tallies counted before are rolled up the
same way here, so the listener's differences land on the rows they were added to. Plain SQL that
SQLite and PostgreSQL both run; the home region is the setting at the time of the migration."""

from django.conf import settings
from django.db import migrations


def _counted(column: str) -> str:
    return (
        f"CASE WHEN {column} = '' THEN '' "
        f"WHEN substr({column}, 1, length(%s)) = %s THEN {column} "
        f"WHEN substr({column}, 1, length(%s)) = %s THEN substr({column}, 1, 5) "
        f"ELSE substr({column}, 1, 2) END"
    )


def roll_up(apps, schema_editor):
    home = settings.JALUR_HOME_REGION
    prefixes = [f"{home}.", f"{home}.", f"{home[:2]}.", f"{home[:2]}."]
    stat = apps.get_model("reports", "CandidateStat")._meta.db_table
    tally = apps.get_model("reports", "Tally")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {stat} SET district = {_counted('district')} WHERE district <> ''",  # noqa: S608
            prefixes,
        )
        # the rolled-up rows under a temporary dimension name first (no clash with the old rows)
        cursor.execute(
            f"INSERT INTO {tally} (dimension, value, grp, month, country, job_type_id, n) "  # noqa: S608
            f"SELECT 'district~', {_counted('value')}, grp, month, country, job_type_id, sum(n) "
            f"FROM {tally} WHERE dimension = 'district' "
            "GROUP BY 2, 3, 4, 5, 6",
            prefixes,
        )
        cursor.execute(f"DELETE FROM {tally} WHERE dimension = 'district'")  # noqa: S608
        cursor.execute(f"UPDATE {tally} SET dimension = 'district' WHERE dimension = 'district~'")  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_cohortfigures_plain_lists")]

    operations = [migrations.RunPython(roll_up, migrations.RunPython.noop, elidable=True)]
