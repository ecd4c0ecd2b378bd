"""Reports are functions ``(Report) -> str``, chosen by name."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Iterable, Iterator

from pydantic import Field

from auditor import __version__
from auditor.findings import DeviceReport, DeviceStatus, Frozen, Severity

SCHEMA_VERSION = 1

# C0 controls but tab and newline, DEL, C1 controls, lone surrogates, the two
# noncharacters XML 1.0 forbids, and the bidirectional controls that reorder what a
# reader sees (U+202E makes `gfc.txt` read `txt.cfg`): what a terminal would act on,
# a parser reject, or a reviewer misread.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """Untrusted text made safe for a terminal, XML or any UTF-8 stream: every control
    character is written as a visible escape (ESC becomes `\\x1b`), never raw."""
    if not text or not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


def one_line(text: str) -> str:
    """`printable`, and on one line: a newline, carriage return or tab is written as an escape
    too. For what is a single field (a file name, a section, a message): a committed file name
    holding a newline and `::error ...` must not print a line of its own, which GitHub Actions
    (and a reader) would take for a line of the report."""
    text = printable(text)
    if "\n" in text or "\r" in text or "\t" in text:
        text = text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return text


class Summary(Frozen):
    devices: int
    audited: int
    unrecognized: int
    error: int
    not_audited: dict[str, int]  # devices not audited, by status (pull failures included)
    findings: int
    by_severity: dict[str, int]
    by_rule: dict[str, int]


class Tally:
    """The summary, counted one device at a time (a streamed report never holds them all)."""

    def __init__(self) -> None:
        self.devices = 0
        self.status: dict[DeviceStatus, int] = {}
        self.severity = {s: 0 for s in Severity}
        self.rules: dict[str, int] = {}

    def add(self, device: DeviceReport) -> None:
        self.devices += 1
        self.status[device.status] = self.status.get(device.status, 0) + 1
        for f in device.findings:
            self.severity[f.severity] += 1
            self.rules[f.rule_id] = self.rules.get(f.rule_id, 0) + 1

    def summary(self) -> Summary:
        return Summary(
            devices=self.devices,
            audited=self.status.get(DeviceStatus.AUDITED, 0),
            unrecognized=self.status.get(DeviceStatus.UNRECOGNIZED, 0),
            error=self.status.get(DeviceStatus.ERROR, 0),
            not_audited={s.value: self.status[s] for s in DeviceStatus if s is not DeviceStatus.AUDITED and self.status.get(s)},
            findings=sum(self.severity.values()),
            by_severity={s.value: n for s, n in self.severity.items()},
            by_rule=dict(sorted(self.rules.items())),
        )


class DeviceStream:
    """Devices as they are audited, for the formats written in one pass (json, text, github).

    Iterable once; counts as it goes, so the summary and the exit code are known
    once the report has been written, and memory stays flat however many devices.
    """

    def __init__(self, devices: Iterable[DeviceReport]):
        self._devices = iter(devices)
        self.tally = Tally()
        self._consumed = False

    def __iter__(self) -> Iterator[DeviceReport]:
        if self._consumed:
            raise RuntimeError("a device stream can be read once")
        self._consumed = True
        for device in self._devices:
            self.tally.add(device)
            yield device


STREAMED = ("json", "text", "github", "concise")  # formats that read the devices once, in order


class Report(Frozen):
    schema_version: int = SCHEMA_VERSION
    tool: dict = Field(default_factory=lambda: {"name": "vty-auditor", "version": __version__})
    generated_at: str = Field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    devices: tuple[DeviceReport, ...]
    stale_baseline: tuple[dict, ...] = ()  # baseline entries that matched no finding
    run: dict = Field(default_factory=dict)  # how the report was made: command, profile, selection (no credentials)

    @classmethod
    def streamed(cls, devices: Iterable[DeviceReport], **fields) -> "Report":
        """A report whose devices are audited while it is written (see DeviceStream)."""
        return cls.model_construct(devices=DeviceStream(devices), **fields)

    @property
    def summary(self) -> Summary:
        if isinstance(self.devices, DeviceStream):
            return self.devices.tally.summary()  # complete once the devices have been read
        tally = Tally()
        for device in self.devices:
            tally.add(device)
        return tally.summary()


def render(name: str, report: Report, color: bool = False, show_fixes: bool = False) -> str:
    if name == "json":
        from auditor.reports.json_report import render_json

        return render_json(report)
    if name == "text":
        from auditor.reports.text import render_text

        return render_text(report, color=color, show_fixes=show_fixes)
    if name == "sarif":
        from auditor.reports.sarif import render_sarif

        return render_sarif(report)
    if name == "junit":
        from auditor.reports.junit import render_junit

        return render_junit(report)
    if name == "html":
        from auditor.reports.html import render_html

        return render_html(report)
    if name == "github":
        from auditor.reports.github import render_github

        return render_github(report)
    if name == "concise":
        from auditor.reports.concise import render_concise

        return render_concise(report)
    raise KeyError(name)


def write(name: str, report: Report, stream, color: bool = False, show_fixes: bool = False) -> None:
    """Render into a stream. JSON and text are written device by device (flat memory on a
    large fleet); the other formats need every device at once, so a stream is gathered first."""
    if isinstance(report.devices, DeviceStream) and name not in STREAMED:
        report = report.model_copy(update={"devices": tuple(report.devices)})
    if name == "json":
        from auditor.reports.json_report import write_json

        write_json(report, stream)
        return
    if name == "text":
        from auditor.reports.text import write_text

        write_text(report, stream, color=color, show_fixes=show_fixes)
        return
    if name == "concise":
        from auditor.reports.concise import write_concise

        write_concise(report, stream)
        return
    stream.write(render(name, report, color=color))


FORMATS = ("text", "json", "sarif", "junit", "github", "html", "concise")
