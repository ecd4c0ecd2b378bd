"""The scan as a source and stages, shared by the commands that read configs.

A source gives the devices' reports, each checking its own usage first: `files_source` (files
and stdin, audited as they are read), `diff_source` (the files a branch changes, each against
its version at the merge base), `inventory_source` (devices pulled, and audited when given a
request: `pull` gives none). The stages after it take the reports and give them on, streamed
where they can be and collected where they need every one: `without_non_configs`,
`pre_change` (`--change`), `against_baseline` (`--baseline`). `scan` composes them
(`auditor/cli/scan.py`); `baseline create` takes the files source and the non-config stage,
`pull` the inventory source; the report sink is `auditor.cli.common.emit_report` and
`exit_code`.
"""

from __future__ import annotations

from pathlib import Path

from auditor.cli.common import credentials_for, iter_audits, load_hosts, note, prepare_save_dir, pull_settings, run_fleet, usage
from auditor.findings import DeviceReport, DeviceStatus


def inventory_source(inventory, paths, change, limit, filters, resolved, request, probe=False, telnet_ports=(23,), save_dir=None, shard=None, allow_proxy_command=False) -> list[DeviceReport]:
    """The source of a fleet scan: every inventory device pulled and audited (the same validation
    as for files first)."""
    if paths:
        usage("give config paths or --inventory, not both")
    if change is not None:
        usage("--change audits one config file, not an inventory")
    hosts = load_hosts(inventory, limit, filters, shard)
    pull = pull_settings(resolved, allow_proxy_command)
    if save_dir is not None:
        prepare_save_dir(save_dir, hosts)
    credentials = credentials_for(hosts)
    return run_fleet(hosts, credentials, pull, request, save_dir=save_dir, probe=probe, telnet_ports=telnet_ports)


def diff_source(ref: str, paths: list[str], change, known, include, exclude, request, seconds, skipped: list[str]) -> tuple[list[DeviceReport], dict]:
    """The source of a gated change: the config files under `paths` that the branch (and the work
    tree) changes against the merge base with `ref`, each audited against its version there
    (`auditor.gitdiff`)."""
    if not paths:
        usage("give config files or directories to scan, - for stdin, or --inventory")
    if change is not None or known is not None or "-" in paths:
        usage("--diff-base compares each changed file with its old version: do not give --change, --baseline or -")
    import os

    from auditor import gitdiff
    from auditor.batch import audit_data, audit_path
    from auditor.change import against
    from auditor.reports import one_line
    from auditor.sources import DEFAULT_INCLUDE, MAX_INPUT_BYTES, inside, selected

    include = tuple(include) or DEFAULT_INCLUDE
    try:
        root = gitdiff.work_tree(Path.cwd())
        specs = []
        for raw in paths:
            relative = os.path.relpath(Path(raw).resolve(), root.resolve())
            if relative == ".." or relative.startswith(".." + os.sep):
                usage(f"--diff-base: {raw} is outside the git work tree {root}")
            specs.append(relative)
        base = gitdiff.merge_base(root, ref)
        files = gitdiff.changed(root, base, specs)
    except gitdiff.GitError as exc:
        usage(str(exc))
    devices: list[DeviceReport] = []
    removed: list[str] = []
    for item in files:
        if not selected(Path(item.path), include, exclude):
            continue
        source = os.path.relpath(root / item.path)
        if item.status == "deleted":
            removed.append(source)
            continue
        if (root / item.path).is_symlink() and not inside(root / item.path, root.resolve()):
            # a merge request can commit a link to /etc/shadow: never followed out of the repository
            skipped.append(f"{source}: a symlink leading outside the repository")
            note(f"skipped {one_line(skipped[-1])}")
            continue
        after = audit_path(source, request, seconds)
        before = None
        if item.old_path is not None:
            try:
                data = gitdiff.blob(root, base, item.old_path, MAX_INPUT_BYTES)
            except gitdiff.GitError as exc:
                usage(str(exc))
            old_source = os.path.relpath(root / item.old_path)
            before = audit_data(old_source, data, request, seconds) if data is not None else DeviceReport(source=old_source, status=DeviceStatus.ERROR, error="too large at the merge base")
        if after.status in (DeviceStatus.NOT_CONFIG, DeviceStatus.UNSUPPORTED) and before is not None and before.status is DeviceStatus.AUDITED:
            # It was audited at the merge base: emptied, replaced, or made to look like another vendor's
            # config, it fails: the classic way to hide a device from the gate. Never "notes", never
            # covered by --allow-unsupported.
            after = after.model_copy(update={"status": DeviceStatus.UNRECOGNIZED, "error": (f"audited at the merge base ({before.platform}), not audited now: {after.error}")})
        devices.append(against(before, after))
    diffed = {
        "ref": ref,
        "merge_base": base,
        "changed": [d.source for d in devices],
        "removed": removed,
        "renamed": {os.path.relpath(root / f.path): os.path.relpath(root / (f.old_path or f.path)) for f in files if f.status == "renamed"},
    }
    return devices, diffed


