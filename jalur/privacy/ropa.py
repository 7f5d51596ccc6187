"""The record of processing activities (UU PDP Pasal 31), generated from Jalur's own data map: every
table that holds data about a person (`graph.candidate_links`), with its purpose, legal basis, the
categories of data (its fields), who sees it, how long it is kept and the safeguards."""

import csv
import io

from django.db import models

from jalur.rules import privacy as rules

from .graph import candidate_links
from .policy import POLICY

# Per app: the purpose, the legal basis (UU PDP Pasal 20 ayat (2)) and who sees the rows.
APPS = {
    "candidates": (
        "Pendaftaran dan verifikasi calon pekerja migran",
        "Persetujuan (Pasal 20 ayat (2) huruf a); kewajiban hukum UU 18/2017 Pasal 13 (huruf c)",
        "Disnakertrans (petugas pendaftaran, verifikator, pengelola); LPK dan P3MI: nama dan tahap saja",
    ),
    "pathways": (
        "Penetapan skema penempatan yang sah",
        "Kewajiban hukum UU 18/2017 Pasal 10 (huruf c)",
        "Disnakertrans; LPK dan P3MI yang menangani orang itu",
    ),
    "training": (
        "Pelatihan bahasa dan keterampilan, kehadiran, ujian, sertifikat",
        "Persetujuan (huruf a); pelaksanaan perjanjian pelatihan (huruf b)",
        "Disnakertrans; lembaga pelatihan orang itu",
    ),
    "placement": (
        "Seleksi, lamaran dan tawaran kerja",
        "Persetujuan (huruf a); pelaksanaan perjanjian penempatan (huruf b)",
        "Disnakertrans; P3MI yang lowongannya dilamar",
    ),
    "departure": (
        "Dokumen keberangkatan, biaya dan bebas biaya penempatan",
        "Kewajiban hukum UU 18/2017 Pasal 13 dan Pasal 30 (huruf c)",
        "Disnakertrans; P3MI pemberangkat",
    ),
    "protection": (
        "Pelindungan selama bekerja dan setelah pulang: kabar, pengaduan, reintegrasi",
        "Kewajiban hukum UU 18/2017 Pasal 21 dan 24 (huruf c); kepentingan vital (huruf d)",
        "Disnakertrans; P3MI pemberangkat (tanpa catatan internal)",
    ),
    "crisis": (
        "Penanganan kasus darurat pekerja di luar negeri",
        "Kepentingan vital (huruf d); kewajiban hukum UU 18/2017 Pasal 21 (huruf c)",
        "Disnakertrans",
    ),
    "notifications": (
        "Pesan kepada orang itu dan kepada petugas tentang dia",
        "Sama dengan proses yang mengirim pesannya",
        "Penerima pesan; gateway WhatsApp/SMS kota dan server e-mail (pemroses)",
    ),
    "privacy": (
        "Hak subjek data: persetujuan, perbaikan, penghapusan",
        "Kewajiban hukum UU PDP Pasal 5-13 (huruf c)",
        "Disnakertrans (pengelola, verifikator)",
    ),
}
SAFEGUARDS = (
    "Akses per peran dan organisasi (accounts/roles.py, tes matriks akses); setiap perubahan dan "
    "setiap pembacaan data pribadi dicatat (audit); berkas disimpan privat; cadangan terenkripsi"
)
ACTIONS = {
    "delete": "dihapus",
    "scrub": "dianonimkan (isian bebas dan berkas dihapus)",
    "keep": "tanpa data pribadi setelah identitas dianonimkan",
}


def _categories(model) -> str:
    names = [
        str(f.verbose_name)
        for f in model._meta.concrete_fields
        if not f.primary_key and not isinstance(f, models.ForeignKey) and not f.name.endswith("_at")
    ]
    return ", ".join(names[:12])


def processing_records() -> list[dict]:
    """One record per table that holds personal data, the person's own row first."""
    from jalur.candidates.models import Candidate

    rows = []
    entries = [("candidates.Candidate", Candidate)] + [
        (link.label, link.model) for link in candidate_links()
    ]
    for label, model in entries:
        app = label.split(".")[0]
        purpose, basis, recipients = APPS.get(app, ("", "", ""))
        action, _fields = POLICY.get(label, ("scrub", ()))
        keep = rules.MUST_KEEP_TABLES.get(label)
        retention = (
            f"{rules.KEEP_YEARS} tahun sejak keluar/pulang, lalu {ACTIONS[action]}"
            if keep
            else f"masa simpan (JALUR_RETENTION_YEARS) sejak keluar; pulang: {rules.KEEP_YEARS} "
            f"tahun; lalu {ACTIONS.get(action, 'dianonimkan')}"
        )
        rows.append(
            {
                "table": label,
                "name": str(model._meta.verbose_name_plural),
                "purpose": purpose,
                "legal_basis": basis,
                "categories": _categories(model),
                "recipients": recipients,
                "retention": retention,
                "safeguards": SAFEGUARDS,
            }
        )
    return rows


COLUMNS = [
    "table",
    "name",
    "purpose",
    "legal_basis",
    "categories",
    "recipients",
    "retention",
    "safeguards",
]


def ropa_csv() -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(processing_records())
    return out.getvalue()


def ropa_markdown() -> str:
    lines = [
        "# Catatan kegiatan pemrosesan data pribadi (UU PDP Pasal 31)",
        "",
        "Dibuat dari peta data Jalur (`manage.py ropa`); jangan diubah dengan tangan.",
        "",
    ]
    for row in processing_records():
        lines += [f"## {row['name']} (`{row['table']}`)", ""]
        for key in COLUMNS[2:]:
            lines.append(f"- **{key}**: {row[key]}")
        lines.append("")
    return "\n".join(lines)
