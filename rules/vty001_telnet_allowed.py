"""VTY001 telnet-allowed: a VTY line accepts Telnet.

## What it does
Flags VTY lines whose effective `transport input` admits Telnet: `telnet`,
`all`, or any set that includes `telnet`. Ranges are expanded, so the
`line vty 5 15` block nobody looked at is audited too, and a later
`transport input` replaces an earlier one as it does on the device.

## Why is this bad?
Telnet carries the login, the enable secret and every command in clear text
(CWE-319). Anyone on the path can read and replay them.

## Example
    line vty 0 4
     transport input telnet ssh

Use instead:

    ip ssh version 2
    line vty 0 4
     transport input ssh

## Fix safety
Unsafe: if SSH is not working on the device (no RSA key, no `ip domain name`,
or the line authenticates with a bare line password, which SSH cannot use),
closing Telnet locks remote operators out. The fix creates what SSH needs
where the config shows no SSH set-up (`ip domain name`, a labelled RSA key:
real commands, not comments; where SSH is set up no key is generated, since
a new key would change the host key clients know), pins `ip ssh version 2`
(12.3(4)T / 12.2(25)S and later), moves lines that use `login` with a line
password to `login local` with a user that has a secret, and closes Telnet
only in step 2 of the script, to be pasted after an SSH login through the
changed lines has worked. Keep a console open.

## Platforms
IOS / IOS-XE: the line's effective `transport input`. NX-OS: there is no
`transport input`; the Telnet server runs for every VTY session once
`feature telnet` is configured (it is off by default), so the finding is on
`line vty` and points at the `feature telnet` line. The fix is `no feature
telnet`, in step 2 after an SSH login has worked; where `no feature ssh`
left SSH off, step 1 generates a key (`ssh key rsa 2048`, which fails
harmlessly when one exists) and enables `feature ssh`. Source: Cisco Nexus
9000 Series NX-OS Security Configuration Guide, "Configuring SSH and Telnet"
(SSH server enabled by default, Telnet server disabled by default).

IOS-XR: the Telnet server runs only when `telnet [vrf NAME] ipv4|ipv6 server
max-servers N` is configured; a line template (`line default`, `line template
NAME`) used by a VTY pool admits it unless its `transport input` leaves Telnet
out. The finding is on the template and points at the server command; the fix
removes the server (`no telnet vrf NAME ipv4 server`) in step 2, and where the
SSH server is not running, step 1 starts it (`ssh server v2`, `ssh server vrf
default`). Source: Cisco IOS XR System Management Configuration Guide,
"Terminal Services" ("enable the telnet server" before the VTY pools);
IOS XR System Security Configuration Guide, "Implementing Secure Shell".

## References
CIS Cisco IOS 15 and IOS XE 17.x Benchmarks 1.2.2 (Set 'transport input ssh' for 'line vty');
DISA STIG CISC-ND-001210; Cisco IOS Security Configuration
Guide, "Secure Shell Configuration" (SSH requires local or AAA authentication).
"""

from typing import ClassVar, Iterator

from auditor.findings import Severity
from auditor.rule import CAPPED, Found, Rule, RuleMeta, cis, stig
from auditor.platforms import platform_of


class TelnetAllowed(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="VTY001",
        name="telnet-allowed",
        severity=Severity.HIGH,
        summary="A VTY line's transport input admits Telnet",
        references=cis("Set 'transport input ssh' for 'line vty' connections", "1.2.2", "1.2.2") + (stig("CISC-ND-001210", "protect the confidentiality of remote maintenance sessions"),),
        tags=("vty", "transport", "CWE-319"),
        platforms=("ios", "nxos", "asa", "iosxr"),
    )

    def check(self, device) -> Iterator[Found]:
        for section in device.vty_sections():
            transport = section.settings.transport_input
            if not transport or not ({"telnet", "all"} & set(transport)):
                continue
            if self.capped():
                yield CAPPED
                continue
            applicability, changes, note = platform_of(device).close_telnet(device, section, self.options)
            line = section.settings.transport_line or section.header_line
            # A platform without `transport input` (NX-OS) names the command that enables Telnet.
            why = f"transport input {' '.join(transport)}" if section.numbered else device.text_at(line)
            yield self.finding(
                message=f"{section.name} accepts Telnet ({why})" + ("; the image has no crypto, so no SSH to move to" if device.platform == "ios" and device.release.crypto is False else ""),
                section=section.name,
                line=line,
                evidence=device.text_at(line),
                applicability=applicability,
                changes=changes,
                note=note,
            )
