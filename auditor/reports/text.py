"""The text report: grouped by device, severity colours, a one-line fix per finding; with
`show_fixes`, the evidence, each fix's safety note and the device's combined script."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape as _escape

from auditor.reports import one_line

from auditor.findings import DeviceStatus


def escape(text: str) -> str:
    """Untrusted text for rich, one field on one line: control characters (newlines too) made
    visible, then markup escaped."""
    return _escape(one_line(text))


_COLOURS = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}


def render_text(report, color: bool = False, show_fixes: bool = False) -> str:
    import io

    buffer = io.StringIO()
    write_text(report, buffer, color=color, show_fixes=show_fixes)
    return buffer.getvalue()


def write_text(report, stream, color: bool = False, show_fixes: bool = False) -> None:
    """Write device by device: the console's record is flushed after each one."""
    console = Console(record=True, force_terminal=color, no_color=not color, width=120, soft_wrap=True, file=_Null(), highlight=False)
    header = _config_header(report.run)
    if header:
        console.print(header + "\n")
        stream.write(console.export_text(styles=color, clear=True))
    for device in report.devices:
        _device_block(console, device, show_fixes)
        stream.write(console.export_text(styles=color, clear=True))
    s = report.summary
    console.print(
        f"{s.devices} input(s){' (interrupted)' if report.run.get('interrupted') else ''}: {s.audited} audited" + "".join(f", {count} {status}" for status, count in s.not_audited.items()) + "; "
        f"{s.findings} finding(s) " + ", ".join(f"{k} {v}" for k, v in s.by_severity.items() if v)
    )
    diff = report.run.get("diff_base")
    if diff:
        changes = [d.change for d in report.devices if d.change is not None]
        introduced, resolved = sum(len(c.introduced) for c in changes), sum(len(c.resolved) for c in changes)
        removed = diff.get("removed") or []
        console.print(
            f"{introduced} introduced, {resolved} resolved in {len(report.devices)} changed config(s) "
            f"against {escape(diff['ref'])} (merge base {diff['merge_base'][:12]})" + (f"; {len(removed)} removed: " + ", ".join(escape(r) for r in removed[:10]) if removed else "")
        )
    stream.write(console.export_text(styles=color, clear=True))


def _config_header(run: dict) -> str:
    """Name the configuration file and what it changes: a file in the repository can move the gate."""
    config = run.get("config")
    if not config or config == "(none)":
        return ""
    settings = run.get("config_settings") or {}
    line = f"configuration: {escape(config)}"
    if settings:
        line += "\n  " + "\n  ".join(f"{escape(k)}: {escape(v)}" for k, v in settings.items())
    return line


def _device_block(console, device, show_fixes: bool = False) -> None:
    # One print per device: rich's fixed cost per print, not per line, is what a fleet pays.
    out: list[str] = []
    name = device.source + (f" ({device.hostname})" if device.hostname else "") + (f" [{device.address}]" if device.address and device.address != device.source else "")
    wire = [_port_line(p) for p in device.probe]
    if device.status is not DeviceStatus.AUDITED:
        out.append(f"[bold]{escape(name)}[/bold]: [magenta]{device.status.value}[/magenta]: {escape(device.error or '')}")
        console.print("\n".join(out + wire) + "\n")
        return
    silenced = ", ".join(f"{len(items)} {label}" for label, items in (("suppressed", device.suppressed), ("baselined", device.baselined)) if items)
    silenced = f" ({silenced})" if silenced else ""
    if device.platform and device.platform != "ios":
        name += f" (platform {device.platform})"  # IOS is the default reading; others are named
    if not device.findings:
        console.print("\n".join([f"[bold]{escape(name)}[/bold]: [green]no findings[/green]{silenced}"] + wire))
        if device.change is not None and device.change.resolved:
            _change_table(console, device.change)  # the good news: what the change removed
        console.print()
        return
    out.append(f"[bold]{escape(name)}[/bold]: {len(device.findings)} finding(s){silenced}")
    out += wire
    for f in device.findings:
        colour = _COLOURS[f.severity.value]
        where = f"{escape(f.location(device.source))}  " if f.line > 0 else ""
        out.append(f"  [{colour}]{f.severity.value.upper():8}[/{colour}] {f.rule_id} {f.rule_name}  {where}({escape(f.section)})")
        out.append(f"           {escape(f.message)}")
        if show_fixes:
            out.append(f"           evidence: {escape(f.evidence)}")
            out.append(f"           fix ({f.remediation.applicability.value}): {escape(f.remediation.note)}")
        else:
            out.append(f"           fix ({f.remediation.applicability.value}): {escape(_one_line_fix(f.remediation))}")
    if device.change is not None:
        console.print("\n".join(out))
        out = []
        _change_table(console, device.change)
    if device.remediation and show_fixes:
        out.append("  combined remediation:")
        out += [f"    {escape(line)}" for line in device.remediation.splitlines()]
    elif device.remediation:
        lines = sum(1 for line in device.remediation.splitlines() if line.strip() and not line.lstrip().startswith("!"))
        out.append(f"  fix script: {lines} command(s), framed with its way back: --show-fixes prints it")
    console.print("\n".join(out) + "\n")


FIX_WIDTH = 100


def _one_line_fix(remediation) -> str:
    """The commands of one finding's fix on one line (`line vty 0 4: transport input ssh`), or its
    note when it has none; cut at FIX_WIDTH characters."""
    commands = [line for line in remediation.config.splitlines() if line.strip() and not line.lstrip().startswith("!")]
    if not commands:
        text = remediation.note
    else:
        groups: list[list[str]] = []  # a command and the sub-commands under it
        for line in commands:
            if line[:1] in " \t" and groups:
                groups[-1].append(line.strip())
            else:
                groups.append([line.strip()])
        text = "; ".join(g[0] + (": " + ", ".join(g[1:]) if len(g) > 1 else "") for g in groups)
    return text if len(text) <= FIX_WIDTH else text[: FIX_WIDTH - 1] + "…"


def _change_table(console, change) -> None:
    from rich.table import Table

    table = Table(title="change: before / after", show_lines=False)
    for column in ("effect", "rule", "section", "message"):
        table.add_column(column)
    rows = [("introduced", "red", change.introduced), ("resolved", "green", change.resolved), ("unchanged", "dim", change.unchanged)]
    for label, style, findings in rows:
        for f in findings:
            table.add_row(f"[{style}]{label}[/{style}]", f.rule_id, escape(f.section), escape(f.message))
    if not table.rows:
        table.add_row("-", "-", "-", "the change neither adds nor removes findings")
    console.print(table)


class _Null(io.StringIO):
    """A console file that keeps nothing: the console's record is what is exported."""

    def write(self, _text: str) -> int:
        return 0

    def flush(self) -> None:
        pass


def _port_line(port) -> str:
    """A probed port, read the way an engineer reads `telnet HOST PORT`."""
    said = f" — {escape(port.banner)}" if port.banner else (" — no banner" if port.outcome.value == "open" else "")
    return f"  tcp/{port.port} ({port.role}): {port.outcome.explanation}{said}"
