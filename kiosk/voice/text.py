"""What the kiosk says: card and interface text rewritten for a speech engine.

Engines read some things badly: ``112`` as "one hundred and twelve", ``AED`` as "eed",
``5-6 cm`` as "five dash six see em", ``39 °C`` in Ukrainian as English. :func:`speech_text`
rewrites a line of text so that espeak-ng and Piper (which phonemizes with espeak-ng) say
it the way a person would: emergency and phone numbers digit by digit, units and
abbreviations in words (with Ukrainian number agreement: "1 хвилина", "2 хвилини",
"5 хвилин"), symbols in words. Everything else is left for the engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: Emergency numbers read digit by digit wherever they appear (the site's own number is
#: added by the caller). Two-digit numbers are left out: "15 minutes" must stay fifteen.
KNOWN_EMERGENCY_NUMBERS = ("112", "911", "999", "000", "101", "102", "103", "111", "119")

DIGITS = {
    "en": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    "uk": ("нуль", "один", "два", "три", "чотири", "п'ять", "шість", "сім", "вісім", "дев'ять"),
}
PLUS = {"en": "plus", "uk": "плюс"}


@dataclass(frozen=True)
class Unit:
    """A unit's words: English singular/plural; Ukrainian 1 / 2-4 / 5+ / fraction forms."""

    one: str
    few: str
    many: str
    fraction: str
    feminine: bool = False


EN_UNITS: dict[str, tuple[str, str]] = {
    "cm": ("centimetre", "centimetres"),
    "mm": ("millimetre", "millimetres"),
    "m": ("metre", "metres"),
    "km": ("kilometre", "kilometres"),
    "min": ("minute", "minutes"),
    "mins": ("minute", "minutes"),
    "s": ("second", "seconds"),
    "sec": ("second", "seconds"),
    "secs": ("second", "seconds"),
    "h": ("hour", "hours"),
    "hr": ("hour", "hours"),
    "hrs": ("hour", "hours"),
    "kg": ("kilogram", "kilograms"),
    "g": ("gram", "grams"),
    "mg": ("milligram", "milligrams"),
    "mcg": ("microgram", "micrograms"),
    "µg": ("microgram", "micrograms"),
    "ml": ("millilitre", "millilitres"),
    "mL": ("millilitre", "millilitres"),
    "l": ("litre", "litres"),
    "°C": ("degree Celsius", "degrees Celsius"),
    "°F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "°": ("degree", "degrees"),
    "%": ("percent", "percent"),
}

UK_UNITS: dict[str, Unit] = {
    "см": Unit("сантиметр", "сантиметри", "сантиметрів", "сантиметра"),
    "мм": Unit("міліметр", "міліметри", "міліметрів", "міліметра"),
    "м": Unit("метр", "метри", "метрів", "метра"),
    "км": Unit("кілометр", "кілометри", "кілометрів", "кілометра"),
    "хв": Unit("хвилина", "хвилини", "хвилин", "хвилини", feminine=True),
    "с": Unit("секунда", "секунди", "секунд", "секунди", feminine=True),
    "сек": Unit("секунда", "секунди", "секунд", "секунди", feminine=True),
    "год": Unit("година", "години", "годин", "години", feminine=True),
    "кг": Unit("кілограм", "кілограми", "кілограмів", "кілограма"),
    "г": Unit("грам", "грами", "грамів", "грама"),
    "мг": Unit("міліграм", "міліграми", "міліграмів", "міліграма"),
    "мкг": Unit("мікрограм", "мікрограми", "мікрограмів", "мікрограма"),
    "мл": Unit("мілілітр", "мілілітри", "мілілітрів", "мілілітра"),
    "л": Unit("літр", "літри", "літрів", "літра"),
    "°C": Unit("градус Цельсія", "градуси Цельсія", "градусів Цельсія", "градуса Цельсія"),
    "°С": Unit("градус Цельсія", "градуси Цельсія", "градусів Цельсія", "градуса Цельсія"),
    "°": Unit("градус", "градуси", "градусів", "градуса"),
    "%": Unit("відсоток", "відсотки", "відсотків", "відсотка"),
}

