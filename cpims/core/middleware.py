from django.conf import settings
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
