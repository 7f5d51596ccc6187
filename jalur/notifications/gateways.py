"""Messages to phones (WhatsApp or SMS) through a gateway the city contracts, set in settings.

Most job seekers have no e-mail but read WhatsApp all day, so once a gateway is set, every
notification also goes to the person's phone and a forgotten password can be reset from it.

`JALUR_PHONE_GATEWAY` names the backend, as EMAIL_BACKEND does for e-mail:
- "" (default): off. Nothing is sent to phones; people see messages in their Jalur inbox.
- "console": written to the log, for development and the demo.
- "memory": kept in `gateways.outbox`, for tests.
- "http": posted to the city's gateway (Fonnte, Wablas, Zenziva, an SMS operator's API…):
  `JALUR_PHONE_GATEWAY_OPTIONS` says where and how (see `HttpGateway`).
- any dotted path to a class with the same `send(to=, text=)`.
"""

import json
import logging
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# What the "memory" backend sent: (number, text) pairs, oldest first. Tests clear it.
outbox: list[tuple[str, str]] = []


class GatewayError(Exception):
    """The gateway did not take the message; the outbox retries it later."""


class ConsoleGateway:
    def __init__(self, **options):
        self.options = options

    def send(self, *, to: str, text: str) -> None:
        logger.info("pesan ke %s:\n%s", to, text)


class MemoryGateway(ConsoleGateway):
    def send(self, *, to: str, text: str) -> None:
        outbox.append((to, text))


class HttpGateway:
    """POST one message to an HTTP API.

    Options (each has an environment variable, see settings.py):
    - url: the API's address; token: its key, sent in `auth_header` (default "Authorization"),
      after `auth_scheme` when one is given ("Bearer").
    - to_field / text_field: the names the API gives the number and the text ("target",
      "message" for Fonnte; "phone", "message" for Wablas).
    - encoding: "form" (default) or "json".
    - number_format: "62" (6281234567890, default), "0" (081234567890) or "+62". A foreign
      number is sent with its own country code: 821012345678, or +821012345678 for "+62".
    - ok_field: a field of the JSON answer that must be true, for APIs that answer 200 to a
      refused message ({"status": false, "reason": "…"}).
    - extra: more fields to send with every message (a sender id, a device), as a dict.
    """

    def __init__(
        self,
        *,
        url: str,
        token: str = "",
        auth_header: str = "Authorization",
        auth_scheme: str = "",
        to_field: str = "target",
        text_field: str = "message",
        encoding: str = "form",
        number_format: str = "62",
        ok_field: str = "",
        extra: dict | None = None,
        timeout: float = 10,
    ):
        if not url.startswith(("https://", "http://")):
            raise GatewayError("JALUR_PHONE_GATEWAY_URL must be an http(s):// address")
        self.url, self.token, self.timeout = url, token, timeout
        self.auth_header, self.auth_scheme = auth_header, auth_scheme
        self.to_field, self.text_field = to_field, text_field
        self.encoding, self.number_format = encoding, number_format
        self.ok_field, self.extra = ok_field, dict(extra or {})

    def number(self, e164: str) -> str:
        """The number as the API wants it. A foreign number (a worker abroad) always carries its
        country code: digits only (821012345678) for "62" and "0", since a national 0 means
        Indonesia to the API, and +821012345678 for "+62"."""
        if not e164.startswith("+62"):
            return e164 if self.number_format == "+62" else e164.removeprefix("+")
        national = e164.removeprefix("+62")
        return {"0": "0" + national, "+62": e164}.get(self.number_format, "62" + national)

    def send(self, *, to: str, text: str) -> None:
        fields = {**self.extra, self.to_field: self.number(to), self.text_field: text}
        if self.encoding == "json":
            data, content_type = json.dumps(fields).encode(), "application/json"
        else:
            data = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.url, data=data, method="POST")  # noqa: S310 (http(s) only)
        request.add_header("Content-Type", content_type)
        if self.token:
            value = f"{self.auth_scheme} {self.token}" if self.auth_scheme else self.token
            request.add_header(self.auth_header, value)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read(65536)
        except urllib.error.HTTPError as error:
            answer = error.read(300).decode(errors="replace")
            raise GatewayError(f"HTTP {error.code}: {answer}") from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise GatewayError(f"tidak tersambung: {error}") from error
        if self.ok_field:
            try:
                answer = json.loads(body)
            except ValueError as error:
                raise GatewayError(f"jawaban bukan JSON: {body[:200]!r}") from error
            if not (isinstance(answer, dict) and answer.get(self.ok_field)):
                raise GatewayError(f"ditolak: {json.dumps(answer)[:300]}")


BACKENDS = {"console": ConsoleGateway, "memory": MemoryGateway, "http": HttpGateway}


def phone_gateway():
    """The configured gateway, or None when messages to phones are off."""
    name = settings.JALUR_PHONE_GATEWAY
    if not name:
        return None
    backend = BACKENDS.get(name) or import_string(name)
    return backend(**settings.JALUR_PHONE_GATEWAY_OPTIONS)


def phone_channel() -> str | None:
    """The outbox channel phone messages go on ("whatsapp" or "sms"), or None when off."""
    return settings.JALUR_PHONE_CHANNEL if settings.JALUR_PHONE_GATEWAY else None
