"""Where a webhook may be sent (no SSRF), and a connection pinned to the address checked.

A target's URL is checked when it is registered (scheme, host, allow-list, literal
addresses) and again at every delivery, after resolving the name: every address must be
public unless the deployment allows private ones, and the connection goes to that checked
address (a name that resolves differently a moment later cannot redirect it). Redirects are
never followed. Pure apart from name resolution and the socket."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit


class TargetRefused(ValueError):
    """The URL is not an allowed webhook target; the message says why, in Norwegian: the admin
    reads it on the webhook screen and in the delivery log."""


@dataclass(frozen=True)
class Policy:
    allow_http: bool = False  # only outside production
    allow_private: bool = False  # loopback, private, link-local, ...
    allowed_hosts: tuple[str, ...] = ()  # "case.kommune.no" or ".kommune.no"; empty: any


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str


def _blocked(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return not address.is_global or address.is_multicast


def parse(url: str, policy: Policy) -> Target:
    """Check everything that can be checked without resolving the name."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise TargetRefused(f"ikke en gyldig adresse: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme != "https" and not (scheme == "http" and policy.allow_http):
        raise TargetRefused("bare https://-adresser er tillatt")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise TargetRefused("adressen mangler vertsnavn")
    if parts.username or parts.password:
        raise TargetRefused("brukernavn eller passord i adressen er ikke tillatt")
    if policy.allowed_hosts and not any(
        host == h or (h.startswith(".") and host.endswith(h)) for h in policy.allowed_hosts
    ):
        raise TargetRefused(f"{host} er ikke blant vertene som er tillatt for webhooks")
    if not policy.allow_private:
        if host == "localhost" or host.endswith(".localhost"):
            raise TargetRefused("adresser på egen maskin (localhost) er ikke tillatt")
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None and _blocked(literal):
            raise TargetRefused(f"{host} er ikke en offentlig adresse")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme, host, port or (443 if scheme == "https" else 80), path)


def resolve(target: Target, policy: Policy) -> str:
    """The address to connect to; every address of the name must be allowed."""
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise TargetRefused(f"{target.host} finnes ikke i DNS: {exc}") from exc
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not addresses:
        raise TargetRefused(f"{target.host} har ingen adresse")
    if not policy.allow_private:
        blocked = [str(a) for a in addresses if _blocked(a)]
        if blocked:
            raise TargetRefused(
                f"{target.host} peker til ikke-offentlige adresser: {', '.join(blocked)}"
            )
    return str(addresses[0])


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, target: Target, address: str, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, target: Target, address: str, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = address
        self._tls = ssl.create_default_context()

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


@dataclass(frozen=True)
class Reply:
    status: int


def post(url: str, body: bytes, headers: dict, policy: Policy, timeout: float) -> Reply:
    """POST the body to an allowed target; raises TargetRefused or OSError (timeouts too)."""
    target = parse(url, policy)
    address = resolve(target, policy)
    cls = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = cls(target, address, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(65536)  # the receiver's answer is not kept; a little is read politely
        return Reply(response.status)
    finally:
        connection.close()
