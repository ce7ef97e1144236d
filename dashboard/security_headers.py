"""Security headers on every answer of the dashboard, as a pure ASGI middleware.

- Content-Security-Policy: scripts, styles and images only from our own files (dashboard/static):
  no inline script or style, no plugins, no framing by another site, forms post only to us.
- X-Content-Type-Options: nosniff, so a browser never runs an answer as another type.
- X-Frame-Options: DENY, for browsers that know no frame-ancestors.
- Referrer-Policy: no-referrer. Addresses carry a young person's number or a workshop's code;
  a link out of the dashboard or the public page must not hand them to another site.
- Cache-Control: no-store on everything but /static: the pages carry personal data, and after a
  logout on a shared computer neither the cache nor the back button may show them.

The bot's webhook server mounts the dashboard app, so the headers hold on its port too.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",  # the workshop board fetches its ideas
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
STATIC = "/static/"  # our own scripts and styles: nothing personal, so they may be cached


class SecurityHeaders:
    """Adds HEADERS to every HTTP answer, and Cache-Control: no-store outside /static."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cacheable = scope["path"].startswith(STATIC)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers[name] = value
                if not cacheable:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)
