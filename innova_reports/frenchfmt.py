"""French numbers and dates: strict parsing of what people type, and display formats.

Parsing is strict on purpose: a value that could mean two things (``1.234``, ``03/04``,
``12/2018``) raises ``Ambiguous`` instead of being guessed, and anything else that is
not a number or a date raises ``Invalid``. Numbers go through Babel (``fr_FR``); dates
have their own small parser because Babel's ``parse_date`` guesses on partial input.
The ``format_*`` helpers are the one place where the programme's display formats live.
"""

from __future__ import annotations

import datetime as dt
import numbers
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, format_decimal, parse_decimal

LOCALE = "fr_FR"
NARROW_NBSP = "\u202f"
SPACES = " \u00a0\u202f\u2007\u2009\t"
_SPACE_RUN = re.compile(f"[{SPACES}]+")
_ODD_SPACE = re.compile("[\u00a0\u202f\u2007\u2009\t\n\r]")
_NUMBER_SHAPE = re.compile(r"^[+-]?[0-9][0-9 .,]*$")
# A leading 0 cannot start a thousands group: 0.001 is a decimal, 1.001 is ambiguous.
_DOT_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+$")
_CURRENCY = re.compile(r"(€|eur(os?)?)$", re.IGNORECASE)


# Characters nobody sees on screen but that break matching: C0/C1 controls (tab, line
# feed and carriage return are kept), zero-width spaces and joiners, the byte order mark,
# the soft hyphen and the bidirectional controls that can make a value read backwards.
_INVISIBLE = "".join(
    [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"]
    + [chr(c) for c in range(0x7F, 0xA0)]
    + ["\u00ad", "\u061c", "\u180e", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f"]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + ["\u2060", "\u2061", "\u2062", "\u2063", "\u2064", "\ufeff"]
    + [chr(c) for c in range(0x2066, 0x206A)]
)
_INVISIBLE_TABLE = str.maketrans("", "", _INVISIBLE)
_ANY_INVISIBLE = re.compile(f"[{re.escape(_INVISIBLE)}]")


FRENCH_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


def month_label(month: str) -> str:
    """A follow-up month in French: "2018-03" -> "mars 2018" (month column headers)."""
    year, number = month.split("-")
    return f"{FRENCH_MONTHS[int(number) - 1]} {year}"


class ParseError(ValueError):
    """A typed value that cannot be read; ``str()`` is a short French reason."""


class Invalid(ParseError):
    pass


class Ambiguous(ParseError):
    pass


# -- numbers ------------------------------------------------------------------------


def strip_invisible(text: str) -> str:
    """``text`` without the invisible characters above (a cheap test first)."""
    if text.isascii() and text.isprintable():
        return text
    if not _ANY_INVISIBLE.search(text):
        return text
    return text.translate(_INVISIBLE_TABLE)


def clean_spaces(text: str) -> str:
    """Strip surrounding spaces (also non-breaking ones) and collapse inner runs."""
    if "  " not in text and not _ODD_SPACE.search(text):
        return text.strip()
    return _SPACE_RUN.sub(" ", text).strip()


def parse_number(text: str, *, currency: bool = True) -> Decimal:
    """Parse a French number typed as text: ``12 500``, ``1 234,50``, ``-3,2``.

    A trailing euro sign is accepted unless ``currency`` is false. A dot is read as a
    decimal point unless it looks like a thousands separator (``1.234``, ``12.500``):
    that is ambiguous.
    """
    cleaned = clean_spaces(strip_invisible(text)).replace("\u2212", "-")
    if _CURRENCY.search(cleaned):
        if not currency:
            raise Invalid("le symbole € n'est pas attendu ici")
        cleaned = _CURRENCY.sub("", cleaned).strip()
    if not _NUMBER_SHAPE.match(cleaned):
        raise Invalid("ce n'est pas un nombre")
    if "." in cleaned:
        if "," in cleaned:
            raise Invalid("le nombre mélange points et virgules")
        if _DOT_THOUSANDS.match(cleaned.replace(" ", "")):
            raise Ambiguous("le point peut séparer les milliers ou les décimales")
        cleaned = cleaned.replace(".", ",")
    try:
        return parse_decimal(cleaned.replace(" ", NARROW_NBSP), locale=LOCALE, strict=True)
    except (NumberFormatError, InvalidOperation):
        raise Invalid("les chiffres sont mal groupés") from None


# -- dates --------------------------------------------------------------------------


_FOLD_PUNCTUATION = str.maketrans(
    {"’": "'", "‘": "'", "ʼ": "'", "´": "'", "`": "'",
     "-": " ", "‐": " ", "‑": " ", "–": " ", "—": " ", "_": " "}
)  # fmt: skip


def without_accents(text: str) -> str:
    """Lower case without accents, for month names typed with or without them."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Case, accents, spaces, hyphens and curly apostrophes set aside, invisible characters
    removed: how closed-list values and headers are matched."""
    folded = without_accents(strip_invisible(str(text)))
    return clean_spaces(folded.translate(_FOLD_PUNCTUATION))


# -- near-misses -----------------------------------------------------------------------
# What a person types for a word of a list or a header they half remember: one matching
# rule for closed-list values and table headers alike, built on ``fold``.

_WORD = re.compile(r"[0-9a-z]+")
_STOP_WORDS = frozenset({
    "a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "par",
    "pour", "sur", "un", "une",
})  # fmt: skip


def words(text: str) -> tuple[str, ...]:
    """The words of a text once folded: letters and digits, punctuation and units such as
    « (€) » or « % » set aside (« Avancement (%) » -> ("avancement",))."""
    return tuple(_WORD.findall(fold(text)))


def same_word(typed: str, word: str, *, abbreviation: bool = False) -> bool:
    """Whether a folded word typed can only be ``word``: the same, or one final letter or
    plural away (« termine », « terminees » for « terminee »), or one letter off in a long
    word (« orage » for « orange »). With ``abbreviation``, also a cut word of three
    letters or more (« init » for « initiale »). Numbers must be exactly equal."""
    if typed == word:
        return True
    if not typed.isalpha() or not word.isalpha():
        return False
    if _stem(typed) == _stem(word):
        return True
    if abbreviation and len(typed) >= 3 and word.startswith(typed):
        return True
    return min(len(typed), len(word)) >= 5 and _one_edit(typed, word)


def _stem(word: str) -> str:
    """A word without its final plural and feminine marks (s, x, then e)."""
    if len(word) > 3 and word[-1] in "sx":
        word = word[:-1]
    while len(word) > 3 and word[-1] == "e":
        word = word[:-1]
    return word


def _one_edit(first: str, second: str) -> bool:
    """One letter added, removed or replaced turns ``first`` into ``second``."""
    if abs(len(first) - len(second)) > 1:
        return False
    if len(first) == len(second):
        return sum(a != b for a, b in zip(first, second, strict=True)) == 1
    short, long = sorted((first, second), key=len)
    return any(long[:index] + long[index + 1 :] == short for index in range(len(long)))


def near_miss(typed: str, option: str) -> bool:
    """Whether a closed-list value typed is a near-miss of ``option``: word for word
    ``same_word``, or the same letters once spaces are set aside (« Encours »)."""
    typed_words, option_words = words(typed), words(option)
    if not typed_words or not option_words:
        return False
    if "".join(typed_words) == "".join(option_words):
        return True
    return len(typed_words) == len(option_words) and all(
        same_word(t, o) for t, o in zip(typed_words, option_words, strict=True)
    )


def near_misses(typed: str, options: tuple) -> tuple:
    """The options ``typed`` is a near-miss of (``near_miss``): one means it can only be
    that option, several that it is ambiguous."""
    return tuple(option for option in options if near_miss(typed, str(option)))


def similar_words(header: str, label: str) -> bool:
    """Whether a header typed by a user says the same as a column's label: every
    meaningful word of one is a word (or abbreviation) of the other, as « Avancement (%) »,
    « Date de début » or « Valeur init. » for « Avancement », « Début », « Valeur
    initiale »."""
    typed = [w for w in words(header) if w not in _STOP_WORDS]
    known = [w for w in words(label) if w not in _STOP_WORDS]
    if not typed or not known:
        return False

    def within(part: list[str], whole: list[str]) -> bool:
        return all(any(same_word(w, o, abbreviation=True) for o in whole) for w in part)

    return within(known, typed) or within(typed, known)


_MONTHS = {without_accents(name): number for number, name in enumerate(FRENCH_MONTHS, start=1)}
_MONTHS.update(
    {"janv": 1, "fevr": 2, "fev": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11}
)
_MONTHS.update({"dec": 12})
_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"^(?:(\w+) )?(\d{1,2})(?:er)? ([a-z]+)\.? (\d{2}|\d{4})$")
# A time of day after a date (« 15/03/2018 10:30 », ISO « 2018-03-15T10:30:00 »), as
# left by a cell that held a date and time, or by a copy from another program.
_TIME_SUFFIX = re.compile(r"(?:[ t]|(?<=\d) ?a )\d{1,2}(?::\d{2}(?::\d{2}(?:\.\d+)?)?|h\d{0,2})$")
_PARTIAL_NUMERIC = re.compile(r"^\d{1,2}[/.-](\d{1,2}|\d{4})$")
_PARTIAL_WORDS = re.compile(r"^(?:\d{1,2}(?:er)? ([a-z]+)\.?|([a-z]+)\.? \d{4})$")


def parse_date(text: str) -> dt.date:
    """Parse a date typed as text, day first as in France.

    Accepts ``15/03/2018``, ``15/03/18``, ``15-03-2018``, ``15.03.2018``,
    ``2018-03-15``, ``15 mars 2018``, ``1er mars 2018``, ``jeudi 15 mars 2018``, each
    possibly followed by a time of day, which is dropped. A two-digit year is in the
    2000s. A date without day or without year is ambiguous.
    """
    cleaned = _TIME_SUFFIX.sub("", without_accents(clean_spaces(strip_invisible(text)))).strip()
    if match := _ISO.match(cleaned):
        year, month, day = (int(part) for part in match.groups())
        return _make_date(year, month, day)
    if match := _NUMERIC.match(cleaned):
        day, month, year = match.groups()
        full_year = int(year) + (2000 if len(year) == 2 else 0)
        return _make_date(full_year, int(month), int(day))
    if (match := _WORDS.match(cleaned)) and match.group(1) in (None, "le", *_WEEKDAYS):
        _, day, month_name, year = match.groups()
        month = _MONTHS.get(month_name)
        if month is None:
            raise Invalid(f"mois inconnu : « {month_name} »")
        return _make_date(int(year) + (2000 if len(year) == 2 else 0), month, int(day))
    if _is_partial(cleaned):
        raise Ambiguous("il manque le jour ou l'année")
    raise Invalid("ce n'est pas une date")


def _is_partial(cleaned: str) -> bool:
    """03/04, 12/2018, « mars 2018 », « 15 mars »: a date missing its day or year."""
    if _PARTIAL_NUMERIC.match(cleaned):
        return True
    match = _PARTIAL_WORDS.match(cleaned)
    return bool(match) and (match.group(1) or match.group(2)) in _MONTHS


def _make_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise Invalid("cette date n'existe pas") from None


# -- display ------------------------------------------------------------------------


def format_date(value: dt.date | None) -> str:
    """15/03/2018, the form every message and output uses."""
    return "" if value is None else value.strftime("%d/%m/%Y")


def format_datetime(value: dt.datetime, joiner: str = " ") -> str:
    """15/03/2018 09:30 (``joiner`` « à » in a sentence), a moment in the same form."""
    return f"{format_date(value)}{joiner}{value:%H:%M}"


def french_number(number: float | int) -> str:
    """3, 12,5, -0,25: what a French cell shows of a number (no thousands separator),
    without float noise (0,07 × 100 is 7, not 7,000000000000001)."""
    if isinstance(number, numbers.Integral):
        return str(int(number))
    rounded = round(float(number), 9)
    if rounded.is_integer():
        return str(int(rounded))
    return format(rounded, ".15g").replace(".", ",")


def format_long_date(value: dt.date | None) -> str:
    """« 1er mars 2018 », for headings, pages and emails; "" for no date."""
    if value is None:
        return ""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {FRENCH_MONTHS[value.month - 1]} {value.year}"


def format_long_datetime(value: dt.datetime | None) -> str:
    """« 2 juin 2018 à 09:30 », in the time zone the value carries; "" for none."""
    if value is None:
        return ""
    return f"{format_long_date(value.date())} à {value:%H:%M}"


def format_number(value: float | int | Decimal | None, decimals: int = 0) -> str:
    """12 500,5 with the French narrow no-break space between thousands."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def format_money(value: float | int | Decimal | None) -> str:
    """12 500 € (cents shown only when there are some)."""
    if value is None:
        return ""
    decimals = 0 if float(value).is_integer() else 2
    return format_number(value, decimals) + "\u00a0€"


def format_percent(value: float | None, decimals: int = 0) -> str:
    """A fraction 0–1 as « 45 % »."""
    if value is None:
        return ""
    return format_number(value * 100, decimals) + "\u00a0%"


def format_measure(value: float | None, digits: int = 1) -> str:
    """A measured value as a chart or a table shows it: « 1 234,5 », decimals only when
    there are some (at most ``digits``); an en dash for no value."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def format_share(share: float | None) -> str:
    """A share 0–1 as « 75 % », an en dash for none (charts and tables)."""
    if share is None or (isinstance(share, float) and share != share):
        return "–"
    return format_percent(share)


def format_short_month(month: str) -> str:
    """« janv. 2018 » for "2018-01", where a chart's axis has little room."""
    year, number = month.split("-")
    short = FRENCH_MONTHS[int(number) - 1]
    short = SHORT_MONTHS.get(short, short)
    return f"{short} {year}"


SHORT_MONTHS = {
    "janvier": "janv.", "février": "févr.", "avril": "avr.", "juillet": "juil.",
    "septembre": "sept.", "octobre": "oct.", "novembre": "nov.", "décembre": "déc.",
}  # fmt: skip


_NUMBER_WORDS = (
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
    "onze", "douze", "treize", "quatorze", "quinze", "seize",
)  # fmt: skip


def number_words(count: int) -> str:
    """« six » for 6, as a sentence says a small count; digits from 17 on."""
    return _NUMBER_WORDS[count] if 0 <= count < len(_NUMBER_WORDS) else str(count)


def number_range(low: int, high: int) -> str:
    """« 2 à 3 », or « 2 » when both ends are the same."""
    return str(low) if low == high else f"{low} à {high}"


def count_words(count: int, singular: str, plural: str | None = None) -> str:
    """« 1 avertissement », « 2 avertissements », « 0 erreur »: French agreement.

    French puts the singular on 0 and 1; ``plural`` defaults to ``singular + "s"``.
    """
    return f"{count} {singular if abs(count) < 2 else plural or singular + 's'}"


# -- typography ---------------------------------------------------------------------

# A space (or none) before ; : ! ? that ends a word: « action ? », not « http://… »,
# « 10:30 » or « ?! ». The space typed before it, if any, is replaced.
_BEFORE_HIGH_PUNCTUATION = re.compile(
    r"(?<=[\w)»\]'’\"…%€])[ \u00a0\u202f]*([;:!?]+)(?=\s|$|[)\]»\"’.,])"
)
_AFTER_OPENING_GUILLEMET = re.compile(r"«[ \u00a0\u202f]*")
_BEFORE_CLOSING_GUILLEMET = re.compile(r"[ \u00a0\u202f]*»")


def french_typography(text: str) -> str:
    """Text as French typography sets it: a narrow no-break space before ; : ! ? and
    inside « », whether the writer typed a plain space, a no-break space or none.

    Only spaces next to those signs change; every other character is kept, so a
    value still reads (and is found by a search) as it was typed. A sign that does
    not end a word (``http://``, ``10:30``, ``?!``) is left alone.
    """
    if not any(sign in text for sign in ";:!?«»"):
        return text
    text = _BEFORE_HIGH_PUNCTUATION.sub(NARROW_NBSP + r"\1", text)
    text = _AFTER_OPENING_GUILLEMET.sub("«" + NARROW_NBSP, text)
    return _BEFORE_CLOSING_GUILLEMET.sub(NARROW_NBSP + "»", text)
