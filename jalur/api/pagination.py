"""Paging of every list the API answers: `?limit=&offset=`, the page's `items` and the `count` of
all. Two queries a page (the count and the page), whatever the page's size or position."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 200


class Pages(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_LIMIT, description="Rows per page (1 to 200)")
        # A bound that every database takes as an integer (SQLite refuses an offset past 2**63).
        offset: int = Field(0, ge=0, le=2**31 - 1, description="Rows to skip")

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
