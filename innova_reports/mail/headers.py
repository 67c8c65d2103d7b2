"""Defensive checks of everything that goes into a mail header.

The settings loader already refuses bad names and addresses; these checks run again
when a message is composed, because a header is where an injection does harm (a
newline adds a header, a comma adds a recipient). The message names the settings key.
"""

from __future__ import annotations

import re

from innova_reports.settings import Recipient
from innova_reports.support.errors import UsageError

_ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_FORBIDDEN_IN_NAMES = re.compile(r"[\x00-\x1f\x7f,;<>\"]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class MailHeaderError(UsageError):
    """A value that must not go into a mail header; the message is French."""


def check_recipient(recipient: Recipient, key: str) -> None:
    if _FORBIDDEN_IN_NAMES.search(recipient.name):
        raise MailHeaderError(
            f"le nom de la clé « {key}.nom » contient un caractère interdit dans un en-tête de "
            "courriel (retour à la ligne, virgule, point-virgule, < > ou guillemet) : "
            "corrigez le fichier de paramètres."
        )
    check_address(recipient.address, f"{key}.adresse")


def check_address(address: str, key: str) -> None:
    if not _ADDRESS.match(address or ""):
        raise MailHeaderError(
            f"la clé « {key} » n'est pas une adresse électronique valide : {address!r} "
            "(une seule adresse de la forme prenom.nom@domaine.fr est attendue)."
        )


def check_header_text(text: str, key: str) -> None:
    if _CONTROL.search(text):
        raise MailHeaderError(
            f"{key} contient un retour à la ligne ou un caractère de contrôle, interdit dans "
            "un en-tête de courriel : corrigez le fichier de paramètres."
        )
