"""Running the web app under uvicorn with read timeouts, so a slow or stalled client cannot hold a
connection (and a worker's memory) open for ever.

uvicorn's h11 protocol times out only the idle gap between two requests. :class:`TimedH11Protocol`
adds the two missing ones: the request headers must be complete within :data:`HEADER_TIMEOUT_S` of
their first byte, and while a body is being sent no gap between two pieces may exceed
:data:`BODY_IDLE_TIMEOUT_S`. A connection that breaks either is closed; nothing was stored, since a
request is only acted on once it has fully arrived.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

# A browser sends its headers in one piece; 10 s is generous even on a poor phone connection.
HEADER_TIMEOUT_S = 10.0
# An upload over a slow link still delivers a piece every few seconds; 30 s of silence means it stalled.
BODY_IDLE_TIMEOUT_S = 30.0
KEEP_ALIVE_S = 5


class TimedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a header timeout and a body idle timeout."""

    header_timeout_s = HEADER_TIMEOUT_S
    body_idle_timeout_s = BODY_IDLE_TIMEOUT_S

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._read_timer: asyncio.TimerHandle | None = None
        self._timer_state: type[h11._util.Sentinel] | None = None

    def _cancel_read_timer(self) -> None:
        if self._read_timer is not None:
            self._read_timer.cancel()
            self._read_timer = None
            self._timer_state = None

    def _arm(self, delay_s: float, state: Any) -> None:
        self._cancel_read_timer()
        self._timer_state = state
        self._read_timer = self.loop.call_later(delay_s, self._read_timed_out, state)

    def _read_timed_out(self, state: Any) -> None:
        self._read_timer = None
        if self.conn.their_state is state and not self.transport.is_closing():
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.transport.is_closing():
            self._cancel_read_timer()
            return
        state = self.conn.their_state
        if state is h11.IDLE:   # part of a request line or headers: the clock runs from the first byte
            if self._timer_state is not h11.IDLE:
                self._arm(self.header_timeout_s, h11.IDLE)
        elif state is h11.SEND_BODY:   # each piece of the body restarts the idle clock
            self._arm(self.body_idle_timeout_s, h11.SEND_BODY)
        else:
            self._cancel_read_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_read_timer()
        super().connection_lost(exc)


def run_server(app: Any, *, host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(app, host=host, port=port, log_level="warning", http=TimedH11Protocol,
                timeout_keep_alive=KEEP_ALIVE_S)
