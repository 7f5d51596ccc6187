"""Indonesian mobile numbers: normalise to E.164 (+628…) and show as 0812-3456-789.

Rules from Google libphonenumber's metadata for Indonesia (docs/law.md §7): the national significant
number of a mobile is 8[1-35-9] followed by 7–10 digits; 84x is not mobile.
"""

import re

_MOBILE_NSN = re.compile(r"^8[1-35-9]\d{7,10}$")
_NON_MOBILE_PREFIXES = ("800", "804", "809", "8071")
_STRIP = re.compile(r"[\s\-\.\(\)/]")


def normalize_phone(raw) -> str | None:
    """Return the E.164 form of an Indonesian mobile number, or None if it is not one."""
    if raw is None:
        return None
    text = str(raw).strip()
    if text.endswith(".0"):  # a number typed into a spreadsheet cell
        text = text[:-2]
    text = _STRIP.sub("", text)
    if text.startswith("+62"):
        nsn = text[3:]
    elif text.startswith("0062"):
        nsn = text[4:]
    elif text.startswith("62"):
        nsn = text[2:]
    elif text.startswith("0"):
        nsn = text[1:]
    else:
        nsn = text
    nsn = nsn.lstrip("0") if nsn.startswith("08") else nsn
    if not _MOBILE_NSN.match(nsn) or nsn.startswith(_NON_MOBILE_PREFIXES):
        return None
    return f"+62{nsn}"


def format_phone(e164: str | None) -> str:
    """+6281234567890 -> 0812-3456-7890 (groups of 4 after the 4-digit prefix, as printed locally)."""
    if not e164:
        return ""
    if not e164.startswith("+62"):
        return e164
    national = "0" + e164[3:]
    head, rest = national[:4], national[4:]
    if len(rest) <= 7:
        return f"{head}-{rest[:4]}-{rest[4:]}" if len(rest) > 4 else f"{head}-{rest}"
    return f"{head}-{rest[:4]}-{rest[4:]}"
