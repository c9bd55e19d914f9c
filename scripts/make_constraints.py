"""Merge ``pip freeze`` outputs from several Pythons into one constraints file.

Usage: python scripts/make_constraints.py 3.9=freeze39.txt 3.11=freeze311.txt > constraints.txt

A package pinned the same everywhere gets a plain pin; one that differs (or
exists only on some Pythons, such as tomli) gets a pin per Python with an
environment marker. Versions not listed fall back to the newest one listed.
"""

from __future__ import annotations

import sys


def read_freeze(path: str) -> dict[str, str]:
    pins = {}
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    for line in lines:
        line = line.strip()
        if "==" in line and not line.startswith(("#", "-e")):
            name, version = line.split("==", 1)
            pins[name.lower()] = version
    return pins


def main(argv: list[str]) -> int:
    by_python = []
    for arg in argv:
        version, path = arg.split("=", 1)
        by_python.append((tuple(int(x) for x in version.split(".")), read_freeze(path)))
    by_python.sort()
    names = sorted({name for _, pins in by_python for name in pins})
    print("# Pinned versions for run_kiosk.sh / run_tests.sh (pip -c). Regenerate with")
    print("# scripts/make_constraints.py after testing a new set; see README.")
    for name in names:
        versions = {pins.get(name) for _, pins in by_python}
        if len(versions) == 1:
            print(f"{name}=={versions.pop()}")
            continue
        for i, (py, pins) in enumerate(by_python):
            if name not in pins:
                continue
            low = f"python_version >= '{py[0]}.{py[1]}'"
            if i + 1 < len(by_python):
                nxt = by_python[i + 1][0]
                marker = f"{low} and python_version < '{nxt[0]}.{nxt[1]}'"
            else:
                marker = low
            if i == 0:
                marker = marker.split(" and ", 1)[-1] if " and " in marker else ""
            print(f"{name}=={pins[name]}" + (f"; {marker}" if marker else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
