"""Write an :class:`Activity` as a FIT activity file with ``fit-tool`` (a development extra).

Used by tests (synthetic fixtures instead of copied real files) and by the import benchmark
(an export of 1,000 runs). Not used when importing, so ``fit-tool`` is not a run-time
dependency: it is imported inside the function.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from backstride.activities.fit import fit_crc16
from backstride.activities.model import Activity


def _ms(activity: Activity, offset_s: float) -> int:
    return round((activity.start_time.timestamp() + offset_s) * 1000)


_NP_TYPES = {0: "u1", 1: "i1", 2: "u1", 131: "<i2", 132: "<u2", 133: "<i4", 134: "<u4", 136: "<f4", 137: "<f8",
             10: "u1", 139: "<u2", 140: "<u4", 13: "u1", 142: "<i8", 143: "<u8", 144: "<u8"}


# channel -> (field name, units, base type, factor from our unit to the field's), as Stryd's
# Connect IQ app writes them (vertical oscillation in centimetres).
STRYD_FIELDS: dict[str, tuple[str, str, str, float]] = {
    "power_w": ("Power", "Watts", "uint16", 1.0),
    "stance_time_ms": ("Ground Time", "Milliseconds", "uint16", 1.0),
    "vertical_oscillation_mm": ("Vertical Oscillation", "Centimeters", "float32", 0.1),
    "form_power_w": ("Form Power", "Watts", "uint16", 1.0),
    "leg_spring_stiffness_kn_m": ("Leg Spring Stiffness", "kN/m", "float32", 1.0),
}


def activity_to_fit(activity: Activity, *, fast: bool = True,
                    developer_fields: dict[str, tuple[str, str, str, float]] | None = None) -> bytes:
    """FIT bytes: file_id, timer events, one record per sample, one lap, session, activity.

    fit-tool builds every message. Building one ``RecordMessage`` object per sample costs
    about a millisecond in fit-tool, so with ``fast=True`` fit-tool encodes the first records
    and the rest are laid out with numpy using the same definition, scale and offset; the
    first records are checked byte for byte against fit-tool's own encoding.

    ``developer_fields`` (e.g. :data:`STRYD_FIELDS`) writes those series channels as developer
    fields, each described by a ``field_description`` message, instead of native fields, as a
    Connect IQ app such as Stryd's does. Those files are always built message by message.
    """
    if developer_fields:
        return _build(activity, None, developer_fields)
    if not fast or activity.series is None or len(activity.series) < 30:
        return _build(activity, None)
    return _build_fast(activity)


def _record_values(activity: Activity) -> dict[str, np.ndarray]:
    series = activity.series
    assert series is not None
    n = len(series)
    cols = series.columns

    def col(name: str) -> np.ndarray:
        c = cols.get(name)
        return np.full(n, np.nan) if c is None else np.asarray(c, dtype="f8")

    cad = col("cadence_spm") / 2.0  # FIT stores running cadence per leg
    out = {
        "timestamp": (activity.start_time.timestamp() + col("time_s")) * 1000.0,
        "position_lat": col("lat_deg"), "position_long": col("lon_deg"), "distance": col("distance_m"),
        "enhanced_altitude": col("altitude_m"), "enhanced_speed": col("speed_mps"), "heart_rate": np.floor(col("heart_rate_bpm")),
        "cadence": np.floor(cad), "fractional_cadence": cad - np.floor(cad), "stance_time": col("stance_time_ms"),
        "stance_time_balance": col("stance_time_balance_pct"), "vertical_oscillation": col("vertical_oscillation_mm"),
        "vertical_ratio": col("vertical_ratio_pct"), "step_length": col("step_length_mm"), "power": col("power_w"),
    }
    return {k: v for k, v in out.items() if np.isfinite(v).any()}


def _record_message(values: dict[str, np.ndarray], i: int) -> Any:
    from fit_tool.profile.messages.record_message import RecordMessage

    r = RecordMessage()
    for name, arr in values.items():
        v = float(arr[i])
        if math.isnan(v):
            continue
        if name == "timestamp":
            setattr(r, name, round(v))
        elif name in ("heart_rate", "cadence", "power"):
            setattr(r, name, int(v))
        else:
            setattr(r, name, v)
    return r


def _build_fast(activity: Activity) -> bytes:
    from fit_tool.definition_message import DefinitionMessage
    from fit_tool.fit_file_header import FitFileHeader

    values = _record_values(activity)
    n = len(next(iter(values.values())))
    first = _record_message(values, 0)
    base = _build(activity, [first])
    defn = DefinitionMessage.from_data_message(first)
    dtype_fields = [("header", "u1")]
    encoders = []
    for fd in defn.field_definitions:
        field = first.get_field(fd.field_id)
        np_type = _NP_TYPES[int(fd.base_type.value)]
        dtype_fields.append((f"f{fd.field_id}", np_type))
        scale = field.scale or 1.0
        offset = field.offset or 0.0
        if field.name == "timestamp":
            encoders.append((fd.field_id, np_type, lambda v: np.round(v / 1000.0) - 631065600, fd.base_type))
        else:
            encoders.append((fd.field_id, np_type, (lambda s, o: lambda v: np.round((v + o) * s))(scale, offset), fd.base_type))
    arr = np.zeros(n, dtype=np.dtype(dtype_fields))
    arr["header"] = first.local_id & 0x0F
    for field_id, np_type, encode, base_type in encoders:
        name = first.get_field(field_id).name
        raw = values[name]
        enc = encode(raw)
        invalid = base_type.invalid_raw_value()
        enc = np.where(np.isfinite(enc), enc, invalid)
        arr[f"f{field_id}"] = enc.astype(np.dtype(np_type))
    record_bytes = arr.tobytes()
    size = arr.dtype.itemsize
    # byte-for-byte check against fit-tool on the first records
    for i in range(min(n, 20)):
        expected = _record_message(values, i).to_bytes()
        if expected != record_bytes[i * size + 1:(i + 1) * size]:  # fit-tool leaves out the header byte
            return _build(activity, None)
    header_len = base[0]
    data = base[header_len:-2]
    first_bytes = record_bytes[:size]
    pos = data.find(first_bytes)
    if pos < 0:
        return _build(activity, None)
    data = data[: pos + size] + record_bytes[size:] + data[pos + size:]
    header = FitFileHeader(records_size=len(data)).to_bytes()
    body = bytes(header) + data
    return body + fit_crc16(body).to_bytes(2, "little")


def _developer_messages(fields: dict[str, tuple[str, str, str, float]]) -> tuple[list[Any], dict[str, int]]:
    """developer_data_id and one field_description per channel; and channel -> field number."""
    from fit_tool.base_type import BaseType
    from fit_tool.profile.messages.developer_data_id_message import DeveloperDataIdMessage
    from fit_tool.profile.messages.field_description_message import FieldDescriptionMessage

    dev_id = DeveloperDataIdMessage()
    dev_id.application_id = bytes(range(16))
    dev_id.developer_data_index = 0
    messages: list[Any] = [dev_id]
    numbers: dict[str, int] = {}
    for number, (channel, (name, units, base, _factor)) in enumerate(fields.items()):
        desc = FieldDescriptionMessage()
        desc.developer_data_index = 0
        desc.field_definition_number = number
        desc.fit_base_type_id = BaseType.FLOAT32 if base == "float32" else BaseType.UINT16
        desc.field_name = name
        desc.units = units
        messages.append(desc)
        numbers[channel] = number
    return messages, numbers


def _dev_record_fields(fields: dict[str, tuple[str, str, str, float]], numbers: dict[str, int],
                       values: dict[str, float]) -> list[Any]:
    from fit_tool.base_type import BaseType
    from fit_tool.developer_field import DeveloperField

    out = []
    for channel, (name, units, base, factor) in fields.items():
        value = values.get(channel)
        if value is None or math.isnan(value):
            continue
        float_type = base == "float32"
        f = DeveloperField(developer_data_index=0, field_id=numbers[channel], name=name, units=units,
                           base_type=BaseType.FLOAT32 if float_type else BaseType.UINT16, size=4 if float_type else 2)
        f.set_value(0, float(value * factor) if float_type else round(value * factor))
        out.append(f)
    return out


def _build(activity: Activity, records_override: list[Any] | None,
           developer_fields: dict[str, tuple[str, str, str, float]] | None = None) -> bytes:
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.activity_message import ActivityMessage
    from fit_tool.profile.messages.event_message import EventMessage
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.lap_message import LapMessage
    from fit_tool.profile.messages.record_message import RecordMessage
    from fit_tool.profile.messages.session_message import SessionMessage
    from fit_tool.profile.profile_type import (
        Event,
        EventType,
        FileType,
        Manufacturer,
        Sport,
        SubSport,
    )

    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    fid = FileIdMessage()
    fid.type = FileType.ACTIVITY
    fid.manufacturer = Manufacturer.DEVELOPMENT.value
    fid.product = 0
    fid.time_created = _ms(activity, 0)
    fid.serial_number = 0x1234ABCD
    builder.add(fid)
    dev_fields = developer_fields or {}
    dev_numbers: dict[str, int] = {}
    if dev_fields:
        dev_messages, dev_numbers = _developer_messages(dev_fields)
        builder.add_all(dev_messages)
    start = EventMessage()
    start.event = Event.TIMER
    start.event_type = EventType.START
    start.timestamp = _ms(activity, 0)
    builder.add(start)

    records: list[Any] = list(records_override or [])
    series = activity.series
    if series is not None and records_override is None:
        cols = series.columns
        n = len(series)

        def col(name: str) -> np.ndarray:
            c = cols.get(name)
            return np.full(n, np.nan) if c is None else np.asarray(c, dtype="f8")

        t, lat, lon = col("time_s"), col("lat_deg"), col("lon_deg")
        dist, alt, speed, hr = col("distance_m"), col("altitude_m"), col("speed_mps"), col("heart_rate_bpm")
        cad = col("cadence_spm") / 2.0  # FIT stores running cadence per leg
        gct, bal = col("stance_time_ms"), col("stance_time_balance_pct")
        vo, vr, sl = col("vertical_oscillation_mm"), col("vertical_ratio_pct"), col("step_length_mm")
        power = col("power_w")
        dev_cols = {channel: col(channel) for channel in dev_fields}
        # a channel written as a developer field is not also written as the native field
        for channel, arr in (("stance_time_ms", gct), ("vertical_oscillation_mm", vo), ("power_w", power)):
            if channel in dev_fields:
                arr[:] = np.nan
        for i in range(n):
            dev = _dev_record_fields(dev_fields, dev_numbers, {c: float(v[i]) for c, v in dev_cols.items()}) \
                if dev_fields else []
            r = RecordMessage(developer_fields=dev) if dev else RecordMessage()
            r.timestamp = _ms(activity, float(t[i]))
            if not math.isnan(lat[i]):
                r.position_lat = float(lat[i])
                r.position_long = float(lon[i])
            if not math.isnan(dist[i]):
                r.distance = float(dist[i])
            if not math.isnan(alt[i]):
                r.enhanced_altitude = float(alt[i])
            if not math.isnan(speed[i]):
                r.enhanced_speed = float(speed[i])
            if not math.isnan(hr[i]):
                r.heart_rate = int(hr[i])
            if not math.isnan(cad[i]):
                r.cadence = int(cad[i])
                r.fractional_cadence = float(cad[i] - int(cad[i]))
            if not math.isnan(gct[i]):
                r.stance_time = float(gct[i])
            if not math.isnan(bal[i]):
                r.stance_time_balance = float(bal[i])
            if not math.isnan(vo[i]):
                r.vertical_oscillation = float(vo[i])
            if not math.isnan(vr[i]):
                r.vertical_ratio = float(vr[i])
            if not math.isnan(sl[i]):
                r.step_length = float(sl[i])
            if not math.isnan(power[i]):
                r.power = round(power[i])
            records.append(r)
    builder.add_all(records)

    end_ms = _ms(activity, activity.elapsed_s)
    stop = EventMessage()
    stop.event = Event.TIMER
    stop.event_type = EventType.STOP_ALL
    stop.timestamp = end_ms
    builder.add(stop)

    sport = {"running": Sport.RUNNING, "walking": Sport.WALKING, "cycling": Sport.CYCLING}.get(
        activity.sport, Sport.GENERIC)
    sub = {"treadmill": SubSport.TREADMILL, "trail": SubSport.TRAIL}.get(activity.sub_sport or "", SubSport.GENERIC)
    for cls in (LapMessage, SessionMessage):
        m = cls()
        m.timestamp = end_ms
        m.start_time = _ms(activity, 0)
        m.total_elapsed_time = activity.elapsed_s
        m.total_timer_time = activity.timer_s
        if activity.distance_m is not None:
            m.total_distance = activity.distance_m
        m.sport = sport
        m.sub_sport = sub
        if activity.avg_hr_bpm is not None:
            m.avg_heart_rate = round(activity.avg_hr_bpm)
        if activity.max_hr_bpm is not None:
            m.max_heart_rate = round(activity.max_hr_bpm)
        if activity.avg_cadence_spm is not None:
            strides = activity.avg_cadence_spm / 2.0
            m.avg_running_cadence = int(strides)
            m.avg_fractional_cadence = strides - int(strides)
        if activity.ascent_m is not None:
            m.total_ascent = round(activity.ascent_m)
        if activity.descent_m is not None:
            m.total_descent = round(activity.descent_m)
        d = activity.dynamics
        if d.stance_time_ms is not None:
            m.avg_stance_time = d.stance_time_ms
        if d.stance_time_balance_pct is not None:
            m.avg_stance_time_balance = d.stance_time_balance_pct
        if d.vertical_oscillation_mm is not None:
            m.avg_vertical_oscillation = d.vertical_oscillation_mm
        if d.vertical_ratio_pct is not None:
            m.avg_vertical_ratio = d.vertical_ratio_pct
        if d.step_length_mm is not None:
            m.avg_step_length = d.step_length_mm
        if activity.avg_power_w is not None and "power_w" not in dev_fields:
            m.avg_power = round(activity.avg_power_w)
        if cls is SessionMessage:
            m.num_laps = 1
        builder.add(m)
    act = ActivityMessage()
    act.timestamp = end_ms
    act.num_sessions = 1
    act.total_timer_time = activity.timer_s
    builder.add(act)
    return bytes(builder.build().to_bytes())