#: Whole-word abbreviations (case-sensitive) and what to say instead.
EN_ABBREVIATIONS: dict[str, str] = {
    "AED": "defibrillator",
    "AEDs": "defibrillators",
    "CPR": "C P R",
    "A&E": "A and E",
    "GP": "G P",
    "NHS": "N H S",
    "e.g.": "for example",
    "i.e.": "that is",
    "etc.": "and so on",
    "approx.": "about",
}

#: Ukrainian: СЛР is said by its letters (a spelled-out phrase would need the right case);
#: АЕД/АЗД become "дефібрилятор", in the genitive after the prepositions that need it.
UK_ABBREVIATIONS: dict[str, str] = {
    "СЛР": "ес-ел-ер",
    "АЕД": "дефібрилятор",
    "АЗД": "дефібрилятор",
    "напр.": "наприклад",
    "т. д.": "так далі",
    "т.д.": "так далі",
    "т. ін.": "таке інше",
    "т.ін.": "таке інше",
    "т. п.": "тому подібне",
    "т.п.": "тому подібне",
    "див.": "дивіться",
    "тел.": "телефон",
    "прибл.": "приблизно",
}
_UK_GENITIVE_PREPOSITIONS = ("до", "біля", "від", "без", "для", "з", "із", "зі", "після")

EN_SYMBOLS = {
    "&": " and ",
    "+": " plus ",
    "=": " equals ",
    "×": " times ",
    "≈": " about ",
    "~": " about ",
    "≥": " at least ",
    "≤": " at most ",
    "→": ", then ",
    "•": ", ",
    "#": " number ",
}
UK_SYMBOLS = {
    "&": " і ",
    "+": " плюс ",
    "=": " дорівнює ",
    "×": " разів ",
    "≈": " приблизно ",
    "~": " приблизно ",
    "≥": " щонайменше ",
    "≤": " не більше ",
    "→": ", потім ",
    "•": ", ",
    "№": " номер ",
    "#": " номер ",
}
RANGE = {"en": " to ", "uk": " або "}
OR = {"en": " or ", "uk": " або "}

_NUMBER = r"\d+(?:[.,]\d+)?"
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
_RANGE = re.compile(rf"(?<![\w.,])({_NUMBER})\s*[{_DASHES}]\s*({_NUMBER})(?![\w]|[.,]\d)")
_WORD_DASH = re.compile(r"\s+[\u2013\u2014]\s+|\s*\u2014\s*")
_SLASH_WORDS = re.compile(r"(?<=[^\W\d])/(?=[^\W\d])")
_PER_SLASH = re.compile(r"(?<=\d)\s*/\s*(min|хв|h|hr|год|s|sec|с|сек)(?![^\W\d_])")
#: "110/min" -> "110 a minute"; Ukrainian "за" takes the accusative ("за хвилину").
PER_UNIT = {
    "min": " a minute",
    "h": " an hour",
    "hr": " an hour",
    "s": " a second",
    "sec": " a second",
    "хв": " за хвилину",
    "год": " за годину",
    "с": " за секунду",
    "сек": " за секунду",
}
_CLOCK = re.compile(r"(?<![\w:])(\d{1,2}):([0-5]\d)(?![\w:])")
_SPACES = re.compile(r"\s+")
_PHONE = re.compile(r"(?<![\w.,+])(\+\d{1,4}(?: \d{1,6}){1,5}|\+?\d{2,15})(?![\w]|[.,]\d)")


