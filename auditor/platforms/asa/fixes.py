"""ASA remediation syntax the platform writes: helpers of `auditor.platforms.asa`."""

from __future__ import annotations

import ipaddress

from auditor.findings import Change, Phase


PLACEHOLDER_NET = "<MGMT-NETWORK> <MGMT-MASK>"


class _Entry:
    """One `telnet`/`ssh` entry: its text, its source as written, the network it names, and
    whether that is every address."""

    def __init__(self, text: str, source: str, network):
        self.text, self.source, self.network = text, source, network
        self.any = network.prefixlen == 0


def ssh_login(device) -> list[Change]:
    """`aaa authentication ssh console LOCAL`, and a local user first where none has a password."""
    from auditor.remediation import PLACEHOLDER_ADMIN_SECRET, PLACEHOLDER_USER

    changes = [Change(phase=Phase.USERS, lines=("aaa authentication ssh console LOCAL",))]
    if not any(u.password is not None or u.secret is not None for u in device.users.values()):
        changes.insert(0, Change(phase=Phase.USERS, lines=(f"username {PLACEHOLDER_USER} password {PLACEHOLDER_ADMIN_SECRET} privilege 15",)))
    return changes


def path_of(device, protocol: str, interface: str):
    return next((s for s in device.vty_sections() if s.name == f"{protocol} {interface}"), None)


def entries_of(device, section) -> list[_Entry]:
    """The entries of an access path: its source lines, and the networks the reader resolved
    (`name`s included) into the path's fence."""
    if section is None:
        return []
    out = []
    for acl in (device.acls.get(section.name), device.ipv6_acls.get(section.name)):
        for entry in acl.entries if acl else ():
            words = entry.text.split()
            if words[1] == "ipv6":
                network = ipaddress.ip_network(words[2])
            else:  # `permit ADDRESS WILDCARD`, as the reader wrote it (a wildcard of 0.0.0.0 is one host)
                prefix = 32 - bin(int(ipaddress.IPv4Address(words[2]))).count("1")
                network = ipaddress.ip_network(f"{words[1]}/{prefix}", strict=False)
            text = device.text_at(entry.line).strip()
            out.append(_Entry(text, " ".join(text.split()[1:-1]), network))
    return out


def covered(network, others) -> bool:
    return any(network.version == o.version and network.subnet_of(o) for o in others)
