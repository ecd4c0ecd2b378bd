"""IOS / IOS-XE defaults that depend on the release: what `transport input` admits when it is absent."""

from __future__ import annotations

import re
from dataclasses import dataclass


# ---------------------------------------------------------------- defaults
#
# What an unset `transport input` on a VTY line means, by platform.
#
# The table is data, so it can be corrected without touching a rule, and
# `--platform-version` overrides what the config's `version` line says.
#
# Sources: Cisco IOS Terminal Services Command Reference, `transport input`
# (classic IOS: VTY lines default to `transport input all`, which includes
# Telnet; the running-config then shows no `transport input` line). IOS-XE 16.x
# and later changed the VTY default on several platforms and releases; no single
# documented value covers them, so the table says "release-dependent" and the
# finding asks the operator to check `show line vty 0 | include Allowed input`.


@dataclass(frozen=True)
class TransportDefault:
    platform: str
    protocols: tuple[str, ...] | None  # None: not known for this platform family
    explanation: str


CLASSIC_IOS = TransportDefault("classic IOS", ("all",), "the default `transport input all` admits Telnet")
IOS_XE = TransportDefault(
    "IOS-XE",
    None,
    "the default is release-dependent on IOS-XE; check `show line vty 0 | include Allowed input`",
)
UNKNOWN = TransportDefault("unknown platform", None, "the platform default decides (Telnet on classic IOS); no `version` line says which")


def transport_default(version: str | None) -> TransportDefault:
    """Classic IOS for 12.x-15.x, IOS-XE for 16.x and later (IOS-XE 3.x reports 15.x)."""
    if not version:
        return UNKNOWN
    m = re.match(r"([0-9]{1,4})(?![0-9])", version)  # a 5,000-digit "version" is no release
    if not m:
        return UNKNOWN
    major = int(m.group(1))
    if major >= 16:
        return IOS_XE
    if 10 <= major <= 15:
        return CLASSIC_IOS
    return UNKNOWN
