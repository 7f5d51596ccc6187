"""Demo organisations and one log-in per role (seed_demo)."""

from base64 import b32encode

from django.conf import settings
from django_otp.oath import totp

from .models import Organisation, User
from .roles import TWO_FACTOR_ROLES, OrganisationKind, Role
from .services import organisation_create, user_create

DEMO_PASSWORD = "jalur-demo-2026"  # noqa: S105 - printed for the demo; never used in production
# The demo staff's authenticator key (20 bytes), printed beside the password; never in production.
DEMO_TOTP_KEY = b"jalur-demo-dua-step!"


def demo_secret() -> str:
    return b32encode(DEMO_TOTP_KEY).decode()


def demo_code() -> str:
    """The code an authenticator app with the demo key shows now."""
    return f"{totp(DEMO_TOTP_KEY):06d}"


def _demo_two_factor(users) -> list[str]:
    """A confirmed app with the demo key for each demo log-in that needs the code step."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if settings.PRODUCTION:
        return []
    for user in users:
        if user.role in TWO_FACTOR_ROLES and not TOTPDevice.objects.filter(user=user).exists():
            TOTPDevice.objects.create(
                user=user, name="aplikasi", confirmed=True, key=DEMO_TOTP_KEY.hex()
            )
    return [
        f"Kode verifikasi staf ({', '.join(str(Role(r).label) for r in sorted(TWO_FACTOR_ROLES))}): "
        f"kunci demo {demo_secret()} di aplikasi autentikator, "
        "atau `manage.py kode_demo` untuk kode saat ini."
    ]


ORGANISATIONS = [
    (
        "disnaker-serang",
        OrganisationKind.LABOUR_OFFICE,
        "Disnakertrans Kota Serang",
        "Jl. Jenderal Sudirman No. 5, Serang",
    ),
    (
        "lpk-hana",
        OrganisationKind.TRAINING_PROVIDER,
        "LPK Hana Bahasa Korea Serang",
        "Jl. Ahmad Yani No. 12, Serang",
    ),
    (
        "blk-serang",
        OrganisationKind.TRAINING_PROVIDER,
        "UPTD BLK Kota Serang",
        "Jl. Raya Taktakan No. 3, Serang",
    ),
    (
        "pt-duta-samudera",
        OrganisationKind.PLACEMENT_AGENCY,
        "PT Duta Samudera Mandiri",
        "Jl. Raya Cilegon Km 4, Serang",
    ),
    (
        "pt-sakura-karya",
        OrganisationKind.PLACEMENT_AGENCY,
        "PT Sakura Karya Indonesia",
        "Jl. TB Suwandi No. 21, Serang",
    ),
    (
        "pt-banten-global",
        OrganisationKind.PLACEMENT_AGENCY,
        "PT Banten Global Tenaga",
        "Jl. Kitapa No. 8, Serang",
    ),
]

USERS = [
    ("admin", Role.SYSADMIN, "disnaker-serang", "Admin Sistem", "admin@jalur.local"),
    ("manajer", Role.PROGRAMME_MANAGER, "disnaker-serang", "Siti Rahmawati", "manajer@jalur.local"),
    (
        "pendaftaran",
        Role.REGISTRATION_OFFICER,
        "disnaker-serang",
        "Budi Santoso",
        "pendaftaran@jalur.local",
    ),
    ("verifikator", Role.VERIFIER, "disnaker-serang", "Rina Marlina", "verifikator@jalur.local"),
    ("pimpinan", Role.LEADERSHIP, "disnaker-serang", "H. Ahmad Fauzi", "pimpinan@jalur.local"),
    ("lpk-hana", Role.TRAINING_STAFF, "lpk-hana", "Kim Ji-hye", "staf@lpkhana.local"),
    ("blk-serang", Role.TRAINING_STAFF, "blk-serang", "Dedi Kurniawan", "staf@blkserang.local"),
    ("p3mi-duta", Role.AGENCY_STAFF, "pt-duta-samudera", "Andi Wijaya", "staf@dutasamudera.local"),
    ("p3mi-sakura", Role.AGENCY_STAFF, "pt-sakura-karya", "Yuki Pratama", "staf@sakurakarya.local"),
    (
        "p3mi-banten",
        Role.AGENCY_STAFF,
        "pt-banten-global",
        "Hendra Gunawan",
        "staf@bantenglobal.local",
    ),
]


def seed(ctx: dict) -> None:
    orgs = {}
    for code, kind, name, address in ORGANISATIONS:
        org = Organisation.objects.filter(code=code).first() or organisation_create(
            actor=None, kind=kind, name=name, code=code, address=address
        )
        orgs[code] = org
    users = {}
    for username, role, org_code, full_name, email in USERS:
        user = User.objects.filter(username=username).first() or user_create(
            actor=None,
            username=username,
            role=role,
            organisation=orgs[org_code],
            full_name=full_name,
            email=email,
        )  # the demo password is set once for all by seed_demo
        users[username] = user
    ctx["organisations"] = orgs
    ctx["users"] = users
    ctx.setdefault("notes", []).extend(_demo_two_factor(users.values()))
    ctx.setdefault("logins", []).extend(
        (Role(role).label, username) for username, role, *_ in USERS
    )
