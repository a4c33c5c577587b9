from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import LimitOffsetPagination


class CappedPaginator(Paginator):
    """Counts at most `cap` rows: a page of 25 must not pay for counting 50,000 matches.
    Past the cap the page shows "1000+" and the last page is the cap's."""

    cap = 1000

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap


class CappedLimitOffsetPagination(LimitOffsetPagination):
    """The API lists of the big tables (audit events, contacts, persons, cases, referrals):
    `count` is exact up to `cap` rows past the page's end; beyond, it is that bound plus one
    and `count_capped` is true (a page of 50 must not count a million rows). `next` is there
    whenever more rows are."""

    cap = 1000

    def get_count(self, queryset) -> int:
        self.bound = max(self.cap, self.get_offset(self.request) + self.limit)
        return queryset.order_by()[: self.bound + 1].count()

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["count_capped"] = self.count > self.bound
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_capped"] = {
            "type": "boolean",
            "description": "true when count is a lower bound: more rows than counted",
        }
        return schema
