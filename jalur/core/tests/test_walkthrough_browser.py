"""Issue 17: the walk-through for the city's staff training (docs/walkthrough.md), its screenshots
taken here, in the real browser, so they follow the screens as they change.

`test_every_screen_of_the_walkthrough_loads_and_is_photographed` seeds the demo (`seed_demo`, the
same data staff practise on), logs in once as each person (one browser context each), opens every
screen named in `ROLES` by its URL name on a 360×740 phone, checks it (no error status, no redirect
elsewhere, a heading, every image loaded, no failed request, no script error) and photographs it,
then widens the same page to a 1280×800 desktop and photographs it again (the page reflows as on a
desktop; its script marks wide tables again on resize), so each screen is loaded once.
The page and its images go to a temporary folder; with JALUR_WRITE_WALKTHROUGH=1 they replace
docs/walkthrough.md and docs/walkthrough/ instead, as 256-colour PNGs. Screenshots differ from run
to run (dates, numbers), so an ordinary run leaves the tree clean; the text of the page does not,
and `test_the_walkthrough_page_shows_exactly_the_screens_defined_here` fails when the committed
page and images no longer match `ROLES` (a screen added, renamed or reworded without regenerating).

Screens are opened by URL name and their records found by stage or status, never by a label, so
other changes to a page's wording do not break this test; only a page that fails to load does.
Dates come from the clock, moved or not (JALUR_TEST_TODAY): nothing here asserts one.
"""

from __future__ import annotations

import io
import os
import re
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jalur.accounts.demo import DEMO_PASSWORD
from jalur.accounts.models import User
from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage
from jalur.departure.models import DepartureCase
from jalur.departure.states import CaseStatus
from jalur.placement.models import Application, JobOrder
from jalur.placement.states import ApplicationStatus, OrderStatus
from jalur.protection.models import Grievance
from jalur.protection.services import family_link_issue
from jalur.training.models import Cohort

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "walkthrough.md"
IMAGES = DOC.with_suffix("")  # docs/walkthrough/
WRITE = os.environ.get("JALUR_WRITE_WALKTHROUGH") == "1"
REGENERATE = (
    "JALUR_WRITE_WALKTHROUGH=1 .venv/bin/python -m pytest "
    "jalur/core/tests/test_walkthrough_browser.py -n 0"
)


class Viewport(NamedTuple):
    width: int
    height: int
    cap: int  # the most of a long page one picture shows: two screens' worth
    words: str  # Indonesian, for the pictures' alt text


VIEWPORTS = {
    "phone": Viewport(360, 740, 1480, "ponsel"),
    "desktop": Viewport(1280, 800, 1600, "komputer"),
}
MAX_IMAGE_BYTES = 150_000


# --- what the page shows -------------------------------------------------------------------------


@dataclass(frozen=True)
class Screen:
    slug: str
    title: str
    text: str  # Indonesian: what the person does here and what to tap next
    url: Callable[[Demo], str]
    who: str | None = None  # who opens it: the role's person unless named (`Demo.username`)
    before: Callable[[object, Demo], None] | None = None  # run once, on the phone, before


@dataclass(frozen=True)
class Role:
    slug: str
    title: str
    intro: str
    screens: tuple[Screen, ...]
    who: str | None = None  # None: no log-in


def url(name: str, *args: Callable[[Demo], int]) -> Callable[[Demo], str]:
    """The screen's address by URL name; each argument is looked up in the seeded demo."""
    return lambda demo: reverse(name, args=[arg(demo) for arg in args])


def send_family_news(page, demo: Demo) -> None:
    """The family types the code and secret from the office's slip and says there is a problem."""
    page.goto(reverse("protection:family_checkin"))
    page.fill("#id_code", demo.family_code)
    page.fill("#id_secret", demo.family_secret)
    page.check("input[name=status][value=masalah]")
    page.fill("#id_note", "Sudah tiga hari tidak bisa dihubungi; katanya sedang sakit.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('protection:family_checkin_done')}")


