"""Line credentials, once per place they are written.

On IOS-XR the console and the VTY templates take what they do not set from
`line default` (IOS XR System Management Configuration Guide, "Line Template
Guidelines"), so several access paths can share one written password: the
platform's fix names the template that holds it, and the finding is made once
for it. On IOS each section's fix names the section itself, so nothing merges.
"""

from __future__ import annotations

from typing import Callable, Iterator

from auditor.rule import CAPPED


def line_credentials(rule, device, has: Callable, fix: Callable) -> Iterator:
    """For each section whose settings `has` selects, the fields `fix(device, section)` gives, skipping a
    (section, line) already given; `CAPPED` past the rule's cap, before the fix is built."""
    seen: set[tuple[str, int]] = set()
    for section in device.sections:
        if not has(section.settings):
            continue
        if rule.capped():
            yield CAPPED
            continue
        fields = fix(device, section)
        key = (fields["section"], fields["line"])
        if key not in seen:
            seen.add(key)
            yield fields
