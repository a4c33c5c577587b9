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


class RefuseNulMiddleware:
    """400 for a NUL character in the URL or the query string. PostgreSQL cannot hold NUL in
    text, so looking one up (a place code, a search term) fails with a server error; no real
    link or form ever carries one. Request bodies are checked by the API parsers and forms."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            message = "The address contains a NUL character."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
