"""Portable backup and restore of the whole installation: every table plus every uploaded file, in one zip.

Works on SQLite and PostgreSQL alike (Django serialisation), so a backup can also move an installation
from the embedded set-up to PostgreSQL. For a large production database, `pg_dump` plus a sync of the
object-storage bucket is faster; docs/deploy.md explains both.
"""

import datetime
import json
import shutil
import tempfile
import zipfile
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

FORMAT = "jalur-backup-1"
EXCLUDE = ["sessions.session"]


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder rounds times to milliseconds; a backup keeps them exactly."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _dump_all(handle, chunk: int = 2000) -> None:
    """Every row of every table as Django fixture JSON, streamed model by model, chunk by chunk."""
    handle.write("[")
    first = True
    for model in apps.get_models():
        if model._meta.label_lower in EXCLUDE or model._meta.proxy or not model._meta.managed:
            continue
        rows = model._base_manager.order_by("pk").iterator(chunk_size=chunk)
        batch = []
        for obj in rows:
            batch.append(obj)
            if len(batch) == chunk:
                first = _write(handle, batch, first)
                batch = []
        if batch:
            first = _write(handle, batch, first)
    handle.write("]")


def _write(handle, objects, first: bool) -> bool:
    for item in serializers.serialize("python", objects):
        handle.write(
            ("" if first else ",\n") + json.dumps(item, cls=_ExactEncoder, ensure_ascii=False)
        )
        first = False
    return first


def _storage_files(directory: str = "") -> list[str]:
    dirs, files = (
        default_storage.listdir(directory) if default_storage.exists(directory or ".") else ([], [])
    )
    found = [f"{directory}/{name}".lstrip("/") for name in files]
    for sub in dirs:
        found.extend(_storage_files(f"{directory}/{sub}".lstrip("/")))
    return found


def backup_create(*, path: Path) -> dict:
    """Write the database and the uploaded files to the zip at `path`; return a summary."""
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        data_file = Path(tmp) / "data.json"
        # One transaction: a consistent snapshot of every table.
        with transaction.atomic(), open(data_file, "w", encoding="utf-8") as handle:
            _dump_all(handle)
        files = _storage_files()
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.write(data_file, "data.json")
            for name in files:
                with (
                    default_storage.open(name, "rb") as source,
                    archive.open(f"media/{name}", "w") as target,
                ):
                    shutil.copyfileobj(source, target, 1024 * 1024)
            manifest = {
                "format": FORMAT,
                "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
                "files": len(files),
                "data_bytes": data_file.stat().st_size,
            }
            archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    return manifest


def backup_restore(*, path: Path) -> dict:
    """Replace everything in the (migrated) database and the file storage with the backup at `path`."""
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        if manifest.get("format") != FORMAT:
            raise ValueError(f"not a Jalur backup (format {manifest.get('format')!r})")
        with tempfile.TemporaryDirectory() as tmp:
            data_file = Path(tmp) / "data.json"
            with archive.open("data.json") as source, open(data_file, "wb") as target:
                shutil.copyfileobj(source, target, 1024 * 1024)
            with transaction.atomic():
                call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
                call_command("loaddata", str(data_file), verbosity=0)
        for name in _storage_files():
            default_storage.delete(name)
        restored = 0
        for info in archive.infolist():
            if info.filename.startswith("media/") and not info.is_dir():
                name = info.filename.removeprefix("media/")
                with archive.open(info) as source:
                    saved = default_storage.save(name, File(source, name=name))
                if saved != name:
                    raise RuntimeError(f"storage renamed {name} to {saved}")
                restored += 1
    return {**manifest, "restored_files": restored}
