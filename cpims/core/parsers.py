"""The API's request parsers, refusing NUL characters anywhere in the data (keys included).

PostgreSQL cannot hold NUL in text: a NUL reaching a lookup (a place code, a related record's
code) failed with a server error. DRF's CharField refuses NUL already; relation and choice
lookups did not, so it is refused once, here, with a clear message."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

MESSAGE = "Text may not contain the NUL character (\\u0000)."


def contains_nul(data) -> bool:
    if isinstance(data, str):
        return "\x00" in data
    if isinstance(data, dict):
        return any(contains_nul(k) or contains_nul(v) for k, v in data.items())
    if isinstance(data, list | tuple):
        return any(contains_nul(item) for item in data)
    if hasattr(data, "lists"):  # a QueryDict from a form
        return any(contains_nul(k) or contains_nul(v) for k, v in data.lists())
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if contains_nul(data):
            raise ParseError(MESSAGE)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if contains_nul(data):
            raise ParseError(MESSAGE)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        if contains_nul(parsed.data):
            raise ParseError(MESSAGE)
        return parsed
