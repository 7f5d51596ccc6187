"""Job types and pathways shipped with Jalur, seeded into the database when missing.

The job types are `jalur.rules.jobs.JOB_TYPES`. Created when missing; never overwritten, so a
programme manager's edits stay. The pathway states are those of 2026 (docs/law.md §3, "Legal
pathways"); managers change them in the app when the law changes.
"""

import datetime

from jalur.rules.jobs import JOB_TYPES


def job_types_ensure(using: str = "default") -> int:
    from .models import JobType

    existing = set(JobType.objects.using(using).values_list("code", flat=True))
    new = [
        JobType(
            code=spec.code,
            name=spec.name,
            kbji_codes=",".join(spec.kbji),
            ssw_field=spec.ssw_field,
            e9_sector=spec.e9_sector,
            zero_cost=spec.zero_cost,
            zero_cost_basis=spec.zero_cost_basis,
            sort_order=i,
        )
        for i, spec in enumerate(JOB_TYPES)
        if spec.code not in existing
    ]
    JobType.objects.using(using).bulk_create(new)
    return len(new)


# Every legal pathway of docs/law.md §3 with its 2026 state. Language minimums that the sources
# give only as a floor (EPS-TOPIK 80/200) are data here, so a manager can raise them.
_SSW_JOB_TYPES = [
    "caregiver",
    "plantation",
    "industrial",
    "welder",
    "electrician",
    "painter",
    "food-manufacturing",
    "ground-handling",
]
_SSW_RULES = {
    "min_age": 18,
    "jft_min_score": 200,
    "jlpt_min_level": "N4",
    "skill_test_required": True,
    "skill_test_name": "Ujian keterampilan bidang SSW (Prometric)",
    # nursing care (kaigo) also needs the Nursing Care Japanese Language Evaluation Test
    # (jalur.rules.sources.SSW_NURSING_CARE)
    "job_type_tests": {"kaigo_jp": ["caregiver"]},
}
# What the SSW pathways shipped before care-Japanese became its own rule (migration 0003 updates the
# pathways still as shipped).
_SSW_OLD_SKILL_TEST_NAME = (
    "Ujian keterampilan bidang SSW (Prometric); kaigo juga ujian bahasa Jepang perawatan"
)
_SSW_CODES = ("jp-ssw-p2p", "jp-ssw-mandiri")
_SSW_BASIS = (
    "MoC RI–Jepang tentang Specified Skilled Worker (25 Jun 2019); UU 18/2017 tentang PPMI; "
    "pendaftaran kerja lewat IPKOL dan SISKOP2MI."
)
_PRE_DEPARTURE_COMMON = [
    "medical",
    "psychological",
    "placement_agreement",
    "bpjs",
    "passport",
    "employment_contract",
    "visa",
    "opp",
    "e_pmi",
]