ROLES: tuple[Role, ...] = (
    Role(
        "publik",
        "Masyarakat umum (tanpa akun)",
        "Halaman yang bisa dibuka siapa saja tanpa masuk. Tunjukkan kepada warga yang bertanya di "
        "kantor atau lewat WhatsApp.",
        (
            Screen(
                "beranda",
                "Beranda informasi publik",
                "Pintu masuk bagi warga: jalur resmi, pendaftaran, lowongan resmi, P3MI berizin dan "
                "cek sertifikat. Arahkan warga ke sini bila ragu apakah suatu tawaran kerja resmi.",
                url("core:public_home"),
            ),
            Screen(
                "skema",
                "Skema penempatan resmi",
                "Skema ke Korea dan Jepang dengan statusnya (dibuka, ditangguhkan, ditutup) dan "
                "syaratnya. Penempatan lewat skema yang tidak dibuka adalah penempatan ilegal.",
                url("pathways:public"),
            ),
            Screen(
                "lowongan",
                "Lowongan resmi",
                "Hanya lowongan yang sudah disetujui Disnakertrans, dengan izin SIP2MI, gaji dan "
                "siapa yang menanggung biaya. Warga bisa mencari nomor lowongan atau nama "
                "perusahaan.",
                url("placement:public_orders"),
            ),
            Screen(
                "statistik",
                "Statistik program",
                "Jumlah pendaftar, peserta pelatihan dan yang sudah berangkat. Angka di bawah 5 "
                "orang disembunyikan supaya tidak ada orang yang bisa dikenali.",
                url("reports:public"),
            ),
            Screen(
                "masuk",
                "Masuk",
                "Petugas dan pencari kerja masuk di sini dengan nomor HP, e-mail atau nama "
                "pengguna. Yang lupa kata sandi mengetuk tautan di bawah tombol Masuk.",
                url("accounts:login"),
            ),
        ),
    ),
    Role(
        "pencaker",
        "Pencari kerja",
        "Pencari kerja memakai Jalur dari HP. Akun demo `pencaker004` sedang menunggu "
        "verifikasi; layar tawaran kerja dan lapor kabar memakai pencari kerja demo lain yang "
        "sudah sampai di tahap itu.",
        (
            Screen(
                "daftar",
                "Daftar mandiri",
                "Pendaftaran dimulai dengan membuat akun; sesudah itu data diri, alamat, "
                "pendidikan dan dokumen diisi langkah demi langkah dan langsung tersimpan. Warga "
                "yang tidak punya HP didaftarkan di meja pendaftaran.",
                url("candidates:register_start"),
            ),
            Screen(
                "status",
                "Status saya",
                "Halaman pertama sesudah masuk: tahap sekarang, apa yang perlu dilakukan, dan "
                "status setiap dokumen. Bila dokumen ditolak, alasannya tertulis di sini dan "
                "dokumen bisa diunggah ulang.",
                url("candidates:me"),
                who="waiting",
            ),
            Screen(
                "tawaran",
                "Tawaran kerja",
                "Tawaran dibandingkan dengan lowongan yang disetujui Disnakertrans (gaji, lama "
                "kontrak, jabatan). Pencari kerja menekan Terima tawaran atau Tolak tawaran "
                "sebelum batas waktunya.",
                url("placement:my_application", lambda d: d.offered.pk),
                who="offered",
            ),
            Screen(
                "kabar",
                "Lapor kabar bulanan",
                "Pekerja di luar negeri melapor kabar sebulan sekali: Baik atau Ada masalah. Untuk "
                "masalah serius ada tautan Buat pengaduan.",
                url("protection:my_checkin"),
                who="worker",
            ),
        ),
    ),
    Role(
        "keluarga",
        "Keluarga pekerja",
        "Keluarga tidak punya akun. Disnakertrans memberi mereka kode keluarga dan kode rahasia "
        "di atas kertas, dicetak dari halaman pekerja di menu Pemantauan pekerja.",
        (
            Screen(
                "kabar",
                "Kirim kabar pekerja",
                "Keluarga mengisi kode keluarga, kode rahasia dan kabar pekerja bulan ini. Bila "
                "kodenya salah atau sudah diganti, halaman ini mengatakannya.",
                url("protection:family_checkin"),
            ),
            Screen(
                "terkirim",
                "Kabar diterima",
                "Sesudah kabar terkirim. Bila keluarga memilih Ada masalah, petugas diberi tahu, "
                "dan dari sini keluarga bisa langsung membuat pengaduan resmi.",
                url("protection:family_checkin_done"),
                before=send_family_news,
            ),
            Screen(
                "pengaduan",
                "Buat pengaduan",
                "Pengaduan resmi dari keluarga, mis. gaji tidak dibayar atau paspor ditahan. "
                "Sesudah dikirim, keluarga mendapat nomor pengaduan dan kode rahasia untuk "
                "mengikuti penanganannya.",
                url("protection:public_grievance_new"),
            ),
        ),
    ),
    Role(
        "pendaftaran",
        "Petugas pendaftaran",
        "Akun demo `pendaftaran`. Petugas di meja pendaftaran mendaftarkan warga yang datang "
        "langsung dan mencari data pencari kerja.",
        who="pendaftaran",
        screens=(
            Screen(
                "beranda",
                "Beranda petugas",
                "Angka pendaftaran hari ini dan tombol pekerjaan Anda. Ketuk angka untuk membuka "
                "daftarnya; semua halaman Anda ada juga di tombol Menu.",
                url("core:home"),
            ),
            Screen(
                "daftar",
                "Daftar pencari kerja",
                "Cari dengan nama, NIK atau nomor HP, atau saring menurut tahap, kecamatan dan "
                "kelurahan. Ketuk nama untuk membuka datanya.",
                url("candidates:list"),
            ),
            Screen(
                "meja",
                "Daftarkan di meja",
                "Formulir untuk warga yang datang ke kantor, dengan aturan yang sama dengan "
                "pendaftaran mandiri. Sesudah tersimpan, unggah dokumennya dan cetak slip log-in "
                "untuk orang itu.",
                url("candidates:walk_in"),
            ),
            Screen(
                "data",
                "Data satu pencari kerja",
                "Data lengkap satu orang, apa yang masih kurang sebelum bisa dikirim ke "
                "verifikasi, dan tombol unggah untuk setiap dokumen. Bila sudah lengkap, tekan "
                "Kirim ke verifikasi.",
                url("candidates:detail", lambda d: d.registering.pk),
            ),
        ),
    ),
    Role(
        "verifikator",
        "Verifikator",
        "Akun demo `verifikator`. Verifikator memeriksa data dan dokumen setiap pendaftar "
        "sebelum ia boleh ikut pelatihan.",
        who="verifikator",
        screens=(
            Screen(
                "beranda",
                "Beranda verifikator",
                "Berapa yang menunggu verifikasi, yang sedang diperbaiki dan yang mungkin duplikat, "
                "dan berapa lama pendaftaran terlama sudah menunggu.",
                url("core:home"),
            ),
            Screen(
                "antrean",
                "Antrean verifikasi",
                "Yang paling lama menunggu ada di atas. Ketuk nama pendaftar untuk memeriksanya.",
                url("candidates:queue"),
            ),
            Screen(
                "periksa",
                "Memeriksa satu pendaftar",
                "Data pendaftaran di kiri, dokumen di kanan (di HP: di bawahnya). Terima setiap "
                "dokumen atau tolak dengan alasannya, lalu isi Keputusan di bagian bawah halaman: "
                "terverifikasi, perlu perbaikan atau ditolak.",
                url("candidates:verify", lambda d: d.waiting.pk),
            ),
            Screen(
                "duplikat",
                "Kemungkinan duplikat",
                "Pasangan pendaftaran yang mirip, mis. nomor HP sama dengan NIK berbeda. Tidak ada "
                "yang digabung otomatis: periksa keduanya, lalu simpan keputusan.",
                url("candidates:duplicates"),
            ),
        ),
    ),
    Role(
        "pelatihan",
        "Staf lembaga pelatihan",
        "Akun demo `lpk-hana`. Staf LPK atau BLK mengelola angkatan, absensi, nilai ujian dan "
        "sertifikat peserta di lembaganya sendiri.",
        who="lpk-hana",
        screens=(
            Screen(
                "beranda",
                "Beranda lembaga",
                "Angkatan yang berjalan, peserta aktif, daftar tunggu dan sesi hari ini yang belum "
                "diabsen.",
                url("core:home"),
            ),
            Screen(
                "hari-ini",
                "Sesi hari ini",
                "Semua sesi hari ini di lembaga Anda. Ketuk sesi untuk mengisi absensinya.",
                url("training:today"),
            ),
            Screen(
                "angkatan",
                "Satu angkatan",
                "Jadwal, syarat lulus, biaya, peserta dengan persentase kehadirannya, dan daftar "
                "tunggu. Ketuk nama peserta untuk mencatat nilai ujian atau kelulusannya.",
                url("training:cohort_detail", lambda d: d.cohort.pk),
            ),
            Screen(
                "absensi",
                "Absensi",
                "Semua peserta dianggap hadir: ketuk status peserta yang terlambat, izin atau tidak "
                "hadir (langsung tersimpan), lalu tekan Simpan absensi.",
                url("training:register", lambda d: d.session.pk),
            ),
        ),
    ),
    Role(
        "p3mi",
        "Staf P3MI",
        "Akun demo `p3mi-duta`. Staf perusahaan penempatan (P3MI) hanya melihat lowongan, "
        "pelamar dan pekerja perusahaannya sendiri.",
        who="p3mi-duta",
        screens=(
            Screen(
                "beranda",
                "Beranda P3MI",
                "Lowongan menurut status, izin SIP3MI, persiapan keberangkatan, dan pengaduan yang "
                "menunggu jawaban perusahaan.",
                url("core:home"),
            ),
            Screen(
                "lowongan",
                "Lowongan (job order)",
                "Semua lowongan perusahaan dengan statusnya. Tombol Buat lowongan baru membuka "
                "formulir; lowongan dikirim ke Disnakertrans untuk ditinjau sebelum diumumkan.",
                url("placement:order_list"),
            ),
            Screen(
                "pelamar",
                "Satu lowongan dan pelamarnya",
                "Pelamar dan rekomendasi Jalur dengan skornya, izin SIP2MI dan PKS yang dipakai, "
                "dan riwayat lowongan. Ketuk nama pelamar untuk wawancara dan tawaran kerja.",
                url("placement:order_detail", lambda d: d.approved_order.pk),
            ),
            Screen(
                "keberangkatan",
                "Persiapan keberangkatan",
                "Daftar periksa sebelum berangkat (kesehatan, paspor, kontrak, visa, orientasi), "
                "paspor, biaya dan pernyataan tanpa biaya. Bila semua sudah diperiksa "
                "Disnakertrans, tandai siap berangkat.",
                url("departure:case", lambda d: d.case.pk),
            ),
            Screen(
                "pemantauan",
                "Pemantauan pekerja",
                "Pekerja yang sudah berangkat, kapan tiba dan kabar terakhirnya. Baris merah "
                "berarti laporan kabar sudah terlambat.",
                url("protection:monitoring"),
            ),
        ),
    ),
    Role(
        "pengelola",
        "Pengelola program",
        "Akun demo `manajer`. Pengelola program di Disnakertrans melihat semua tahap: meninjau "
        "lowongan, memantau seleksi, menangani pengaduan dan membaca jejak audit.",
        who="manajer",
        screens=(
            Screen(
                "beranda",
                "Beranda pengelola",
                "Ringkasan semua tahap, dari verifikasi sampai pelindungan, dan kemajuan menuju "
                "target 1.000 orang. Setiap angka membuka daftarnya.",
                url("core:home"),
            ),
            Screen(
                "tinjau",
                "Meninjau lowongan",
                "Jalur memeriksa izin, PKS, biaya dan verifikasi atase, lalu menulis apa yang belum "
                "terpenuhi. Pilih setujui, kembalikan untuk perbaikan (tulis apa yang harus "
                "diperbaiki) atau tolak.",
                url("placement:order_review", lambda d: d.submitted_order.pk),
            ),
            Screen(
                "seleksi",
                "Peringkat dan rekomendasi",
                "Pencari kerja yang memenuhi syarat lowongan, diurutkan menurut skor yang "
                "rinciannya terlihat. Tombol di atas menambah rekomendasi sampai tiga kali "
                "jumlah lowongan.",
                url("placement:order_selection", lambda d: d.approved_order.pk),
            ),
            Screen(
                "pengaduan",
                "Menangani pengaduan",
                "Status, batas waktu dan siapa yang harus bergerak, uraian dan riwayat pengaduan. "
                "Di bawahnya petugas mencatat langkah berikutnya, catatan dan bukti.",
                url("protection:grievance_detail", lambda d: d.grievance.pk),
            ),
            Screen(
                "daftar-kerja",
                "Daftar kerja",
                "Orang yang lama tertahan di satu tahap, dokumen yang belum lengkap dan angkatan "
                "dengan kursi kosong. Buka setiap pagi untuk menentukan siapa yang perlu "
                "dihubungi.",
                url("reports:stuck"),
            ),
            Screen(
                "audit",
                "Jejak audit",
                "Setiap perubahan dan setiap pembukaan data pribadi tercatat: siapa, kapan, apa "
                "dan alasannya. Cari menurut pelaku, objek atau tanggal.",
                url("audit:list"),
            ),
        ),
    ),
    Role(
        "pimpinan",
        "Pimpinan",
        "Akun demo `pimpinan`. Pimpinan Disnakertrans membaca angka program; peran ini tidak "
        "mengubah data.",
        who="pimpinan",
        screens=(
            Screen(
                "beranda",
                "Beranda pimpinan",
                "Ringkasan pelatihan, lowongan, keberangkatan dan pelindungan. Dasbor program di "
                "tombol Menu membuka angka lengkapnya.",
                url("core:home"),
            ),
            Screen(
                "dasbor",
                "Dasbor program",
                "Kemajuan menuju target, jumlah per tahap dan per bulan, lama di setiap tahap, "
                "nilai bahasa dan pengaduan. Saring menurut bulan, negara atau jenis pekerjaan.",
                url("reports:dashboard"),
            ),
            Screen(
                "bulanan",
                "Laporan bulanan untuk Wali Kota",
                "Pilih bulan, lalu unduh PDF atau Excel dengan angka yang sama. Setiap unduhan "
                "tercatat di jejak audit.",
                url("reports:monthly"),
            ),
        ),
    ),
)


