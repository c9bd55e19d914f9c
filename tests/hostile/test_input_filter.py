"""The input filter (kiosk/input_filter.py): byte by byte, and with generated input.

The filter is Textual-free; these tests check its output against Textual's real parser,
the one it stands in front of: whatever goes in, the parser must take the output without
an error and be back in its ground state after it (a plain key right after is read at
once), and no dropped sequence may turn into key presses.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual import events
from textual._xterm_parser import XTermParser

from kiosk.compat.textual_input import make_filter
from kiosk.input_filter import ByteInputFilter, InputFilter, Limits, printable_codepoint

pytestmark = pytest.mark.data

TAP = "\x1b[<0;10;8M\x1b[<0;10;8m"


def kiosk_filter(**options) -> InputFilter:
    """The filter as the kiosk's drivers set it up (Textual's tables, kitty Escape)."""
    return make_filter(start=0.0, **options)


def parse(text: str, parser: XTermParser | None = None) -> list:
    """Textual's parser on ``text`` (an empty feed would mean end of input to it)."""
    return list((parser or XTermParser()).feed(text)) if text else []


def keys(messages) -> list[str]:
    return [m.key for m in messages if isinstance(m, events.Key)]


def through(text: str, **options) -> str:
    """Filter ``text`` at t=0 and let every time limit pass."""
    text_filter = kiosk_filter(**options)
    return text_filter.feed(text, 0.0) + text_filter.flush(10.0)


# -- the red team's reproductions ----------------------------------------------------------------

RED_TEAM_CRASHES = [
    "\x1b[5555555~",
    "\x1b[1114112u",
    "\x1b[99999999;5u",
    "\x1b[27;5;99999999~",
    "\x1b[1114112A",
    "\x1b[99999999999999999999A",
    "\x1b[97:65u",
    "\x1b[::u",
    "\x1b[97;;99999999999u",
]


@pytest.mark.parametrize("sequence", RED_TEAM_CRASHES)
def test_textual_parser_alone_raises_on_these(sequence: str) -> None:
    """Upstream bug (docs/upstream/textual-parser-chr-overflow.md); if an upgrade fixes it,
    this test says so, and the guard may be relaxed."""
    with pytest.raises((ValueError, OverflowError)):
        parse(sequence)


@pytest.mark.parametrize("sequence", RED_TEAM_CRASHES)
def test_filtered_they_are_dropped_whole(sequence: str) -> None:
    out = through(sequence + "z")
    assert out == "z"
    assert keys(parse(out)) == ["z"]


def test_in_band_resize_with_zero_pixels_then_a_tap_is_a_tap() -> None:
    """A1/A5: ``ESC[48;6;12;0;0t`` then a tap divided by zero in Textual's mouse code."""
    with pytest.raises(ZeroDivisionError):
        parse("\x1b[48;6;12;0;0t" + TAP)
    out = through("\x1b[48;6;12;0;0t" + TAP)
    assert out == TAP
    assert [type(m) for m in parse(out)] == [events.MouseDown, events.MouseUp]


@pytest.mark.parametrize(
    "report",
    ["\x1b[48;1000;1000;1000;1000t", "\x1b[48;24;80;480;640t", "\x1b[48;6;12;0;0t"],
)
def test_in_band_size_reports_nobody_asked_for_are_dropped(report: str) -> None:
    """A5/B2: the kiosk does not ask for in-band size reports; none may resize it."""
    assert through(report) == ""


def test_unterminated_paste_does_not_swallow_the_next_tap() -> None:
    """A4: after ``ESC[200~`` a tap's digits became key presses (8 opened card 8)."""
    out = through("\x1b[200~" + TAP)
    assert [type(m) for m in parse(out)] == [events.MouseDown, events.MouseUp]
    assert keys(parse(out)) == []


def test_unterminated_paste_closes_after_a_pause() -> None:
    text_filter = kiosk_filter()
    assert text_filter.feed("\x1b[200~abc", 0.0) == ""
    closed = text_filter.flush(1.0)
    assert [m.text for m in parse(closed) if isinstance(m, events.Paste)] == ["abc"]
    assert keys(parse(text_filter.feed("2", 1.1))) == ["2"]


