"""Every combined remediation, pasted as each release's CLI would take it, leaves a way in.

For every fixture and public-corpus config, and each release family, the
script is applied with tests/pastesim.py and the result must hold:
every command is one the release accepts; every user who had a credential
still has one, with every attribute; an enable credential remains if one
existed; AAA lists keep their server groups; every access-class names a
defined ACL; no ACL the script writes admits every source; the operator's
address (inside --mgmt-net) still reaches every line that accepts
connections, through a VRF too; and SSH has a key before Telnet closes.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.acl import admits_address, permits_any_source
from auditor.engine import audit
from auditor.findings import DeviceStatus
from auditor.rule import AuditOptions
from conftest import CORPUS, FIXTURE_FILES
from pastesim import OPERATOR, paste
from tests_support import model_of

RELEASES = ["12.2", "12.4", "15.0", "15.2", "15.5", "16.9", "17.6"]
MGMT = ("192.0.2.0/24",)


def _configs():
    files = list(FIXTURE_FILES)
    if CORPUS.is_dir():
        files += sorted(p for p in CORPUS.iterdir() if p.is_file() and p.suffix == ".cfg")
    more = CORPUS.parent / "more"
    if more.is_dir():  # intended IOS configs and templates, and the other Cisco platforms
        files += sorted(p for p in more.glob("*.cfg") if not p.name.startswith("other_"))
    return files


def _admits(acl, groups, address: str) -> bool:
    return admits_address(acl, groups, address)


def _reached_before(model, number: int) -> bool:
    """Could the operator reach VTY line `number` before the fix? (Its own fence may refuse it.)"""
    section = next((s for s in model.vty_sections() if s.first <= number <= s.last), None)
    if section is None or not section.accepts_connections:
        return True  # a line the fix opens must admit the operator too
    ref = section.settings.access_class_in
    if ref is None or ref.name not in model.acls:
        return True
    return _admits(model.acls[ref.name], model.object_groups, OPERATOR)


def _set_by_script(model, number: int, ref) -> bool:
    """The access-class on VTY line `number` is one the script wrote (not the config's own)."""
    section = next((s for s in model.vty_sections() if s.first <= number <= s.last), None)
    before = section.settings.access_class_in if section else None
    return before is None or before.name != ref.name


def _credential_lines(model):
    return {name: {text for _, text in user.lines if not any(w in text.split()[2:] for w in ("password", "secret", "algorithm-type", "nopassword"))} for name, user in model.users.items()}


def _sample_sources(acl) -> set[str]:
    """Addresses to compare two ACLs on: each entry's own source address, and a few others."""
    import ipaddress

    out = {OPERATOR, "198.51.100.7", "10.1.1.10", "203.0.113.99"}
    for entry in acl.entries if acl is not None else ():
        for word in entry.text.split():
            try:
                out.add(str(ipaddress.ip_address(word)))
            except ValueError:
                continue
    return out


def _named_elsewhere(text: str, old) -> set[str]:
    """The ACLs (defined, or named by a VTY line) that a line outside ACL definitions and VTY
    blocks names: read here from the text, apart from the auditor's own `acl_references`."""
    names = set(old.acls) | set(old.ipv6_acls) | {ref.name for s in old.sections for ref in (s.settings.access_class_in, s.settings.ipv6_access_class_in) if ref}
    out, skip = set(), False
    for line in text.splitlines():
        words = line.split()
        if not words or words[0].startswith("!"):
            continue
        if not line[:1].isspace():
            head = [w.lower() for w in words[:2]]
            skip = head[0] in ("access-list", "lin", "line") or head in (["ip", "access-list"], ["ipv6", "access-list"]) or head == ["login", "quiet-mode"]
        if skip:
            continue
        for k, word in enumerate(words):
            if word in names and (not word.isdigit() or (k and words[k - 1].lower() in ("ro", "rw", "peer", "access-group", "access-class", "address"))):
                out.add(word)
    return out


def _management_vrf(text: str) -> str | None:
    """The VRF management arrives in, read from the text: an interface forwarding in a VRF named
    for management, or the management port (GigabitEthernet0, FastEthernet0) in any VRF."""
    import re

    interface = None
    for line in text.splitlines():
        if not line[:1].isspace():
            interface = line.split()[1] if line.startswith("interface ") and len(line.split()) > 1 else None
            continue
        m = re.match(r"\s+(?:ip )?vrf forwarding (\S+)", line)
        if m and interface and (re.search(r"(?i)mgmt|manage|oob", m.group(1)) or re.fullmatch(r"(?i)(gigabit|fast)ethernet0", interface)):
            return m.group(1)
    return None


def _shared_acls_narrowed(text: str, old, new) -> list[str]:
    """Every ACL another feature (SNMP, NTP, HTTP, interfaces...) names admits, after the paste,
    at least the addresses it admitted before; an undefined one (it filters nothing) stays so."""
    problems = []
    shared = _named_elsewhere(text, old)
    for name in shared:
        if name not in old.acls and name in old.ipv6_acls:
            continue  # IPv6 ACLs: compared by definition below
        before, after = old.acls.get(name), new.acls.get(name)
        if before is None:
            if after is not None and permits_any_source(after, new.object_groups) is None:
                problems.append(f"ACL {name}, undefined and used by other features, was defined")
            continue
        if after is None:
            problems.append(f"ACL {name}, used by other features, was removed")
            continue
        lost = sorted(a for a in _sample_sources(before) if _admits(before, old.object_groups, a) and not _admits(after, new.object_groups, a))
        if lost:
            problems.append(f"ACL {name}, used by other features, no longer admits {', '.join(lost[:3])}")
    for name in shared:
        if name in old.ipv6_acls and old.ipv6_acls[name].entries != getattr(new.ipv6_acls.get(name), "entries", None):
            problems.append(f"IPv6 ACL {name}, used by other features, was changed")
    return problems


def invariant_problems(text: str, version: str) -> list[str]:
    """What is wrong with the config after its remediation is pasted on `version`."""
    problems: list[str] = []
    before = audit(text.encode("latin-1"), options=AuditOptions(mgmt_nets=MGMT, platform_version=version))
    if before.status is not DeviceStatus.AUDITED or not before.remediation or before.platform in ("nxos", "asa", "iosxr"):
        return problems  # the paste simulator models IOS releases; other platforms' closure is tested on their fixtures
    old = model_of(text).model_copy(update={"platform_version": version})
    pasted = paste(text, before.remediation, old.release)
    new = model_of(pasted.config).model_copy(update={"platform_version": version})
    where = f"@ {version}"
    problems += [f"{where}: refused {cmd!r}: {why}" for cmd, why in pasted.rejected]
    for name, user in old.users.items():
        after = new.users.get(name)
        if (user.password or user.secret) and not (after and (after.password or after.secret)):
            problems.append(f"{where}: user {name} lost its credential")
        elif after and not _credential_lines(old)[name] <= _credential_lines(new)[name]:
            problems.append(f"{where}: user {name} lost attributes")
    if (old.enable_password or old.enable_secret) and not (new.enable_password or new.enable_secret):
        problems.append(f"{where}: no enable credential left")
    for level, had in old.enable_levels.items():
        kept = new.enable_levels.get(level)
        if (had.password or had.secret) and not (kept and (kept.password or kept.secret)):
            problems.append(f"{where}: enable level {level} lost its credential")
    for name, methods in old.aaa_login_lists.items():
        words = methods.split()
        groups = {words[i + 1] for i, w in enumerate(words[:-1]) if w == "group"}
        after = new.aaa_login_lists.get(name, "").split()
        if not groups <= {after[i + 1] for i, w in enumerate(after[:-1]) if w == "group"}:
            problems.append(f"{where}: AAA list {name} lost a server group")
    problems += [f"{where}: {p}" for p in _shared_acls_narrowed(text, old, new)]
    if any(s.kind.value == "con" and s.settings.login.value == "local" for s in new.sections) and not any(u.password or u.secret for u in new.users.values()):
        problems.append(f"{where}: the console checks local users, and none can log in")
    for section in old.sections:  # an aux port that answers a modem is a way in: it keeps its EXEC
        if section.kind.value == "aux" and section.settings.modem and section.settings.exec_enabled:
            after = next((s for s in new.sections if s.kind.value == "aux"), None)
            if after is None or not after.settings.exec_enabled:
                problems.append(f"{where}: the aux port's modem dial-in lost its EXEC")
    written = {line.split()[-1] for line in before.remediation.splitlines() if line.startswith(("ip access-list ", "ipv6 access-list "))}
    for section in new.vty_sections():
        if not section.accepts_connections:
            continue
        ref = section.settings.access_class_in
        if ref is None:
            problems.append(f"{where}: {section.name} has no access-class after the fix")
            continue
        acl = new.acls.get(ref.name)
        if acl is None:
            problems.append(f"{where}: {section.name} names undefined ACL {ref.name}")
            continue
        if ref.name in written and permits_any_source(acl, new.object_groups) is not None:
            problems.append(f"{where}: ACL {ref.name} written by the script admits every source")
        if _reached_before(old, section.first) and not _admits(acl, new.object_groups, OPERATOR):
            problems.append(f"{where}: {section.name} now refuses the operator at {OPERATOR} ({ref.name})")
        mgmt_vrf = _management_vrf(text)
        if mgmt_vrf and not ref.vrf_also and _set_by_script(old, section.first, ref):
            problems.append(f"{where}: {section.name} access-class without vrf-also while management arrives in VRF {mgmt_vrf}")
        if not mgmt_vrf and ref.vrf_also and _set_by_script(old, section.first, ref) and not old.vty_vrf_also:
            problems.append(f"{where}: {section.name} access-class says vrf-also with only customer VRFs: it admits the fence from them")
        closes_telnet = section.settings.transport_input == ("ssh",) and "transport input ssh" in before.remediation
        if closes_telnet and not (old.ssh_configured or "crypto key generate rsa" in pasted.config):
            problems.append(f"{where}: {section.name} closed to Telnet with no SSH key generated")
    return problems


@pytest.mark.parametrize("version", RELEASES)
def test_pasted_remediation_keeps_a_way_in(version):
    problems: list[str] = []
    for path in _configs():
        problems += [f"{path.name} {p}" for p in invariant_problems(path.read_bytes().decode("latin-1"), version)]
    assert problems == [], "\n".join(problems[:40]) + (f"\n... {len(problems) - 40} more" if len(problems) > 40 else "")


@st.composite
def generated_configs(draw):
    """Small configs mixing what scripts have got wrong: users with attributes, PPP peers, AAA
    lists with server groups and the line method, VRFs, fences, Telnet, masked values."""
    out = [f"version {draw(st.sampled_from(RELEASES))}", "hostname gen"]
    if draw(st.booleans()):
        out.append(draw(st.sampled_from(["enable password 7 0822455D0A16", "enable secret 5 $1$abc", "enable password cisco"])))
    for i in range(draw(st.integers(0, 3))):
        privilege = draw(st.sampled_from(["", " privilege 15", " privilege 5 view OPS"]))
        credential = draw(st.sampled_from(["password 7 0822455D0A16", "password 0 clear", "secret 5 $1$x", "secret 9 $9$y"]))
        out.append(f"username u{i}{privilege} {credential}")
        if draw(st.booleans()):
            out.append(f"username u{i} autocommand show users")
    if draw(st.booleans()):
        out += ["interface Serial0/0", " encapsulation ppp", " ppp authentication chap", "username peer1 password 7 0822455D0A16"]
    if draw(st.booleans()):
        out += ["vrf definition Mgmt-vrf", "interface GigabitEthernet0", " vrf forwarding Mgmt-vrf"]
    aaa = draw(st.booleans())
    if aaa:
        out += ["aaa new-model", "aaa authentication login VTY " + draw(st.sampled_from(["group TACACS-SRV line", "group tacacs+ local none", "line"]))]
    if draw(st.booleans()):
        out += ["ip access-list standard FENCE", " permit " + draw(st.sampled_from(["192.0.2.0 0.0.0.255", "any", "10.0.0.0 255.255.255.255"])), " deny any"]
    if draw(st.booleans()):
        out.append("ip domain name example.net")
    for first, last in draw(st.sampled_from([[(0, 4)], [(0, 4), (5, 15)], [(0, 15)]])):
        out.append(f"line vty {first} {last}")
        out.append(" transport input " + draw(st.sampled_from(["telnet", "ssh", "telnet ssh", "all"])))
        out.append(" " + draw(st.sampled_from(["login", "login local", "no login", "password 7 0822455D0A16", "password <secret hidden>"])))
        if aaa and draw(st.booleans()):
            out.append(" login authentication VTY")
        if draw(st.booleans()):
            out.append(" access-class FENCE in")
    out.append("line con 0")
    return "\n".join(out + ["end"]) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated_configs(), st.sampled_from(RELEASES))
