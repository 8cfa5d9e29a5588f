"""Which host names and addresses are local: shared by ``deploy`` and the dev server.

A site built for a local address (``http://127.1/``, ``http://my-laptop.local:8000/``)
publishes feeds, canonical links and a sitemap nobody else can follow, so ``deploy``
refuses it. Matching a list of examples misses the next spelling, so the rules here are
structural:

- IP literals are parsed the way browsers parse URL hosts (the WHATWG URL standard):
  ``127.1``, ``0x7f.1``, ``2130706433`` and ``0177.0.0.1`` are all 127.0.0.1. An address
  is local when :mod:`ipaddress` does not call it global (loopback, private, link-local,
  unique-local, unspecified, shared, documentation and reserved ranges), including an IPv6
  address that embeds such an IPv4 one (``::ffff:127.0.0.1``, 6to4, NAT64);
- a name is local when it has a single label (``my-laptop``: no public DNS name has one),
  or ends with a label reserved for local or non-public use: ``localhost`` (RFC 6761),
  ``local`` (mDNS, RFC 6762), ``home.arpa`` (RFC 8375), ``internal`` (ICANN, 2024),
  ``test``, ``example``, ``invalid`` (RFC 6761), and the de-facto ``lan``,
  ``localdomain``, ``home`` and ``corp``.

A trailing dot (``localhost.``) names the same host and is ignored.
"""

from __future__ import annotations

import ipaddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

LOCAL_SUFFIXES = (
    "localhost",
    "local",
    "home.arpa",
    "internal",
    "test",
    "example",
    "invalid",
    "lan",
    "localdomain",
    "home",
    "corp",
)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def _ipv4_number(part: str) -> int | None:
    """One dotted part as the URL standard reads it: ``0x`` hex, leading ``0`` octal."""
    try:
        if part[:2].lower() == "0x":
            return int(part[2:] or "0", 16)
        if len(part) > 1 and part.startswith("0"):
            return int(part[1:], 8)
        return int(part, 10) if part.isdigit() else None
    except ValueError:
        return None


def parse_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """``127.1`` -> 127.0.0.1, as a browser reads the host of ``http://127.1/``; else None.

    The last part fills the remaining bytes (``127.1`` is 127.0.0.1, ``2130706433`` one
    32-bit number), as ``inet_aton`` and the WHATWG URL parser both do.
    """
    parts = host.split(".")
    if parts and parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if not 1 <= len(parts) <= 4 or any(not part for part in parts):
        return None
    numbers = [_ipv4_number(part) for part in parts]
    if any(n is None for n in numbers):
        return None
    *head, last = numbers
    assert last is not None
    if any(n is not None and n > 255 for n in head) or last >= 256 ** (5 - len(parts)):
        return None
    value = last
    for index, number in enumerate(head):
        assert number is not None
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def parse_ip(host: str) -> IPAddress | None:
    """An IP literal in any spelling a URL may use (``[::1]``, ``fe80::1%eth0``, ``127.1``)."""
    text = host.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    if ":" in text:
        text = text.split("%", 1)[0]  # an IPv6 zone (``%25eth0`` in a URL)
        try:
            return ipaddress.IPv6Address(text)
        except ValueError:
            return None
    return parse_ipv4(text)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def local_reason(host: str | None) -> str | None:
    """Why *host* (a URL's host, any case, brackets allowed) is local, or None if public."""
    if not host:
        return "no host name"
    ip = parse_ip(host)
    if ip is not None:
        embedded = _embedded_ipv4(ip) if isinstance(ip, ipaddress.IPv6Address) else None
        if embedded is not None and not embedded.is_global:
            return f"{host} embeds the non-public address {embedded}"
        if not ip.is_global:
            kind = "loopback" if ip.is_loopback else "non-public"
            spelled = "" if str(ip) == host.strip("[]") else f" ({ip})"
            return f"{host} is a {kind} address{spelled}"
        return None
    name = host.strip().rstrip(".").lower()
    if "." not in name:
        return f"{host} is a single-label name that only a local network resolves"
    for suffix in LOCAL_SUFFIXES:
        if name == suffix or name.endswith("." + suffix):
            return f"{host} ends with .{suffix}, a name reserved for local use"
    return None


def is_loopback_host(host: str) -> bool:
    """``localhost`` (and names below it) or a loopback IP in any spelling."""
    name = host.strip().rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    ip = parse_ip(host)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip is not None and ip.is_loopback
