"""SMTP: configuration from the environment only, and one careful mail transaction.

Nothing about the server lives in a file (a password in a file ends up in a backup or
a repository). TLS always verifies the server's certificate, every connection has a
timeout, and the transaction is done step by step so that we know exactly where it
stopped: before the data was handed over (safe to retry) or after (uncertain).
"""

from __future__ import annotations

import contextlib
import re
import smtplib
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from innova_reports.mail.headers import MailHeaderError, check_address
from innova_reports.support.oserrors import french_reason

SECURITIES = ("none", "starttls", "ssl")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}


class SmtpConfigError(Exception):
    """The environment does not describe a usable server; the message is French."""


class ConnectionFailure(Exception):
    """The server cannot be reached or refused the session; French message.

    ``temporary`` tells whether a later attempt may succeed (network, 4xx greeting)
    or not (certificate refused, authentication refused).
    """

    def __init__(self, message: str, temporary: bool) -> None:
        super().__init__(message)
        self.temporary = temporary


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str
    sender: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    retries: int = 3  # further attempts after a temporary (4xx) failure
    backoff: float = 5.0  # seconds before the first retry; doubled each time

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SmtpConfig:
        """Read INNOVA_SMTP_* and INNOVA_MAIL_FROM; raise SmtpConfigError in French."""
        host = env.get("INNOVA_SMTP_HOST", "").strip()
        if not host:
            raise SmtpConfigError(
                "la variable d'environnement INNOVA_SMTP_HOST (serveur d'envoi) n'est pas "
                "définie : elle est nécessaire avec --send. Voir docs/guide-coordinateur.md."
            )
        security = env.get("INNOVA_SMTP_SECURITY", "starttls").strip().lower()
        if security not in SECURITIES:
            raise SmtpConfigError(
                f"INNOVA_SMTP_SECURITY vaut {security!r} : valeurs possibles none, starttls ou ssl."
            )
        sender = env.get("INNOVA_MAIL_FROM", "").strip()
        try:
            check_address(sender, "INNOVA_MAIL_FROM")
        except MailHeaderError as exc:
            raise SmtpConfigError(f"variable d'environnement : {exc}") from None
        user = env.get("INNOVA_SMTP_USER") or None
        password = env.get("INNOVA_SMTP_PASSWORD") or None
        _check_credentials(user, password, security)
        return cls(
            host=host,
            port=_number(env, "INNOVA_SMTP_PORT", DEFAULT_PORTS[security], int, 1, 65535),
            security=security,
            sender=sender,
            user=user,
            password=password,
            timeout=_number(env, "INNOVA_SMTP_TIMEOUT", 30.0, float, 0.1, 600),
            retries=_number(env, "INNOVA_SMTP_RETRIES", 3, int, 0, 10),
            backoff=_number(env, "INNOVA_SMTP_BACKOFF", 5.0, float, 0, 600),
        )


def _check_credentials(user: str | None, password: str | None, security: str) -> None:
    if bool(user) != bool(password):
        raise SmtpConfigError(
            "INNOVA_SMTP_USER et INNOVA_SMTP_PASSWORD vont ensemble : définissez les deux, "
            "ou aucun pour un serveur sans authentification."
        )
    if user and security == "none":
        raise SmtpConfigError(
            "INNOVA_SMTP_SECURITY=none avec un identifiant : le mot de passe circulerait en "
            "clair. Utilisez starttls ou ssl."
        )


def _number(env: Mapping[str, str], name: str, default, kind, low, high):
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise SmtpConfigError(
            f"la variable d'environnement {name} vaut {raw!r} : un nombre entre {low} et "
            f"{high} est attendu."
        )
    return value


# -- the session ---------------------------------------------------------------------------


