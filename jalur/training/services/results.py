"""Test results on their official scales, and the pass marks the sources leave open."""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record, diff, snapshot
from jalur.candidates.models import Candidate

from .. import scales
from ..models import (
    Assessment,
    Enrolment,
    ResultKind,
    ScaleSetting,
)
from ..scales import Test
from ._shared import _user


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


SCORE_FIELDS = [
    "test",
    "kind",
    "taken_on",
    "reading",
    "listening",
    "score",
    "band",
    "jlpt_level",
    "jlpt_language",
    "jlpt_reading",
    "jlpt_language_reading",
    "jlpt_listening",
    "passed",
    "job_type_id",
    "title",
    "issuer",
    "certificate_number",
    "valid_until",
]


def assessment_record(
    *, candidate: Candidate, actor, data: dict, enrolment: Enrolment | None = None
) -> Assessment:
    """Record a test result on its official scale. Out-of-range scores are refused with the range."""
    test, kind = data.get("test"), data.get("kind")
    if test not in Test.values:
        raise ValidationError({"test": _("Pilih jenis ujian.")})
    if kind not in ResultKind.values:
        raise ValidationError({"kind": _("Pilih simulasi atau hasil resmi.")})
    taken_on = data.get("taken_on")
    if taken_on is None:
        raise ValidationError({"taken_on": _("Isi tanggal ujian.")})
    if taken_on > timezone.localdate():
        raise ValidationError({"taken_on": _("Tanggal ujian tidak boleh di masa depan.")})
    if enrolment is not None and enrolment.candidate_id != candidate.pk:
        raise ValidationError(_("Pendaftaran pelatihan ini milik pencari kerja lain."))
    setting = ScaleSetting.objects.filter(test=test).first()
    pass_mark = setting.pass_mark if setting else None
    fields = {
        "candidate": candidate,
        "enrolment": enrolment,
        "test": test,
        "kind": kind,
        "taken_on": taken_on,
        "notes": data.get("notes", ""),
        "issuer": data.get("issuer", ""),
        "title": data.get("title", ""),
        "certificate_number": data.get("certificate_number", ""),
        "valid_until": data.get("valid_until"),
        "job_type": data.get("job_type"),
        "recorded_by": _user(actor),
    }
    if test == Test.EPS_TOPIK:
        outcome = scales.eps_topik_evaluate(
            reading=data.get("reading"), listening=data.get("listening"), pass_mark=pass_mark
        )
        fields.update(
            reading=data["reading"],
            listening=data["listening"],
            score=outcome.score,
            passed=outcome.passed,
        )
    elif test == Test.JFT_BASIC:
        outcome = scales.jft_basic_evaluate(score=data.get("score"), pass_mark=pass_mark)
        fields.update(score=outcome.score, band=outcome.band, passed=outcome.passed)
    elif test == Test.JLPT:
        level = data.get("jlpt_level") or ""
        sections = {
            "language": data.get("jlpt_language"),
            "reading": data.get("jlpt_reading"),
            "language_reading": data.get("jlpt_language_reading"),
            "listening": data.get("jlpt_listening"),
        }
        outcome = scales.jlpt_evaluate(level=level, sections=sections)
        used = {s.code for s in scales.JLPT_RULES[level].sections}
        fields.update(
            jlpt_level=level,
            score=outcome.score,
            passed=outcome.passed,
            **{f"jlpt_{code}": (v if code in used else None) for code, v in sections.items()},
        )
    elif test == Test.SKILL:
        scales.skill_score_check(data.get("score"))
        if data.get("passed") is None:
            raise ValidationError({"passed": _("Pilih lulus atau tidak lulus.")})
        errors = {}
        if not fields["title"].strip():
            errors["title"] = _("Tulis nama uji keterampilan.")
        if not fields["issuer"].strip():
            errors["issuer"] = _("Tulis penyelenggara uji (misalnya Prometric, LSP, HRD Korea).")
        if fields["job_type"] is None:
            errors["job_type"] = _("Pilih jenis pekerjaan yang diuji.")
        if errors:
            raise ValidationError(errors)
        fields.update(score=data.get("score"), passed=bool(data["passed"]))
    elif test == Test.CARE_JAPANESE:
        # pass/fail only: the score sheet's number is not a rule anywhere, so none is stored
        if data.get("passed") is None:
            raise ValidationError({"passed": _("Pilih lulus atau tidak lulus.")})
        fields.update(score=None, passed=bool(data["passed"]))
    else:  # competency certificate or licence: holding it is the pass
        errors = {}
        if not fields["certificate_number"].strip():
            errors["certificate_number"] = _("Tulis nomor sertifikat atau lisensi.")
        if not fields["title"].strip():
            errors["title"] = (
                _("Tulis skema kompetensi BNSP/LSP.")
                if test == Test.COMPETENCY
                else _("Tulis nama lisensi (misalnya SIM Jepang, STR perawat).")
            )
        if not fields["issuer"].strip():
            errors["issuer"] = _("Tulis lembaga penerbit (LSP, kepolisian, dll.).")
        if test == Test.LICENCE and fields["job_type"] is None:
            errors["job_type"] = _("Pilih jenis pekerjaan yang memerlukan lisensi ini.")
        if test == Test.COMPETENCY and kind != ResultKind.OFFICIAL:
            errors["kind"] = _("Sertifikat kompetensi selalu hasil resmi.")
        if errors:
            raise ValidationError(errors)
        fields.update(passed=True)
    if (
        fields["valid_until"] is None
        and setting
        and setting.valid_months
        and kind == ResultKind.OFFICIAL
    ):
        fields["valid_until"] = add_months(taken_on, setting.valid_months)
    if fields["valid_until"] is not None and fields["valid_until"] < taken_on:
        raise ValidationError({"valid_until": _("Masa berlaku tidak boleh sebelum tanggal ujian.")})
    with transaction.atomic():
        assessment = Assessment(**fields)
        assessment.full_clean()
        assessment.save()
        audit_record(
            actor=actor,
            action="training.assessment.record",
            target=assessment,
            changes=diff({}, snapshot(assessment, SCORE_FIELDS)),
        )
    return assessment


