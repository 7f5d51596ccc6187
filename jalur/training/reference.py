"""Scale settings shipped with Jalur: created when missing, never overwritten (managers edit them).

Only what the sources leave open is here (docs/law.md §8, HRD Korea): EPS-TOPIK has a floor
of 80/200 but no fixed pass mark, and its result is said to be valid for 2 years; JFT-Basic's A2 line
(200) is official. JLPT's pass rules are fixed by the test owner and live in scales.py.
"""

SCALE_SETTINGS = [
    (
        "eps_topik",
        80,
        24,
        "Lantai 80/200 dari pengumuman HRD Korea/BNP2TKI 2013 (sumber sekunder); kelulusan resmi "
        "ditentukan peringkat per sektor. Masa berlaku 2 tahun: sumber sekunder, BELUM TERVERIFIKASI.",
    ),
    (
        "jft_basic",
        200,
        None,
        "Japan Foundation: A2 = 200–250 (terverifikasi). Masa berlaku hasil tidak ditetapkan sumber.",
    ),
    ("jlpt", None, None, "Batas lulus per level dan per bagian: aturan resmi sejak Juli 2010."),
    ("skill", None, None, "Lulus/tidak lulus menurut penyelenggara uji."),
    (
        "competency",
        None,
        None,
        "Sertifikat kompetensi BNSP/LSP; isi masa berlaku sesuai sertifikat.",
    ),
    ("licence", None, None, "Isi masa berlaku sesuai lisensi (SIM, STR)."),
    (
        "kaigo_jp",
        None,
        None,
        "Nursing Care Japanese Language Evaluation Test (Prometric): lulus/tidak lulus menurut "
        "penyelenggara. Masa berlaku hasil tidak ditetapkan sumber.",
    ),
]


def scale_settings_ensure(using: str = "default") -> int:
    from .models import ScaleSetting

    existing = set(ScaleSetting.objects.using(using).values_list("test", flat=True))
    new = [
        ScaleSetting(test=test, pass_mark=mark, valid_months=months, source=source)
        for test, mark, months, source in SCALE_SETTINGS
        if test not in existing
    ]
    ScaleSetting.objects.using(using).bulk_create(new)
    return len(new)
