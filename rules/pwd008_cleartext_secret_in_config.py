"""PWD008 cleartext-secret-in-config: a `secret` written in clear in the config file.

## What it does
Flags `enable secret` and `username ... secret` whose value is typed in clear:
type 0, or no type at all (`enable secret cisco`, `username ops secret 0
Passw0rd`, `username b algorithm-type scrypt secret Hunter22`). A device
never prints a secret this way, so the file is an intended config, a template
or a change snippet that a person or a renderer wrote.

## Why is this bad?
The device hashes the value when it takes the command, but the file keeps it:
in the repository, in every clone, and in the history after the line is
changed. Anyone who can read the repository can log in (CWE-312, CWE-798).

## Example
    username ops privilege 15 secret 0 Passw0rd

Use instead (the intended config keeps the hash the device prints, or a
placeholder the renderer fills from a vault):

    username ops privilege 15 algorithm-type scrypt secret <NEW-SECRET-OPS>

## Fix safety
Needs input: a new secret, because the old one is in the repository's history
and must be rotated, not merely hashed. The script sets the new secret in the
form the release takes (`algorithm-type scrypt` from 15.3(3)M / IOS-XE 3.10S);
replacing a secret does not end sessions. Values that are placeholders
(`<NEW-SECRET>`) or template expressions (Jinja's double braces) are not
secrets and are not flagged.

On IOS-XR the same holds for `secret 0 VALUE` (or an untyped `secret VALUE`)
under `username NAME` (IOS XR System Security Command Reference, `secret`:
"0: specifies that an unencrypted (clear-text) password follows"; the router
prints it hashed, `secret 5|8|9|10`), and for `secret 0 VALUE` in a line
template (`line default`, `line template NAME`, `line console`), whose
`secret` a login list's `line` method checks. The fix gives the template a new
secret, `<NEW-LINE-SECRET-DEFAULT>` for `line default`.

## References
Cisco IOS Security Command Reference, `enable secret` and `username`
("0: specifies that an unencrypted secret follows"); CWE-312, CWE-798;
DISA STIG CISC-ND-000620.
"""

from typing import ClassVar, Iterator

from auditor.findings import Applicability, Change, Phase, Severity
from auditor.platforms import platform_of
from auditor.release import secret_command
from auditor.remediation import PLACEHOLDER_ENABLE_SECRET, credential_attributes, user_secret_placeholder
from auditor.rule import CAPPED, Found, Rule, RuleMeta, stig
from rules._credentials import line_credentials

NOTE = "The value is in the repository's history: rotate it (a new secret), do not only hash the old one."


def typed_value(text: str) -> str:
    """The value after `secret [level N] [0]` in a command line ("" when there is none)."""
    words = text.split()
    low = [w.lower() for w in words]
    k = low.index("secret") + 1 if "secret" in low else len(words)
    if low[k : k + 1] == ["level"]:
        k += 2
    if low[k : k + 1] == ["0"] and k + 1 < len(words):
        k += 1
    return " ".join(words[k:])


def typed_in_clear(cred) -> bool:
    """The value after `secret [level N]` has no hash type before it (0 or none). The model's
    type is not enough: for `algorithm-type scrypt secret VALUE` it is the hash the device
    will store, and VALUE is still typed in clear."""
    if cred.masked:
        return False
    words = cred.text.split()
    low = [w.lower() for w in words]
    rest = low[low.index("secret") + 1 :] if "secret" in low else []
    if rest[:1] == ["level"]:
        rest = rest[2:]
    return not (len(rest) >= 2 and rest[0].isdigit() and rest[0] != "0")


def is_template(value: str) -> bool:
    """A placeholder or a template expression, not a secret."""
    return not value or (value.startswith("<") and value.endswith(">")) or "{{" in value or "{%" in value


class CleartextSecretInConfig(Rule):
    meta: ClassVar[RuleMeta] = RuleMeta(
        id="PWD008",
        name="cleartext-secret-in-config",
        severity=Severity.MEDIUM,
        summary="`enable secret` / `username ... secret` typed in clear (type 0 or no type) in the config file",
        references=(stig("CISC-ND-000620", "only store cryptographic representations of passwords"),),
        tags=("password", "CWE-312", "CWE-798"),
        platforms=("ios", "iosxr"),
    )

    def check(self, device) -> Iterator[Found]:
        secret = device.enable_secret
        if secret is not None and typed_in_clear(secret) and not is_template(typed_value(secret.text)):
            yield self.finding(
                message="enable secret is written in clear in the config file",
                section="global",
                line=secret.line,
                evidence=device.text_at(secret.line),
                applicability=Applicability.NEEDS_INPUT,
                changes=[Change(phase=Phase.ENABLE, lines=(secret_command(device.release, "enable", PLACEHOLDER_ENABLE_SECRET),))],
                note=NOTE,
            )
        clear_secret = lambda s: s.secret is not None and typed_in_clear(s.secret) and not is_template(typed_value(s.secret.text))  # noqa: E731
        for fields in line_credentials(self, device, clear_secret, platform_of(device).line_secret):
            if fields is CAPPED:
                yield fields
                continue
            fields["note"] = NOTE + " " + fields["note"]
            yield self.finding(message=f"{fields['section']} secret is written in clear in the config file", **fields)
        for user in device.users.values():
            cred = user.secret
            if cred is None or not typed_in_clear(cred) or is_template(typed_value(cred.text)):
                continue
            if self.capped():
                yield CAPPED
                continue
            if device.platform == "iosxr":
                # IOS-XR: `secret 0 VALUE` (or untyped) under `username NAME`, in an intended config
                applicability, changes, _ = platform_of(device).stronger_secret(device, user)
                yield self.finding(
                    message=f"user {user.name} secret is written in clear in the config file",
                    section=f"username {user.name}",
                    line=cred.line,
                    evidence=device.text_at(cred.line),
                    applicability=applicability,
                    changes=changes,
                    note=NOTE + " The router hashes the new secret when it takes it; keep the hash it prints in the intended config.",
                )
                continue
            attributes = credential_attributes(user)
            privilege = f" {attributes}" if attributes else ""
            yield self.finding(
                message=f"user {user.name} secret is written in clear in the config file",
                section=f"username {user.name}",
                line=cred.line,
                evidence=device.text_at(cred.line),
                applicability=Applicability.NEEDS_INPUT,
                changes=[Change(phase=Phase.USERS, lines=(secret_command(device.release, f"username {user.name}{privilege}", user_secret_placeholder(device, user.name)),))],
                note=NOTE + " The user's sessions are not affected.",
            )
