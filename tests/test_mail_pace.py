"""The per-minute cap: a sliding window of 60 seconds, on the injected clock."""

from __future__ import annotations

from innova_reports.mail.pace import Pacer
from tests.smtp_server import FakeClock


def test_the_window_lets_a_burst_under_the_cap_go_and_then_waits_for_the_oldest():
    clock = FakeClock()
    pacer = Pacer(2, clock)
    for _ in range(2):
        assert pacer.delay() == 0
        pacer.started()
    assert pacer.delay() == 60
    clock.sleep(45)
    assert pacer.delay() == 15
    clock.sleep(15)
    assert pacer.delay() == 0
    pacer.started()
    clock.sleep(10)
    assert pacer.delay() == 0  # the first two left the window, one is in it
    pacer.started()
    assert pacer.delay() == 50  # until the one started 10 s ago is a minute old


def test_no_cap_never_waits():
    pacer = Pacer(None, FakeClock())
    for _ in range(1000):
        pacer.started()
    assert pacer.delay() == 0
