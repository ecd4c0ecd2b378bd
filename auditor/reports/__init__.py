"""Reports are functions ``(Report) -> str``, chosen by name from one registry (`FORMATS`).

A format is one module here and one `Format` record below: its name, the function that renders
a report, the one that writes it device by device when it can (flat memory on a fleet), and the
options it takes. `--format`, its help and streaming all derive from the registry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Format:
    name: str
    module: str  # imported on first use: `--version` and the other formats never pay for it
    render: str  # (report, **options) -> str
    write: str | None = None  # (report, stream, **options): written device by device
    streams: bool = False  # reads the devices once, in order: a streamed report is not gathered first
    options: tuple[str, ...] = ()  # the render/write keyword options it takes (`color`, `show_fixes`)

    def function(self, which: str):
        from importlib import import_module

        return getattr(import_module(self.module), which)


_REGISTRY = {
    f.name: f
    for f in (
        Format("text", "auditor.reports.text", "render_text", "write_text", streams=True, options=("color", "show_fixes")),
        Format("json", "auditor.reports.json_report", "render_json", "write_json", streams=True),
        Format("sarif", "auditor.reports.sarif", "render_sarif"),
        Format("junit", "auditor.reports.junit", "render_junit"),
        Format("github", "auditor.reports.github", "render_github", streams=True),
        Format("html", "auditor.reports.html", "render_html"),
        Format("concise", "auditor.reports.concise", "render_concise", "write_concise", streams=True),
    )
}
FORMATS = tuple(_REGISTRY)  # the names `--format` takes, in the order help lists them
STREAMED = tuple(name for name, f in _REGISTRY.items() if f.streams)


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
        # model_construct: no validation, so the stream is read once, by the writer
        return cls.model_construct(devices=DeviceStream(devices), **fields)  # type: ignore[arg-type]

    @property
    def summary(self) -> Summary:
        if isinstance(self.devices, DeviceStream):
            return self.devices.tally.summary()  # complete once the devices have been read
        tally = Tally()
        for device in self.devices:
            tally.add(device)
        return tally.summary()


def render(name: str, report: Report, color: bool = False, show_fixes: bool = False) -> str:
    fmt = _REGISTRY[name]  # KeyError for a name no format has
    if isinstance(report.devices, DeviceStream):
        report = report.model_copy(update={"devices": tuple(report.devices)})
    return fmt.function(fmt.render)(report, **_options(fmt, color=color, show_fixes=show_fixes))


def write(name: str, report: Report, stream, color: bool = False, show_fixes: bool = False) -> None:
    """Render into a stream. The formats with a writer are written device by device (flat memory
    on a large fleet); the others need every device at once, so a stream is gathered first."""
    fmt = _REGISTRY[name]
    if isinstance(report.devices, DeviceStream) and not fmt.streams:
        report = report.model_copy(update={"devices": tuple(report.devices)})
    options = _options(fmt, color=color, show_fixes=show_fixes)
    if fmt.write is not None:
        fmt.function(fmt.write)(report, stream, **options)
    else:
        stream.write(fmt.function(fmt.render)(report, **options))


def _options(fmt: Format, **given) -> dict:
    return {k: v for k, v in given.items() if k in fmt.options}