def speech_text(text: str, language: str, *, emergency_numbers: Iterable[str] = ()) -> str:
    """``text`` as an engine should read it in ``language`` (``en``, ``uk``; others as-is).

    ``emergency_numbers`` are read digit by digit in addition to
    :data:`KNOWN_EMERGENCY_NUMBERS` and any number written with a leading ``+`` or ``0``.
    A number followed by a unit ("15 min") is a quantity, never read digit by digit.
    """
    base = language.split("-")[0].lower()
    if base not in DIGITS:
        return _SPACES.sub(" ", text).strip()
    phones = {n.lstrip("+") for n in emergency_numbers if n} | set(KNOWN_EMERGENCY_NUMBERS)
    units = EN_UNITS if base == "en" else UK_UNITS
    out = _SPACES.sub(" ", text).strip()
    out = _abbreviations(out, base)
    out = _clock_times(out, base)
    out = _phone_numbers(out, base, phones, units)
    out = _PER_SLASH.sub(lambda found: PER_UNIT[found.group(1)], out)
    out = _ranges(out, base)
    out = _units(out, base)
    out = _WORD_DASH.sub(", ", out)
    out = _SLASH_WORDS.sub(OR[base], out)
    for symbol, words in (EN_SYMBOLS if base == "en" else UK_SYMBOLS).items():
        out = out.replace(symbol, words)
    out = _decimals(out, base)
    out = re.sub(r"\s+([,.;:!?])", r"\1", _SPACES.sub(" ", out)).strip()
    return re.sub(r"(?:^|(?<=[.:;!?]\s))[,\s]+", "", out)


def digits_in_words(number: str, language: str) -> str:
    """``"112"`` -> ``"one one two"`` (``"один один два"``); a leading ``+`` is "plus"."""
    base = language.split("-")[0].lower()
    names = DIGITS.get(base, DIGITS["en"])
    words = [PLUS.get(base, "plus")] if number.startswith("+") else []
    words.extend(names[int(d)] for d in number if d.isdigit())
    return " ".join(words)


def _abbreviations(text: str, base: str) -> str:
    table = EN_ABBREVIATIONS if base == "en" else UK_ABBREVIATIONS
    for short, words in sorted(table.items(), key=lambda item: -len(item[0])):
        pattern = rf"(?<![\w.]){re.escape(short)}(?![\w]|\.\w)"
        if base == "uk" and words == "дефібрилятор":
            prepositions = "|".join(_UK_GENITIVE_PREPOSITIONS)
            text = re.sub(
                rf"(?i)(?<![\w])({prepositions})\s+{re.escape(short)}(?![\w])",
                r"\1 дефібрилятора",
                text,
            )
        text = re.sub(pattern, words, text)
    # "Defibrillator (AED)" -> "Defibrillator (defibrillator)" -> "Defibrillator"
    return re.sub(r"(?i)\b(\w+)\s*\(\s*\1\s*\)", r"\1", text)


def _clock_times(text: str, base: str) -> str:
    """``5:00`` -> "5 minutes", ``1:30`` -> "1 minute 30 seconds" (the kiosk's m:ss)."""

    def spoken(found: re.Match[str]) -> str:
        minutes, seconds = int(found.group(1)), int(found.group(2))
        parts = []
        if base == "en":
            if minutes:
                parts.append(f"{minutes} minute{'s' * (minutes != 1)}")
            if seconds or not minutes:
                parts.append(f"{seconds} second{'s' * (seconds != 1)}")
        else:
            if minutes:
                parts.append(_uk_quantity(str(minutes), UK_UNITS["хв"]))
            if seconds or not minutes:
                parts.append(_uk_quantity(str(seconds), UK_UNITS["с"]))
        return " ".join(parts)

    return _CLOCK.sub(spoken, text)


def _phone_numbers(text: str, base: str, phones: set[str], units: Iterable[str]) -> str:
    unit_names = sorted(units, key=len, reverse=True)
    unit_after = re.compile(
        r"\s*(?:" + "|".join(re.escape(u) for u in unit_names) + r")(?![^\W\d_])"
    )

    def spoken(found: re.Match[str]) -> str:
        number = found.group(1)
        digits = number.lstrip("+").replace(" ", "")
        is_phone = (
            digits in phones or number.startswith("+") or (digits[0] == "0" and len(digits) >= 3)
        )
        if not is_phone or unit_after.match(text, found.end()):
            return number
        return digits_in_words(number, base)

    return _PHONE.sub(spoken, text)


