"""System errors in French: the reason a file, a folder or a server could not be used.

Python's ``strerror`` is English (« No such file or directory », « Connection refused »);
a coordinator reads the reason here instead, with the place when it is known.
"""

from __future__ import annotations

import errno
import socket
import ssl

_REASONS = {
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.ENOTDIR: "un élément du chemin est un fichier, pas un dossier",
    errno.EEXIST: "un fichier porte déjà ce nom",
    errno.EISDIR: "un dossier porte le nom du fichier à écrire",
    errno.EROFS: "le support est en lecture seule",
    errno.ENOSPC: "le disque est plein",
    errno.EDQUOT: "le quota de disque est atteint",
    errno.EMFILE: "trop de fichiers ouverts",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.EBUSY: "fichier occupé par un autre programme",
    errno.ECONNREFUSED: "connexion refusée (aucun serveur n'écoute à cette adresse et ce port)",
    errno.ECONNRESET: "connexion coupée par le serveur",
    errno.ETIMEDOUT: "délai dépassé",
    errno.EHOSTUNREACH: "serveur injoignable",
    errno.ENETUNREACH: "réseau injoignable",
}


def french_reason(exc: BaseException) -> str:
    """The reason of a system error in French, with the file concerned when known."""
    if isinstance(exc, socket.gaierror):
        return "nom de serveur inconnu (vérifiez INNOVA_SMTP_HOST)"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return "certificat du serveur non valide ou non reconnu"
    if isinstance(exc, ssl.SSLError):
        return "échec de la connexion chiffrée (TLS)"
    if isinstance(exc, TimeoutError):
        return "délai dépassé"
    number = getattr(exc, "errno", None)
    reason = _REASONS.get(number or 0)
    if reason is None:
        reason = f"erreur système {number}" if number else "erreur système"
    where = getattr(exc, "filename", None)
    return f"{reason} ({where})" if where else reason
