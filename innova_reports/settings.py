"""Programme settings: the one human-edited file (``programme.toml``).

Another programme only edits that file, so every mistake in it must be explained in
French with the key that is wrong and the form that is expected. The file is read with
the standard library (``tomllib``) and validated by hand: messages are ours, not a
library's English.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from innova_reports.support.errors import UsageError
from innova_reports.support.oserrors import french_reason

DEFAULT_SETTINGS_FILE = Path("programme.toml")

# Deliberately strict: no display name, no comment, no newline, one address.
_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_FORBIDDEN_IN_NAMES = re.compile(r"[\r\n\t,;<>\"]")


class SettingsError(UsageError):
    """A settings file that cannot be used; the message is French and names the key."""


@dataclass(frozen=True)
class Recipient:
    name: str
    address: str

    def formatted(self) -> str:
        return f"{self.name} <{self.address}>"


@dataclass(frozen=True)
class Axis:
    number: int
    name: str
    short_name: str
    finalities: tuple[str, ...]
    pilots: tuple[Recipient, ...]

    @property
    def label(self) -> str:
        return f"Axe {self.number} – {self.name}"


@dataclass(frozen=True)
class Settings:
    programme: str
    councils: tuple[str, ...]
    start: dt.date
    action_plan_date: dt.date
    axes: tuple[Axis, ...]
    services: tuple[str, ...]
    copil_dates: tuple[dt.date, ...]
    copil_recipients: tuple[Recipient, ...]
    months: tuple[str, ...]  # follow-up months, "YYYY-MM"
    path: Path | None = None
    sender: Recipient | None = None  # [programme] expediteur: the From of the emails
    announced_actions: tuple[int, int] = (2, 3)  # actions a roadmap announces, at least/most

    def axis(self, number: int) -> Axis:
        for axis in self.axes:
            if axis.number == number:
                return axis
        raise KeyError(number)

    @property
    def axis_numbers(self) -> tuple[int, ...]:
        return tuple(axis.number for axis in self.axes)


# -- reading ------------------------------------------------------------------------


def load_settings(path: str | Path | None = None) -> Settings:
    """Read and validate the settings file; raise SettingsError with a French message."""
    path = Path(path) if path is not None else DEFAULT_SETTINGS_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SettingsError(
            f"Fichier de paramètres introuvable : {path}. "
            "Indiquez-le avec --settings FICHIER (par exemple programme.toml)."
        ) from None
    except OSError as exc:
        raise SettingsError(
            f"Impossible de lire le fichier de paramètres {path} : {french_reason(exc)}."
        ) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SettingsError(f"{path} : le fichier doit être enregistré en UTF-8.") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path} : syntaxe TOML invalide {_toml_place(exc)}.") from None
    try:
        return _parse(data, path)
    except SettingsError as exc:
        raise SettingsError(f"{path} : {exc}") from None


_TOP_KEYS = {"programme", "suivi", "copil", "services", "axes"}
_PROGRAMME_KEYS = {
    "nom", "collectivites", "debut", "date_plan_actions", "expediteur", "actions_par_axe",
}  # fmt: skip
_SUIVI_KEYS = {"premier_mois", "dernier_mois"}
_COPIL_KEYS = {"dates", "destinataires"}
_AXIS_KEYS = {"numero", "nom", "nom_court", "finalites", "pilotes"}
_RECIPIENT_KEYS = {"nom", "adresse"}


def _toml_place(error: tomllib.TOMLDecodeError) -> str:
    """Where the syntax breaks, in French (tomllib's own wording is English)."""
    where = re.search(r"line (\d+), column (\d+)", str(error))
    if where is None:
        return "(vérifiez les guillemets, crochets et signes =)"
    return (
        f"à la ligne {where[1]}, colonne {where[2]} : valeur manquante ou mal écrite "
        "(vérifiez les guillemets, crochets et signes =)"
    )


def _parse(data: dict[str, Any], path: Path) -> Settings:
    _no_unknown_keys(data, _TOP_KEYS, "")
    programme = _table(data, "programme")
    _no_unknown_keys(programme, _PROGRAMME_KEYS, "programme.")
    suivi = _table(data, "suivi")
    _no_unknown_keys(suivi, _SUIVI_KEYS, "suivi.")
    copil = _table(data, "copil")
    _no_unknown_keys(copil, _COPIL_KEYS, "copil.")

    start = _date(programme, "debut", "programme.debut")
    plan_date = _date(programme, "date_plan_actions", "programme.date_plan_actions")
    copil_dates = tuple(_dates(copil, "dates", "copil.dates"))
    if list(copil_dates) != sorted(copil_dates):
        raise SettingsError(
            "la clé « copil.dates » doit lister les dates dans l'ordre chronologique."
        )
    months = _months(suivi)
    return Settings(
        programme=_text(programme, "nom", "programme.nom"),
        councils=tuple(_texts(programme, "collectivites", "programme.collectivites")),
        start=start,
        action_plan_date=plan_date,
        axes=_axes(data),
        services=tuple(_texts(data, "services", "services")),
        copil_dates=copil_dates,
        copil_recipients=_recipients(copil, "destinataires", "copil.destinataires"),
        months=months,
        path=path,
        sender=_sender(programme),
        announced_actions=_announced_actions(programme),
    )


def _axes(data: dict[str, Any]) -> tuple[Axis, ...]:
    raw_axes = data.get("axes")
    if not isinstance(raw_axes, list) or not raw_axes:
        raise SettingsError(
            "la clé « axes » est absente : déclarez chaque axe dans une section [[axes]] "
            "avec numero, nom, nom_court, finalites et pilotes."
        )
    axes: list[Axis] = []
    for position, raw in enumerate(raw_axes, start=1):
        where = f"axes[{position}]"
        if not isinstance(raw, dict):
            raise SettingsError(f"la clé « {where} » doit être une section [[axes]].")
        _no_unknown_keys(raw, _AXIS_KEYS, f"{where}.")
        number = raw.get("numero")
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            raise SettingsError(
                f"la clé « {where}.numero » doit être un nombre entier positif (par exemple 1)."
            )
        where = f"axes[{position}] (axe {number})"
        if any(axis.number == number for axis in axes):
            raise SettingsError(
                f"la clé « {where}.numero » : l'axe {number} est déclaré deux fois."
            )
        axes.append(
            Axis(
                number=number,
                name=_text(raw, "nom", f"{where}.nom"),
                short_name=_text(raw, "nom_court", f"{where}.nom_court"),
                finalities=tuple(_texts(raw, "finalites", f"{where}.finalites")),
                pilots=_recipients(raw, "pilotes", f"{where}.pilotes"),
            )
        )
    return tuple(sorted(axes, key=lambda axis: axis.number))


def _months(suivi: dict[str, Any]) -> tuple[str, ...]:
    first = _month(suivi, "premier_mois", "suivi.premier_mois")
    last = _month(suivi, "dernier_mois", "suivi.dernier_mois")
    if last < first:
        raise SettingsError(
            "la clé « suivi.dernier_mois » doit être postérieure à « suivi.premier_mois »."
        )
    months = []
    year, month = first
    while (year, month) <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if len(months) > 60:
        raise SettingsError("la période de suivi (clés « suivi.* ») ne peut dépasser 60 mois.")
    return tuple(months)


# -- small typed getters -------------------------------------------------------------


def _no_unknown_keys(table: dict[str, Any], allowed: set[str], prefix: str) -> None:
    for key in table:
        if key not in allowed:
            expected = ", ".join(sorted(allowed))
            raise SettingsError(f"clé inconnue « {prefix}{key} ». Clés attendues ici : {expected}.")


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise SettingsError(f"la section « [{key}] » est absente ou mal formée.")
    return value


def _text(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(f"la clé « {where} » est absente ou vide : un texte est attendu.")
    return value.strip()


def _texts(table: dict[str, Any], key: str, where: str) -> list[str]:
    value = table.get(key)
    if not isinstance(value, list) or not value:
        raise SettingsError(
            f'la clé « {where} » doit être une liste non vide de textes, par exemple ["…", "…"].'
        )
    texts = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise SettingsError(f"la clé « {where} » ne doit contenir que des textes non vides.")
        texts.append(item.strip())
    if len(set(texts)) != len(texts):
        raise SettingsError(f"la clé « {where} » contient deux fois la même valeur.")
    return texts


def _date(table: dict[str, Any], key: str, where: str) -> dt.date:
    value = table.get(key)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise SettingsError(
        f"la clé « {where} » doit être une date au format AAAA-MM-JJ sans guillemets "
        f"(par exemple 2018-02-15), pas {value!r}."
    )


def _dates(table: dict[str, Any], key: str, where: str) -> list[dt.date]:
    value = table.get(key)
    if not isinstance(value, list) or not value:
        raise SettingsError(f"la clé « {where} » doit être une liste de dates AAAA-MM-JJ.")
    return [_date({key: item}, key, where) for item in value]


def _month(table: dict[str, Any], key: str, where: str) -> tuple[int, int]:
    value = table.get(key)
    match = _MONTH.match(value) if isinstance(value, str) else None
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise SettingsError(
            f'la clé « {where} » doit être un mois au format "AAAA-MM" (par exemple "2018-01").'
        )
    return int(match.group(1)), int(match.group(2))


def _recipients(table: dict[str, Any], key: str, where: str) -> tuple[Recipient, ...]:
    value = table.get(key)
    if not isinstance(value, list) or not value:
        raise SettingsError(
            f"la clé « {where} » doit être une liste de destinataires "
            '{ nom = "…", adresse = "…@…" }.'
        )
    return tuple(
        _recipient(raw, f"{where}[{position}]") for position, raw in enumerate(value, start=1)
    )


def _announced_actions(programme: dict[str, Any]) -> tuple[int, int]:
    """``programme.actions_par_axe = [2, 3]``: how many actions a roadmap announces (the
    seed's « 2 à 3 »), the default when the key is absent."""
    value = programme.get("actions_par_axe", [2, 3])
    if (
        not isinstance(value, list) or len(value) != 2
        or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in value)
        or value[0] > value[1]
    ):  # fmt: skip
        raise SettingsError(
            "la clé « programme.actions_par_axe » doit donner le nombre d'actions annoncées "
            "par axe, au moins puis au plus, par exemple [2, 3]."
        )
    return value[0], value[1]


def _sender(programme: dict[str, Any]) -> Recipient | None:
    """``programme.expediteur``: optional (INNOVA_MAIL_FROM can name the sender instead)."""
    if "expediteur" not in programme:
        return None
    return _recipient(programme["expediteur"], "programme.expediteur")


def _recipient(raw: Any, item: str) -> Recipient:
    if not isinstance(raw, dict):
        raise SettingsError(
            f'la clé « {item} » doit être de la forme {{ nom = "…", adresse = "…@…" }}.'
        )
    _no_unknown_keys(raw, _RECIPIENT_KEYS, f"{item}.")
    name = _text(raw, "nom", f"{item}.nom")
    if _FORBIDDEN_IN_NAMES.search(name):
        raise SettingsError(
            f"la clé « {item}.nom » contient un caractère interdit "
            "(retour à la ligne, tabulation, virgule, point-virgule, < > ou guillemet)."
        )
    address = raw.get("adresse")
    if not isinstance(address, str) or not _ADDRESS.match(address):
        raise SettingsError(
            f"la clé « {item}.adresse » n'est pas une adresse électronique valide : {address!r} "
            "(une seule adresse de la forme prenom.nom@domaine.fr est attendue)."
        )
    return Recipient(name=name, address=address)
