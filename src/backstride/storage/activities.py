"""Tables for imported activities, the files they came from, their series, and shoes.

Series are one compressed blob per activity in their own table (``activity_series``), so
scanning years of summaries never touches sample data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    func,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from backstride.activities.model import Activity, DynamicsSummary
from backstride.load.shoes import Shoe
from backstride.storage.db import Base, JSONType, valid_id


class ActivityRow(Base):
    __tablename__ = "activities"
    __table_args__ = (Index("ix_activities_runner_start", "runner_id", "start_time"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey("runners.id", ondelete="CASCADE"), nullable=False)
    sport: Mapped[str] = mapped_column(String(40), nullable=False)
    sub_sport: Mapped[str | None] = mapped_column(String(40))
    start_time: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    elapsed_s: Mapped[float] = mapped_column(Float, nullable=False)
    timer_s: Mapped[float] = mapped_column(Float, nullable=False)
    distance_m: Mapped[float | None] = mapped_column(Float)
    laps: Mapped[int | None] = mapped_column(Integer)
    ascent_m: Mapped[float | None] = mapped_column(Float)
    descent_m: Mapped[float | None] = mapped_column(Float)
    avg_hr_bpm: Mapped[float | None] = mapped_column(Float)
    max_hr_bpm: Mapped[float | None] = mapped_column(Float)
    avg_cadence_spm: Mapped[float | None] = mapped_column(Float)
    avg_speed_mps: Mapped[float | None] = mapped_column(Float)
    downhill_m: Mapped[float | None] = mapped_column(Float)
    hr_trimp: Mapped[float | None] = mapped_column(Float)
    dynamics: Mapped[dict[str, Any]] = mapped_column(JSONType, nullable=False, default=dict)
    cadence_speed_fit: Mapped[list[float] | None] = mapped_column(JSONType)
    has_running_dynamics: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    source_format: Mapped[str] = mapped_column(String(10), nullable=False)
    source_path: Mapped[str] = mapped_column(String(1000), nullable=False)
    content_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    leg_index: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    device: Mapped[str | None] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(String(300))
    gear: Mapped[str | None] = mapped_column(String(200))
    richness: Mapped[list[int]] = mapped_column(JSONType, nullable=False, default=list)
    shoe_id: Mapped[int | None] = mapped_column(ForeignKey("shoes.id", ondelete="SET NULL"))
    avg_power_w: Mapped[float | None] = mapped_column(Float)
    power_source: Mapped[str | None] = mapped_column(String(200))
    sport_source: Mapped[str] = mapped_column(String(20), nullable=False, default="file")
    sport_confidence: Mapped[float | None] = mapped_column(Float)
    needs_sport_confirmation: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    warnings: Mapped[list[str] | None] = mapped_column(JSONType)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class ActivitySeriesRow(Base):
    __tablename__ = "activity_series"

    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True)
    blob: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


class ActivityFileRow(Base):
    """One imported file (by content), so a re-import is recognised without decoding."""

    __tablename__ = "activity_files"
    __table_args__ = (UniqueConstraint("runner_id", "content_sha256", name="uq_activity_files_runner_sha"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey("runners.id", ondelete="CASCADE"), nullable=False)
    content_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    path: Mapped[str] = mapped_column(String(1000), nullable=False)
    activity_ids: Mapped[list[int]] = mapped_column(JSONType, nullable=False, default=list)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class ShoeRow(Base):
    __tablename__ = "shoes"
    __table_args__ = (UniqueConstraint("runner_id", "name", name="uq_shoes_runner_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    runner_id: Mapped[int] = mapped_column(ForeignKey("runners.id", ondelete="CASCADE"), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    added_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    retired_on: Mapped[dt.date | None] = mapped_column(Date)
    retirement_km: Mapped[float] = mapped_column(Float, nullable=False)
    start_km: Mapped[float] = mapped_column(Float, nullable=False, default=0.0)
    is_current: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


def to_activity(row: ActivityRow) -> Activity:
    fit = row.cadence_speed_fit
    start = row.start_time if row.start_time.tzinfo else row.start_time.replace(tzinfo=dt.UTC)
    return Activity(
        id=row.id, sport=row.sport, sub_sport=row.sub_sport, start_time=start.astimezone(dt.UTC),
        elapsed_s=row.elapsed_s, timer_s=row.timer_s, distance_m=row.distance_m, laps=row.laps,
        ascent_m=row.ascent_m, descent_m=row.descent_m, avg_hr_bpm=row.avg_hr_bpm, max_hr_bpm=row.max_hr_bpm,
        avg_cadence_spm=row.avg_cadence_spm, avg_speed_mps=row.avg_speed_mps,
        dynamics=DynamicsSummary.from_dict(row.dynamics), downhill_m=row.downhill_m,
        cadence_speed_fit=(float(fit[0]), float(fit[1])) if fit else None, hr_trimp=row.hr_trimp,
        source_format=row.source_format, device=row.device, name=row.name, gear=row.gear,
        leg_index=row.leg_index, avg_power_w=row.avg_power_w, power_source=row.power_source,
        sport_source=row.sport_source or "file", sport_confidence=row.sport_confidence,
        needs_sport_confirmation=bool(row.needs_sport_confirmation), warnings=tuple(row.warnings or ()),
    )


def to_shoe(row: ShoeRow) -> Shoe:
    return Shoe(id=row.id, name=row.name, added_on=row.added_on, retired_on=row.retired_on,
                retirement_km=row.retirement_km, start_km=row.start_km, is_current=row.is_current)


def fill_row(row: ActivityRow, act: Activity) -> None:
    """Copy an activity's values onto a row (new, or an existing one being enriched).

    A sport the runner set by hand is kept when a richer copy of the same activity arrives.
    """
    if row.sport_source != "runner":
        row.sport = act.sport
        row.sport_source = act.sport_source
        row.sport_confidence = act.sport_confidence
        row.needs_sport_confirmation = act.needs_sport_confirmation
    row.sub_sport = act.sub_sport
    row.start_time = act.start_time
    row.elapsed_s = act.elapsed_s
    row.timer_s = act.timer_s
    row.distance_m = act.distance_m
    row.laps = act.laps
    row.ascent_m = act.ascent_m
    row.descent_m = act.descent_m
    row.avg_hr_bpm = act.avg_hr_bpm
    row.max_hr_bpm = act.max_hr_bpm
    row.avg_cadence_spm = act.avg_cadence_spm
    row.avg_speed_mps = act.avg_speed_mps
    row.downhill_m = act.downhill_m
    row.hr_trimp = act.hr_trimp
    row.dynamics = act.dynamics.to_dict()
    row.cadence_speed_fit = list(act.cadence_speed_fit) if act.cadence_speed_fit else None
    row.has_running_dynamics = act.has_running_dynamics
    row.source_format = act.source_format
    row.leg_index = act.leg_index
    row.device = act.device[:200] if act.device else None
    row.name = (act.name or row.name or "")[:300] or None
    row.gear = (act.gear or row.gear or "")[:200] or None
    row.avg_power_w = act.avg_power_w
    row.power_source = act.power_source[:200] if act.power_source else None
    row.warnings = [w[:2000] for w in act.warnings[:50]]


def known_files(session: Session, runner_id: int, hashes: list[str]) -> dict[str, ActivityFileRow]:
    out: dict[str, ActivityFileRow] = {}
    for start in range(0, len(hashes), 500):  # stay under SQL parameter limits
        chunk = hashes[start:start + 500]
        rows = session.scalars(select(ActivityFileRow).where(
            ActivityFileRow.runner_id == runner_id, ActivityFileRow.content_sha256.in_(chunk)))
        out.update({r.content_sha256: r for r in rows})
    return out


def rows_starting_near(session: Session, runner_id: int, start: dt.datetime, window_s: float) -> list[ActivityRow]:
    """The runner's activities starting within ``window_s`` seconds of ``start``, oldest record first."""
    delta = dt.timedelta(seconds=window_s)
    return list(session.scalars(select(ActivityRow).where(
        ActivityRow.runner_id == runner_id, ActivityRow.start_time >= start - delta,
        ActivityRow.start_time <= start + delta).order_by(ActivityRow.id)))


