"""The people the registration benchmarks register: valid, unique and living in the home region, so
every step passes every rule. Shared by bench_registration.py and locust_registration.py; plain data
(the load generator runs outside Django: only jalur.rules, which imports no Django, is used)."""

import datetime

from jalur.rules.identity import nik_build

NAMES = ["Agus", "Budi", "Dewi", "Eko", "Fitri", "Gilang", "Indah", "Joko", "Lina", "Rizki"]
FAMILY = ["Hidayat", "Saputra", "Permana", "Kurniasih", "Rohmah", "Maulana", "Setiawan"]
CSRF = "benchCsrfToken0123456789abcdefgh"  # a 32-character secret: cookie and form field

# Self-registration steps that save a form, in order: URL slug -> the fields they send.
STEP_FIELDS = {
    "identitas": (
        "nik",
        "kk_number",
        "full_name",
        "birth_place",
        "birth_date",
        "sex",
        "religion",
        "marital_status",
    ),
    "alamat": (
        "village",
        "rt",
        "rw",
        "street",
        "phone",
        "emergency_name",
        "emergency_relation",
        "emergency_phone",
    ),
    "pendidikan": ("education_level", "education_major", "experience_years", "height_cm"),
    "minat": ("preferred_countries", "preferred_job_types"),
}
# Where a saved step sends the person: the next step (after the job wishes, the documents).
NEXT_STEP = {
    "identitas": "alamat",
    "alamat": "pendidikan",
    "pendidikan": "minat",
    "minat": "dokumen",
}


def person(i: int, villages: list[tuple[str, str]], job_type: int) -> dict:
    """Person number `i`: a unique NIK, family card, phone and name; `villages`: (code, district)."""
    female = i % 2 == 0
    birth = datetime.date(1980 + i % 24, 1 + (i // 24) % 12, 1 + (i // 9999) % 28)
    village, district = villages[i % len(villages)]
    nik = nik_build(district_code=district, birth_date=birth, female=female, serial=i % 9999 + 1)
    return {
        "nik": nik,
        "kk_number": nik[:6] + f"{i % 10**10:010d}",
        "full_name": f"{NAMES[i % len(NAMES)]} {NAMES[(i // 10) % len(NAMES)]} {FAMILY[i % len(FAMILY)]}",
        "birth_place": "Serang",
        "birth_date": birth.isoformat(),
        "sex": "P" if female else "L",
        "religion": "islam",
        "marital_status": "belum_kawin",
        "village": village,
        "rt": "3",
        "rw": "5",
        "street": "Jl. Kampung Baru No. 12",
        "phone": f"0813{i % 10**8:08d}",
        "emergency_name": "Ahmad Hidayat",
        "emergency_relation": "Orang tua",
        "emergency_phone": "081311112222",
        "education_level": "SMK",
        "education_major": "Tata boga",
        "experience_years": "1",
        "height_cm": "160",
        "preferred_countries": "JP",
        "preferred_job_types": str(job_type),
    }


def step_body(step: str, data: dict) -> dict:
    return {"csrfmiddlewaretoken": CSRF, **{key: data[key] for key in STEP_FIELDS[step]}}


def account_body(i: int, data: dict) -> dict:
    """The first step (a log-in): name, phone and a password. The record takes the phone, and the
    address step sends it back unchanged, as a person who keeps the number shown does."""
    return {
        "csrfmiddlewaretoken": CSRF,
        "full_name": data["full_name"],
        "phone": data["phone"],
        "password": f"Serang-Maju-{i}-x",
        "password_again": f"Serang-Maju-{i}-x",
    }


def client_address(i: int) -> str:
    """A distinct client address per person (sent as X-Forwarded-For behind one trusted proxy), so
    the per-client sign-up limits see many people, as on opening day, not one benchmark."""
    return f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"
