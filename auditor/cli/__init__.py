"""The `vty-auditor` command. `main` is the entry point; the command tree is in `auditor.cli.commands`.

`--version` is answered before the command tree (typer, pydantic, every
command module) is imported: it is what scripts call to check the tool.
"""

from __future__ import annotations


def __getattr__(name: str):
    if name == "app":  # `from auditor.cli import app`: the typer application, built on first use
        from auditor.cli.commands import app

        return app
    raise AttributeError(name)


def main() -> None:
    """Run the CLI. A bug ends in one line on stderr, never a traceback: a traceback can
    carry config or inventory text, secrets included (VTY_AUDITOR_DEBUG=1 shows it)."""
    import os
    import signal
    import sys

    from auditor.cli.exitcodes import INCOMPLETE, INTERRUPTED

    def terminate(signum, frame):
        raise KeyboardInterrupt  # SIGTERM stops a run the way Ctrl-C does: finished work is reported

    signal.signal(signal.SIGTERM, terminate)
    if sys.argv[1:] == ["--version"]:
        from auditor import __version__

        print(f"vty-auditor {__version__}")
        return
    from auditor.cli.commands import command

    try:
        command()(prog_name="vty-auditor")
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        _leave(INTERRUPTED)
    except Exception as exc:
        if os.environ.get("VTY_AUDITOR_DEBUG"):
            raise
        print(f"error: internal error ({exc.__class__.__name__}); details are withheld because they may quote the input", file=sys.stderr)
        _leave(INCOMPLETE)


def _leave(code: int) -> None:
    """Exit now. A normal interpreter exit joins every worker thread, and a fleet run's workers
    may sit in a connect or a read for the whole --timeout: an interrupt or an error that
    escaped the run's own handling must not wait for them."""
    import os
    import sys

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
