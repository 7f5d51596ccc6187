"""Encrypted backups (issue 16): the server holds only public keys; a private key held off the
server restores. A changed, cut-off or foreign backup is refused and nothing is replaced."""

import io
import os

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from jalur.candidates.models import Candidate
from jalur.core import backup_crypto
from jalur.core.backup_crypto import BackupKeyError, decrypt_bytes, encrypt_bytes

PASSPHRASE = "kunci cadangan kota serang"


@pytest.fixture(scope="module")
def pairs():
    """Two key pairs (the officer's and the one rotating in), written once for the module."""
    made = []
    for _ in range(2):
        private_pem, public_pem = backup_crypto.key_pair_create(PASSPHRASE, bits=3072)
        made.append((private_pem, public_pem))
    return made


def _private(pem):
    return backup_crypto.private_key_load_bytes(pem, PASSPHRASE)


def _public(pem):
    return load_pem_public_key(pem)


def test_round_trip_over_several_chunks_and_both_recipients_open_it(pairs):
    data = os.urandom(backup_crypto.CHUNK * 2 + 12345)
    sealed = encrypt_bytes(data, [_public(pairs[0][1]), _public(pairs[1][1])])
    assert data[:4096] not in sealed
    assert decrypt_bytes(sealed, _private(pairs[0][0])) == data
    assert decrypt_bytes(sealed, _private(pairs[1][0])) == data


def test_an_empty_file_round_trips(pairs):
    assert decrypt_bytes(encrypt_bytes(b"", [_public(pairs[0][1])]), _private(pairs[0][0])) == b""


def test_another_key_a_changed_byte_a_cut_off_or_reordered_file_are_refused(pairs):
    data = os.urandom(backup_crypto.CHUNK + 100)
    sealed = encrypt_bytes(data, [_public(pairs[0][1])])
    with pytest.raises(BackupKeyError, match="not made for key"):
        decrypt_bytes(sealed, _private(pairs[1][0]))
    changed = bytearray(sealed)
    changed[-50] ^= 1
    with pytest.raises(BackupKeyError, match="changed or damaged"):
        decrypt_bytes(bytes(changed), _private(pairs[0][0]))
    first_chunk_end = sealed.index(b"}") + 1 + 4 + backup_crypto.CHUNK + 16
    with pytest.raises(BackupKeyError, match="cut off"):
        decrypt_bytes(sealed[:first_chunk_end], _private(pairs[0][0]))
    with pytest.raises(BackupKeyError):
        decrypt_bytes(sealed[:-10], _private(pairs[0][0]))
    with pytest.raises(BackupKeyError, match="after its last part"):
        decrypt_bytes(sealed + b"x", _private(pairs[0][0]))


def test_a_short_passphrase_and_a_wrong_passphrase_are_refused(pairs):
    with pytest.raises(BackupKeyError, match="12 characters"):
        backup_crypto.key_pair_create("pendek")
    with pytest.raises(BackupKeyError, match="cannot be opened"):
        backup_crypto.private_key_load_bytes(pairs[0][0], "salah sama sekali")


@pytest.mark.django_db(transaction=True)
def test_an_encrypted_backup_restores_with_the_private_key_only(
    tmp_path, pairs, settings, monkeypatch
):
    public_file = tmp_path / "backup-public.pem"
    public_file.write_bytes(pairs[0][1] + pairs[1][1])  # two holders
    private_file = tmp_path / "officer.pem"
    private_file.write_bytes(pairs[1][0])
    settings.JALUR_BACKUP_PUBLIC_KEY_FILE = str(public_file)
    call_command("seed_demo", stdout=io.StringIO())
    default_storage.save("documents/2026/ktp-enc.pdf", ContentFile(b"%PDF-1.4 rahasia"))
    people = sorted(Candidate.objects.values_list("nik", flat=True))

    out = io.StringIO()
    call_command("backup", output=tmp_path / "b.zip.enc", stdout=out)
    assert "encrypted for key(s)" in out.getvalue()
    sealed = (tmp_path / "b.zip.enc").read_bytes()
    assert sealed.startswith(backup_crypto.MAGIC)
    assert people[0].encode() not in sealed and b"rahasia" not in sealed
    assert not list(tmp_path.glob("**/backup.zip"))  # the plain zip did not stay behind

    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    default_storage.delete("documents/2026/ktp-enc.pdf")
    with pytest.raises(CommandError, match="--key"):
        call_command("restore", str(tmp_path / "b.zip.enc"), yes=True)
    monkeypatch.setenv("JALUR_BACKUP_KEY_PASSPHRASE", PASSPHRASE)
    call_command(
        "restore", str(tmp_path / "b.zip.enc"), yes=True, key=private_file, stdout=io.StringIO()
    )
    assert sorted(Candidate.objects.values_list("nik", flat=True)) == people
    assert default_storage.open("documents/2026/ktp-enc.pdf").read() == b"%PDF-1.4 rahasia"


@pytest.mark.django_db(transaction=True)
def test_a_damaged_encrypted_backup_replaces_nothing(tmp_path, pairs, settings, monkeypatch):
    public_file = tmp_path / "backup-public.pem"
    public_file.write_bytes(pairs[0][1])
    private_file = tmp_path / "officer.pem"
    private_file.write_bytes(pairs[0][0])
    settings.JALUR_BACKUP_PUBLIC_KEY_FILE = str(public_file)
    call_command("seed_demo", stdout=io.StringIO())
    call_command("backup", output=tmp_path / "b.zip.enc", stdout=io.StringIO())
    count = Candidate.objects.count()
    damaged = bytearray((tmp_path / "b.zip.enc").read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    (tmp_path / "bad.zip.enc").write_bytes(bytes(damaged))
    monkeypatch.setenv("JALUR_BACKUP_KEY_PASSPHRASE", PASSPHRASE)
    with pytest.raises(CommandError, match="nothing was restored"):
        call_command("restore", str(tmp_path / "bad.zip.enc"), yes=True, key=private_file)
    assert Candidate.objects.count() == count


def test_production_writes_no_plain_backup_unless_asked(tmp_path, settings):
    settings.PRODUCTION = True
    settings.JALUR_BACKUP_PUBLIC_KEY_FILE = ""
    with pytest.raises(CommandError, match="JALUR_BACKUP_PUBLIC_KEY_FILE"):
        call_command("backup", output=tmp_path / "x.zip")
    assert not (tmp_path / "x.zip").exists()


def test_keygen_writes_a_private_key_only_its_owner_reads(tmp_path, monkeypatch):
    monkeypatch.setenv("JALUR_BACKUP_KEY_PASSPHRASE", PASSPHRASE)
    out = io.StringIO()
    call_command(
        "backup_keygen", private=tmp_path / "p.pem", public=tmp_path / "pub.pem", stdout=out
    )
    assert (tmp_path / "p.pem").stat().st_mode & 0o777 == 0o600
    assert b"ENCRYPTED" in (tmp_path / "p.pem").read_bytes()
    assert backup_crypto.public_keys_load(tmp_path / "pub.pem")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup_keygen", private=tmp_path / "p.pem", public=tmp_path / "x.pem")
