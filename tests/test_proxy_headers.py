"""X-Forwarded-For is believed only from the configured proxies: a request that names its own
address gets nowhere, through the very uvicorn app `ungeguide run` and `ungeguide dashboard` serve
(ungeguide/server.py: uvicorn's ProxyHeadersMiddleware with our options)."""

from __future__ import annotations

import httpx
import pytest
import uvicorn
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from ungeguide.errors import SettingsError
from ungeguide.server import server_config
from ungeguide.settings import Settings

SPOOFED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
LOCAL = ("127.0.0.1", 51000)
PROXY = ("10.0.0.5", 51000)


async def probe(scope: Scope, receive: Receive, send: Send) -> None:
    """Answers with what an app sees: the client's address and the scheme."""
    request = Request(scope, receive)
    seen = f"{request.client.host if request.client else '-'} {request.url.scheme}"
    await PlainTextResponse(seen)(scope, receive, send)


def served(config: uvicorn.Config) -> ASGIApp:
    config.load()  # wraps the app exactly as uvicorn's server does
    app: ASGIApp = config.loaded_app
    return app


def settings(tmp_path, **environ: str) -> Settings:
    return Settings.from_env({"UNGEGUIDE_DATA_DIR": str(tmp_path), **environ})


async def seen(app: ASGIApp, peer: tuple[str, int], headers: dict[str, str]) -> str:
    transport = httpx.ASGITransport(app=app, client=peer)
    async with httpx.AsyncClient(transport=transport, base_url="http://ungeguide.test") as client:
        return (await client.get("/", headers=headers)).text


async def test_uvicorns_own_default_lets_a_local_peer_choose_its_address():
    # What `ungeguide run` did before: anything on the machine could claim any address.
    assert await seen(served(uvicorn.Config(probe)), LOCAL, SPOOFED) == "203.0.113.7 https"


async def test_without_configured_proxies_nobody_chooses_their_address(tmp_path):
    app = served(server_config(probe, settings(tmp_path)))
    assert await seen(app, LOCAL, SPOOFED) == "127.0.0.1 http"
    assert await seen(app, PROXY, SPOOFED) == "10.0.0.5 http"


async def test_a_configured_proxy_is_believed_and_only_it(tmp_path):
    app = served(server_config(probe, settings(tmp_path, UNGEGUIDE_TRUSTED_PROXIES="10.0.0.5")))
    assert await seen(app, PROXY, SPOOFED) == "203.0.113.7 https"
    assert await seen(app, LOCAL, SPOOFED) == "127.0.0.1 http"
    assert await seen(app, ("10.0.0.6", 1), SPOOFED) == "10.0.0.6 http"


async def test_a_client_cannot_slip_an_address_in_front_of_the_proxys(tmp_path):
    # The proxy appends the address it saw; whatever the client wrote before it is not believed.
    trusted = settings(tmp_path, UNGEGUIDE_TRUSTED_PROXIES="10.0.0.0/8, ::1")
    app = served(server_config(probe, trusted))
    chain = {"X-Forwarded-For": "198.51.100.1, 203.0.113.7"}
    assert await seen(app, PROXY, chain) == "203.0.113.7 http"
    assert await seen(app, ("::1", 1), {"X-Forwarded-For": "2001:db8::9"}) == "2001:db8::9 http"


def test_the_setting_reads_addresses_and_networks(tmp_path):
    read = settings(tmp_path, UNGEGUIDE_TRUSTED_PROXIES=" 127.0.0.1 , 10.0.0.0/8,,::1")
    assert read.trusted_proxies == ("127.0.0.1/32", "10.0.0.0/8", "::1/128")
    assert settings(tmp_path).trusted_proxies == ()


@pytest.mark.parametrize("wrong", ["localhost", "10.0.0.0/33", "*", "127.0.0.1;10.0.0.1"])
def test_a_wrong_proxy_address_is_refused_at_start(tmp_path, wrong):
    with pytest.raises(SettingsError, match="UNGEGUIDE_TRUSTED_PROXIES must list IP addresses"):
        settings(tmp_path, UNGEGUIDE_TRUSTED_PROXIES=wrong)