class Session:
    """One SMTP connection, opened on demand and reopened after a drop."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self.client: smtplib.SMTP | None = None

    def ensure_open(self) -> smtplib.SMTP:
        if self.client is None:
            self.client = self._open()
        return self.client

    def close(self) -> None:
        client, self.client = self.client, None
        if client is None:
            return
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()

    def drop(self) -> None:
        client, self.client = self.client, None
        if client is not None:
            client.close()

    def _open(self) -> smtplib.SMTP:
        config = self.config
        context = ssl.create_default_context()
        where = f"{config.host}:{config.port}"
        client: smtplib.SMTP | None = None
        try:
            if config.security == "ssl":
                client = smtplib.SMTP_SSL(
                    config.host, config.port, timeout=config.timeout, context=context
                )
            else:
                client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
            client.ehlo()
            if config.security == "starttls":
                if not client.has_extn("starttls"):
                    raise ConnectionFailure(
                        f"le serveur {where} ne propose pas STARTTLS : envoi refusé pour ne pas "
                        "transmettre en clair.",
                        temporary=False,
                    )
                client.starttls(context=context)
                client.ehlo()
            if config.user:
                client.login(config.user, config.password or "")
            return client
        except ConnectionFailure:
            _close_quietly(client)
            raise
        except Exception as exc:
            _close_quietly(client)
            raise _connection_failure(exc, where) from None


def _close_quietly(client: smtplib.SMTP | None) -> None:
    if client is not None:
        with contextlib.suppress(OSError):
            client.close()


def _connection_failure(exc: Exception, where: str) -> ConnectionFailure:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return ConnectionFailure(
            f"le certificat du serveur {where} n'est pas valide ({exc.verify_message}) : "
            "connexion refusée. Vérifiez INNOVA_SMTP_HOST ou le certificat du serveur.",
            temporary=False,
        )
    if isinstance(exc, ssl.SSLError):
        return ConnectionFailure(
            f"échec de la négociation TLS avec {where} ({exc.reason}).", temporary=False
        )
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return ConnectionFailure(
            f"le serveur {where} refuse l'identifiant ou le mot de passe "
            f"(INNOVA_SMTP_USER / INNOVA_SMTP_PASSWORD) : {answer_text(exc.smtp_code, exc.smtp_error)}.",
            temporary=False,
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        code = exc.smtp_code
        return ConnectionFailure(
            f"le serveur {where} refuse la session : {answer_text(code, exc.smtp_error)}.",
            temporary=400 <= code < 500,
        )
    if isinstance(exc, TimeoutError):
        return ConnectionFailure(f"le serveur {where} ne répond pas (délai dépassé).", True)
    return ConnectionFailure(
        f"impossible de joindre le serveur {where} ({french_reason(exc)}).", temporary=True
    )


def answer_text(code: int, message: bytes | str) -> str:
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    return f"{code} {' '.join(message.split())}".strip()


# -- one transaction -----------------------------------------------------------------------


@dataclass
class Delivery:
    """What became of each address in one attempt."""

    sent: dict[str, str] = field(default_factory=dict)  # address -> server answer
    refused: dict[str, str] = field(default_factory=dict)  # permanent (5xx)
    deferred: dict[str, str] = field(default_factory=dict)  # temporary (4xx, dropped link)
    uncertain: dict[str, str] = field(default_factory=dict)  # data handed over, no answer


def transact(
    session: Session,
    addresses: list[str],
    payload: bytes,
    before_data: Callable[[list[str]], None],
) -> Delivery:
    """MAIL, RCPT for each address, DATA: classify every address by the answers.

    ``before_data`` is called with the accepted addresses just before the message
    bytes leave, so the caller can record them as uncertain first.
    """
    delivery = Delivery()
    try:
        client = session.ensure_open()
        code, answer = client.mail(session.config.sender)
        if code != 250:
            _classify(delivery, addresses, code, answer)
            client.rset()
            return delivery
        accepted = _recipients(client, addresses, delivery)
        if not accepted:
            client.rset()
            return delivery
        code, answer = client.docmd("DATA")
        if code != 354:
            _classify(delivery, accepted, code, answer)
            client.rset()
            return delivery
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        session.drop()
        pending = [a for a in addresses if a not in delivery.refused]
        _classify(delivery, pending, 421, f"connexion interrompue ({french_reason(exc)})")
        return delivery
    before_data(accepted)
    return _hand_over(session, client, accepted, payload, delivery)


def _recipients(client: smtplib.SMTP, addresses: list[str], delivery: Delivery) -> list[str]:
    accepted = []
    for address in addresses:
        code, answer = client.rcpt(address)
        if code in (250, 251):
            accepted.append(address)
        else:
            _classify(delivery, [address], code, answer)
    return accepted


def _hand_over(
    session: Session, client: smtplib.SMTP, accepted: list[str], payload: bytes, delivery: Delivery
) -> Delivery:
    data = re.sub(rb"(?m)^\.", b"..", payload)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    try:
        client.send(data + b".\r\n")
        code, answer = client.getreply()
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        session.drop()
        timed_out = isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError)
        reason = "délai dépassé" if timed_out else "connexion interrompue"
        for address in accepted:
            delivery.uncertain[address] = f"{reason} après transmission du message"
        return delivery
    if code == 250:
        for address in accepted:
            delivery.sent[address] = answer_text(code, answer)
    else:
        _classify(delivery, accepted, code, answer)
    return delivery


def _classify(delivery: Delivery, addresses: list[str], code: int, answer: bytes | str) -> None:
    text = answer_text(code, answer)
    target = delivery.deferred if 400 <= code < 500 else delivery.refused
    for address in addresses:
        target[address] = text