def files_source(paths, include, exclude, request, jobs=None, input_timeout=60.0, skipped=None, shard=None, save_dir=None, probe: bool = False):
    """The source of a file scan: the files (and stdin) named, audited as they are read."""
    if not paths:
        usage("give config files or directories to scan, - for stdin, or --inventory")
    if save_dir is not None:
        usage("--save-dir needs --inventory")
    if probe:
        usage("--probe needs --inventory (to probe a config file's device, give its address in an inventory)")
    if input_timeout < 0:
        usage("--input-timeout must be 0 (no limit) or more")
    return iter_audits(paths, include, exclude, request, jobs=jobs, seconds=input_timeout or None, skipped=skipped, shard=shard)


def without_non_configs(devices, paths, every: bool, skipped: list[str]):
    """The devices, without the files holding no device config that a directory walk found (or,
    with `every`, any: --skip-non-configs); each one left out is a note and an entry of `skipped`.
    A file named on the command line (or stdin) that holds no config still fails."""
    from auditor.reports import one_line

    named = {p for p in paths if p == "-" or not Path(p).is_dir()}
    for d in devices:
        if d.status is DeviceStatus.NOT_CONFIG and (every or d.source not in named):
            skipped.append(f"{d.source}: not a device config ({d.error})")
            note(f"skipped {one_line(skipped[-1])}")
            continue
        yield d


def pre_change(devices, change_path, paths, request):
    """A stage that collects (one file): audit the config the change will produce, as the config
    before it was, and attach the comparison."""
    from auditor.change import applied, compare, in_snippet

    devices = list(devices)

    if len(devices) != 1 or paths == ["-"]:
        usage("--change needs exactly one config file")
    before = devices[0]
    if before.status is not DeviceStatus.AUDITED:
        return devices
    try:
        snippet = change_path.read_bytes()
        config = Path(before.source).read_bytes()
    except OSError as exc:
        usage(f"cannot read {change_path}: {exc.strerror}")
    combined, config_lines, snippet_lines = applied(config, snippet)
    after = request.audit(combined, source=before.source)
    after = in_snippet(after, config_lines, snippet_lines, str(change_path))
    return [after.model_copy(update={"change": compare(before, after)})]


def against_baseline(devices, known):
    """A stage that collects: findings the baseline accepts leave the report; an entry that matches
    nothing any more is named (it needs every device to know)."""
    from auditor.baseline import apply
    from auditor.reports import one_line

    devices, stale = apply(list(devices), known)
    for entry in stale:
        note(f"baseline entry matches nothing any more: {one_line(entry.source)} {one_line(entry.rule_id)} {one_line(entry.section)}")
    return devices, stale


def load_baseline(path: Path):
    from auditor.baseline import BaselineError, loads

    try:
        return loads(path.read_text(encoding="utf-8"), str(path))
    except OSError as exc:
        usage(f"cannot read baseline {path}: {exc.strerror}")
    except BaselineError as exc:
        usage(str(exc))