def activities_by_id(session: Session, ids: list[int]) -> list[Activity]:
    """The activities with these ids (without series), in the order of ``ids``."""
    ids = [i for i in ids if valid_id(i)]
    if not ids:
        return []
    by_id = {r.id: to_activity(r) for r in session.scalars(select(ActivityRow).where(ActivityRow.id.in_(ids)))}
    return [by_id[i] for i in ids if i in by_id]


def save_series(session: Session, activity_id: int, blob: bytes) -> None:
    existing = session.get(ActivitySeriesRow, activity_id)
    if existing is None:
        session.add(ActivitySeriesRow(activity_id=activity_id, blob=blob))
    else:
        existing.blob = blob


def series_blob(session: Session, activity_id: int) -> bytes | None:
    row = session.get(ActivitySeriesRow, activity_id)
    return row.blob if row is not None else None


def add_file(session: Session, runner_id: int, content_sha256: str, path: str, activity_ids: list[int],
             imported_at: dt.datetime) -> None:
    session.add(ActivityFileRow(runner_id=runner_id, content_sha256=content_sha256, path=path,
                                activity_ids=activity_ids, imported_at=imported_at))
    session.flush()


def activity_rows(session: Session, runner_id: int, since: dt.datetime | None = None,
                  until: dt.datetime | None = None) -> list[ActivityRow]:
    query = select(ActivityRow).where(ActivityRow.runner_id == runner_id)
    if since is not None:
        query = query.where(ActivityRow.start_time >= since)
    if until is not None:
        query = query.where(ActivityRow.start_time < until)
    return list(session.scalars(query.order_by(ActivityRow.start_time, ActivityRow.id)))