def test_generated_configs_keep_a_way_in(text, version):
    assert invariant_problems(text, version) == []


def test_the_simulator_catches_what_scripts_used_to_do():
    """The invariants can fail: yesterday's scripts, pasted on 15.0, have the user's new secret
    eaten by the `[confirm]` of `no username`, and lose the enable credential."""
    from pastesim import paste as simulate
    from auditor.release import Release

    old_style = (
        "configure terminal\nno username admin\nusername admin privilege 15 algorithm-type scrypt secret <NEW-SECRET>\nenable algorithm-type scrypt secret <NEW-SECRET>\nno enable password\nend\n"
    )
    config = "version 15.0\nhostname r\nenable password 7 0822455D0A16\nusername admin privilege 15 password 7 0822455D0A16\nline vty 0 4\n login local\nend\n"
    result = simulate(config, old_style, Release("classic", (15, 0), "version line"))
    assert [why.split(":")[0] for _, why in result.rejected] == ["cancelled", "eaten as the answer to the question of the line before", "% Invalid input"]
    after = model_of(result.config)
    assert after.users["admin"].password is not None and after.users["admin"].secret is None  # never re-created with a secret
    assert after.enable_password is None and after.enable_secret is None
    # 12.4 does not ask: the same lines remove the user, and the secret is refused only for its form
    result = simulate(config.replace("15.0", "12.4"), old_style, Release("classic", (12, 4), "version line"))
    assert all("eaten" not in why and "cancelled" not in why for _, why in result.rejected)