def _ranges(text: str, base: str) -> str:
    """``5-6`` -> "5 to 6"; Ukrainian "5 або 6".

    "від 5 до 6" would need the numbers in the genitive, which espeak-ng does not do
    ("від п'ять до шість"); "5 або 6" is right in every case the phrase can take.
    """
    between = RANGE[base]
    return _RANGE.sub(lambda found: f"{found.group(1)}{between}{found.group(2)}", text)


def _units(text: str, base: str) -> str:
    table = EN_UNITS if base == "en" else UK_UNITS
    names = "|".join(re.escape(u) for u in sorted(table, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w.,])({_NUMBER})\s*({names})(?![^\W\d_])")

    def spoken(found: re.Match[str]) -> str:
        number, unit = found.group(1), found.group(2)
        if base == "en":
            one, many = EN_UNITS[unit]
            return f"{number} {one if number == '1' else many}"
        return _uk_quantity(number, UK_UNITS[unit])

    return pattern.sub(spoken, text)


def _uk_quantity(number: str, unit: Unit) -> str:
    """A Ukrainian number with its unit in the agreeing form: "21 хвилина", "0,5 хвилини"."""
    if not number.isdigit():
        return f"{number} {unit.fraction}"
    value = int(number)
    if value % 10 == 1 and value % 100 != 11:
        word = unit.one
    elif 2 <= value % 10 <= 4 and not 12 <= value % 100 <= 14:
        word = unit.few
    else:
        word = unit.many
    if unit.feminine and value % 10 in (1, 2) and value % 100 not in (11, 12):
        return f"{uk_number_words(value, feminine=True)} {word}"
    return f"{number} {word}"


def _decimals(text: str, base: str) -> str:
    """Ukrainian ``0,5`` -> "0 кома 5" (espeak-ng says "нуль і п'ять")."""
    if base != "uk":
        return text
    return re.sub(r"(?<![\w,])(\d+),(\d+)(?![\w,])", r"\1 кома \2", text)


_UK_ONES = ("", "один", "два", "три", "чотири", "п'ять", "шість", "сім", "вісім", "дев'ять")
_UK_ONES_FEMININE = ("", "одна", "дві") + _UK_ONES[3:]
_UK_TEENS = (
    "десять",
    "одинадцять",
    "дванадцять",
    "тринадцять",
    "чотирнадцять",
    "п'ятнадцять",
    "шістнадцять",
    "сімнадцять",
    "вісімнадцять",
    "дев'ятнадцять",
)
_UK_TENS = (
    "",
    "",
    "двадцять",
    "тридцять",
    "сорок",
    "п'ятдесят",
    "шістдесят",
    "сімдесят",
    "вісімдесят",
    "дев'яносто",
)
_UK_HUNDREDS = (
    "",
    "сто",
    "двісті",
    "триста",
    "чотириста",
    "п'ятсот",
    "шістсот",
    "сімсот",
    "вісімсот",
    "дев'ятсот",
)


def uk_number_words(value: int, *, feminine: bool = False) -> str:
    """0..999999 in Ukrainian words; ``feminine`` for "одна/дві хвилини"."""
    if value == 0:
        return "нуль"
    if not 0 < value < 1_000_000:
        return str(value)
    thousands, rest = divmod(value, 1000)
    words = []
    if thousands:
        words.append(_uk_below_thousand(thousands, feminine=True))
        if thousands % 10 == 1 and thousands % 100 != 11:
            words.append("тисяча")
        elif 2 <= thousands % 10 <= 4 and not 12 <= thousands % 100 <= 14:
            words.append("тисячі")
        else:
            words.append("тисяч")
    if rest:
        words.append(_uk_below_thousand(rest, feminine=feminine))
    return " ".join(word for word in words if word)


def _uk_below_thousand(value: int, *, feminine: bool) -> str:
    hundreds, rest = divmod(value, 100)
    tens, ones = divmod(rest, 10)
    words = [_UK_HUNDREDS[hundreds]]
    if tens == 1:
        words.append(_UK_TEENS[ones])
    else:
        words.append(_UK_TENS[tens])
        words.append((_UK_ONES_FEMININE if feminine else _UK_ONES)[ones])
    return " ".join(word for word in words if word)
