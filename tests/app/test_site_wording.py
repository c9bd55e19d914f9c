"""Site file wording in the UI: several emergency numbers, text per language, the
staff screen's banner when the site file had errors (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.core.problem import Problem
from kiosk.screens.home import HomeScreen
from kiosk.site import EmergencyNumber
from tests.support.screen import flat_text

pytestmark = [pytest.mark.ui]

NUMBERS = (
    EmergencyNumber("103", "Ambulance", (("uk", "Швидка допомога"),)),
    EmergencyNumber("112"),
)


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
async def test_emergency_bar_shows_every_number_in_the_visitors_language(build, size) -> None:
    app = build(emergency_numbers=NUMBERS)
    async with app.run_test(size=size) as pilot:
        assert "Ambulance: 103 · Emergency: 112" in flat_text(app)
        await app.run_action("app.cycle_language")  # the button may be below the fold
        await pilot.pause()
        text = flat_text(app)
        assert "Швидка допомога: 103 · Екстрена допомога: 112" in text
        assert "Ambulance" not in text
        await app.run_action("app.cycle_language")  # the button may be below the fold
        await pilot.pause()
        assert "Ambulance: 103 · Emergency: 112" in flat_text(app)


UKRAINIAN = (
    (
        "uk",
        (
            ("name", "Басейн «Рівер»"),
            ("staff_instruction", "Рятувальник: червона кнопка біля басейну"),
            ("first_aid_kit", "За стійкою реєстрації"),
            ("defibrillator", "Біля головного входу"),
        ),
    ),
)


async def test_home_shows_the_site_wording_of_the_visitors_language(build) -> None:
    app = build(languages=UKRAINIAN)
    async with app.run_test(size=(100, 30)) as pilot:
        text = flat_text(app)
        assert "Riverside Pool" in text and "First-aid kit: Reception desk" in text
        await pilot.click("#language")
        await pilot.pause()
        text = flat_text(app)
        assert "Басейн «Рівер»" in text
        assert "Рятувальник: червона кнопка біля басейну" in text
        assert "Аптечка: За стійкою реєстрації" in text
        assert "Біля головного входу" in text
        assert "Riverside" not in text and "Reception" not in text and "Lifeguard" not in text


@pytest.mark.expected_errors  # the app logs 'out of service' as an error
async def test_out_of_service_shows_the_site_wording_of_its_language(build) -> None:
    from kiosk.deck import Deck, LoadResult

    app = build(
        LoadResult(Deck(("en", "uk"), "uk", ())), default_language="uk", languages=UKRAINIAN
    )
    async with app.run_test(size=(100, 40)):
        assert not isinstance(app.screen, HomeScreen)
        text = flat_text(app)
        assert "Басейн «Рівер»" in text
        assert "Аптечка: За стійкою реєстрації" in text
        assert "Дефібрилятор: Біля головного входу" in text
        assert "Riverside" not in text and "Reception" not in text


async def _open_staff_screen(pilot) -> None:
    await pilot.press("f12", "f12", "f12", *"2468", "enter")
    await pilot.pause()


async def test_staff_screen_shows_the_site_wording_of_its_language(build) -> None:
    from kiosk.screens.staff import StaffScreen

    app = build(default_language="uk", languages=UKRAINIAN, emergency_numbers=NUMBERS)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open_staff_screen(pilot)
        assert isinstance(app.screen, StaffScreen)
        text = flat_text(app)
        assert "Назва місця: Басейн «Рівер»" in text
        assert "Аптечка: За стійкою реєстрації" in text
        assert "Дефібрилятор: Біля головного входу" in text
        assert "Екстрений виклик: Швидка допомога, 103" in text
        assert "Екстрений виклик: Екстрена допомога, 112" in text


@pytest.mark.parametrize("size", [(100, 40), (40, 12)])
async def test_staff_screen_banner_counts_site_file_errors(build, deck, clock, size) -> None:
    from kiosk.app import make_app
    from kiosk.screens.staff import StaffScreen

    problems = (
        Problem(Path("site.toml"), "E105", "staff_pin: TOML syntax error", line=3),
        Problem(Path("site.toml"), "E110", "theme: not a theme", line=5),
        Problem(Path("site.toml"), "W105", "staff_pin: the example's PIN", line=3),
    )
    app = make_app(deck, build().site, clock=clock, site_problems=problems)
    async with app.run_test(size=size) as pilot:
        await _open_staff_screen(pilot)
        assert isinstance(app.screen, StaffScreen)
        banner = app.screen.query_one("#staff-site-errors")
        assert app.screen.region.contains_region(banner.region), "banner on screen"
        assert "Site file has errors: 2" in flat_text(app)


async def test_staff_screen_has_no_banner_for_warnings_only(build, deck, clock) -> None:
    from kiosk.app import make_app
    from kiosk.screens.staff import StaffScreen

    problems = (Problem(Path("site.toml"), "W105", "staff_pin: the example's PIN", line=3),)
    app = make_app(deck, build().site, clock=clock, site_problems=problems)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open_staff_screen(pilot)
        assert isinstance(app.screen, StaffScreen)
        assert "Site file has errors" not in flat_text(app)