def test_a_script_pauses_where_the_device_asks():
    """Today's script for a user with a password stops at `no username` on every release that may ask."""
    from pastesim import paste as simulate
    from auditor.release import release_of

    config = "hostname r\nusername ops privilege 15 password 7 0822455D0A16\nip domain name example.net\nip ssh version 2\nline vty 0 4\n login local\n transport input ssh\nend\n"
    for version, pauses in (("12.4", False), ("15.2", True), ("17.6", True), (None, True)):
        text = (f"version {version}\n" if version else "") + config
        report = audit(text.encode(), options=AuditOptions(mgmt_nets=MGMT))
        lines = report.remediation.splitlines()
        at = lines.index("no username ops")
        assert lines[at + 1].startswith("! PAUSE: the device asks") is pauses, (version, lines[at : at + 2])
        pasted = simulate(text, report.remediation, release_of(model_of(text)))
        assert pasted.rejected == [], (version, pasted.rejected)
        assert model_of(pasted.config).users["ops"].secret is not None


def readback_problems(path) -> list[str]:
    """NX-OS, IOS-XR and ASA: the script's configuration lines applied to the config, read back
    with the platform's own reader (its `no` forms, its defaults), must keep every user's
    credential, leave the operator inside --mgmt-net a way in on every access path it had,
    leave some access path open, and add no line the reader refuses."""
    from test_fixtures import _apply

    data = path.read_bytes()
    before = audit(data, source=path.name, options=AuditOptions(mgmt_nets=MGMT))
    if before.status is not DeviceStatus.AUDITED or before.platform not in ("nxos", "iosxr", "asa") or not before.remediation:
        return []
    from pastesim import fill

    script = "\n".join(fill(line) for line in before.remediation.splitlines())
    after_text = _apply(data, script, before.platform)
    after = audit(after_text, source=path.name, options=AuditOptions(mgmt_nets=MGMT))
    from auditor.engine import read_model

    old, new = read_model(data, path.name), read_model(after_text, path.name)
    where = f"{before.platform}"
    problems = []
    if after.status is not DeviceStatus.AUDITED or new is None:
        return [f"{where}: the config after the script is not read ({after.error})"]
    for name, user in old.users.items():
        kept = new.users.get(name)
        if (user.password or user.secret) and not (kept and (kept.password or kept.secret)):
            problems.append(f"{where}: user {name} lost its credential")
    refused_before = {(a.word, a.kind) for a in old.ambiguous_commands} | {r.text for r in old.rejected_lines}
    refused_after = {(a.word, a.kind) for a in new.ambiguous_commands} | {r.text for r in new.rejected_lines}
    problems += [f"{where}: the reader refuses {r!r} after the script" for r in sorted(map(str, refused_after - refused_before))]
    open_before = [s for s in old.vty_sections() if s.accepts_connections]
    open_after = [s for s in new.vty_sections() if s.accepts_connections]
    if open_before and not open_after:
        problems.append(f"{where}: no access path accepts sessions after the script")
    for section in open_after:
        ref = section.settings.access_class_in
        if ref is not None and ref.name in new.acls and not _admits(new.acls[ref.name], new.object_groups, OPERATOR):
            was = next((s for s in open_before if s.name == section.name), None)
            if was is None or was.settings.access_class_in is None or _admits(old.acls.get(was.settings.access_class_in.name), old.object_groups, OPERATOR):
                problems.append(f"{where}: {section.name} refuses the operator at {OPERATOR} after the script ({ref.name})")
    return problems


def _other_platform_configs():
    return [p for p in _configs() if p.name.startswith(("nxos", "iosxr", "asa"))]


@pytest.mark.parametrize("path", _other_platform_configs(), ids=lambda p: p.name)
def test_nxos_iosxr_and_asa_scripts_read_back_keep_a_way_in(path):
    assert readback_problems(path) == []
