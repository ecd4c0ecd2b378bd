"""JUnit XML: one testsuite per device, one testcase per rule and section (passes included)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from auditor.platforms import READERS
from auditor.findings import DeviceStatus
from auditor.reports import printable


def render_junit(report) -> str:
    from rules import ALL_RULES, WIRE_RULES

    root = ET.Element("testsuites", name="vty-auditor")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for device in report.devices:
        suite = ET.SubElement(root, "testsuite", name=device.source)
        if device.platform:
            ET.SubElement(ET.SubElement(suite, "properties"), "property", name="platform", value=device.platform)
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        if device.status is not DeviceStatus.AUDITED:
            case = ET.SubElement(suite, "testcase", classname=device.source, name="audit")
            ET.SubElement(case, "error", message=f"{device.status.value}: {device.error}", type=device.status.value).text = f"{device.source} could not be audited: {device.error}"
            counts["tests"] += 1
            counts["errors"] += 1
        else:
            failed_rules = set()
            # With a change (`--diff-base`, `--change`), only what it introduces fails; what was
            # there before is skipped, with the reason.
            carried = set(device.change.unchanged) if device.change is not None else set()
            for f in device.findings:
                failed_rules.add(f.rule_id)
                case = ET.SubElement(suite, "testcase", classname=device.source, name=f"{f.rule_id} {f.section}")
                if f in carried:
                    ET.SubElement(case, "skipped", message=f"unchanged by this change (it was there before): {f.message}")
                    counts["tests"] += 1
                    counts["skipped"] += 1
                    continue
                failure = ET.SubElement(case, "failure", message=f.message, type=f.rule_id)
                failure.text = (
                    f"{f.message}\nlocation: {f.location(device.source)} ({f.section})\nseverity: {f.severity.value}\n"
                    f"evidence: {f.evidence}\nfix ({f.remediation.applicability.value}): {f.remediation.note}\n"
                    f"{f.remediation.config}\n"
                )
                counts["tests"] += 1
                counts["failures"] += 1
            skipped = [("suppressed inline", f) for f in device.suppressed] + [("in baseline", f) for f in device.baselined]
            for why, f in skipped:
                case = ET.SubElement(suite, "testcase", classname=device.source, name=f"{f.rule_id} {f.section}")
                ET.SubElement(case, "skipped", message=f"{why}: {f.message}")
                counts["tests"] += 1
                counts["skipped"] += 1
            probed_only = bool(device.probe) and device.hostname is None
            ran = (() if probed_only else ALL_RULES) + (WIRE_RULES if device.probe else ())
            if report.run.get("rules") is not None:  # only what this run executed passed
                ran = tuple(r for r in ran if r.meta.id in set(report.run["rules"]))
            if device.platform:  # and only the rules that cover the device's platform
                ran = tuple(r for r in ran if READERS[device.platform] in r.meta.platforms)
            for rule in ran:
                if rule.meta.id not in failed_rules:
                    ET.SubElement(suite, "testcase", classname=device.source, name=f"{rule.meta.id} {rule.meta.name}")
                    counts["tests"] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    for element in root.iter():  # config text may hold characters XML 1.0 cannot carry
        element.text = printable(element.text) if element.text else element.text
        for key, text in element.attrib.items():
            element.attrib[key] = printable(text)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