PATHWAYS = [
    {
        "code": "jp-ssw-p2p",
        "country": "JP",
        "name": "Jepang SSW (Tokutei Ginou) P to P",
        "placing_party": "p3mi",
        "state": "open",
        "legal_basis": _SSW_BASIS + " Skema P to P berlaku sejak Maret 2023 (Kepka BP2MI).",
        "description": "P3MI berizin bersama mitra penempatan di Jepang. Syarat bahasa: JFT-Basic A2 (≥ 200) atau JLPT N4.",
        "job_types": _SSW_JOB_TYPES,
        "checklist_items": [*_PRE_DEPARTURE_COMMON[:6], "coe", "visa", "opp", "e_pmi"],
        **_SSW_RULES,
    },
    {
        "code": "jp-ssw-mandiri",
        "country": "JP",
        "name": "Jepang SSW (Tokutei Ginou) mandiri",
        "placing_party": "none",
        "state": "open",
        "legal_basis": _SSW_BASIS,
        "description": "Pekerja melamar sendiri lewat IPKOL; P3MI tidak wajib, tetapi bila dipakai harus berizin.",
        "job_types": _SSW_JOB_TYPES,
        "checklist_items": [
            "medical",
            "psychological",
            "bpjs",
            "passport",
            "employment_contract",
            "coe",
            "visa",
            "opp",
            "e_pmi",
        ],
        **_SSW_RULES,
    },
    {
        "code": "jp-ssw-driver",
        "country": "JP",
        "name": "Jepang SSW pengemudi (angkutan otomotif) P to P",
        "placing_party": "p3mi",
        "state": "open",
        "legal_basis": _SSW_BASIS
        + " Bidang angkutan otomotif ditambahkan keputusan kabinet Jepang 29 Mar 2024.",
        "description": "Truk: SIM Jepang kelas 1 dan JLPT N4. Bus dan taksi: SIM kelas 2 dan JLPT N3 (dicatat sebagai syarat lowongan).",
        "job_types": ["driver"],
        "checklist_items": [*_PRE_DEPARTURE_COMMON[:6], "coe", "visa", "opp", "e_pmi"],
        "min_age": 18,
        "jlpt_min_level": "N4",
        "skill_test_required": True,
        "skill_test_name": "Ujian keterampilan bidang angkutan otomotif",
        "licence_required": True,
        "licence_name": "SIM Jepang",
    },
    {
        "code": "jp-ijepa",
        "country": "JP",
        "name": "Jepang IJEPA perawat/careworker G to G",
        "placing_party": "government",
        "state": "open",
        "legal_basis": "Indonesia–Japan Economic Partnership Agreement (IJEPA); penempatan G to G oleh BP2MI.",
        "description": "Perawat paling tua 35 tahun, D3/D4 keperawatan atau S1 Ners, STR, pengalaman 2 tahun. Bebas biaya penempatan.",
        "job_types": ["nurse", "caregiver"],
        "checklist_items": _PRE_DEPARTURE_COMMON,
        "min_age": 18,
        "max_age": 35,
        "min_education": "D3",
        "min_experience_years": 2,
        "jlpt_min_level": "N5",
        "licence_required": True,
        "licence_name": "STR perawat",
    },
    {
        "code": "jp-titp",
        "country": "JP",
        "name": "Jepang magang teknis (TITP)",
        "placing_party": "sending_org",
        "state": "open",
        "closes_on": datetime.date(2027, 4, 1),
        "state_reason": "Diganti program Employment for Skill Development (育成就労) mulai 1 April 2027; rencana magang harus disertifikasi sebelum tanggal itu. Pakai SSW sebagai jalur utama ke Jepang.",
        "legal_basis": "MoC RI–Jepang tentang TITP; UU Jepang 21 Jun 2024 tentang Employment for Skill Development.",
        "job_types": ["plantation", "industrial", "food-manufacturing", "welder"],
        "checklist_items": _PRE_DEPARTURE_COMMON,
        "min_age": 18,
    },
    {
        "code": "kr-eps-g2g",
        "country": "KR",
        "name": "Korea EPS (E-9) G to G",
        "placing_party": "government",
        "state": "open",
        "state_reason": "Hanya BP2MI/KP2MI yang menempatkan; P3MI tidak boleh menempatkan pada skema ini.",
        "legal_basis": "MoU RI–Korea Employment Permit System; Act on the Employment of Foreign Workers (2004); UU 18/2017 tentang PPMI.",
        "description": "Umur 18–39, minimal SMP, EPS-TOPIK (0–200) lalu uji keterampilan, diperingkat. Tidak buta warna. Kurang dari 5 tahun bekerja di Korea dengan E-9/E-10.",
        "job_types": [
            "industrial",
            "plantation",
            "welder",
            "painter",
            "food-manufacturing",
            "electrician",
        ],
        "checklist_items": [*_PRE_DEPARTURE_COMMON[:6], "ccvi", "visa", "opp", "e_pmi"],
        "min_age": 18,
        "max_age": 39,
        "min_education": "SMP",
        "prior_years_limit": 5,
        "eps_topik_min_score": 80,
        "skill_test_required": True,
        "skill_test_name": "Uji keterampilan EPS (fisik, wawancara, kemampuan dasar) dan uji kompetensi",
    },
    {
        "code": "kr-e7",
        "country": "KR",
        "name": "Korea E-7 tenaga terampil P to P",
        "placing_party": "p3mi",
        "state": "open",
        "legal_basis": "Visa E-7 Korea; UU 18/2017 tentang PPMI.",
        "description": "Misalnya juru las galangan kapal, pemasang pipa, teknisi listrik; lulus uji keahlian (trade test, KOSHIPA).",
        "job_types": ["welder", "electrician", "painter"],
        "checklist_items": _PRE_DEPARTURE_COMMON,
        "min_age": 18,
        "skill_test_required": True,
        "skill_test_name": "Trade test (KOSHIPA)",
    },
    {
        "code": "kr-e10",
        "country": "KR",
        "name": "Korea E-10 awak kapal perikanan",
        "placing_party": "manning_agency",
        "state": "open",
        "state_reason": "Awak kapal E-10 didaftarkan di Kementerian Perhubungan, bukan KP2MI.",
        "legal_basis": "Visa E-10 Korea; penempatan lewat manning agency yang terdaftar di Kemenhub.",
        "job_types": [],
        "checklist_items": _PRE_DEPARTURE_COMMON,
        "min_age": 18,
    },
    {
        "code": "kr-e8-seasonal",
        "country": "KR",
        "name": "Korea E-8 pekerja musiman lewat MoU pemerintah daerah",
        "placing_party": "local_government",
        "state": "suspended",
        "state_reason": "Korea menangguhkan pekerja musiman dari Indonesia selama 3 tahun sejak akhir 2024 (91 dari 98 pekerja musiman Kab. Lombok Tengah kabur), sampai Indonesia punya undang-undang tentang status pekerja musiman.",
        "legal_basis": "Program pekerja musiman Kementerian Kehakiman Korea (MOU pemerintah daerah); penempatan tetap wewenang KP2MI.",
        "job_types": ["plantation"],
        "checklist_items": [],
        "min_age": 18,
    },
    {
        "code": "kr-baby-sitter",
        "country": "KR",
        "name": "Pengasuh bayi ke Korea",
        "placing_party": "none",
        "state": "closed",
        "state_reason": "Tidak ditemukan jalur resmi bagi WNI: E-7 perawat/pengasuh hanya untuk lulusan universitas Korea dengan lisensi Korea; uji coba pengasuh anak hanya untuk warga Filipina.",
        "legal_basis": "—",
        "job_types": ["baby-sitter"],
        "checklist_items": [],
    },
    {
        "code": "jp-baby-sitter",
        "country": "JP",
        "name": "Pengasuh bayi ke Jepang",
        "placing_party": "none",
        "state": "closed",
        "state_reason": "Tidak ada bidang SSW untuk pengasuh anak; tidak ditemukan jalur resmi bagi WNI.",
        "legal_basis": "—",
        "job_types": ["baby-sitter"],
        "checklist_items": [],
    },
]


