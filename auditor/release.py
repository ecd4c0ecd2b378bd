"""Which IOS / IOS-XE release a config comes from, and which command forms it accepts.

A remediation is judged as the device would take it: a command the release
does not have fails with "% Invalid input", and when it was meant to replace a
credential that the script has just removed, the device is left without one.
So every credential a script writes uses a form the release accepts, and
where the release is unknown, the form every release accepts.

The release comes from `--platform-version`, else the config's `version`
line; IOS-XE is also recognised by markers that classic IOS never prints
(an IOS-XE `license boot level` such as `network-advantage`, top-level
`platform ...` commands, a `Mgmt-intf` / `Mgmt-vrf` VRF), since IOS-XE 3.x
prints `version 15.x`; they count only with a 15.x or no `version` line
(Catalyst 6500 12.2SX has `platform` commands; the classic Catalyst 3560-X /
3750-X print `license boot level ipservices`). The `boot system` image, when
named, says whether the image has SSH at all (`Release.crypto`).

The feature table is data, with its sources:

* `scrypt` (`algorithm-type scrypt`, type 8/9 secrets): Cisco IOS Security
  Command Reference, `username` / `enable secret`: "algorithm-type" and types
  8 and 9 were introduced in 15.3(3)M and IOS-XE 3.10S (built on 15.3(3)S).
  A `version 15.3` line cannot tell 15.3(1)T from 15.3(3)M, so 15.3 counts as
  unknown. `username X secret <clear>` and `enable secret <clear>` are accepted
  by every release (stored as type 5 where nothing stronger exists).
* `login-block` (`login block-for`): Cisco IOS Login Enhancements, 12.3(4)T and
  12.2(33)SRA; every 12.4 and 15.x release has it.
* `ssh-v2` (`ip ssh version 2`): 12.3(4)T, 12.2(25)S; every 12.4 and later.
* `ipv6-access-class` (`ipv6 access-class` on lines): 12.2(2)T; every 12.3 and
  later.
* `revert-timer` (`configure terminal revert timer`, for `fix`): Configuration
  Replace and Configuration Rollback, 12.3(7)T and 12.2(33)SRA; every 12.4 and
  later.
* `no-username-prompt` (`no username X` asks "Do you want to continue?
  [confirm]", `auditor.cli_model`): IOS 15.x and IOS-XE 16/17 ask (the prompt
  Ansible's `cisco.ios.ios_user` answers); 12.x releases remove the user
  without asking. Where the release is unknown a script treats it as asking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# feature -> (first classic IOS major.minor that surely has it, IOS-XE has it)
FEATURES: dict[str, tuple[tuple[int, int], bool]] = {
    "scrypt": ((15, 4), True),
    "login-block": ((12, 4), True),
    "ssh-v2": ((12, 4), True),
    "ipv6-access-class": ((12, 3), True),
    "revert-timer": ((12, 4), True),
    "no-username-prompt": ((15, 0), True),
}
# Below these, the feature is surely absent; between the two, unknown.
ABSENT_BELOW: dict[str, tuple[int, int]] = {
    "scrypt": (15, 3),
    "login-block": (12, 2),
    "ssh-v2": (12, 2),
    "ipv6-access-class": (12, 2),
    "revert-timer": (12, 2),
    "no-username-prompt": (15, 0),
}


@dataclass(frozen=True)
class Release:
    family: str  # "classic", "ios-xe" or "unknown"
    version: tuple[int, int] | None  # major, minor
    source: str  # where it was read: "--platform-version", "version line", "IOS-XE markers", "nothing"
    image: str | None = None  # the `boot system` image file, when the config names one

    @property
    def crypto(self) -> bool | None:
        """Whether the image has SSH at all: classic IOS image names carry their feature set
        (`c2960-lanbasek9-mz...`, `c3750e-universalk9-mz...`), and only a crypto feature set
        (`k9`, older `k2`/`k8`) has SSH (Cisco IOS Software Packaging and Naming: "k9" marks
        images with strong encryption; Catalyst 2960 Software Configuration Guide, "Configuring
        Secure Shell": SSH needs the cryptographic software image). None where the name says
        nothing (IOS-XE packages, `packages.conf`, no `boot system` line)."""
        if not self.image:
            return None
        name = re.split(r"[/:]", self.image)[-1].lower()
        m = _CLASSIC_IMAGE.match(name)
        if m is None:
            return None
        return bool(re.search(r"k[0-9]", m.group("features")))

    def supports(self, feature: str) -> bool | None:
        """True, False, or None when the release (or its exact maintenance level) is unknown."""
        first, on_xe = FEATURES[feature]
        if self.family == "ios-xe":
            return on_xe
        if self.version is None:
            return None
        if self.version >= first:
            return True
        if self.version < ABSENT_BELOW[feature]:
            return False
        return None

    def describe(self) -> str:
        no_ssh = f", image {re.split(r'[/:]', self.image or '')[-1]} without crypto (no SSH)" if self.crypto is False else ""
        if self.family == "unknown" and self.version is None:
            return "release unknown (no `version` line)" + no_ssh
        version = ".".join(map(str, self.version)) if self.version else "?"
        name = "IOS-XE" if self.family == "ios-xe" else "IOS"
        return f"{name} {version} (from the {self.source}{no_ssh})"


_VERSION = re.compile(r"^([0-9]{1,2})\.([0-9]{1,2})")
_CLASSIC_IMAGE = re.compile(r"^(?P<platform>[a-z0-9_]+)-(?P<features>[a-z0-9_]+)-m[a-z0-9]*\.")


def release_of(device, platform_version: str | None = None) -> Release:
    text = platform_version or device.version
    source = "--platform-version" if platform_version else "version line"
    image = getattr(device, "boot_image", None)
    m = _VERSION.match(text or "")
    version = (int(m.group(1)), int(m.group(2))) if m else None
    if version is not None and version[0] >= 16:
        return Release("ios-xe", version, source, image)
    if device.iosxe_markers and (version is None or version[0] == 15):  # IOS-XE 3.x prints `version 15.x`
        return Release("ios-xe", version, "IOS-XE markers" if version is None else f"{source} and IOS-XE markers", image)
    if version is None:
        return Release("unknown", None, "nothing", image)
    return Release("classic", version, source, image)


def secret_command(release: Release, prefix: str, placeholder: str) -> str:
    """`PREFIX algorithm-type scrypt secret VALUE` where the release surely takes it, else the
    form every release takes: `PREFIX secret VALUE` (the value typed in clear, stored hashed)."""
    if release.supports("scrypt"):
        return f"{prefix} algorithm-type scrypt secret {placeholder}"
    return f"{prefix} secret {placeholder}"