def has_activities(session: Session, runner_id: int) -> bool:
    """Whether the runner has any stored activity (one indexed row read, not the whole history)."""
    query = select(ActivityRow.id).where(ActivityRow.runner_id == runner_id).limit(1)
    return session.scalar(query) is not None


def shoe_by_name(session: Session, runner_id: int, name: str) -> ShoeRow | None:
    """The runner's pair called ``name`` (case-insensitive)."""
    return session.scalars(select(ShoeRow).where(ShoeRow.runner_id == runner_id,
                                                 func.lower(ShoeRow.name) == name.lower())).first()


def add_shoe(session: Session, runner_id: int, *, name: str, added_on: dt.date, retirement_km: float,
             start_km: float = 0.0, is_current: bool = False) -> ShoeRow:
    row = ShoeRow(runner_id=runner_id, name=name[:200], added_on=added_on, retirement_km=retirement_km,
                  start_km=start_km, is_current=is_current)
    session.add(row)
    session.flush()
    return row


def clear_current_shoe(session: Session, runner_id: int) -> None:
    session.execute(update(ShoeRow).where(ShoeRow.runner_id == runner_id).values(is_current=False))


def shoe_assignments(session: Session, runner_id: int) -> dict[int, int]:
    """Activity id -> shoe id, for the runner's activities counted on a pair."""
    rows = session.execute(select(ActivityRow.id, ActivityRow.shoe_id).where(
        ActivityRow.runner_id == runner_id, ActivityRow.shoe_id.is_not(None))).all()
    return {int(r[0]): int(r[1]) for r in rows}


def assign_runs(session: Session, runner_id: int, shoe_id: int, *, activity_ids: list[int] | None = None,
                since: dt.datetime | None = None, until: dt.datetime | None = None) -> int:
    """Count runs on a pair: the given ids, or every run from ``since`` (to before ``until``). How many."""
    query = update(ActivityRow).where(ActivityRow.runner_id == runner_id, ActivityRow.sport == "running")
    if activity_ids:
        query = query.where(ActivityRow.id.in_(activity_ids))
    else:
        if since is not None:
            query = query.where(ActivityRow.start_time >= since)
        if until is not None:
            query = query.where(ActivityRow.start_time < until)
    result = session.execute(query.values(shoe_id=shoe_id))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def shoe_rows(session: Session, runner_id: int) -> list[ShoeRow]:
    return list(session.scalars(select(ShoeRow).where(ShoeRow.runner_id == runner_id).order_by(ShoeRow.added_on, ShoeRow.id)))
