"""Exit codes: 3 (could not audit something) wins over 1 (findings)."""

CLEAN = 0
FINDINGS = 1
USAGE = 2
INCOMPLETE = 3
INTERRUPTED = 130
