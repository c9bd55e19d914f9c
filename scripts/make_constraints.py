"""Merge ``pip freeze --all`` outputs from several Pythons into one constraints file.

Regenerate ``constraints.txt`` after testing a new set of versions:

    for v in 3.9 3.11 3.13; do
        KIOSK_VENV=/tmp/venv-$v KIOSK_PYTHON=python$v KIOSK_EXTRAS=test \\
            bash -c 'source scripts/ensure_venv.sh'        # with a loosened constraints.txt
        /tmp/venv-$v/bin/python -m pip freeze --all > /tmp/freeze-$v.txt
    done
    python3 scripts/make_constraints.py 3.9=/tmp/freeze-3.9.txt 3.11=/tmp/freeze-3.11.txt \\
        3.13=/tmp/freeze-3.13.txt > constraints.txt

A package pinned the same on every Python gets a plain pin. Otherwise
neighbouring Pythons with the same version share one line whose marker covers
their range (``python_version >= '3.11'``), so a package that differs only
between 3.9 and the rest takes two lines. Pythons between the ones listed use
the pin of the nearest older one listed. The project itself and pip are left
out.
"""

from __future__ import annotations

import sys

SKIPPED = {"pip", "first-aid-kiosk", "first_aid_kiosk"}

Version = tuple[int, int]


def read_freeze(text: str) -> dict[str, str]:
    """``name==version`` lines of a pip freeze, by lower-case name."""
    pins = {}
    for raw in text.splitlines():
        line = raw.strip()
        if "==" in line and not line.startswith(("#", "-e")):
            name, version = line.split("==", 1)
            if name.lower() not in SKIPPED:
                pins[name.lower()] = version.strip()
    return pins


def marker(low: Version | None, high: Version | None) -> str:
    """The environment marker for low <= python < high (either end open)."""
    parts = []
    if low is not None:
        parts.append(f"python_version >= '{low[0]}.{low[1]}'")
    if high is not None:
        parts.append(f"python_version < '{high[0]}.{high[1]}'")
    return " and ".join(parts)


def merge(by_python: list[tuple[Version, dict[str, str]]]) -> list[str]:
    """Constraint lines for freezes from several Pythons."""
    by_python = sorted(by_python)
    pythons = [py for py, _ in by_python]
    lines = []
    for name in sorted({name for _, pins in by_python for name in pins}):
        versions = [pins.get(name) for _, pins in by_python]
        if None not in versions and len(set(versions)) == 1:
            lines.append(f"{name}=={versions[0]}")
            continue
        start = 0
        while start < len(versions):
            end = start
            while end + 1 < len(versions) and versions[end + 1] == versions[start]:
                end += 1
            if versions[start] is not None:
                low = pythons[start] if start > 0 else None
                high = pythons[end + 1] if end + 1 < len(pythons) else None
                lines.append(f"{name}=={versions[start]}; {marker(low, high)}")
            start = end + 1
    return lines


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    by_python = []
    for arg in argv:
        version, path = arg.split("=", 1)
        major, minor = (int(x) for x in version.split(".")[:2])
        with open(path, encoding="utf-8") as handle:
            by_python.append(((major, minor), read_freeze(handle.read())))
    print("# Pinned versions for run_kiosk.sh / run_tests.sh (pip -c), tested on Python")
    print("# " + ", ".join(f"{py[0]}.{py[1]}" for py, _ in sorted(by_python)) + ".")
    print("# Regenerate with scripts/make_constraints.py (see its docstring and the README).")
    for line in merge(by_python):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
