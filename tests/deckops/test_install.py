"""kiosk deck install / list / rollback on deck folders: versions, links, checks, pruning."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.deck.install import VERSION_NAME, DecksRoot, read_metadata
from tests.deckops.conftest import make_deck, seizure_title, write_site

pytestmark = [pytest.mark.data]

#: Cards in the bundled deck, each in en and uk (the deck grows as cards are added).
BUNDLED_CARDS = len(list((Path(__file__).resolve().parents[2] / "cards" / "en").glob("*.toml")))


def deck_cmd(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["deck", *args])
    out = capsys.readouterr()
    return status, out.out, out.err


def live(root: Path) -> Path:
    return Path(os.path.realpath(root / "current"))


def test_install_makes_a_versioned_copy_and_points_current_at_it(tmp_path, capsys) -> None:
    source = make_deck(tmp_path / "new", "Seizure v2")
    decks = tmp_path / "decks"
    status, out, err = deck_cmd(capsys, "install", str(source), "--decks", str(decks))
    assert status == 0, err
    link = os.readlink(decks / "current")
    assert VERSION_NAME.match(link), link  # a relative link to a version folder
    assert f"{BUNDLED_CARDS} cards in 2 languages" in out and link in out
    assert seizure_title(decks / "current") == "Seizure v2"
    # a copy, not a link into the source: editing the source changes nothing live
    (source / "en" / "seizure.toml").write_text("broken = [", encoding="utf-8")
    assert seizure_title(decks / "current") == "Seizure v2"
    version = read_metadata(live(decks))
    assert (
        version is not None and version.cards == BUNDLED_CARDS and version.languages == ("en", "uk")
    )
    assert oct((live(decks) / "en" / "seizure.toml").stat().st_mode & 0o777) == "0o644"


def test_same_deck_twice_changes_nothing_and_a_new_one_keeps_the_old_as_previous(
    tmp_path, capsys
) -> None:
    decks = tmp_path / "decks"
    first = make_deck(tmp_path / "v1", "Seizure v1")
    assert deck_cmd(capsys, "install", str(first), "--decks", str(decks))[0] == 0
    v1 = os.readlink(decks / "current")
    status, out, _ = deck_cmd(capsys, "install", str(first), "--decks", str(decks))
    assert status == 0 and "already live" in out and os.readlink(decks / "current") == v1
    second = make_deck(tmp_path / "v2", "Seizure v2")
    assert deck_cmd(capsys, "install", str(second), "--decks", str(decks))[0] == 0
    v2 = os.readlink(decks / "current")
    assert v2 != v1 and v2 > v1  # names sort in install order
    assert os.readlink(decks / "previous") == v1
    assert seizure_title(decks / "current") == "Seizure v2"


def test_rollback_goes_back_and_names_a_version(tmp_path, capsys) -> None:
    decks = tmp_path / "decks"
    names = []
    for number in (1, 2, 3):
        deck = make_deck(tmp_path / f"v{number}", f"Seizure v{number}")
        assert deck_cmd(capsys, "install", str(deck), "--decks", str(decks))[0] == 0
        names.append(os.readlink(decks / "current"))
    status, out, _ = deck_cmd(capsys, "rollback", "--decks", str(decks))
    assert status == 0 and names[1] in out
    assert os.readlink(decks / "current") == names[1]
    assert seizure_title(decks / "current") == "Seizure v2"
    assert os.readlink(decks / "previous") == names[2]
    status, _, _ = deck_cmd(
        capsys, "rollback", names[0][:15] + names[0][15:], "--decks", str(decks)
    )
    assert status == 0 and seizure_title(decks / "current") == "Seizure v1"
    status, _, err = deck_cmd(capsys, "rollback", "--decks", str(decks))
    assert status == 1 and "no installed version older" in err
    status, _, err = deck_cmd(capsys, "rollback", "1999-nope", "--decks", str(decks))
    assert status == 1 and "no installed version '1999-nope'" in err


def test_list_shows_versions_live_previous_counts_and_review_dates(tmp_path, capsys) -> None:
    decks = tmp_path / "decks"
    for number in (1, 2):
        deck = make_deck(tmp_path / f"v{number}", f"Seizure v{number}")
        deck_cmd(capsys, "install", str(deck), "--decks", str(decks))
    status, out, _ = deck_cmd(capsys, "list", "--decks", str(decks))
    assert status == 0
    rows = out.splitlines()
    assert "2 versions" in rows[0]
    assert rows[2].startswith("live") and rows[3].startswith("previous")
    assert re.search(rf"\b{BUNDLED_CARDS}\s+en,uk\b", rows[2])
    assert "next due" in rows[2] or "past review date" in rows[2]


def test_list_counts_cards_past_their_review_date(tmp_path) -> None:
    import datetime as dt

    decks = tmp_path / "decks"
    main(["deck", "install", str(make_deck(tmp_path / "v1")), "--decks", str(decks)])
    version = DecksRoot(decks).live()
    assert version is not None
    assert version.overdue(dt.date(2000, 1, 1)) == 0
    assert version.overdue(dt.date(2999, 1, 1)) == version.card_files == 2 * BUNDLED_CARDS


def test_a_deck_with_an_error_is_refused_naming_file_and_field_and_live_is_untouched(
    tmp_path, capsys
) -> None:
    decks = tmp_path / "decks"
    deck_cmd(capsys, "install", str(make_deck(tmp_path / "good", "Good")), "--decks", str(decks))
    before = os.readlink(decks / "current")
    bad = make_deck(tmp_path / "bad")
    card = bad / "en" / "seizure.toml"
    card.write_text(
        card.read_text(encoding="utf-8").replace('urgency = "emergency"', 'urgency = "soon"')
    )
    status, out, err = deck_cmd(capsys, "install", str(bad), "--decks", str(decks))
    assert status == 1
    assert f"{card}:" in out and "urgency" in out  # the operator's file, not the staging copy
    assert "nothing was installed" in err
    assert os.readlink(decks / "current") == before
    assert sorted(os.listdir(decks)) == sorted([".lock", "current", before])


def test_a_symlink_in_the_source_is_refused(tmp_path, capsys) -> None:
    source = make_deck(tmp_path / "new")
    (source / "en" / "secret.toml").symlink_to("/etc/passwd")
    status, _, err = deck_cmd(capsys, "install", str(source), "--decks", str(tmp_path / "d"))
    assert status == 1 and "secret.toml: a symbolic link" in err


def test_a_folder_holding_the_deck_one_level_down_is_refused(tmp_path, capsys) -> None:
    """The nested-copy mistake: the deck is in SOURCE/cards, not SOURCE."""
    make_deck(tmp_path / "outer" / "cards")
    status, out, _ = deck_cmd(
        capsys, "install", str(tmp_path / "outer"), "--decks", str(tmp_path / "d")
    )
    assert status == 1 and "deck.toml" in out
    assert not (tmp_path / "d" / "current").exists()


def test_site_errors_refuse_the_install(tmp_path, capsys) -> None:
    site = write_site(tmp_path / "site.toml", keep_deck_versions=1)
    status, out, err = deck_cmd(
        capsys,
        "install",
        str(make_deck(tmp_path / "v")),
        "--decks",
        str(tmp_path / "d"),
        "--site",
        str(site),
    )
    assert status == 1 and "E110" in out and "keep_deck_versions" in out and "site file" in err


def test_decks_root_comes_from_the_site_file(tmp_path, capsys) -> None:
    decks = tmp_path / "from-site"
    site = write_site(tmp_path / "site.toml", decks_dir=str(decks))
    status, _, err = deck_cmd(
        capsys, "install", str(make_deck(tmp_path / "v")), "--site", str(site)
    )
    assert status == 0, err
    assert (decks / "current").is_symlink()


def test_keeps_the_last_n_but_never_the_live_or_previous(tmp_path, capsys) -> None:
    decks = tmp_path / "decks"
    site = write_site(tmp_path / "site.toml", keep_deck_versions=2, decks_dir=str(decks))
    names = []
    for number in range(1, 5):
        deck = make_deck(tmp_path / f"v{number}", f"Seizure v{number}")
        assert deck_cmd(capsys, "install", str(deck), "--site", str(site))[0] == 0
        names.append(os.readlink(decks / "current"))
    assert [v.name for v in DecksRoot(decks).versions()] == names[2:]
    # roll back to the oldest kept, then install again: the live (old) one stays
    deck_cmd(capsys, "rollback", names[2], "--site", str(site))
    deck = make_deck(tmp_path / "v5", "Seizure v5")
    assert deck_cmd(capsys, "install", str(deck), "--site", str(site))[0] == 0
    kept = [v.name for v in DecksRoot(decks).versions()]
    # the newest two, plus the previous one (live before this install), however old
    assert kept == [names[2], names[3], os.readlink(decks / "current")]
    assert os.readlink(decks / "previous") == names[2]


def test_current_as_a_plain_folder_is_refused_with_what_to_do(tmp_path, capsys) -> None:
    decks = tmp_path / "decks"
    make_deck(decks / "current")
    status, _, err = deck_cmd(
        capsys, "install", str(make_deck(tmp_path / "v")), "--decks", str(decks)
    )
    assert status == 1 and "is a folder, not a link" in err and "sudo mv" in err


def test_a_legacy_link_into_a_checkout_is_replaced_by_an_installed_copy(tmp_path, capsys) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    checkout = make_deck(tmp_path / "checkout" / "cards")
    (decks / "current").symlink_to(checkout)
    status, out, _ = deck_cmd(capsys, "list", "--decks", str(decks))
    assert "not an installed version" in out
    assert deck_cmd(capsys, "install", str(checkout), "--decks", str(decks))[0] == 0
    assert live(decks).parent == decks.resolve()


def test_version_names_sort_after_the_newest_even_when_the_clock_is_behind(
    tmp_path, capsys
) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    future = decks / "2999-01-01T000000Z-00000000"
    future.mkdir()
    (decks / "x").mkdir()
    status, _, _ = deck_cmd(
        capsys, "install", str(make_deck(tmp_path / "v")), "--decks", str(decks)
    )
    assert status == 0
    assert os.readlink(decks / "current").startswith("2999-01-01T000001Z-")
    status, out, err = deck_cmd(capsys, "list", "--decks", str(decks))
    assert future.name in err and "not a complete install" in err  # never listed as installable
    assert future.name not in out


def test_a_changed_version_is_not_rolled_back_to(tmp_path, capsys) -> None:
    decks = tmp_path / "decks"
    for number in (1, 2):
        deck_cmd(
            capsys,
            "install",
            str(make_deck(tmp_path / f"v{number}", f"S{number}")),
            "--decks",
            str(decks),
        )
    previous = decks / os.readlink(decks / "previous")
    (previous / "en" / "seizure.toml").write_text("tampered", encoding="utf-8")
    status, _, err = deck_cmd(capsys, "rollback", "--decks", str(decks))
    assert status == 1 and "changed after it was installed" in err


def test_a_strict_umask_still_leaves_the_deck_readable_by_the_kiosk_user(tmp_path, capsys) -> None:
    decks = tmp_path / "new-root"
    old = os.umask(0o077)
    try:
        status = main(["deck", "install", str(make_deck(tmp_path / "v")), "--decks", str(decks)])
    finally:
        os.umask(old)
    assert status == 0
    version = live(decks)
    for path in [decks, version, version / "en"]:
        assert path.stat().st_mode & 0o755 == 0o755, path
    for path in [version / "deck.toml", version / "en" / "seizure.toml"]:
        assert path.stat().st_mode & 0o644 == 0o644, path
