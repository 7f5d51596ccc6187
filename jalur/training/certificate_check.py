"""The public certificate check, shared by its page and the API: what it may show, and how many
numbers that are not found an address may try.

Numbers that are not found count per address, and after CERTIFICATE_MISSES_PER_HOUR of them the
address may check again only in the next hour. Found certificates never count, so an employer
checking a whole batch of real ones is not held up.
"""

from jalur.core.throttle import over_limit, used_up

from .models import Certificate, CertificateStatus

CERTIFICATE_MISSES_PER_HOUR = 20


def misses_used_up(address: str | None) -> bool:
    return used_up(f"certificate-miss:{address}", CERTIFICATE_MISSES_PER_HOUR)


def count_miss(address: str | None) -> None:
    over_limit(f"certificate-miss:{address}", CERTIFICATE_MISSES_PER_HOUR)


def public_certificate(certificate: Certificate | None) -> dict | None:
    """Only what the public check may show: name, programme, number, valid or revoked."""
    if certificate is None:
        return None
    return {
        "holder_name": certificate.holder_name,
        "programme_name": certificate.programme_name,
        "number": certificate.number,
        "valid": certificate.status == CertificateStatus.VALID,
    }


def certificate_by_number(number: str) -> Certificate | None:
    """The certificate of a number as printed (spaces around it and lower case forgiven)."""
    return Certificate.objects.filter(number=number.strip().upper()).first()


def certificate_by_token(token: str) -> Certificate | None:
    """The certificate a QR code's link names."""
    return Certificate.objects.filter(token=token).first()