def image_name(role: Role, screen: Screen, viewport: str) -> str:
    return f"{role.slug}-{screen.slug}-{viewport}.png"


def viewport_of(name: str) -> Viewport:
    return VIEWPORTS[name.removesuffix(".png").rsplit("-", 1)[1]]


def image_names() -> list[str]:
    return [
        image_name(role, screen, viewport)
        for role in ROLES
        for screen in role.screens
        for viewport in VIEWPORTS
    ]


def walkthrough_markdown() -> str:
    """docs/walkthrough.md: made from `ROLES` alone, so the same definitions give the same text."""
    lines = [
        "# Panduan layar Jalur per peran",
        "",
        "Untuk pelatihan petugas: layar utama setiap peran, di ponsel (360 px) dan di komputer "
        "(1280 px), dengan data contoh dari `manage.py seed_demo` (kata sandi akun demo dicetak "
        "oleh perintah itu).",
        "",
        "Halaman dan gambar ini dibuat oleh tes browser `jalur/core/tests/test_walkthrough_browser.py`, "
        "bukan dengan tangan, jadi jangan diubah langsung: ubah teksnya di tes itu, lalu buat "
        f"ulang dengan `{REGENERATE}`. Tanggal dan angka di gambar mengikuti hari pembuatannya.",
        "",
        "## Isi",
        "",
    ]
    lines += [f"- [{role.title}](#{_anchor(role.title)})" for role in ROLES]
    for role in ROLES:
        lines += ["", f"## {role.title}", "", role.intro]
        for number, screen in enumerate(role.screens, 1):
            pictures = " ".join(
                f"![{screen.title}, di {VIEWPORTS[viewport].words}]"
                f"({IMAGES.name}/{image_name(role, screen, viewport)})"
                for viewport in VIEWPORTS
            )
            lines += ["", f"### {number}. {screen.title}", "", screen.text, "", pictures]
    return "\n".join(lines) + "\n"