def pathways_ensure(using: str = "default") -> int:
    from .models import JobType, Pathway

    existing = set(Pathway.objects.using(using).values_list("code", flat=True))
    job_types = dict(JobType.objects.using(using).values_list("code", "pk"))
    created = 0
    for order, spec in enumerate(PATHWAYS):
        if spec["code"] in existing:
            continue
        fields = {k: v for k, v in spec.items() if k != "job_types"}
        pathway = Pathway.objects.using(using).create(sort_order=order, **fields)
        pathway.job_types.set([job_types[c] for c in spec["job_types"] if c in job_types])
        created += 1
    return created


def ssw_care_japanese_add(pathway_model) -> int:
    """Give the shipped SSW pathways that no manager has edited the care-Japanese rule for
    caregivers (the rule used to be words in `skill_test_name` only). `pathway_model` is the model
    class, so the data migration can pass its historical one.

    Edited pathways (`updated_by` set by the services on every create or update) are left as the
    manager made them; the pathway page shows whether the rule is there, and the edit form sets it.
    """
    changed = 0
    rows = pathway_model.objects.filter(code__in=_SSW_CODES, updated_by__isnull=True)
    for pathway in rows:
        if pathway.job_type_tests or not pathway.job_types.filter(code="caregiver").exists():
            continue
        pathway.job_type_tests = dict(_SSW_RULES["job_type_tests"])
        if pathway.skill_test_name == _SSW_OLD_SKILL_TEST_NAME:
            pathway.skill_test_name = _SSW_RULES["skill_test_name"]
        pathway.save(update_fields=["job_type_tests", "skill_test_name"])
        changed += 1
    return changed
