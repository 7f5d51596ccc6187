"""The legal sources Jalur's rules rest on, each cited once (title, article, where to read it).

The facts behind each source, and what is still unverified, are in `docs/law.md`.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Source:
    """One citable provision: a regulation and, where it matters, its article."""

    short: str  # a citation stays as the law writes it; Jalur's own words are translatable
    title: str
    article: str = ""
    url: str = ""

    def cite(self) -> str:
        return f"{self.short} {self.article}".strip()

    def __str__(self) -> str:
        return self.cite()


UU_18_2017 = (
    "UU 18/2017",
    "Undang-Undang No. 18 Tahun 2017 tentang Pelindungan Pekerja Migran Indonesia",
)
PP_59_2021 = (
    "PP 59/2021",
    "Peraturan Pemerintah No. 59 Tahun 2021 tentang Pelaksanaan Pelindungan PMI",
)
PERBAN_02_2020 = ("Perban BP2MI 02/2020", "Peraturan BP2MI No. 02 Tahun 2020 (biaya personal)")
PERBAN_09_2020 = (
    "Perban BP2MI 9/2020",
    "Peraturan BP2MI No. 9 Tahun 2020 tentang Pembebasan Biaya Penempatan",
)
PERBAN_06_2024 = ("Perban BP2MI 6/2024", "Peraturan BP2MI No. 6 Tahun 2024 (penutupan pengaduan)")
PERBAN_23_2025 = (
    "Perban 23/2025",
    "Peraturan KP2MI/BP2MI No. 23 Tahun 2025 (penanganan pengaduan)",
)
PERMENAKER_04_2023 = (
    "Permenaker 4/2023",
    "Peraturan Menteri Ketenagakerjaan No. 4 Tahun 2023 (jaminan sosial PMI)",
)

PLACEMENT_COST_BAN = Source(
    *UU_18_2017,
    article="Pasal 30 ayat (1)",
    url="https://pasal.id/peraturan/uu/uu-no-18-tahun-2017",
)
MINIMUM_AGE = Source(*UU_18_2017, article="Pasal 5 huruf a")
DOCUMENTS = Source(*UU_18_2017, article="Pasal 13")
CONTRACT_CONTENT = Source(*UU_18_2017, article="Pasal 15")
JOB_ORDER_VERIFIED = Source(*UU_18_2017, article="Pasal 9-10")
SIP2MI = Source(*PP_59_2021, article="Pasal 35 huruf l")
PERSONAL_COSTS = Source(
    *PERBAN_02_2020,
    url="https://pasal.id/peraturan/perban/peraturan-bppmi-no-02-tahun-2020/koreksi/8113169",
)
ZERO_COST = Source(
    *PERBAN_09_2020,
    url="https://pripos.id/perban-no-9-tahun-2020-membebaskan-biaya-penempatan-pada-10-jenis-jabatan/",
)
SOCIAL_SECURITY = Source(*PERMENAKER_04_2023, article=gettext_lazy("JKK dan JKM wajib"))
GRIEVANCE_CLOSING = Source(
    *PERBAN_06_2024,
    url="https://pasal.id/peraturan/perban/peraturan-bppmi-no-6-tahun-2024/koreksi/7969904",
)
GRIEVANCE_WORKFLOW = Source(
    *PERBAN_23_2025,
    url="https://pasal.id/peraturan/perban/peraturan-bppmi-no-23-tahun-2025/koreksi/7926107",
)
PROGRAMME = Source(
    gettext_lazy("Aturan program"),
    "Keputusan program Pemkot Serang dan APJATI (MoU 8 Desember 2025): lebih ketat dari hukum, tidak pernah lebih longgar",
)
CONTRACT_SUBSTITUTION = Source(
    PROGRAMME.short,
    PROGRAMME.title,
    article=gettext_lazy(
        "larangan substitusi kontrak (ILO General Principles for Fair Recruitment; IOM IRIS)"
    ),
)

# --- who may be put on a pathway (jalur.rules.eligibility, jalur.rules.jobs) ---
COMPETENCE = Source(*UU_18_2017, article="Pasal 5 huruf b")
EPS_KOREA = Source(
    "EPS Korea",
    "Act on the Employment of Foreign Workers (Korea, 2004) dan MoU RI–Korea tentang Employment "
    "Permit System: penempatan E-9 G to G oleh BP2MI/KP2MI; calon berumur 18–39, minimal SLTP, "
    "kurang dari 5 tahun bekerja di Korea dengan E-9/E-10, lulus EPS-TOPIK lalu uji keterampilan",
    url="https://www.gov.kr/portal/foreigner/en/m020101",
)
EPS_TOPIK_TEST = Source(
    "EPS-TOPIK",
    "HRD Korea, Test of Proficiency in Korean untuk EPS: skala 0–200, minimal 80 lalu diperingkat",
    url="https://eps.hrdkorea.or.kr/epstopik/abot/exam/selectTopikDesc.do?lang=en",
)
SSW_JAPAN = Source(
    "MoC SSW RI–Jepang",
    "Memorandum of Cooperation RI–Jepang tentang Specified Skilled Worker (25 Juni 2019): bahasa "
    "Jepang JFT-Basic A2 atau JLPT N4 dan ujian keterampilan bidang; pengemudi juga SIM Jepang",
    url="https://bp2mi.go.id/berita-detail/faq-ssw-jepang",
)
JFT_BASIC_TEST = Source(
    "JFT-Basic",
    "Japan Foundation Test for Basic Japanese: skala 10–250, A2 = 200 ke atas",
    url="https://www.jpf.go.jp/jft-basic/e/about/index.html",
)
JLPT_TEST = Source(
    "JLPT",
    "Japanese-Language Proficiency Test (Japan Foundation dan JEES): tingkat N5 (termudah) sampai N1",
    url="https://www.jlpt.jp/e/",
)
SSW_NURSING_CARE = Source(
    "SSW perawatan (kaigo)",
    "Bidang perawatan SSW Jepang: JFT-Basic A2 atau JLPT N4, Ujian Bahasa Jepang Perawatan "
    "(介護日本語評価試験) dan Ujian Keterampilan Perawatan, diselenggarakan Prometric di Indonesia",
    url="https://jobsinfo.bp2mi.go.id/hotnews/2",
)
IJEPA = Source(
    "IJEPA",
    "Indonesia–Japan Economic Partnership Agreement, perawat dan careworker G to G oleh BP2MI: "
    "paling tua 35 tahun, D3/D4 keperawatan atau S1 Ners, STR, pengalaman kerja 2 tahun",
)

# --- departure documents and the departure gate (jalur.rules.documents, jalur.rules.departure) ---
FIT_TO_WORK = Source(*UU_18_2017, article="Pasal 5 huruf c")
PASSPORT_VALIDITY = Source(
    PROGRAMME.short,
    PROGRAMME.title,
    article=gettext_lazy("paspor berlaku selama kontrak ditambah 6 bulan sejak berangkat"),
)
PASSPORT_WITH_WORKER = Source(
    PROGRAMME.short,
    PROGRAMME.title,
    article=gettext_lazy(
        "paspor tetap dipegang pekerja (ILO General Principles for Fair Recruitment)"
    ),
)
NO_FEE_STATEMENT = Source(
    PROGRAMME.short,
    PROGRAMME.title,
    article=gettext_lazy("pernyataan tanpa biaya saat tanda tangan kontrak dan saat berangkat"),
)
PLACEMENT_SCHEMES = Source(*UU_18_2017, article="Pasal 49")
# --- the national register's reference numbers (jalur.rules.siskop2mi) ---
SISKOP2MI = Source(
    "Perban BP2MI 7/2023",
    "Peraturan BP2MI No. 7 Tahun 2023 tentang Sistem Komputerisasi Pelindungan PMI (SISKOP2MI): "
    "register nasional CPMI/PMI dan layanan penempatan",
    article="Pasal 4",
    url="https://pasal.id/en/peraturan/perban/peraturan-bppmi-no-7-tahun-2023/koreksi/7982300",
)
E_PMI_CARD = Source(
    "Perban 27/2025",
    "Peraturan KP2MI/BP2MI No. 27 Tahun 2025: Kartu Pekerja Migran Indonesia Elektronik (E-PMI), "
    "diterbitkan setelah orientasi pra-pemberangkatan dan perekaman biometrik",
    url="https://pasal.id/en/peraturan/perban/peraturan-bppmi-no-27-tahun-2025/koreksi/7896597",
)
# --- identity (jalur.rules.identity) ---
ADMINDUK_NIK = Source(
    "UU 24/2013",
    "Undang-Undang No. 24 Tahun 2013 tentang Perubahan atas UU 23/2006 tentang Administrasi "
    "Kependudukan: NIK berlaku seumur hidup dan selamanya",
    article="Pasal 13",
)
NIK_LAYOUT = Source(
    "Dukcapil",
    "Dukcapil, arti 16 digit NIK: kode provinsi, kabupaten/kota dan kecamatan tempat NIK pertama "
    "kali didaftarkan, tanggal lahir (perempuan ditambah 40), bulan dan tahun lahir, nomor urut "
    "mulai 0001",
    url="https://dukcapil.klaten.go.id/arti-16-digit-nomor-induk-kependudukan-nik",
)

# --- the worker abroad: the monthly check-in (jalur.rules.checkins) ---
WAGE_AS_AGREED = Source(
    *UU_18_2017,
    article="Pasal 6 ayat (1) huruf f",
    url="https://www.hukumonline.com/berita/a/ingin-bekerja-di-luar-negeri-begini-hak-hak-pekerja-migran-lt5d6798becae69/",
)
TRAVEL_DOCUMENTS_HELD = Source(
    *UU_18_2017,
    article="Pasal 6 ayat (1) huruf j",
    url="https://www.hukumonline.com/berita/a/ingin-bekerja-di-luar-negeri-begini-hak-hak-pekerja-migran-lt5d6798becae69/",
)
CHECKIN_ESCALATION = Source(
    PROGRAMME.short,
    PROGRAMME.title,
    article=gettext_lazy(
        "kabar bulanan pekerja: pengingat, P3MI menjawab bila terlewat, lalu keluarga dan kantor"
    ),
)

# --- urgent cases abroad: SOS, crisis, repatriation (jalur.rules.crisis) ---
PROTECTION_DURING_WORK = Source(
    *UU_18_2017,
    article="Pasal 21 ayat (1)",
    url="https://id.wikisource.org/wiki/Halaman:Undang-Undang_Nomor_18_Tahun_2017.pdf/9",
)
PROTECTION_AFTER_WORK = Source(
    *UU_18_2017,
    article="Pasal 24 ayat (1)",
    url="https://id.wikisource.org/wiki/Halaman:Undang-Undang_Nomor_18_Tahun_2017.pdf/10",
)
REMAINS_REPATRIATION = Source(
    *PP_59_2021,
    article="Pasal 21 ayat (3) dan (4)",
    url="https://www.basishukum.com/pp/59/2021/II/ketiga",
)
CRISIS_RETURN = Source(
    *PP_59_2021,
    article="Pasal 35 huruf e dan f",
    url="https://www.basishukum.com/pp/59/2021/IV",
)
URGENT_RESPONSE_TIMES = Source(
    PROGRAMME.short,
    PROGRAMME.title,
    article=gettext_lazy(
        "kasus darurat: jam tanggap kantor dan P3MI (hukum tidak menetapkan jumlah jam)"
    ),
)