def _anchor(title: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


# --- the seeded demo -----------------------------------------------------------------------------


def found(record, what: str):
    assert record is not None, f"seed_demo no longer makes {what}: pick another record or screen"
    return record


class Demo:
    """`seed_demo`'s data, and the people and records the screens open, found by stage or status."""

    def __init__(self):
        call_command("seed_demo", stdout=io.StringIO())
        self.today = timezone.localdate()
        self.family_code, self.family_secret = self._family_link()

    def username(self, who: str) -> str:
        people = {"waiting": self.waiting, "offered": self.offered.candidate, "worker": self.worker}
        return people[who].user.username if who in people else who

    def _family_link(self) -> tuple[str, str]:
        link, secret = family_link_issue(
            candidate=self.worker,
            family_name="Ibu Rukmini",
            relation="ibu",
            actor=User.objects.get(username="manajer"),
        )
        return link.code, secret

    @staticmethod
    def _first_in(stage):
        people = Candidate.objects.filter(stage=stage, user__isnull=False).order_by("pk")
        return found(people.first(), f"a job seeker with an account in stage {stage}")

    @cached_property
    def waiting(self):
        return self._first_in(Stage.REGISTERED)

    @cached_property
    def registering(self):
        return self._first_in(Stage.REGISTERING)

    @cached_property
    def worker(self):
        return self._first_in(Stage.DEPARTED)

    @cached_property
    def offered(self):
        offers = Application.objects.filter(status=ApplicationStatus.OFFERED).order_by("pk")
        return found(offers.first(), "an offer waiting for its answer")

    def _order(self, status, agency_code: str | None = None):
        orders = JobOrder.objects.filter(status=status).order_by("pk")
        if agency_code:
            orders = orders.filter(agency__organisation__code=agency_code)
        return found(orders.first(), f"a job order {status} of {agency_code or 'any P3MI'}")

    @cached_property
    def approved_order(self):
        return self._order(OrderStatus.APPROVED, "pt-duta-samudera")

    @cached_property
    def submitted_order(self):
        return self._order(OrderStatus.SUBMITTED)

    @cached_property
    def case(self):
        cases = DepartureCase.objects.filter(
            status=CaseStatus.OPEN, agency__organisation__code="pt-duta-samudera"
        )
        return found(cases.order_by("pk").first(), "an open departure case of PT Duta Samudera")

    @cached_property
    def cohort(self):
        cohorts = Cohort.objects.filter(provider__organisation__code="lpk-hana").order_by("pk")
        running = [c for c in cohorts if c.status(self.today) == "running"]
        return found(running[0] if running else None, "a running cohort of LPK Hana")

    @cached_property
    def session(self):
        """Today's session of the running cohort, or its last one before today."""
        sessions = self.cohort.sessions.filter(date__lte=self.today)
        return found(sessions.order_by("-date", "-start_time").first(), "a session held by now")

    @cached_property
    def grievance(self):
        return found(Grievance.objects.order_by("pk").first(), "a grievance")


# --- the browser ---------------------------------------------------------------------------------


class Visitor:
    """One person's page (their own cookies), with what went wrong on it since the last screen."""

    def __init__(self, browser, base_url: str):
        self.context = browser.new_context(
            viewport=self.size("phone"), locale="id-ID", base_url=base_url
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.failures: list[str] = []
        self.page.on(
            "response",
            lambda r: self.failures.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None,
        )
        # a request the next navigation cut short (net::ERR_ABORTED, often the favicon) is no failure
        self.page.on(
            "requestfailed",
            lambda r: (
                None
                if "ERR_ABORTED" in (r.failure or "")
                else self.failures.append(f"failed {r.url}: {r.failure}")
            ),
        )
        self.page.on("pageerror", lambda error: self.failures.append(f"script error: {error}"))

    @staticmethod
    def size(viewport: str) -> dict:
        return {"width": VIEWPORTS[viewport].width, "height": VIEWPORTS[viewport].height}

    def log_in(self, username: str) -> None:
        login = reverse("accounts:login")
        self.page.goto(login)
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", DEMO_PASSWORD)
        self.page.locator("main form button[type=submit]").click()
        self.page.wait_for_url(lambda address: urlsplit(address).path != login)

    def open(self, path: str) -> list[str]:
        """Open the screen on the phone; what is wrong with it (nothing: it loaded as a person
        would see it)."""
        self.failures.clear()
        self.page.set_viewport_size(self.size("phone"))
        response = self.page.goto(path)
        problems = []
        if response is None or response.status >= 400:
            problems.append(f"HTTP {response.status if response else 'no response'}")
        if urlsplit(self.page.url).path != path:
            problems.append(f"ended at {self.page.url}")
        # lazy images below the fold would never load in a screenshot: load them all, then check
        heading, broken = self.page.evaluate(
            """async () => {
                await Promise.all([...document.images].map(i => {
                    i.loading = 'eager';
                    return i.complete ? null : new Promise(done => { i.onload = i.onerror = done; });
                }));
                const h1 = document.querySelector('h1');
                return [h1 ? h1.innerText.trim() : '',
                        [...document.images].filter(i => !i.naturalWidth).map(i => i.src)];
            }"""
        )
        if not heading:
            problems.append("no heading (h1)")
        problems += [f"image not shown: {src}" for src in broken]
        return problems + self.failures

    def photograph(self, viewport: str) -> bytes:
        """The page at this viewport's width, the top of it up to two screens high. Changing the
        width reflows the page the script knows about (it marks wide tables again on resize)."""
        self.page.set_viewport_size(self.size(viewport))
        full = self.page.evaluate(
            "new Promise(done => requestAnimationFrame(() => "
            "done(document.documentElement.scrollHeight)))"
        )
        return self.page.screenshot(
            full_page=True,
            clip={
                "x": 0,
                "y": 0,
                "width": VIEWPORTS[viewport].width,
                "height": min(full, VIEWPORTS[viewport].cap),
            },
            animations="disabled",
            caret="hide",
        )


def small_png(png: bytes) -> bytes:
    """256 colours, no dithering: a screen of text and flat colours looks the same at a third of
    the size."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
        out, "PNG"
    )
    return out.getvalue()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


# --- the tests -----------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_screen_of_the_walkthrough_loads_and_is_photographed(
    _browser, live_server, tmp_path, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop in this thread
    started, started_cpu = time.monotonic(), time.process_time()
    demo = Demo()
    seeded, seeded_cpu = time.monotonic(), time.process_time()
    # the page names this account, as seed_demo's list of log-ins does
    assert demo.username("waiting") == "pencaker004"
    out = IMAGES if WRITE else tmp_path / IMAGES.name
    out.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    shots: dict[str, bytes] = {}
    visitors: dict[str | None, Visitor] = {}  # one per person, logged in once
    for role in ROLES:
        for screen in role.screens:
            who = screen.who or role.who
            visitor = visitors.get(who)
            if visitor is None:
                visitor = visitors[who] = Visitor(_browser, live_server.url)
                if who is not None:
                    visitor.log_in(demo.username(who))
            if screen.before is not None:
                screen.before(visitor.page, demo)
            path = screen.url(demo)
            problems += [f"{role.slug}-{screen.slug} ({path}): {p}" for p in visitor.open(path)]
            for viewport in VIEWPORTS:
                shots[image_name(role, screen, viewport)] = visitor.photograph(viewport)
    for visitor in visitors.values():
        visitor.context.close()
    photographed, photographed_cpu = time.monotonic(), time.process_time()

    assert sorted(shots) == sorted(image_names())
    for name, png in shots.items():
        shots[name] = small_png(png) if WRITE else png
        assert png_size(shots[name])[0] == viewport_of(name).width, name
    sizes = {name: len(png) for name, png in shots.items()}
    too_big = {name: size for name, size in sizes.items() if WRITE and size > MAX_IMAGE_BYTES}
    if WRITE and (problems or too_big):
        out = tmp_path / IMAGES.name  # docs/ keeps the last good pictures
        out.mkdir()
    elif WRITE:
        for stale in {p.name for p in out.glob("*.png")} - set(shots):
            (out / stale).unlink()
    for name, png in shots.items():
        (out / name).write_bytes(png)
    (out.parent / DOC.name).write_text(walkthrough_markdown(), encoding="utf-8")
    print(
        f"\nwalkthrough: {len(shots)} images, {sum(sizes.values()) // 1024} KB in all, largest "
        f"{max(sizes.values()) // 1024} KB, written to {out}; seeding {seeded - started:.1f} s "
        f"({seeded_cpu - started_cpu:.1f} s CPU), screens {photographed - seeded:.1f} s "
        f"({photographed_cpu - seeded_cpu:.1f} s CPU in this process, the browser's apart)"
    )
    assert not problems, "screens that did not load as they should:\n" + "\n".join(problems)
    assert not too_big, f"images over {MAX_IMAGE_BYTES} bytes: {too_big}"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_screen_check_catches_what_it_is_for(_browser, live_server, monkeypatch):
    """A page behind a log-in (ends elsewhere), an error page, and a page without a heading whose
    image does not load are each reported; the public home page passes."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    visitor = Visitor(_browser, live_server.url)
    try:
        assert visitor.open(reverse("core:public_home")) == []
        assert [p for p in visitor.open(reverse("reports:dashboard")) if "ended at" in p]
        assert "HTTP 404" in visitor.open("/tidak-ada/")
        broken = reverse("core:accessibility")
        visitor.page.route(
            f"**{broken}",
            lambda route: route.fulfill(
                content_type="text/html", body='<main><img src="/static/tidak-ada.png"></main>'
            ),
        )
        problems = visitor.open(broken)
        assert "no heading (h1)" in problems
        assert [p for p in problems if p.startswith("image not shown:")]
        assert [p for p in problems if p.startswith("HTTP 404") and "tidak-ada.png" in p]
    finally:
        visitor.context.close()


def test_the_walkthrough_page_shows_exactly_the_screens_defined_here():
    """docs/walkthrough.md is what `ROLES` makes, and its images are there, one per screen and
    viewport, small, and nothing else is in docs/walkthrough/."""
    regenerate = f"regenerate it: {REGENERATE}"
    assert DOC.read_text(encoding="utf-8") == walkthrough_markdown(), (
        f"docs/walkthrough.md no longer matches ROLES in this test; {regenerate}"
    )
    linked = re.findall(r"\]\(([^)]+\.png)\)", DOC.read_text(encoding="utf-8"))
    assert linked == [f"{IMAGES.name}/{name}" for name in image_names()]
    assert sorted(p.name for p in IMAGES.iterdir()) == sorted(image_names()), regenerate
    for name in image_names():
        data = (IMAGES / name).read_bytes()
        width, height = png_size(data)
        viewport = viewport_of(name)
        assert width == viewport.width and height <= viewport.cap, (name, width, height)
        assert len(data) <= MAX_IMAGE_BYTES, (name, len(data))


def test_the_walkthrough_anchors_follow_githubs_rule():
    assert _anchor("Masyarakat umum (tanpa akun)") == "masyarakat-umum-tanpa-akun"
    assert _anchor("Staf P3MI") == "staf-p3mi"
