"""Helpers the candidates pages share."""

from django.utils import timezone

from ..stages import Stage

EDITABLE_BY_CANDIDATE = (Stage.REGISTERING, Stage.CORRECTION)


def local_today():
    return timezone.localdate()


def posted(request):
    """The POST data on a POST (even an empty one: an unticked checkbox sends nothing), else None."""
    return request.POST if request.method == "POST" else None
