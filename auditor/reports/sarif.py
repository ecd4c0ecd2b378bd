"""SARIF 2.1.0 for GitHub code scanning and other SARIF consumers."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from auditor.findings import DeviceStatus, Finding

_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
_SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}
INFORMATION_URI = "https://github.com/vty-auditor/vty-auditor"


def fingerprint(rule_id: str, source: str, section: str) -> str:
    """Stable across edits that move lines: rule, file and section only."""
    return hashlib.sha256(f"{rule_id}|{source}|{section}".encode()).hexdigest()


def _uri(source: str) -> tuple[str, bool]:
    """Repo-relative URI (forward slashes) when the source is under the working directory."""
    if source.startswith("<"):
        return source.strip("<>"), False
    try:
        rel = Path(os.path.abspath(source)).relative_to(Path.cwd())
        return rel.as_posix(), True
    except ValueError:
        return Path(os.path.abspath(source)).as_uri(), False


def _section(doc: str, title: str) -> str:
    start = doc.find(f"## {title}")
    if start < 0:
        return ""
    body = doc[start + len(title) + 3 :]
    end = body.find("\n## ")
    return (body if end < 0 else body[:end]).strip()


def _rule_descriptor(rule) -> dict:
    m = rule.meta
    doc = rule.doc()
    return {
        "id": m.id,
        "name": m.name,
        "shortDescription": {"text": m.summary},
        "fullDescription": {"text": _section(doc, "What it does") or m.summary},
        # The rule's documentation once, as markdown (what code-scanning UIs show); `text` is required
        # beside it, and says where the same page is (docs/rules/ID.md, `vty-auditor explain ID`).
        "help": {"text": f"{m.summary}. See `vty-auditor explain {m.id}` or docs/rules/{m.id}.md.", "markdown": doc},
        "defaultConfiguration": {"level": _LEVEL[m.severity.value]},
        "properties": {
            "tags": ["security", *m.tags],
            "security-severity": _SECURITY_SEVERITY[m.severity.value],
            "references": [str(r) for r in m.references],
        },
    }


def render_sarif(report) -> str:
    from auditor import __version__
    from auditor.suppress import META_RULES
    from rules import REGISTRY

    ran = set(report.run.get("rules") or [r.meta.id for r in REGISTRY])
    all_rules = [r for r in REGISTRY if r.meta.id in ran] + list(META_RULES)  # the rules this run executed
    index = {r.meta.id: i for i, r in enumerate(all_rules)}
    results, notifications = [], []
    for device in report.devices:
        uri, relative = _uri(device.source)
        if device.status is not DeviceStatus.AUDITED:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{device.source}: {device.status.value}: {device.error}"},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
                }
            )
            continue
        silenced: list[tuple[Finding, dict | None]] = [(f, {"kind": "inSource", "justification": f.justification or ""}) for f in device.suppressed]
        silenced += [(f, {"kind": "external", "justification": "in the baseline file"}) for f in device.baselined]
        # With a change (`--diff-base`, `--change`) each result says what the change did to it:
        # new, unchanged, or absent (a finding of the old version that the change resolved).
        state = {}
        if device.change is not None:
            state = {f: "unchanged" for f in device.change.unchanged} | {f: "new" for f in device.change.introduced}
            silenced += [(f, None) for f in device.change.resolved]
            state |= {f: "absent" for f in device.change.resolved}
        for f, suppression in [(f, None) for f in device.findings] + silenced:
            if f.rule_id not in index:
                continue
            f_uri, f_relative = _uri(f.file) if f.file else (uri, relative)
            location = {"uri": f_uri, **({"uriBaseId": "%SRCROOT%"} if f_relative else {})}
            results.append(
                {
                    "ruleId": f.rule_id,
                    "ruleIndex": index[f.rule_id],
                    "level": _LEVEL[f.severity.value],
                    "message": {"text": f"{f.message}. Fix ({f.remediation.applicability.value}): {f.remediation.note}".strip()},
                    # a resolved finding's line is in the old version: name the file only
                    "locations": [{"physicalLocation": {"artifactLocation": location} if state.get(f) == "absent" else _physical(location, f)}],
                    "partialFingerprints": {"vtyAuditor/v1": fingerprint(f.rule_id, device.source, f.section)},
                    **({"suppressions": [suppression]} if suppression else {}),
                    **({"baselineState": state[f]} if f in state else {}),
                    "properties": {
                        "section": f.section,
                        **({"platform": device.platform} if device.platform else {}),
                        "severity": f.severity.value,
                        "applicability": f.remediation.applicability.value,
                        "remediation": f.remediation.config,
                    },
                }
            )
    run = {
        "tool": {
            "driver": {
                "name": "vty-auditor",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule_descriptor(r) for r in all_rules],
            }
        },
        "invocations": [
            {
                "executionSuccessful": not notifications,
                "toolExecutionNotifications": notifications,
                "properties": {k: v for k, v in report.run.items() if k in ("config", "config_settings", "profile", "select", "ignore", "fail_on")},
            }
        ],
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().as_uri() + "/"}},
        "results": results,
    }
    doc = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, indent=2) + "\n"


def _physical(location: dict, f) -> dict:
    if f.line < 1:  # a wire finding (NET): about the device, not a config line
        return {"artifactLocation": location}
    # The evidence is the stripped command; columns are those of the command text.
    region = {"startLine": f.line, "startColumn": 1, "endLine": f.line, "endColumn": len(f.evidence) + 2}
    return {"artifactLocation": location, "region": region}
