"""The in-app inbox and the outbox of messages to send by e-mail (and later SMS/WhatsApp)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message in a user's in-app inbox."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # The person the message is about, when there is one (a check-in problem sent to the managers):
    # erasing that person's data deletes the message too (privacy POLICY).
    candidate = models.ForeignKey(
        "candidates.Candidate",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tentang"),
    )
    key = models.CharField(_("jenis"), max_length=100)
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"))
    link = models.CharField(_("tautan"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class OutboxMessage(models.Model):
    """A message to deliver outside the app, written in the same transaction as its cause."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, null=True, blank=True, related_name="outbox"
    )
    channel = models.CharField(max_length=16, choices=Channel.choices)
    recipient = models.CharField(max_length=254)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("pesan keluar")
        verbose_name_plural = _("pesan keluar")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="outbox_sent_has_time"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient}: {self.subject}"


class InboundMessage(models.Model):
    """A message a person sent to the city's WhatsApp/SMS number, delivered by the gateway's webhook
    (`inbound.py`). One row per delivery the gateway names: a retried delivery finds its row again and
    gets the same answer. Only signed, fresh deliveries are stored; refused ones are only counted."""

    class Outcome(models.TextChoices):
        SOS = "sos", _("Permintaan bantuan darurat")
        CHECKIN = "checkin", _("Kabar bulanan tercatat")
        UNPARSED = "unparsed", _("Format tidak dikenali")
        REFUSED = "refused", _("Kabar tidak dapat dicatat")
        UNKNOWN_SENDER = "unknown_sender", _("Nomor pengirim tidak dikenal")
        UNHANDLED = "unhandled", _("Tidak ada yang menangani")

    provider = models.CharField(_("gateway"), max_length=50, default="gateway")
    provider_message_id = models.CharField(_("nomor pesan di gateway"), max_length=200)
    sender = models.CharField(_("nomor pengirim"), max_length=32)  # E.164 when it is a phone number
    text = models.TextField(_("isi pesan"))
    sent_at = models.DateTimeField(_("dikirim pada"), null=True, blank=True)
    received_at = models.DateTimeField(_("diterima pada"), db_index=True)
    signature_ok = models.BooleanField(_("tanda tangan sah"), default=False)
    handled_at = models.DateTimeField(_("ditangani pada"), null=True, blank=True)
    outcome = models.CharField(_("hasil"), max_length=20, choices=Outcome.choices, blank=True)
    reply = models.TextField(_("balasan"), blank=True)
    # The person the number belongs to, when Jalur knows it: erasing their data deletes the message.
    candidate = models.ForeignKey(
        "candidates.Candidate",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pengirim"),
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("pesan masuk")
        verbose_name_plural = _("pesan masuk")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_message_id"], name="inbound_once_per_provider_id"
            )
        ]

    def __str__(self) -> str:
        return self.audit_label()

    def audit_label(self) -> str:
        return f"pesan masuk #{self.pk}"
