"""A candidate's stages and the allowed moves between them: the whole state machine on one screen.

Every move goes through `services.candidate_stage_change`, which writes a StageHistory row and an
audit row in the same transaction. Dashboards compute time spent in each stage from the history.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    REGISTERING = "registering", _("Mengisi pendaftaran")
    REGISTERED = "registered", _("Menunggu verifikasi")
    CORRECTION = "correction", _("Perlu perbaikan data")
    VERIFIED = "verified", _("Terverifikasi")
    TRAINING = "training", _("Mengikuti pelatihan")
    TRAINED = "trained", _("Lulus pelatihan")
    SELECTION = "selection", _("Seleksi oleh perusahaan")
    PRE_DEPARTURE = "pre_departure", _("Persiapan keberangkatan")
    READY = "ready", _("Siap berangkat")
    DEPARTED = "departed", _("Bekerja di luar negeri")
    RETURNED = "returned", _("Sudah pulang")
    REJECTED = "rejected", _("Ditolak")
    WITHDRAWN = "withdrawn", _("Mengundurkan diri")


S = Stage
TRANSITIONS: dict[str, frozenset[str]] = {
    S.REGISTERING: frozenset({S.REGISTERED, S.WITHDRAWN}),
    S.REGISTERED: frozenset({S.VERIFIED, S.CORRECTION, S.REJECTED, S.WITHDRAWN}),
    S.CORRECTION: frozenset({S.REGISTERED, S.REJECTED, S.WITHDRAWN}),
    # VERIFIED -> TRAINED: a returnee verified again whose training certificate still holds
    # (protection.services.certificate_carry_over); nobody else skips training.
    S.VERIFIED: frozenset({S.TRAINING, S.TRAINED, S.CORRECTION, S.WITHDRAWN}),
    S.TRAINING: frozenset({S.TRAINED, S.VERIFIED, S.WITHDRAWN}),
    # TRAINED -> VERIFIED: the training certificate was revoked; the person must train again.
    S.TRAINED: frozenset({S.SELECTION, S.TRAINING, S.VERIFIED, S.WITHDRAWN}),
    S.SELECTION: frozenset({S.PRE_DEPARTURE, S.TRAINED, S.WITHDRAWN}),
    S.PRE_DEPARTURE: frozenset({S.READY, S.TRAINED, S.WITHDRAWN}),
    S.READY: frozenset({S.DEPARTED, S.PRE_DEPARTURE, S.WITHDRAWN}),
    S.DEPARTED: frozenset({S.RETURNED}),
    # RETURNED -> REGISTERING: a returnee starts a next cycle ("Daftar lagi", Candidate.cycle + 1);
    # the same record, its history and earlier documents kept (protection.services.cycle_restart).
    S.RETURNED: frozenset({S.REGISTERING}),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

# The main path, in order, as shown to the candidate ("where am I in the whole journey").
JOURNEY: list[str] = [
    S.REGISTERING,
    S.REGISTERED,
    S.VERIFIED,
    S.TRAINING,
    S.TRAINED,
    S.SELECTION,
    S.PRE_DEPARTURE,
    S.READY,
    S.DEPARTED,
    S.RETURNED,
]

# What the candidate should do next, in plain Indonesian.
NEXT_STEP: dict[str, str] = {
    S.REGISTERING: _("Lengkapi formulir pendaftaran dan unggah dokumen Anda."),
    S.REGISTERED: _(
        "Tunggu petugas memeriksa data dan dokumen Anda. Biasanya beberapa hari kerja."
    ),
    S.CORRECTION: _("Perbaiki data atau dokumen sesuai catatan petugas, lalu kirim ulang."),
    S.VERIFIED: _("Data Anda sudah diverifikasi. Tunggu jadwal pelatihan bahasa dan keterampilan."),
    S.TRAINING: _("Ikuti pelatihan dengan tertib; kehadiran dan nilai ujian menentukan kelulusan."),
    S.TRAINED: _(
        "Anda lulus pelatihan. Setelah skema penempatan Anda ditetapkan (lihat bagian Skema "
        "penempatan), lamar lowongan resmi dan tunggu undangan seleksi."
    ),
    S.SELECTION: _("Ikuti wawancara dan seleksi. Jawab tawaran kerja di akun Anda."),
    # reached only by accepting an offer: training is behind, the offer ahead
    S.PRE_DEPARTURE: _(
        "Anda sudah menerima tawaran kerja. Lengkapi dokumen keberangkatan bersama P3MI: cek kesehatan, paspor, kontrak, visa, OPP."
    ),
    S.READY: _("Semua dokumen lengkap. Tunggu jadwal keberangkatan dari perusahaan."),
    S.DEPARTED: _("Laporkan kabar Anda setiap bulan. Jika ada masalah, buat pengaduan."),
    S.RETURNED: _(
        "Selamat datang kembali. Isi tindak lanjut reintegrasi 1, 3 dan 6 bulan setelah pulang. "
        "Ingin bekerja ke luar negeri lagi? Pilih Daftar lagi."
    ),
    S.REJECTED: _(
        "Pendaftaran Anda ditolak. Lihat alasannya, atau datang ke kantor Disnakertrans."
    ),
    S.WITHDRAWN: _("Anda sudah mengundurkan diri dari program."),
}

ACTIVE_STAGES = frozenset(s for s, nxt in TRANSITIONS.items() if nxt) - {S.DEPARTED, S.RETURNED}


def can_move(from_stage: str, to_stage: str) -> bool:
    return to_stage in TRANSITIONS.get(from_stage, frozenset())
