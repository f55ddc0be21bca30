"""Fetching documents from other sites for the verifier, defensively.

HTTPS only, 5 s timeout, 1 MB cap, at most three redirects, and never a private,
loopback, link-local or otherwise non-public address (the connection is pinned to the
address that was checked, so DNS cannot change it in between).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from collections.abc import Callable
from urllib.parse import urljoin, urlsplit

from badges import ResolutionError

TIMEOUT_SECONDS = 5.0
MAX_BYTES = 1_000_000
MAX_REDIRECTS = 3
ACCEPT_CREDENTIAL = "application/ld+json, application/json;q=0.9, application/vc+jwt;q=0.8"

#: (url, accept) -> (body, content type); swapped in tests
Fetcher = Callable[[str, str], tuple[bytes, str]]


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to ``host`` but connecting to the already-vetted address ``ip``."""

    def __init__(self, host: str, port: int, *, ip: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._ip = ip

    def connect(self) -> None:
        sock = socket.create_connection((self._ip, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def public_address(host: str, port: int) -> str:
    """An address of ``host``, provided every address it resolves to is public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise ResolutionError(f"nom de domaine introuvable : {host}") from exc
    addresses = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global or address.is_multicast:
            raise ResolutionError(f"adresse non publique refusée : {host}")
        addresses.append(str(address))
    if not addresses:
        raise ResolutionError(f"nom de domaine introuvable : {host}")
    return addresses[0]


def fetch_url(url: str, accept: str = ACCEPT_CREDENTIAL) -> tuple[bytes, str]:
    """GET ``url`` under the rules above; :class:`ResolutionError` on any refusal."""
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            raise ResolutionError(f"seules les adresses https sont consultées : {url}")
        if parts.username or parts.password:
            raise ResolutionError("adresse avec identifiants refusée")
        port = parts.port or 443
        ip = public_address(parts.hostname, port)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection = _PinnedHTTPSConnection(parts.hostname, port, ip=ip, timeout=TIMEOUT_SECONDS)
        try:
            connection.request(
                "GET", path, headers={"Accept": accept, "User-Agent": "coop-formation-verifier"}
            )
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                if not location:
                    raise ResolutionError(f"redirection sans destination : {url}")
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise ResolutionError(f"{url} a répondu {response.status}")
            declared = response.getheader("Content-Length")
            if declared and declared.isdigit() and int(declared) > MAX_BYTES:
                raise ResolutionError("document trop volumineux (1 Mo au plus)")
            body = response.read(MAX_BYTES + 1)
            if len(body) > MAX_BYTES:
                raise ResolutionError("document trop volumineux (1 Mo au plus)")
            return body, response.getheader("Content-Type", "") or ""
        except (OSError, http.client.HTTPException) as exc:
            raise ResolutionError(f"impossible de joindre {parts.hostname} : {exc}") from exc
        finally:
            connection.close()
    raise ResolutionError("trop de redirections")
