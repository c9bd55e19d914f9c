"""The README opens with the two commands and names only files that exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.data]

REPO_ROOT = Path(__file__).resolve().parents[2]
README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")

TOP_FOLDERS = ("deploy/", "docs/", "kiosk/", "cards/", "scripts/", "tests/", ".ci/")


def named_paths(text: str) -> set[str]:
    """Relative links, and code spans that look like repository paths."""
    links = {m.group(1) for m in re.finditer(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)}
    spans = {m.group(1) for m in re.finditer(r"`([^`\s]+)`", text)}
    spans |= set(re.findall(r"(?<![\w/.])((?:deploy|docs|scripts|\.ci)/[\w./-]+\w)", text))
    paths = {p for p in links if not re.match(r"[a-z]+:", p)}
    paths |= {s for s in spans if s.startswith(TOP_FOLDERS) or re.fullmatch(r"[\w.-]+\.sh", s)}
    return {p.rstrip("/") for p in paths if "<" not in p and "*" not in p}


def test_readme_opens_with_the_two_commands() -> None:
    first_block = README.split("```")[1].splitlines()
    commands = [line.split("#")[0].strip() for line in first_block[1:] if line.strip()]
    assert commands == ["./run_kiosk.sh", "./run_tests.sh"]


def test_every_path_the_readme_names_exists() -> None:
    paths = named_paths(README)
    assert "deploy/kiosk.service" in paths and "docs/site-config.md" in paths
    missing = sorted(p for p in paths if not (REPO_ROOT / p).exists())
    assert missing == []


def test_site_config_doc_links_exist() -> None:
    doc = (REPO_ROOT / "docs" / "site-config.md").read_text(encoding="utf-8")
    for link in named_paths(doc):
        if link.startswith(".."):
            assert (REPO_ROOT / "docs" / link).resolve().exists(), link


def test_path_finder_catches_a_missing_file() -> None:
    assert "deploy/nope.service" in named_paths("see [x](deploy/nope.service)")
