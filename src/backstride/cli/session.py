"""``backstride session``: play today's session (or any routine) in the terminal, then log it.

The steps are the web player's (``journal/session.py``): a countdown for holds, rests and side
switches, a prompt for reps. Ctrl+C pauses a countdown (then resume, skip, "it hurts" or stop).
``--done`` logs the session as prescribed without playing it; ``--json`` prints one document.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING, Annotated, Any

import click
import typer
from rich.console import Group
from rich.live import Live
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.text import Text

from backstride.cli.common import JsonFlag, RunnerOpt, console, emit_json, state, user_errors
from backstride.errors import InputError, Problem, ValidationFailed

if TYPE_CHECKING:
    from backstride.journal.session import GuidedSession, ItemResult, SessionItem, Step

# The clock the countdowns read and wait on; tests swap in a fake one so nothing really waits.
_now = time.monotonic
_sleep = time.sleep


def register(app: typer.Typer) -> None:
    app.command("session")(session)


class _Stop(Exception):
    """The runner chose to end the whole session."""


class _LeaveItem(Exception):
    """On to the next exercise (skipped, or stopped for pain)."""


class TerminalPlayer:
    """Walks the steps of a session, asking and counting down, and records what was done."""

    def __init__(self, guided: GuidedSession, *, err: bool = False) -> None:
        from backstride.journal.session import ItemResult

        self.session = guided
        self.err = err
        self.results = [ItemResult(i, 0) for i in range(len(guided.items))]
        self._pending_side: dict[int, int] = {}

    # ------------------------------------------------------------ asking
    def _ask(self, text: str, default: str = "") -> str:
        answer: str = click.prompt(text, default=default, show_default=bool(default), err=self.err)
        return answer.strip().lower()

    def _pain(self, i: int) -> None:
        from backstride.journal.session import pain_advice

        item = self.session.items[i]
        while True:
            raw = self._ask("How much does it hurt, 0 (none) to 10 (worst imaginable)?")
            if raw.isdigit() and 0 <= int(raw) <= 10:
                break
            console.print("  Please type a whole number from 0 to 10.")
        pain = int(raw)
        r = self.results[i]
        self._set(i, pain_during=max(pain, r.pain_during or 0))
        style = "bold red" if pain > item.stop_above_nrs else "bold"
        console.print(Text(pain_advice(pain, item.stop_above_nrs), style=style))
        if pain > item.stop_above_nrs:
            self._set(i, stopped_for_pain=True)
            raise _LeaveItem

    def _set(self, i: int, **changes: Any) -> None:
        from dataclasses import replace

        self.results[i] = replace(self.results[i], **changes)

    def _menu(self, i: int) -> None:
        """Paused: resume (return), skip, it hurts, or stop the session."""
        while True:
            choice = self._ask("Paused. [r]esume, [s]kip this exercise, [h] it hurts, [q] stop the session", "r")
            if choice in ("r", ""):
                return
            if choice == "s":
                if self.results[i].sets_done == 0:
                    self._set(i, skipped=True)
                raise _LeaveItem
            if choice == "h":
                self._pain(i)
                return
            if choice == "q":
                raise _Stop

    # ------------------------------------------------------------ countdown
    def countdown(self, seconds: int, title: str, i: int, *, rest: bool = False) -> int:
        """Count ``seconds`` down (Ctrl+C pauses); returns the seconds that passed."""
        remaining = float(seconds)
        while remaining > 0:
            end = _now() + remaining
            try:
                with Live(console=console, transient=True, refresh_per_second=8) as live:
                    while (left := end - _now()) > 0:
                        live.update(self._clock(left, seconds, title, rest))
                        _sleep(min(0.2, left))
                remaining = 0
            except KeyboardInterrupt:
                remaining = max(0.0, end - _now())
                self._menu(i)
        console.bell()
        return seconds

    @staticmethod
    def _clock(left: float, total: int, title: str, rest: bool) -> Panel:
        whole = int(left + 0.999)
        big = Text(f"{whole // 60}:{whole % 60:02d}", style="bold green" if rest else "bold", justify="center")
        bar = ProgressBar(total=float(total), completed=float(total) - left, width=40)
        hint = Text("Ctrl+C: pause, skip, it hurts or stop", style="dim", justify="center")
        return Panel(Group(big, bar, hint), title=title, expand=False)

    # ------------------------------------------------------------ steps
    def _work(self, step: Step, item: SessionItem) -> None:
        where = f"set {step.set_no} of {step.sets}" + (f", {step.side} side" if step.side else "")
        if step.seconds:
            self.countdown(3, f"{item.name}: get ready ({where})", step.item)
            amount = self.countdown(step.seconds, f"{item.name}: hold, {where}", step.item)
            console.print(f"  {where}: held {amount} s", highlight=False)
        else:
            hold = f", hold each {step.hold_each_rep_s} s" if step.hold_each_rep_s else ""
            while True:
                raw = self._ask(f"{item.name}, {where}: {step.reps} reps{hold}. Reps done "
                                "(s skip, h it hurts, q stop)", str(step.reps))
                if raw.isdigit() and int(raw) <= 200:
                    amount = int(raw)
                    break
                if raw == "s":
                    if self.results[step.item].sets_done == 0:
                        self._set(step.item, skipped=True)
                    raise _LeaveItem
                if raw == "h":
                    self._pain(step.item)
                    continue
                if raw == "q":
                    raise _Stop
                console.print("  Type the number of reps, or s, h or q.")
        self._finish(step, item, amount)

    def _finish(self, step: Step, item: SessionItem, amount: int) -> None:
        """A one-sided set counts once both sides are done, at its weaker side."""
        if step.side == "left":
            self._pending_side[step.item] = amount
            return
        amount = min(amount, self._pending_side.pop(step.item, amount))
        r = self.results[step.item]
        if item.timed:
            self._set(step.item, sets_done=r.sets_done + 1, hold_s=amount if r.hold_s is None else min(r.hold_s, amount))
        else:
            self._set(step.item, sets_done=r.sets_done + 1, reps=amount if r.reps is None else min(r.reps, amount))

    def play(self) -> list[ItemResult]:
        from backstride.journal.session import steps_for

        items = self.session.items
        try:
            for i, item in enumerate(items):
                console.rule(f"[bold]{i + 1} of {len(items)}: {item.name}[/]  {item.dose.describe()}")
                if item.start_position:
                    console.print(f"[bold]Start:[/] {item.start_position}", highlight=False)
                for c in item.cues[:3]:
                    console.print(f"  - {c}", highlight=False)
                try:
                    answer = self._ask("Enter to start (s skip, h it hurts, q stop)", "")
                    if answer == "s":
                        self._set(i, skipped=True)
                        continue
                    if answer == "h":
                        self._pain(i)
                    if answer == "q":
                        raise _Stop
                    for step in steps_for(item, i):
                        if step.kind == "work":
                            self._work(step, item)
                        else:
                            label = f"switch to the {step.side} side" if step.kind == "switch" else "rest"
                            self.countdown(step.seconds or 0, f"{item.name}: {label}", i, rest=True)
                except _LeaveItem:
                    continue
        except _Stop:
            console.print("Session stopped; what you did so far can still be logged.")
        return self.results


def _summary(guided: GuidedSession, results: list[ItemResult]) -> None:
    from rich.table import Table

    table = Table("exercise", "done", "pain", title="Your session")
    for r in results:
        item = guided.items[r.item]
        if r.skipped:
            done = "skipped"
        else:
            amount = f" x {r.hold_s} s" if item.timed and r.hold_s is not None else (
                f" x {r.reps} reps" if r.reps is not None else "")
            done = f"{r.sets_done} of {item.dose.sets} sets{amount}"
        pain = "-" if r.pain_during is None else f"{r.pain_during}/10" + (" (stopped)" if r.stopped_for_pain else "")
        table.add_row(item.name, done, pain)
    console.print(table)


def session(
    ctx: typer.Context,
    routine: Annotated[str | None, typer.Option("--routine", help="strength, before-run, after-run or desk "
                                                "(default: today's session).")] = None,
    day: Annotated[str | None, typer.Option("--day", help="The day to log it for, YYYY-MM-DD (default: today).")] = None,
    done: Annotated[bool, typer.Option("--done", help="Do not play: log every exercise as prescribed.")] = False,
    pain: Annotated[int | None, typer.Option("--pain", min=0, max=10,
                                             help="With --done: worst pain during the exercises, 0-10.")] = None,
    no_log: Annotated[bool, typer.Option("--no-log", help="Play without storing anything.")] = False,
    runner: RunnerOpt = None,
    as_json: JsonFlag = False,
) -> None:
    """Play today's exercise session (or any routine) with countdowns, then log it.

    With --json and without --done, prints the session (exercises and steps) and stores nothing.
    """
    from backstride.journal.session import as_prescribed
    from backstride.workflows import sessions

    cli_state = state(ctx)
    with user_errors(as_json):
        the_day = dt.date.today()
        if day:
            try:
                the_day = dt.date.fromisoformat(day)
            except ValueError:
                raise ValidationFailed("--day", [Problem("day", f"{day!r} is not a date", "YYYY-MM-DD")]) from None
        if pain is not None and not done:
            raise InputError("--pain goes with --done", hint="add --done, or rate pain while you play")
        ws, name = cli_state.workspace, runner or cli_state.settings.runner
        guided = sessions.guided_session(ws, name, routine, the_day)
        if not guided.playable:
            raise InputError(guided.blocked or f"there are no {guided.title.lower()} exercises to play today",
                             hint="see today's answer first" if guided.blocked else "try another --routine",
                             command="backstride today")
        if as_json and not done:
            emit_json({"session": guided.to_dict(), "stored": []})
            return
        if done:
            results = as_prescribed(guided, pain)
        else:
            console.print(f"[bold]{guided.title}[/]: {len(guided.items)} exercises, about "
                          f"{round(guided.estimated_s / 60)} min. Stop any exercise that hurts more than "
                          f"{guided.items[0].stop_above_nrs}/10.", highlight=False)
            results = TerminalPlayer(guided).play()
            _summary(guided, results)
        stored: list[Any] = []
        worth_saving = not no_log and any(not r.skipped and (r.sets_done or r.pain_during is not None)
                                          for r in results)
        if worth_saving and (done or click.confirm("Save this to your journal?", default=True)):
            _entry, stored = sessions.log_session(ws, name, guided, results)
    if as_json:
        emit_json({"session": guided.to_dict(), "stored": [x.to_dict() for x in stored]})
        return
    if stored:
        console.print(f"Saved {len(stored)} exercise{'s' if len(stored) != 1 else ''} to the journal for "
                      f"{guided.day.isoformat()}. See `backstride today` and `backstride progress`.", highlight=False)
    else:
        console.print("Nothing was stored.")
