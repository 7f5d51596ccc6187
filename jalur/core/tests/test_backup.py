import io
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from jalur.accounts.models import User
from jalur.audit.models import AuditLog
from jalur.candidates.models import Candidate, StageHistory


def _dump() -> list:
    out = io.StringIO()
    call_command("dumpdata", exclude=["sessions.session"], stdout=out)
    return sorted(json.loads(out.getvalue()), key=lambda o: (o["model"], str(o["pk"])))


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_gives_back_everything(tmp_path):
    call_command("seed_demo", stdout=io.StringIO())
    default_storage.save("documents/2026/ktp-abc.pdf", ContentFile(b"%PDF-1.4 test document"))
    default_storage.save("documents/2026/kk-def.png", ContentFile(b"\x89PNG\r\n\x1a\nimage"))
    before = _dump()
    counts = (
        User.objects.count(),
        Candidate.objects.count(),
        StageHistory.objects.count(),
        AuditLog.objects.count(),
    )

    archive = tmp_path / "backup.zip"
    call_command("backup", output=archive, stdout=io.StringIO())

    # an empty database and an empty file store
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    for name in ("documents/2026/ktp-abc.pdf", "documents/2026/kk-def.png"):
        default_storage.delete(name)
    assert Candidate.objects.count() == 0 and User.objects.count() == 0

    call_command("restore", str(archive), yes=True, stdout=io.StringIO())

    assert (
        User.objects.count(),
        Candidate.objects.count(),
        StageHistory.objects.count(),
        AuditLog.objects.count(),
    ) == counts
    after = _dump()
    assert len(after) == len(before)
    different = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert different == [], different[:3]
    assert default_storage.open("documents/2026/ktp-abc.pdf").read() == b"%PDF-1.4 test document"
    assert default_storage.open("documents/2026/kk-def.png").read() == b"\x89PNG\r\n\x1a\nimage"


def test_restore_refuses_a_file_that_is_not_a_jalur_backup(tmp_path):
    import zipfile

    bogus = tmp_path / "x.zip"
    with zipfile.ZipFile(bogus, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"format": "other"}))
    from jalur.core.backup import backup_restore

    with pytest.raises(ValueError, match="not a Jalur backup"):
        backup_restore(path=bogus)
