"""Inline suppressions: scope, reasons required, unused ones reported."""

from auditor.engine import audit

HEAD = "version 15\nservice password-encryption\nlogin block-for 1 attempts 1 within 1\nip ssh version 2\nusername a secret 9 $9$x\n"


def ids(report):
    return sorted((f.rule_id, f.line) for f in report.findings)


def test_ignore_covers_the_next_section_only():
    text = HEAD + (
        '! vty-auditor: ignore[VTY003] reason="lab"\nline vty 0 4\n login local\n transport input ssh\nline vty 5 15\n login local\n exec-timeout 5 0\n transport input ssh\nline con 0\n login local\n'
    )
    report = audit(text.encode())
    assert ids(report) == [("VTY003", 10)]
    assert [(f.rule_id, f.section) for f in report.suppressed] == [("VTY003", "line vty 0 4")]


def test_a_regrouped_section_wider_than_the_block_is_not_suppressed():
    text = HEAD + ('! vty-auditor: ignore[VTY003] reason="lab"\nline vty 0 4\n login local\n transport input ssh\nline vty 5 15\n login local\n transport input ssh\n')
    report = audit(text.encode())
    assert ("VTY003", "line vty 0 15") in [(f.rule_id, f.section) for f in report.findings]
    assert ("VTY900", 6) in ids(report)


def test_reason_is_required_and_unknown_ids_are_invalid():
    report = audit(b'! vty-auditor: ignore[VTY003]\n! vty-auditor: ignore[XYZ001] reason="x"\nline vty 0 4\n transport input none\n')
    assert [(f.rule_id, f.line) for f in report.findings if f.rule_id.startswith("VTY90")] == [("VTY901", 1), ("VTY901", 2)]
    assert report.suppressed == ()


def test_file_ignore_and_unused():
    report = audit(b'! vty-auditor: file-ignore[PWD006] reason="lab"\n! vty-auditor: file-ignore[VTY010] reason="x"\nline vty 0 4\n transport input none\nline con 0\n login local\n')
    assert ids(report) == [("VTY017", 4), ("VTY900", 2)]  # VTY017: no VTY line accepts sessions (info)
    assert [f.rule_id for f in report.suppressed] == ["PWD006"]


def test_text_report_counts_suppressed_findings():
    from auditor.reports import Report, render
    from conftest import FIXTURES

    report = audit((FIXTURES / "suppressed-lab.cfg").read_bytes(), source="lab.cfg")
    assert "suppressed)" in render("text", Report(devices=(report,))).splitlines()[0]
    assert len(report.suppressed) == 4


def test_an_ignore_covers_only_the_block_it_names_not_a_line_section_indented_inside_it():
    """A suppression before `interface Loopback0` must not silence a `line vty 5 15` indented in
    that interface: IOS runs the line header as the global command it is."""
    config = (
        "version 15.2\nhostname r\nusername a privilege 15 secret 9 $9$x\n"
        '! vty-auditor: ignore[VTY001] reason="loopback only"\n'
        "interface Loopback0\n ip address 192.0.2.1 255.255.255.255\n line vty 5 15\n  transport input telnet\n  login local\n"
        "line vty 0 4\n login local\n transport input ssh\nend\n"
    )
    report = audit(config)
    assert "VTY001" in {f.rule_id for f in report.findings}, [(f.rule_id, f.section) for f in report.findings]
    assert not report.suppressed
