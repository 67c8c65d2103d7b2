"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1, on a free port.

The handler records every message it accepts and can misbehave on demand: answer
451 after N messages, refuse one recipient with 550, greylist a recipient (451 to
RCPT, K times), give chosen answers to the n-th EHLO or MAIL (a rate limit, a 421),
or stall after the data so that the client times out. ``tls_server`` adds STARTTLS
with a self-signed certificate generated in the test (``cryptography`` if installed,
else ``openssl req``).

``FakeClock`` is the clock the sender waits on in the tests: it records each wait
instead of waiting, and can raise KeyboardInterrupt from a wait as Ctrl-C would. Give
it to the handler (``handler.clock``) to stamp each MAIL with the time the sender
believes it is.

Import the fixtures into a test module: ``from tests.smtp_server import smtp_server``.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import ssl
import subprocess
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)  # type: ignore[return-value]


GREYLISTED = "451 4.7.1 Greylisted, please try again later"
RATE_LIMITED = "451 4.7.0 Rate limit exceeded, try again later"
CONCURRENT = (
    "421 4.3.2 The maximum number of concurrent connections has exceeded a limit, "
    "closing transmission channel"
)


class FakeClock:
    """Time that moves only when the sender waits; ``interrupt_at`` makes a wait raise Ctrl-C."""

    def __init__(self, interrupt_at: int | None = None) -> None:
        self.time = 1000.0
        self.sleeps: list[float] = []
        self.interrupt_at = interrupt_at  # the n-th wait (1-based) raises KeyboardInterrupt

    def now(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        if self.interrupt_at == len(self.sleeps) + 1:
            raise KeyboardInterrupt
        self.sleeps.append(seconds)
        self.time += seconds

    @property
    def waited(self) -> float:
        return sum(self.sleeps)


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    fail_after: int | None = None  # answer 451 to DATA once this many were accepted
    refuse: set[str] = field(default_factory=set)  # answer 550 to these RCPTs
    greylist: dict[str, int] = field(default_factory=dict)  # RCPT -> 451s still to give
    ehlo_answers: dict[int, str] = field(default_factory=dict)  # n-th EHLO -> answer
    mail_answers: dict[int, str] = field(default_factory=dict)  # n-th MAIL -> answer
    stall: float = 0.0  # seconds to wait before answering DATA
    clock: FakeClock | None = None  # stamps each MAIL in ``mail_times``
    ehlos: int = 0
    mails: int = 0
    data_answers: list[str] = field(default_factory=list)  # every answer to the data
    mail_times: list[float] = field(default_factory=list)

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.ehlos += 1
        answer = self.ehlo_answers.get(self.ehlos)
        if answer is None:
            session.host_name = hostname
            return responses
        return [answer]

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.mails += 1
        if self.clock is not None:
            self.mail_times.append(self.clock.now())
        answer = self.mail_answers.get(self.mails)
        if answer is not None:
            return answer
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        if self.greylist.get(address, 0) > 0:
            self.greylist[address] -= 1
            return GREYLISTED
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        answer = await self._data_answer()
        self.data_answers.append(answer)
        if answer.startswith("250"):
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
            )
        return answer

    async def _data_answer(self) -> str:
        if self.stall:
            await asyncio.sleep(self.stall)
        if self.fail_after is not None and len(self.received) >= self.fail_after:
            return "451 4.3.0 Try again later"
        return "250 2.0.0 Queued"


@dataclass
class Server:
    handler: Handler
    host: str
    port: int

    def env(self, **extra: str) -> dict[str, str]:
        """The INNOVA_* environment that points the CLI at this server, fast retries."""
        env = {
            "INNOVA_SMTP_HOST": self.host,
            "INNOVA_SMTP_PORT": str(self.port),
            "INNOVA_SMTP_SECURITY": "none",
            "INNOVA_MAIL_FROM": "coordination@example.org",
            "INNOVA_SMTP_TIMEOUT": "5",
            "INNOVA_SMTP_RETRIES": "1",
            "INNOVA_SMTP_BACKOFF": "0.01",
        }
        env.update(extra)
        return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(handler: Handler, **smtp_options) -> Controller:
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **smtp_options)
    controller.start()
    return controller


@pytest.fixture
def smtp_server():
    handler = Handler()
    controller = _start(handler)
    try:
        yield Server(handler, "127.0.0.1", controller.port)
    finally:
        controller.stop()


def self_signed(directory: Path) -> tuple[Path, Path] | None:
    """A certificate and key for "localhost", or None when no tool can make one."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    try:
        _with_cryptography(cert, key)
        return cert, key
    except ImportError:
        pass
    if shutil.which("openssl") is None:
        return None
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


def _with_cryptography(cert_path: Path, key_path: Path) -> None:
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now).not_valid_after(now + dt.timedelta(days=2))
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )


@pytest.fixture
def tls_server(tmp_path):
    pair = self_signed(tmp_path)
    if pair is None:
        pytest.skip("ni cryptography ni openssl : impossible de créer un certificat de test")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*pair)
    handler = Handler()
    controller = _start(handler, tls_context=context, require_starttls=True)
    try:
        yield Server(handler, "127.0.0.1", controller.port)
    finally:
        controller.stop()