def test_paste_is_cut_and_flattened() -> None:
    out = through("\x1b[200~" + "line\n" * 1000 + "\x1b[201~")
    (paste,) = [m for m in parse(out) if isinstance(m, events.Paste)]
    assert len(paste.text) <= Limits().paste_chars
    assert "\n" not in paste.text


def test_a_paste_can_still_be_typed_into_search() -> None:
    out = through("\x1b[200~cramp\x1b[201~")
    assert [m.text for m in parse(out) if isinstance(m, events.Paste)] == ["cramp"]


# -- what still works ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sequence", "key"),
    [
        ("\x1b[A", "up"),
        ("\x1b[1;5A", "ctrl+up"),
        ("\x1b[24~", "f12"),
        ("\x1bOP", "f1"),
        ("\x1b[[A", "f1"),  # the Linux console
        ("\x1b[Z", "shift+tab"),
        ("\x1b[27u", "escape"),  # foot, with the kitty keyboard protocol
        ("\x1b[13u", "enter"),
        ("\x1b[50;1;50u", "2"),
        ("\x1b[97;2;65u", "A"),
        ("\x1b[57441;2u", "left_shift"),
        ("\x1b[27;5;99~", "ctrl+c"),  # xterm modifyOtherKeys
        ("\r", "enter"),
        ("2", "2"),
        ("é", "é"),
    ],
)
def test_real_keys_pass(sequence: str, key: str) -> None:
    assert keys(parse(through(sequence))) == [key]


def test_lone_escape_is_the_escape_key_at_once() -> None:
    text_filter = kiosk_filter()
    assert text_filter.feed("\x1b", 0.0) == ""
    out = text_filter.flush(0.2)
    assert keys(parse(out)) == ["escape"]


def test_escape_then_a_digit_quickly_is_both_keys() -> None:
    assert keys(parse(through("\x1b5"))) == ["escape", "5"]


def test_taps_pass_with_their_release() -> None:
    assert [type(m) for m in parse(through(TAP))] == [events.MouseDown, events.MouseUp]


def test_expected_report_passes_once_then_forged_ones_are_dropped() -> None:
    text_filter = kiosk_filter(expected_reports=("2026",))
    assert text_filter.feed("\x1b[?2026;2$y", 0.0) == "\x1b[?2026;2$y"
    assert text_filter.feed("\x1b[?2026;2$y", 0.1) == ""
    assert text_filter.feed("\x1b[?2048;1$y", 0.2) == ""


def test_in_band_resize_when_asked_for_is_bounded_and_checked() -> None:
    sizes = []
    text_filter = kiosk_filter(
        expected_reports=("2048",), size_check=lambda c, r: sizes.append((c, r)) or c == 80
    )
    assert text_filter.feed("\x1b[?2048;1$y", 0.0)
    assert text_filter.feed("\x1b[48;24;80;480;640t", 0.1) == "\x1b[48;24;80;480;640t"
    assert text_filter.feed("\x1b[48;24;81;480;640t", 0.2) == ""  # not the real size
    assert text_filter.feed("\x1b[48;6;12;0;0t", 0.3) == ""  # zero pixels
    assert sizes == [(80, 24), (81, 24)]


@pytest.mark.parametrize(
    "noise",
    [
        "\x1b]52;c;MTIzNDU2Nzg=\x07",  # OSC 52 with digits
        "\x1b]0;title\x1b\\",
        "\x1bP+q544e\x1b\\",  # DCS XTGETTCAP
        "\x1b_Gi=31;OK\x1b\\",  # APC (kitty graphics reply)
        "\x1b[?62;c",
        "\x1b[>0;276;0c",
        "\x1b[12;40R",
        "\x1b[M !!",  # X10 mouse
        "\x1b[1;2;3;4u",  # four fields: Textual would wait for more and swallow the next key
        "\x9b",  # C1 CSI
    ],
)
def test_replies_and_strings_are_dropped_and_the_next_key_is_read(noise: str) -> None:
    out = through(noise + "2")
    assert keys(parse(out)) == ["2"]


def test_unterminated_string_does_not_swallow_a_tap() -> None:
    out = through("\x1b]52;c;" + "8" * 40 + TAP)
    assert [type(m) for m in parse(out)] == [events.MouseDown, events.MouseUp]


