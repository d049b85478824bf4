"""The native-stderr silencer used while MediaPipe starts: overlapping users never lose stderr."""

from __future__ import annotations

import os
import sys

import pytest

from backstride.video import backends


def test_overlapping_silencers_restore_stderr_only_after_the_last(capfd: pytest.CaptureFixture[str],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", sys.__stderr__)  # as in a terminal: sys.stderr is fd 2
    first, second = backends._NativeStderrSilencer(), backends._NativeStderrSilencer()
    first.start()
    assert backends._quiet_users == 1
    os.write(2, b"hidden-1\n")
    second.start()
    first.stop()                      # the other model is still starting: stay quiet
    assert backends._quiet_users == 1
    os.write(2, b"hidden-2\n")
    second.stop()
    os.write(2, b"visible\n")
    err = capfd.readouterr().err
    assert "hidden" not in err
    assert "visible" in err
    assert backends._quiet_users == 0


def test_stop_without_start_and_double_stop_are_harmless(capfd: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", sys.__stderr__)
    quiet = backends._NativeStderrSilencer()
    quiet.stop()
    quiet.start()
    quiet.stop()
    quiet.stop()
    os.write(2, b"after\n")
    assert "after" in capfd.readouterr().err
    assert backends._quiet_users == 0
