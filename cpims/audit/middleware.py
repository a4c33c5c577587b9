from cpims.audit.context import RequestOrigin, current_origin


def client_ip(request) -> str | None:
    # REMOTE_ADDR is the proxy's address behind nginx; the deployment sets X-Real-IP.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_origin.set(RequestOrigin(ip=client_ip(request), path=request.path[:255]))
        try:
            return self.get_response(request)
        finally:
            current_origin.reset(token)
