"""The web request behind the current change (IP, user agent), kept per request for audit rows."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    ip: str | None = None
    user_agent: str = ""


_current: ContextVar[RequestInfo | None] = ContextVar("jalur_request_info", default=None)


def current_request_info() -> RequestInfo:
    return _current.get() or RequestInfo()


def set_request_info(info: RequestInfo | None):
    return _current.set(info)


def reset_request_info(token) -> None:
    _current.reset(token)
