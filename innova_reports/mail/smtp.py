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
from innova_reports.support.errors import UsageError
from innova_reports.support.oserrors import french_reason

SECURITIES = ("none", "starttls", "ssl")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "ssl": 465}


class SmtpConfigError(UsageError):
    """The environment does not describe a usable server; the message is French."""


class ConnectionFailure(Exception):
    """The server cannot be reached or refused the session; French message.

    ``temporary`` tells whether a later attempt may succeed (network, 4xx greeting)
    or not (certificate refused, authentication refused); ``answer`` is the server's
    own words when it answered (« 421 4.3.2 … »), so a rate limit can be recognised.
    """

    def __init__(self, message: str, temporary: bool, answer: str = "") -> None:
        super().__init__(message)
        self.temporary = temporary
        self.answer = answer


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
    max_per_minute: int | None = None  # at most this many transactions in any 60 s
    rate_pause: float = 60.0  # seconds of one pause after a rate-limit answer

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
            max_per_minute=_number(env, "INNOVA_SMTP_MAX_PER_MINUTE", None, int, 1, 10000),
            rate_pause=_number(env, "INNOVA_SMTP_RATE_PAUSE", 60.0, float, 1, 900),
        )

    @property
    def retry_window(self) -> float:
        """Seconds one message may wait in retries: 5 + 10 + 20 = 35 s by default."""
        return sum(self.backoff * 2**attempt for attempt in range(self.retries))


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
            _greet(client)
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


def _greet(client: smtplib.SMTP) -> None:
    """EHLO, and HELO for an old server; a 4xx here is the server saying « not now »."""
    code, answer = client.ehlo()
    if 500 <= code < 600:
        code, answer = client.helo()
    if code != 250:
        raise smtplib.SMTPResponseException(code, answer)


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
        code, answer = exc.smtp_code, answer_text(exc.smtp_code, exc.smtp_error)
        return ConnectionFailure(
            f"le serveur {where} refuse la session : {answer}.",
            temporary=400 <= code < 500,
            answer=answer,
        )
    if isinstance(exc, TimeoutError):
        return ConnectionFailure(f"le serveur {where} ne répond pas (délai dépassé).", True)
    return ConnectionFailure(
        f"impossible de joindre le serveur {where} ({french_reason(exc)}).", temporary=True
    )


_RATE_LIMIT = re.compile(
    r"rate[ -]?limit|ratelimit|throttl|too many (messages|mails|e-?mails|connections|sessions)"
    r"|concurrent connections|sending rate|slow down|submission quota|\b4\.7\.28\b",
    re.IGNORECASE,
)


def names_rate_limit(answer: str) -> bool:
    """Whether a 4xx answer says the *sender* goes too fast, not that a mailbox is busy.

    Servers word it freely: « 4.7.0 rate limit exceeded », « too many messages »,
    « throttled », Microsoft's « 421 4.3.2 … concurrent connections … », Gmail's
    « 4.7.28 … unusual rate ». Such an answer is worth a pause of the whole batch;
    any other 4xx is worth a retry of the message only.
    """
    return bool(_RATE_LIMIT.search(answer))


def answer_text(code: int, message: bytes | str) -> str:
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    return f"{code} {' '.join(message.split())}".strip()


# -- one transaction -----------------------------------------------------------------------

CLOSING = 421  # RFC 5321: the server closes the channel after saying it


@dataclass
class Delivery:
    """What became of each address in one attempt.

    A temporary answer to RCPT concerns that mailbox only (greylisting): it lands in
    ``greylisted``. A temporary answer to MAIL or DATA, or a dropped link, concerns
    the whole transaction: ``deferred``. The sender retries them differently.
    """

    sent: dict[str, str] = field(default_factory=dict)  # address -> server answer
    refused: dict[str, str] = field(default_factory=dict)  # permanent (5xx)
    deferred: dict[str, str] = field(default_factory=dict)  # 4xx to MAIL/DATA, dropped link
    greylisted: dict[str, str] = field(default_factory=dict)  # 4xx to RCPT: this mailbox only
    uncertain: dict[str, str] = field(default_factory=dict)  # data handed over, no answer


class _Closing(Exception):
    """The server answered 421: it is closing the channel."""

    def __init__(self, answer: str) -> None:
        super().__init__(answer)
        self.answer = answer


def transact(
    session: Session,
    addresses: list[str],
    payload: bytes,
    before_data: Callable[[list[str]], None],
) -> Delivery:
    """MAIL, RCPT for each address, DATA: classify every address by the answers.

    ``before_data`` is called with the accepted addresses just before the message
    bytes leave, so the caller can record them as uncertain first. The session must
    be open (``Session.ensure_open``).
    """
    delivery = Delivery()
    client = session.ensure_open()
    try:
        accepted = _envelope(client, session.config.sender, addresses, delivery)
    except _Closing as closing:
        session.drop()
        _defer_unsettled(delivery, addresses, closing.answer)
        return delivery
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        session.drop()
        _defer_unsettled(delivery, addresses, f"connexion interrompue ({french_reason(exc)})")
        return delivery
    if not accepted:
        return delivery
    before_data(accepted)
    return _hand_over(session, client, accepted, payload, delivery)


def _envelope(client: smtplib.SMTP, sender: str, addresses: list[str], delivery: Delivery):
    """MAIL, RCPT and DATA; the accepted addresses, or [] after a RSET."""
    code, answer = _checked(client.mail(sender))
    if code != 250:
        _classify(delivery, addresses, code, answer, delivery.deferred)
        client.rset()
        return []
    accepted = []
    for address in addresses:
        code, answer = _checked(client.rcpt(address))
        if code in (250, 251):
            accepted.append(address)
        else:
            _classify(delivery, [address], code, answer, delivery.greylisted)
    if not accepted:
        client.rset()
        return []
    code, answer = _checked(client.docmd("DATA"))
    if code != 354:
        _classify(delivery, accepted, code, answer, delivery.deferred)
        client.rset()
        return []
    return accepted


def _checked(reply: tuple[int, bytes]) -> tuple[int, bytes]:
    if reply[0] == CLOSING:
        raise _Closing(answer_text(*reply))
    return reply


def _defer_unsettled(delivery: Delivery, addresses: list[str], answer: str) -> None:
    """The link is gone: every address not answered yet is deferred with the reason.

    An address the server already answered keeps that answer (its words say more).
    """
    for address in addresses:
        if not any(address in d for d in (delivery.refused, delivery.greylisted)):
            delivery.deferred.setdefault(address, answer)


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
        return delivery
    if code == CLOSING:
        session.drop()
    _classify(delivery, accepted, code, answer, delivery.deferred)
    return delivery


def _classify(
    delivery: Delivery, addresses: list[str], code: int, answer: bytes | str, temporary: dict
) -> None:
    """4xx: into ``temporary``; anything else is a refusal for good."""
    text = answer_text(code, answer)
    target = temporary if 400 <= code < 500 else delivery.refused
    for address in addresses:
        target[address] = text