def test_overlong_sequence_is_read_to_its_end_and_dropped() -> None:
    assert through("\x1b[" + "8" * 500 + "~2") == "2"


def test_invalid_utf8_is_dropped() -> None:
    byte_filter = ByteInputFilter(kiosk_filter())
    out = byte_filter.feed(b"\xff\xfe2\xc0", 0.0) + byte_filter.flush(5.0)
    assert keys(parse(out)) == ["2"]


def test_flood_is_cut_to_the_budget_and_releases_follow_their_press() -> None:
    text_filter = kiosk_filter()
    out = text_filter.feed("+" * 200_000, 0.0)
    assert len(out) == Limits().burst
    out = text_filter.feed(TAP * 10, 0.0)
    assert out == ""  # presses dropped, so their releases too


def test_a_dropped_press_without_release_does_not_eat_the_next_tap() -> None:
    """Found by the seeded terminal batches: a flood-dropped press with no release marked
    its button, and the next tap lost its release (no click)."""
    text_filter = kiosk_filter()
    text_filter.feed("x" * 100, 0.0)  # the budget is spent
    assert text_filter.feed("\x1b[<0;10;8M", 0.0) == ""  # a press, dropped, never released
    assert text_filter.feed(TAP, 10.0) == TAP


def test_nothing_passes_while_the_app_is_behind() -> None:
    behind = [100]
    text_filter = kiosk_filter(backlog=lambda: behind[0])
    assert text_filter.feed("2" + TAP, 0.0) == ""
    behind[0] = 0
    assert text_filter.feed("2", 1.0) == "2"


def test_printable_codepoint() -> None:
    assert printable_codepoint(ord("a"))
    assert not printable_codepoint(0x1B)
    assert not printable_codepoint(0xD800)
    assert not printable_codepoint(0x110000)
    assert not printable_codepoint(0xE000)  # private use


# -- properties ---------------------------------------------------------------------------------

# Text built from the pieces that matter: ESC, introducers, digits, separators, finals,
# the paste markers, C1 and odd code points, and plain characters.
PIECES = st.sampled_from(
    [
        "\x1b",
        "[",
        "]",
        "O",
        "P",
        "_",
        "<",
        "?",
        ";",
        ":",
        "$",
        "0",
        "1",
        "9",
        "48",
        "99999999",
        "1114112",
        "200~",
        "201~",
        "u",
        "~",
        "A",
        "M",
        "m",
        "t",
        "y",
        "\x07",
        "\\",
        "\x9b",
        "\ufffd",
        "\x00",
        "\r",
        "a",
        "2",
        " ",
        "é",
    ]
)
CHUNKS = st.lists(
    st.tuples(
        st.one_of(st.lists(PIECES, max_size=30).map("".join), st.text(max_size=20)),
        st.floats(min_value=0.0, max_value=0.5),
    ),
    max_size=12,
)


@settings(max_examples=400, deadline=None)
@given(CHUNKS)
def test_property_never_raises_and_the_parser_takes_everything(chunks) -> None:
    text_filter = kiosk_filter()
    parser = XTermParser()
    now = 0.0
    total_in = 0
    for text, gap in chunks:
        now += gap
        total_in += len(text)
        out = text_filter.feed(text, now)
        assert len(out) <= 6 * len(text) + 12
        parse(out, parser)  # must not raise
        parse(text_filter.flush(now), parser)
    parse(text_filter.flush(now + 10.0), parser)
    # Back in its ground state: a plain key right after is read at once.
    assert keys(list(parser.feed("z")))[-1:] == ["z"]
    assert text_filter.stats.units <= Limits().burst + Limits().rate * now + 1


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_property_any_bytes_then_a_tap_is_still_a_tap(data: bytes) -> None:
    byte_filter = ByteInputFilter(kiosk_filter())
    out = byte_filter.feed(data, 0.0) + byte_filter.flush(10.0)
    parse(out)
    tap = byte_filter.feed(TAP.encode(), 20.0)
    assert [type(m) for m in XTermParser().feed(tap)] == [events.MouseDown, events.MouseUp]
