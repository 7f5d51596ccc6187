"""Demo protection (seed_demo): for the group that flew today, an arrival confirmed by the agency, a
check-in, a family code for sending news (printed with the demo log-ins), a worried family's
complaint through the public form handled by the office and the P3MI, and one worker sent home on
arrival (return with a witnessed handover). Idempotent by worker."""

from django.utils import timezone

from . import services
from .models import CheckIn, GrievanceStatus, ReporterKind


def seed(ctx: dict) -> None:
    departed = ctx.get("departed") or []
    if len(departed) < 3 or CheckIn.objects.filter(candidate__in=departed).exists():
        return
    users = ctx["users"]
    manager, duta = users["manajer"], users["p3mi-duta"]
    today = timezone.localdate()
    first, second, third = departed[:3]

    services.arrival_confirm(
        candidate=first,
        arrived_on=today,
        confirmed_by_kind=ReporterKind.AGENCY,
        actor=duta,
        address_abroad="Asrama Chita Buhin, Chita, Aichi",
    )
    services.checkin_record(
        candidate=first,
        status=CheckIn.Status.GOOD,
        note="Sudah tiba di asrama, sehat.",
        reporter_kind=ReporterKind.WORKER,
        actor=first.user,
    )
    link, secret = services.family_link_issue(
        candidate=first, family_name="Ibu Rukmini", relation="ibu", actor=manager
    )
    ctx.setdefault("notes", []).append(
        f"kabar keluarga: /pelindungan/kabar-keluarga/ kode {link.code}, kode rahasia {secret}"
    )

    grievance, _secret = services.grievance_open(
        reporter_kind=ReporterKind.FAMILY,
        reporter_name="Ibu Komariah",
        reporter_relation="ibu",
        reporter_phone="0813-1234-5566",
        worker_name=second.full_name,
        candidate=second,
        worker_country="JP",
        category="other",
        description="Anak saya belum memberi kabar sejak mendarat. Nomor WhatsApp-nya tidak aktif.",
    )
    services.grievance_assign(grievance=grievance, officer=manager, actor=manager)
    grievance = services.grievance_move(
        grievance=grievance,
        to_status=GrievanceStatus.CLARIFICATION_1,
        actor=manager,
        text="P3MI diminta memastikan keberadaan dan keadaan pekerja hari ini.",
    )
    services.grievance_agency_response(
        grievance=grievance,
        actor=duta,
        text="Pekerja sudah tiba di asrama; kartu SIM Jepang baru aktif besok. Staf kami di Nagoya sudah bertemu langsung.",
    )

    services.return_record(
        candidate=third,
        data={
            "returned_on": today,
            "reason": "sick",
            "reason_note": "Pemeriksaan kesehatan ulang di bandara Chubu: hipertensi berat; dipulangkan oleh P3MI dengan biaya pemberi kerja.",
            "handover_to": "Bapak Sanusi (ayah)",
            "handover_witness": "Drs. Hasan Basri",
            "handover_witness_role": "Petugas Disnakertrans Kota Serang",
            "handover_place": "Bandara Soekarno-Hatta, Terminal 3",
            "reintegration": "counselling",
            "reintegration_note": "Pemeriksaan lanjutan di RSUD dr. Drajat Prawiranegara; bisa mendaftar lagi setelah sehat.",
        },
        actor=manager,
    )
