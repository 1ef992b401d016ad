"""Webhook targets: https only in production, no private or loopback addresses unless the
deployment allows them, an allow-list of hosts when configured (no SSRF)."""

import pytest

from app.webhooks.targets import Policy, Target, TargetRefused, parse, resolve

PRODUCTION = Policy()


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.no/x",  # http in production
        "https://127.0.0.1/x",
        "https://127.1.2.3:8443/x",
        "https://localhost/x",
        "https://api.localhost/x",
        "https://10.0.0.5/x",
        "https://192.168.1.10/x",
        "https://172.16.0.1/x",
        "https://169.254.169.254/latest/meta-data",  # cloud metadata
        "https://[::1]/x",
        "https://[::ffff:127.0.0.1]/x",
        "https://[fd00::1]/x",
        "https://0.0.0.0/x",
        "https://224.0.0.1/x",
        "https://user:pass@hooks.example.no/x",
        "ftp://hooks.example.no/x",
        "https:///x",
        "not a url",
    ],
)
def test_refused_targets(url):
    with pytest.raises(TargetRefused):
        parse(url, PRODUCTION)


def test_public_https_target_is_accepted():
    target = parse("https://Sak.Kommune.no:8443/hooks/uu?k=1", PRODUCTION)
    assert target == Target("https", "sak.kommune.no", 8443, "/hooks/uu?k=1")


def test_http_and_private_only_when_the_deployment_allows_them():
    relaxed = Policy(allow_http=True, allow_private=True)
    assert parse("http://127.0.0.1:9000/h", relaxed).port == 9000
    with pytest.raises(TargetRefused):
        parse("http://127.0.0.1:9000/h", Policy(allow_http=True))


def test_allow_list_of_hosts():
    policy = Policy(allowed_hosts=(".kommune.no", "arkiv.example.org"))
    assert parse("https://sak.halden.kommune.no/h", policy)
    assert parse("https://arkiv.example.org/h", policy)
    for url in ("https://evil.example.org/h", "https://kommune.no.evil.io/h"):
        with pytest.raises(TargetRefused):
            parse(url, policy)


def test_a_name_that_resolves_to_loopback_is_refused_at_delivery():
    """A public-looking name checked at registration may point inward later: the address is
    checked after resolving, at every delivery."""
    target = Target("https", "localhost", 443, "/")
    with pytest.raises(TargetRefused, match="ikke-offentlige"):
        resolve(target, PRODUCTION)
    assert resolve(target, Policy(allow_private=True)) in ("127.0.0.1", "::1")
