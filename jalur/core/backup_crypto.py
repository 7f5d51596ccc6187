"""Encrypted backups: the server holds only public keys, so it can write a backup it cannot read.

A backup holds every NIK, passport and medical result of the programme. It is encrypted for one or
more recipients (RSA public keys, PEM, in the file `JALUR_BACKUP_PUBLIC_KEY_FILE`); only a private key
held off the server (docs/deploy.md, section 5) opens it. Several public keys in that file make a
backup that each of their private keys opens: two officers, or the old and the new key while a key
is being rotated.

The file: `MAGIC`, a 4-byte length and a JSON header (cipher, chunk size, nonce prefix, and per
recipient the key's id and the data key wrapped with RSA-OAEP-SHA256), then the zip in chunks of
1 MiB, each sealed with AES-256-GCM under a random data key. A chunk's nonce is the 8-byte prefix
and its number; its associated data binds the header's hash, the number and whether it is the last,
so a changed header, a changed, reordered or dropped chunk, or a cut-off file is refused.
"""

import base64
import hashlib
import io
import json
import os
import struct
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"JALUR-BACKUP-ENC-1\n"
CHUNK = 1024 * 1024
_OAEP = padding.OAEP(
    mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None
)
_MAX_HEADER = 64 * 1024


class BackupKeyError(Exception):
    """A key that cannot be used, or a backup that this key does not open or that was changed."""


def key_id(public_key) -> str:
    """The first 16 hex digits of the SHA-256 of the key's DER form: names the key in a backup."""
    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()[:16]


def public_keys_load(path: Path) -> list:
    """Every RSA public key (PEM blocks) in the file at `path`."""
    text = Path(path).read_bytes()
    blocks = [b for b in text.split(b"-----END PUBLIC KEY-----") if b"-----BEGIN" in b]
    keys = []
    for block in blocks:
        try:
            key = serialization.load_pem_public_key(block + b"-----END PUBLIC KEY-----\n")
        except ValueError as error:
            raise BackupKeyError(f"{path}: not a PEM public key ({error})") from error
        if not isinstance(key, rsa.RSAPublicKey) or key.key_size < 3072:
            raise BackupKeyError(f"{path}: backups need RSA keys of 3072 bits or more")
        keys.append(key)
    if not keys:
        raise BackupKeyError(f"{path}: no public key found")
    return keys


def private_key_load(path: Path, passphrase: str | None):
    try:
        return private_key_load_bytes(Path(path).read_bytes(), passphrase)
    except BackupKeyError as error:
        raise BackupKeyError(f"{path}: {error}") from error


def private_key_load_bytes(pem: bytes, passphrase: str | None):
    try:
        return serialization.load_pem_private_key(
            pem, password=passphrase.encode() if passphrase else None
        )
    except (ValueError, TypeError) as error:
        raise BackupKeyError(
            f"the private key cannot be opened (wrong passphrase, or not a key): {error}"
        ) from error


def key_pair_create(passphrase: str, bits: int = 4096) -> tuple[bytes, bytes]:
    """A new (private PEM encrypted with `passphrase`, public PEM) pair."""
    if len(passphrase) < 12:
        raise BackupKeyError("the passphrase must have at least 12 characters")
    private = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode()),
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private_pem, public_pem


def _aad(header_hash: bytes, number: int, last: bool) -> bytes:
    return header_hash + struct.pack(">I?", number, last)


def encrypt(source, target, public_keys: list) -> dict:
    """Encrypt the binary stream `source` into the binary stream `target` for `public_keys`."""
    data_key = AESGCM.generate_key(bit_length=256)
    header = {
        "cipher": "AES-256-GCM",
        "chunk": CHUNK,
        "nonce_prefix": base64.b64encode(os.urandom(8)).decode(),
        "recipients": [
            {
                "key_id": key_id(k),
                "wrapped_key": base64.b64encode(k.encrypt(data_key, _OAEP)).decode(),
            }
            for k in public_keys
        ],
    }
    raw_header = json.dumps(header, sort_keys=True).encode()
    header_hash = hashlib.sha256(raw_header).digest()
    prefix = base64.b64decode(header["nonce_prefix"])
    aead = AESGCM(data_key)
    target.write(MAGIC + struct.pack(">I", len(raw_header)) + raw_header)
    number, chunk = 0, source.read(CHUNK)
    while True:
        following = source.read(CHUNK) if chunk else b""
        last = not following
        sealed = aead.encrypt(
            prefix + struct.pack(">I", number), chunk, _aad(header_hash, number, last)
        )
        target.write(struct.pack(">I", len(sealed)) + sealed)
        if last:
            break
        number, chunk = number + 1, following
    return {"recipients": [r["key_id"] for r in header["recipients"]], "chunks": number + 1}


def is_encrypted(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def _read_exact(source, size: int) -> bytes:
    data = source.read(size)
    if len(data) != size:
        raise BackupKeyError("the backup is cut off (incomplete file)")
    return data


def decrypt(source, target, private_key) -> None:
    """Decrypt `source` (written by `encrypt`) into `target`; refuses a changed or cut-off file."""
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupKeyError("not an encrypted Jalur backup")
    (length,) = struct.unpack(">I", _read_exact(source, 4))
    if length > _MAX_HEADER:
        raise BackupKeyError("the backup's header is damaged")
    raw_header = _read_exact(source, length)
    header = json.loads(raw_header)
    header_hash = hashlib.sha256(raw_header).digest()
    mine = key_id(private_key.public_key())
    wrapped = [r for r in header["recipients"] if r["key_id"] == mine]
    if not wrapped:
        ids = ", ".join(r["key_id"] for r in header["recipients"])
        raise BackupKeyError(f"this backup was not made for key {mine} (it was made for: {ids})")
    try:
        data_key = private_key.decrypt(base64.b64decode(wrapped[0]["wrapped_key"]), _OAEP)
    except ValueError as error:
        raise BackupKeyError("the data key does not open with this private key") from error
    aead = AESGCM(data_key)
    prefix = base64.b64decode(header["nonce_prefix"])
    number = 0
    while True:
        size_bytes = source.read(4)
        if not size_bytes:
            raise BackupKeyError("the backup is cut off (its last part is missing)")
        (size,) = struct.unpack(">I", size_bytes)
        if size > header["chunk"] + 16:
            raise BackupKeyError("the backup is damaged (a part is too long)")
        sealed = _read_exact(source, size)
        nonce = prefix + struct.pack(">I", number)
        for last in (False, True):
            try:
                plain = aead.decrypt(nonce, sealed, _aad(header_hash, number, last))
                break
            except InvalidTag:  # not this flag: try the other, then refuse
                continue
        else:
            raise BackupKeyError(f"the backup was changed or damaged (part {number + 1})")
        target.write(plain)
        if last:
            if source.read(1):
                raise BackupKeyError("the backup has data after its last part")
            return
        number += 1


def encrypt_bytes(data: bytes, public_keys: list) -> bytes:
    out = io.BytesIO()
    encrypt(io.BytesIO(data), out, public_keys)
    return out.getvalue()


def decrypt_bytes(data: bytes, private_key) -> bytes:
    out = io.BytesIO()
    decrypt(io.BytesIO(data), out, private_key)
    return out.getvalue()
