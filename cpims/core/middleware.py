from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import translation


class DefaultLanguageMiddleware:
    """Mongolian unless the user chose otherwise (language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many browsers in
    Mongolia are set to English or Russian; the service's default is Mongolian.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.codes = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.codes else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(query_dict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in query_dict.lists()
    )


class RefuseNulMiddleware:
    """400 for a NUL character in the URL, the query string or a submitted form's fields.
    PostgreSQL cannot hold NUL in text, so storing or looking one up fails with a server error;
    no real link or form ever carries one. JSON bodies are checked by the API parsers; uploaded
    files may contain NUL bytes and are not looked at here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        posted_form = request.method == "POST" and request.content_type in FORM_TYPES
        if (
            "\x00" in request.path
            or _has_nul(request.GET)
            or (posted_form and _has_nul(request.POST))
        ):
            message = "The request contains a NUL character."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