def assessment_delete(*, assessment: Assessment, actor, reason: str) -> None:
    if not reason.strip():
        raise ValidationError({"reason": _("Tulis alasan hasil ini dihapus.")})
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="training.assessment.delete",
            target=assessment,
            changes=diff(snapshot(assessment, SCORE_FIELDS), {}),
            reason=reason,
        )
        assessment.delete()


def scale_setting_update(*, setting: ScaleSetting, actor, data: dict, reason: str) -> ScaleSetting:
    if not reason.strip():
        raise ValidationError({"reason": _("Tulis dasar perubahan (misalnya pengumuman resmi).")})
    fields = ["pass_mark", "valid_months", "source"]
    ranges = {
        Test.EPS_TOPIK: (0, scales.EPS_TOTAL_MAX),
        Test.JFT_BASIC: (scales.JFT_MIN, scales.JFT_MAX),
    }
    mark = data.get("pass_mark")
    if mark is not None:
        if setting.test not in ranges:
            raise ValidationError(
                {"pass_mark": _("Ujian ini tidak memakai batas lulus angka; kosongkan isian ini.")}
            )
        low, high = ranges[setting.test]
        if not low <= mark <= high:
            raise ValidationError(
                {
                    "pass_mark": _("Batas lulus %(test)s harus antara %(low)s dan %(high)s.")
                    % {"test": setting.get_test_display(), "low": low, "high": high}
                }
            )
    with transaction.atomic():
        locked = ScaleSetting.objects.select_for_update().get(pk=setting.pk)
        before = snapshot(locked, fields)
        for key in fields:
            if key in data:
                setattr(locked, key, data[key])
        locked.updated_by = _user(actor)
        locked.full_clean()
        locked.save()
        audit_record(
            actor=actor,
            action="training.scale.update",
            target=locked,
            changes=diff(before, snapshot(locked, fields)),
            reason=reason,
        )
    return locked
