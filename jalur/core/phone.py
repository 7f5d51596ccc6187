"""Mobile numbers: normalise to E.164 (+628…, +8210…) and show them the way people write them.

Which numbers are mobiles comes from Google's libphonenumber metadata, through the `phonenumbers`
package (docs/law.md §7). For Indonesia that metadata says the national significant number of a
mobile is 8[1-35-9] followed by 7–10 digits and that 84x is not mobile; numbers are accepted in
every way Indonesians write them (0812…, 62812…, +62 812…, 812…, a spreadsheet's "….0").

A worker abroad also has a local number (Korea +82 10…, Japan +81 90…/80…/70…): with
`any_country=True` a number written with its country code (+ or 00) is accepted when the metadata
says it is a mobile; fixed lines, internet (VoIP) and toll-free numbers are refused everywhere,
because messages and log-in codes go to the number by WhatsApp or SMS. Without a + or 00 a number
is read as Indonesian, as before: 82 10… is then an Indonesian 0821 number.
"""

import re

import phonenumbers
from django.utils.translation import gettext as _
from phonenumbers import PhoneNumberFormat, PhoneNumberType

INDONESIA = "+62"
_MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
_STRIP = re.compile(r"[\s\-\.\(\)/]")
_INTERNATIONAL = re.compile(r"^(?:\+|00)([1-9]\d{5,14})$")
# Written without the country code, as people there write them: shown back with it in the message.
_NATIONAL_ABROAD = {"KR": re.compile(r"^01\d{8,9}$"), "JP": re.compile(r"^0[789]0\d{8}$")}


def _cleaned(raw) -> str:
    if raw is None:
        return ""
    text = str(raw).strip()
    if text.endswith(".0"):  # a number typed into a spreadsheet cell
        text = text[:-2]
    return _STRIP.sub("", text)


def _parsed(e164: str):
    try:
        return phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None


def _is_mobile(number) -> bool:
    return (
        number is not None
        and phonenumbers.is_valid_number(number)
        and phonenumbers.number_type(number) in _MOBILE_TYPES
    )


def _indonesian(text: str) -> str | None:
    if text.startswith("+62"):
        nsn = text[3:]
    elif text.startswith("0062"):
        nsn = text[4:]
    elif text.startswith("00"):
        return None  # another country's code after the international prefix
    elif text.startswith("62"):
        nsn = text[2:]
    elif text.startswith("0"):
        nsn = text[1:]
    else:
        nsn = text
    nsn = nsn.lstrip("0") if nsn.startswith("08") else nsn
    if not nsn.isdigit() or not nsn.startswith("8"):
        return None
    e164 = INDONESIA + nsn
    return e164 if _is_mobile(_parsed(e164)) else None


def _abroad(text: str) -> str | None:
    """A number written with a country code other than Indonesia's, if it is a mobile."""
    match = _INTERNATIONAL.match(text)
    if not match or match.group(1).startswith("62"):
        return None
    number = _parsed("+" + match.group(1))
    if not _is_mobile(number):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def normalize_phone(raw, *, any_country: bool = False) -> str | None:
    """The E.164 form of a mobile number, or None if it is not one.

    Indonesian mobiles always; with `any_country=True`, also a foreign mobile written with its
    country code (+82 10-1234-5678, 0081 90 1234 5678)."""
    text = _cleaned(raw)
    if not text:
        return None
    if any_country and (phone := _abroad(text)):
        return phone
    return _indonesian(text)


def is_indonesian(e164: str | None) -> bool:
    return bool(e164) and e164.startswith(INDONESIA)


def phone_error(raw=None, *, any_country: bool = False) -> str:
    """What is wrong with `raw` as a mobile number and how to write it, in Indonesian.

    Said for the case at hand when it can be told: a fixed line, a foreign number where only an
    Indonesian one is taken, a Korean or Japanese number written without its country code."""
    text = _cleaned(raw)
    example = (
        _(
            "Contoh: 0812-3456-7890, atau nomor luar negeri dengan kode negara: "
            "+82 10-1234-5678 (Korea), +81 90-1234-5678 (Jepang)."
        )
        if any_country
        else _("Contoh: 0812-3456-7890.")
    )
    match = _INTERNATIONAL.match(text)
    if match and not match.group(1).startswith("62"):
        number = _parsed("+" + match.group(1))
        if not any_country and number is not None and phonenumbers.is_valid_number(number):
            return _("Di sini hanya nomor HP Indonesia yang bisa dipakai. Contoh: 0812-3456-7890.")
        if number is not None and phonenumbers.is_valid_number(number):
            return " ".join(
                (
                    _(
                        "Ini bukan nomor HP (nomor telepon rumah/kantor atau internet): pesan "
                        "WhatsApp/SMS tidak sampai ke nomor ini. Tulis nomor HP."
                    ),
                    example,
                )
            )
    if any_country:
        for region, pattern in _NATIONAL_ABROAD.items():
            if pattern.match(text):
                number = _parsed_national(text, region)
                if _is_mobile(number):
                    written = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
                    return _(
                        "Tulis nomor luar negeri dengan kode negara di depannya, tanpa angka 0 "
                        "pertama: %(number)s."
                    ) % {"number": written}
    if _fixed_line_id(text):
        return " ".join(
            (
                _(
                    "Ini nomor telepon rumah/kantor, bukan nomor HP: pesan WhatsApp/SMS tidak "
                    "sampai ke nomor ini. Tulis nomor HP."
                ),
                example,
            )
        )
    return " ".join((_("Nomor HP tidak valid."), example))


def _parsed_national(text: str, region: str):
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None


def _fixed_line_id(text: str) -> bool:
    """An Indonesian landline (0254-123456, +62 254 123456)."""
    if text.startswith("0") and not text.startswith("00"):
        number = _parsed_national(text, "ID")
    elif text.startswith(("+62", "62")):
        number = _parsed("+" + text.removeprefix("+"))
    else:
        return False
    return (
        number is not None
        and phonenumbers.is_valid_number(number)
        and phonenumbers.number_type(number) == PhoneNumberType.FIXED_LINE
    )


def format_phone(e164: str | None) -> str:
    """+6281234567890 -> 0812-3456-7890 (groups of 4 after the 4-digit prefix, as printed locally);
    a foreign number in the international format its country uses: +82 10-1234-5678."""
    if not e164:
        return ""
    if not e164.startswith(INDONESIA):
        number = _parsed(e164) if e164.startswith("+") else None
        if number is None or not phonenumbers.is_possible_number(number):
            return e164
        return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    national = "0" + e164[3:]
    head, rest = national[:4], national[4:]
    if len(rest) <= 7:
        return f"{head}-{rest[:4]}-{rest[4:]}" if len(rest) > 4 else f"{head}-{rest}"
    return f"{head}-{rest[:4]}-{rest[4:]}"
