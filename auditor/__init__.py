"""vty-auditor: audit the remote-management lines of Cisco IOS / IOS-XE configs.

Use from Python with :func:`auditor.audit` (imported lazily so that
``vty-auditor --version`` does not pay for ciscoconfparse).
"""

__version__ = "0.2.0"

__all__ = ["__version__", "audit"]


def audit(text, source="<string>", options=None):
    """Audit one config text and return a :class:`auditor.findings.DeviceReport`."""
    from auditor.engine import audit as _audit

    return _audit(text, source=source, options=options)
