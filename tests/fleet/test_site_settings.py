"""The fleet's site settings: metrics_file and state_dir, checked like the others."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.fleet.usage import default_state_dir, state_dir_for
from kiosk.site import E_BAD_FLEET_PATH, load_site

pytestmark = [pytest.mark.data]


def test_good_paths_apply(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_text('metrics_file = "/var/lib/node_exporter/kiosk.prom"\nstate_dir = "/data"\n')
    result = load_site(path)
    assert result.problems == ()
    assert result.site.metrics_file == "/var/lib/node_exporter/kiosk.prom"
    assert result.site.state_dir == "/data"


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('metrics_file = "kiosk.prom"', "not an absolute path"),
        ('metrics_file = "/var/lib/node_exporter/kiosk.txt"', "must end in .prom"),
        ('state_dir = "state"', "not an absolute path"),
    ],
)
def test_bad_paths_keep_the_default_and_name_the_key(tmp_path: Path, line: str, words: str) -> None:
    path = tmp_path / "site.toml"
    path.write_text(f'name = "Pool"\n{line}\n')
    result = load_site(path)
    [problem] = result.problems
    assert problem.code == E_BAD_FLEET_PATH
    assert problem.line == 2 and words in problem.message
    assert problem.message.startswith(line.split(" ")[0])
    assert result.site.metrics_file == "" and result.site.state_dir == ""
    assert result.site.name == "Pool"


def test_state_dir_default_follows_systemd(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATE_DIRECTORY", "/var/lib/kiosk")
    assert default_state_dir() == Path("/var/lib/kiosk")
    assert state_dir_for("") == Path("/var/lib/kiosk")
    assert state_dir_for("/data/kiosk") == Path("/data/kiosk")
    monkeypatch.delenv("STATE_DIRECTORY")
    assert default_state_dir().name == "kiosk"
