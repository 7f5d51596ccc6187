"""Job types shipped with Jalur (shared/domain/README.md §4, tests_and_fields.md §6).

Created when missing; never overwritten, so a programme manager's edits stay.
"""

JOB_TYPES = [
    # code, name, KBJI, SSW field, E-9 sector, zero-cost, basis
    (
        "baby-sitter",
        "Pengasuh bayi/anak (baby sitter)",
        "5311",
        "",
        "",
        True,
        "Perban BP2MI 9/2020: pengasuh bayi, pengasuh anak",
    ),
    (
        "caregiver",
        "Perawat lansia (caregiver)",
        "5322,5321",
        "Kaigo (nursing care)",
        "",
        True,
        "Perban BP2MI 9/2020: pengasuh lansia",
    ),
    ("nurse", "Perawat (nurse)", "2221,3221", "", "", False, ""),
    (
        "plantation",
        "Tenaga perkebunan/pertanian",
        "9211,6112",
        "Agriculture",
        "PERTANIAN_PETERNAKAN",
        True,
        "Perban BP2MI 9/2020: petugas ladang/perkebunan",
    ),
    (
        "driver",
        "Sopir/pengemudi",
        "8322,8332,8331",
        "Automobile transportation",
        "",
        True,
        "Perban BP2MI 9/2020: sopir keluarga",
    ),
    (
        "industrial",
        "Tenaga industri/manufaktur",
        "8189,8211,9329",
        "Industrial product manufacturing",
        "MANUFAKTUR",
        False,
        "",
    ),
    (
        "welder",
        "Juru las (welder)",
        "7212",
        "Shipbuilding and ship machinery",
        "MANUFAKTUR",
        False,
        "",
    ),
    (
        "electrician",
        "Teknisi listrik (electrician)",
        "7411",
        "Construction",
        "KONSTRUKSI",
        False,
        "",
    ),
    (
        "painter",
        "Pengecat (painter)",
        "7131",
        "Shipbuilding and ship machinery",
        "MANUFAKTUR",
        False,
        "",
    ),
    (
        "food-manufacturing",
        "Pengolahan makanan",
        "8160,7512",
        "Food and beverage manufacturing",
        "MANUFAKTUR",
        False,
        "",
    ),
    ("ground-handling", "Ground handling bandara", "9333,4323", "Aviation", "", False, ""),
]


def job_types_ensure(using: str = "default") -> int:
    from .models import JobType

    existing = set(JobType.objects.using(using).values_list("code", flat=True))
    new = [
        JobType(
            code=code,
            name=name,
            kbji_codes=kbji,
            ssw_field=ssw,
            e9_sector=e9,
            zero_cost=zero,
            zero_cost_basis=basis,
            sort_order=i,
        )
        for i, (code, name, kbji, ssw, e9, zero, basis) in enumerate(JOB_TYPES)
        if code not in existing
    ]
    JobType.objects.using(using).bulk_create(new)
    return len(new)
