"""speech_text: what the engine is given says what a person would say."""

from __future__ import annotations

import pytest

from kiosk.voice.text import digits_in_words, speech_text, uk_number_words

pytestmark = [pytest.mark.data]


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Call 112 now.", "Call one one two now."),
        ("Call 999.", "Call nine nine nine."),
        (
            "Call +44 20 7946 0000",
            "Call plus four four two zero seven nine four six zero zero zero zero",
        ),
        ("Triple zero: 000", "Triple zero: zero zero zero"),
        ("Hold it for 15 min, then 1 min.", "Hold it for 15 minutes, then 1 minute."),
        ("Push 5-6 cm deep", "Push 5 to 6 centimetres deep"),
        ("Push 5–6 cm deep", "Push 5 to 6 centimetres deep"),
        ("110/min", "110 a minute"),
        ("Send someone for the AED.", "Send someone for the defibrillator."),
        ("Defibrillator (AED): by the lifts", "Defibrillator: by the lifts"),
        ("Start CPR.", "Start C P R."),
        ("e.g. a folded jacket", "for example a folded jacket"),
        ("Cool to 39 °C", "Cool to 39 degrees Celsius"),
        ("Done – you can let go", "Done, you can let go"),
        ("5:00 since the first dose", "5 minutes since the first dose"),
        ("1:30", "1 minute 30 seconds"),
        ("he/she & a friend", "he or she and a friend"),
        ("Give 0.5 mg", "Give 0.5 milligrams"),
    ],
)
def test_english(text: str, spoken: str) -> None:
    assert speech_text(text, "en") == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Телефонуйте 112.", "Телефонуйте один один два."),
        ("Натискайте на 5–6 см", "Натискайте на 5 або 6 сантиметрів"),
        ("110/хв", "110 за хвилину"),
        ("Почніть СЛР.", "Почніть ес-ел-ер."),
        ("Принесіть АЕД.", "Принесіть дефібрилятор."),
        ("Біля АЕД", "Біля дефібрилятора"),
        ("Дефібрилятор (АЕД)", "Дефібрилятор"),
        ("1 хв", "одна хвилина"),
        ("2 хв", "дві хвилини"),
        ("5 хв", "5 хвилин"),
        ("11 хв", "11 хвилин"),
        ("21 хв", "двадцять одна хвилина"),
        ("22 с", "двадцять дві секунди"),
        ("3 см", "3 сантиметри"),
        ("0,5 мг", "0 кома 5 міліграма"),
        ("39 °C", "39 градусів Цельсія"),
        ("напр. куртку", "наприклад куртку"),
        ("1:30", "одна хвилина 30 секунд"),
    ],
)
def test_ukrainian(text: str, spoken: str) -> None:
    assert speech_text(text, "uk") == spoken


def test_the_site_number_is_read_digit_by_digit_but_not_a_quantity() -> None:
    spoken = speech_text("Call 15 now, then wait 15 min.", "en", emergency_numbers=["15"])
    assert spoken == "Call one five now, then wait 15 minutes."


def test_ordinary_numbers_stay_numbers() -> None:
    assert speech_text("Push 30 times, 110 a minute.", "en") == "Push 30 times, 110 a minute."


def test_other_languages_are_left_to_the_engine() -> None:
    assert speech_text("Llame al  112", "es") == "Llame al 112"


def test_digits_and_words() -> None:
    assert digits_in_words("112", "en") == "one one two"
    assert digits_in_words("112", "uk") == "один один два"
    assert digits_in_words("+380", "uk") == "плюс три вісім нуль"
    assert uk_number_words(2, feminine=True) == "дві"
    assert uk_number_words(1021) == "одна тисяча двадцять один"


def test_every_bundled_step_keeps_its_words(deck) -> None:
    """Normalisation only adds words: nothing of a step disappears, nothing is doubled."""
    for language in deck.languages:
        for card in deck.cards[language].values():
            for step in card.steps:
                spoken = speech_text(step.text, language)
                assert spoken
                assert len(spoken) >= len(step.text) * 0.9, (card.id, step.text, spoken)
