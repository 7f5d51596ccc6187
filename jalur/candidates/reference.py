"""Reference data shipped with Jalur: registration document types and the first consent text.

Created when missing (after every migrate, also in test databases); never overwritten, so a
programme manager's edits stay. Which documents are required is data, not code: the office changes
`required` in the admin. A new consent text is a new version, never an edit of a published one.
"""

from django.db import transaction

# code, name, description, required, has_expiry, order. Later stages add their own types.
DOCUMENT_TYPES = [
    ("ktp", "KTP", "Kartu Tanda Penduduk elektronik, sisi depan.", True, False, 10),
    ("kk", "Kartu Keluarga", "Seluruh halaman KK, terbaca jelas.", True, False, 20),
    (
        "ijazah",
        "Ijazah terakhir",
        "Ijazah pendidikan terakhir yang Anda isi di formulir.",
        True,
        False,
        30,
    ),
    ("akta-lahir", "Akta kelahiran", "Akta kelahiran atau surat kenal lahir.", True, False, 40),
    (
        "status-kawin",
        "Surat keterangan status perkawinan",
        "Buku nikah, akta cerai, atau surat keterangan belum menikah dari kelurahan.",
        True,
        False,
        50,
    ),
    (
        "izin-keluarga",
        "Surat izin keluarga diketahui lurah",
        "Izin suami/istri, orang tua atau wali, ditandatangani dan diketahui lurah.",
        True,
        False,
        60,
    ),
    ("pas-foto", "Pas foto", "Foto wajah terbaru, latar polos.", True, False, 70),
    (
        "skck",
        "SKCK",
        "Surat Keterangan Catatan Kepolisian yang masih berlaku.",
        False,
        True,
        80,
    ),
    (
        "ak1",
        "Kartu pencari kerja (AK/1)",
        "Kartu kuning dari Disnakertrans, jika sudah punya.",
        False,
        True,
        90,
    ),
]

CONSENT_2026_01 = {
    "version": "2026-01",
    "title": "Persetujuan penggunaan data pribadi calon pekerja migran",
    "collected": (
        "Identitas (NIK, nomor KK, nama, tempat dan tanggal lahir, jenis kelamin, agama bila Anda "
        "isi, status perkawinan); alamat dan nomor kontak, termasuk kontak keluarga; pendidikan, "
        "pengalaman kerja, tinggi dan berat badan; negara dan pekerjaan yang Anda minati; salinan "
        "dokumen (KTP, KK, ijazah, akta kelahiran, surat status perkawinan, izin keluarga, SKCK, pas "
        "foto, kartu AK/1). Pada tahap berikutnya juga nilai pelatihan, hasil pemeriksaan kesehatan "
        "dan psikologi (data pribadi yang bersifat spesifik), paspor, kontrak kerja dan visa."
    ),
    "purpose": (
        "Mendaftarkan dan memeriksa Anda sebagai calon pekerja migran dalam {programme}; mengatur "
        "pelatihan; mencocokkan Anda dengan lowongan resmi; menyiapkan keberangkatan; melindungi "
        "Anda selama bekerja dan setelah pulang; mencatat Anda di SISKOP2MI sesuai UU 18/2017; dan "
        "membuat statistik program tanpa nama."
    ),
    "recipients": (
        "Petugas {office} yang menangani tahap Anda; lembaga pelatihan (LPK/BLK) "
        "tempat Anda dilatih; perusahaan penempatan resmi (P3MI) yang memproses lamaran Anda, hanya "
        "data yang mereka perlukan (dokumen Anda tidak diperlihatkan kepada P3MI pada tahap "
        "pendaftaran); BP3MI yang melayani Provinsi {province} dan KP2MI melalui SISKOP2MI. Data Anda tidak dijual dan tidak "
        "dipakai untuk promosi."
    ),
    "retention": (
        "Selama Anda mengikuti program, dan 5 tahun sesudah tahap terakhir Anda (pulang, ditolak, "
        "atau mengundurkan diri); sesudah itu dihapus atau dibuat tanpa nama. Catatan audit (siapa "
        "mengubah atau melihat data) disimpan tanpa nama Anda."
    ),
    "rights": (
        "Anda berhak melihat dan mengunduh data Anda di halaman akun Anda, meminta perbaikan, menarik "
        "persetujuan (artinya Anda keluar dari program), dan mengadu ke {office} bila data Anda "
        "disalahgunakan (UU 27/2022 tentang Pelindungan Data Pribadi)."
    ),
}


def consent_text_fields(template: dict | None = None) -> dict:
    """A consent text with the programme's and office's names filled in (jalur.regions.naming):
    the stored text is what the person read, so the names are written into it, not looked up later."""
    from jalur.regions.naming import office_name, programme_name, province_name

    names = {
        "programme": programme_name(),
        "office": office_name(),
        "province": province_name(),
    }
    return {
        key: value if key == "version" else value.format(**names)
        for key, value in (template or CONSENT_2026_01).items()
    }


def candidates_reference_ensure(using: str = "default") -> None:
    from .models import ConsentText, DocumentType

    with transaction.atomic(using=using):
        existing = set(DocumentType.objects.using(using).values_list("code", flat=True))
        created = DocumentType.objects.using(using).bulk_create(
            [
                DocumentType(
                    code=code,
                    name=name,
                    description=description,
                    required=required,
                    has_expiry=has_expiry,
                    sort_order=order,
                )
                for code, name, description, required, has_expiry, order in DOCUMENT_TYPES
                if code not in existing
            ]
        )
        if any(t.required for t in created):
            from .document_state import documents_due_rebuild

            documents_due_rebuild(using)  # bulk_create sends no signal
        if not ConsentText.objects.using(using).exists():
            ConsentText.objects.using(using).create(**consent_text_fields(), is_current=True)
