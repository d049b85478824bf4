"""FIT files (Garmin, COROS, Suunto, Wahoo, Stryd, phone apps) through ``fitdecode``.

Strict by default: a file whose checksum does not match, that ends early, or that holds a
malformed message is rejected, and the message says what could still be read. With
``salvage=True`` whatever was decoded before the damage is kept, with a warning. Each
session message is one activity (multisport files give one per leg); chained FIT files are
read whole. Device-written session totals are preferred to totals computed from records.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings as pywarnings
from typing import Any

import fitdecode
import numpy as np

from backstride.activities.compute import clean_series, fill_from_series
from backstride.activities.devfields import (
    DevMapping,
    channel_for_name,
    describe_unmapped,
    map_developer_field,
)
from backstride.activities.fitlayout import (
    _NAN_ROW,
    _REC_FIELDS,
    _REC_INDEX,
    _SESSION_FIELDS,
    FIT_EPOCH_UNIX_S,
    FIT_RELATIVE_TIME_MAX,
    MESG_ACTIVITY,
    MESG_FILE_ID,
    MESG_LAP,
    MESG_RECORD,
    MESG_SESSION,
    MESG_SPORT,
    SEMICIRCLE_TO_DEG,
    _Decoded,
)
from backstride.activities.model import STEP_SPORTS, Activity, DynamicsSummary, ReadResult
from backstride.errors import ActivityFileError
from backstride.evidence import threshold

_SNIFF = (
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x89PNG", "a PNG image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (give the .zip path itself and it will be unpacked)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"<?xml", "an XML document (GPX or TCX? give it the right extension)"),
    (b"GIF8", "a GIF image"),
)


def fit_crc16(data: bytes, crc: int = 0) -> int:
    """The FIT checksum (CRC-16/ARC, the SDK's algorithm), computed in native code by fastcrc:
    a pure-Python loop cost about 50 ms per 700 kB file, a fifth of a fast decode."""
    import fastcrc

    return int(fastcrc.crc16.arc(data, crc))


class ChecksumMismatch(Exception):
    """A FIT header or file checksum does not match its content."""


def verify_checksums(data: bytes) -> None:
    """Check the header and file CRC of every FIT file chained in ``data``.

    fitdecode can check them too, but it updates the CRC on each small read (a Python call
    per field); one pass over the bytes afterwards gives the same verdict for a fraction of
    the cost. Structure errors (a bad header, a short file) are left to fitdecode.
    """
    pos = 0
    size = len(data)
    while pos + 12 <= size:
        header_size = data[pos]
        if header_size not in (12, 14) or data[pos + 8:pos + 12] != b".FIT":
            return
        data_size = int.from_bytes(data[pos + 4:pos + 8], "little")
        if header_size == 14:
            stored = int.from_bytes(data[pos + 12:pos + 14], "little")
            if stored != 0 and stored != fit_crc16(data[pos:pos + 12]):
                raise ChecksumMismatch(f"header checksum mismatch at byte {pos}")
        end = pos + header_size + data_size
        if end + 2 > size:
            return
        stored = int.from_bytes(data[end:end + 2], "little")
        if stored != fit_crc16(data[pos:end]):
            raise ChecksumMismatch(f"file checksum mismatch (footer at byte {end})")
        pos = end + 2


def describe_bytes(data: bytes) -> str:
    """A human guess at what a non-FIT file is."""
    head = data[:16].lstrip(b"\xef\xbb\xbf \r\n\t")
    for magic, what in _SNIFF:
        if head.startswith(magic):
            return what
    if head.startswith(b"<"):
        return "an XML or HTML document"
    return "not a FIT file (no '.FIT' signature in its header)"


def _decode(data: bytes, out: _Decoded, warnings: list[str]) -> None:
    """Decode into ``out`` as far as possible; raises fitdecode's error at the damage."""
    rows = out.rows
    rec_index = _REC_INDEX
    nan_row = _NAN_ROW
    dev_maps: dict[tuple[str, str], DevMapping | None] = {}
    with pywarnings.catch_warnings(record=True) as caught:
        pywarnings.simplefilter("always")
        # processor=None: we convert the few values we need ourselves, which saves a
        # Python call per field on every record (a third of fitdecode's time).
        # CRCs are checked in one pass by verify_checksums (much cheaper than per read).
        with fitdecode.FitReader(io.BytesIO(data), processor=None,
                                 check_crc=fitdecode.CrcCheck.DISABLED,
                                 error_handling=fitdecode.ErrorHandling.WARN) as reader:
            for frame in reader:
                if not isinstance(frame, fitdecode.FitDataMessage):
                    if isinstance(frame, fitdecode.FitHeader):
                        out.headers += 1
                    continue
                num = frame.global_mesg_num
                if num == MESG_RECORD:
                    row = nan_row.copy()
                    if frame.def_mesg.dev_field_defs:
                        _record_with_dev_fields(frame, row, dev_maps, out)
                    else:
                        for fd in frame.fields:
                            i = rec_index.get(fd.name)
                            if i is not None:
                                value = fd.value
                                if value is not None and not isinstance(value, str | tuple):
                                    row[i] = value
                    rows.append(row)
                elif num in (MESG_SESSION, MESG_LAP):
                    values = {fd.name: fd.value for fd in frame.fields
                              if fd.value is not None and fd.name in _SESSION_FIELDS}
                    (out.sessions if num == MESG_SESSION else out.laps).append(values)
                elif num == MESG_FILE_ID and out.file_type is None:
                    out.file_type = _as_str(frame.get_value("type", fallback=None))
                    manufacturer = _as_str(frame.get_value("manufacturer", fallback=None))
                    product = None
                    for name in ("garmin_product", "product_name", "product"):
                        if frame.has_field(name):
                            product = _as_str(frame.get_value(name, fallback=None))
                            if product:
                                break
                    out.device = " ".join(p for p in (manufacturer, product) if p) or None
                elif num == MESG_ACTIVITY:
                    stamp = frame.get_value("timestamp", fallback=None)
                    local = frame.get_value("local_timestamp", fallback=None)
                    if (isinstance(stamp, int | float) and isinstance(local, int | float)
                            and stamp < FIT_RELATIVE_TIME_MAX <= local):
                        out.clock_offset_s = float(local - stamp)
                elif num == MESG_SPORT:
                    sport = _as_str(frame.get_value("sport", fallback=None))
                    if sport:
                        out.sport_names.append(sport)
    for w in caught[:3]:
        warnings.append(f"decoder remark: {w.message}")


def _record_with_dev_fields(frame: Any, row: list[float], dev_maps: dict[tuple[str, str], DevMapping | None],
                            out: _Decoded) -> None:
    """A record that carries developer fields: native fields by name, developer fields through
    their field description (name and units), converted to our channel's unit."""
    for fd in frame.fields:
        value = fd.value
        if value is None or isinstance(value, str | tuple | bytes):
            continue
        if isinstance(fd.field_def, fitdecode.types.DevFieldDefinition):
            key = (str(fd.name or ""), str(fd.units or ""))
            if key not in dev_maps:
                mapping = dev_maps[key] = map_developer_field(*key)
                if mapping is not None:
                    out.dev_sources.setdefault(mapping.channel, mapping.source)
                elif channel_for_name(key[0]) is not None:
                    out.dev_unmapped.append(key)
            mapping = dev_maps[key]
            if mapping is not None:
                row[_REC_INDEX["dev:" + mapping.channel]] = float(value) * mapping.factor
        else:
            i = _REC_INDEX.get(fd.name)
            if i is not None:
                row[i] = value


def _as_str(value: Any) -> str | None:
    if value is None:
        return None
    return str(value)


def _damage(exc: Exception) -> str:
    if isinstance(exc, fitdecode.FitCRCError | ChecksumMismatch):
        return "its checksum (CRC) does not match, so the data may have been damaged in transfer"
    if isinstance(exc, fitdecode.FitEOFError):
        return "it ends early: the file is truncated (an interrupted download or sync?)"
    if isinstance(exc, fitdecode.FitHeaderError):
        return f"its FIT header is damaged ({exc})"
    if isinstance(exc, fitdecode.FitParseError):
        return f"it holds a malformed message ({exc})"
    return f"the decoder stopped on damaged data ({exc.__class__.__name__}: {exc})"


FAST_DECODE = True  # use fitfast where it is known to give the same values (see fitfast_path)


def read_fit(data: bytes, source: str, *, salvage: bool = False, fast: bool | None = None) -> ReadResult:
    """Read every sport leg in a FIT file. Raises :class:`ActivityFileError` when rejected.

    ``fast`` (default :data:`FAST_DECODE`) tries the fitfast decoder first; it is never used
    to salvage, and any doubt sends the file through fitdecode.
    """
    if len(data) == 0:
        raise ActivityFileError(source, "the file is empty (0 bytes); nothing to import",
                                hint="copy the file from the watch or export again")
    if len(data) < 12 or data[8:12] != b".FIT":
        raise ActivityFileError(source, f"this is not a FIT file: it looks like {describe_bytes(data)}",
                                hint="export the activity from your watch app as FIT, GPX or TCX")
    warnings: list[str] = []
    decoded = _Decoded()
    damage: str | None = None
    decoder = "fitdecode"
    if (FAST_DECODE if fast is None else fast) and not salvage and _checksums_ok(data):
        from backstride.activities.fitfast_path import decode_fast

        if decode_fast(data, decoded):
            decoder = "fitfast"
        else:
            decoded = _Decoded()
    if decoder == "fitdecode":
        try:
            _decode(data, decoded, warnings)
            verify_checksums(data)
        except Exception as exc:  # fitdecode raises several types on hostile input; all mean damage
            damage = _damage(exc)
    if decoded.file_type is not None and decoded.file_type != "activity":
        raise ActivityFileError(
            source, f"this FIT file holds no activity: it is a {decoded.file_type!r} file "
            "(daily monitoring, settings or similar)",
            hint="import the activity files (on Garmin watches: GARMIN/Activity/*.fit)")
    if damage is not None:
        readable = _readable_summary(decoded)
        if not salvage or not (decoded.rows or decoded.sessions):
            what = (f"{readable} could be read before the damage; nothing was stored"
                    if readable else "nothing could be recovered")
            raise ActivityFileError(
                source, f"the FIT file is damaged: {damage}. {what}.", recovered=False,
                hint=("run the import again with --salvage to keep what could be read"
                      if readable else "export the activity again from the watch or app"))
        warnings.insert(0, f"recovered from a damaged file ({damage}); totals may be incomplete")
    activities = _activities(decoded, warnings, salvaged=damage is not None)
    if not activities:
        raise ActivityFileError(source, "the FIT file is valid but holds no activity (no session and no samples)",
                                hint="check that this is the activity you meant to import")
    return ReadResult(activities=activities, warnings=warnings, decoder=decoder)


def _checksums_ok(data: bytes) -> bool:
    try:
        verify_checksums(data)
    except ChecksumMismatch:
        return False
    return True


def _readable_summary(decoded: _Decoded) -> str:
    parts = []
    if decoded.sessions:
        first = decoded.sessions[0]
        km = first.get("total_distance")
        sport = first.get("sport") or "unknown sport"
        desc = f"{len(decoded.sessions)} session(s) ({sport}" + (f", {km / 1000:.2f} km" if km else "") + ")"
        parts.append(desc)
    if decoded.rows:
        parts.append(f"{len(decoded.rows)} samples")
    return " and ".join(parts)


def _utc(raw: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(FIT_EPOCH_UNIX_S + float(raw), dt.UTC)


def _activities(decoded: _Decoded, warnings: list[str], *, salvaged: bool = False) -> list[Activity]:
    if decoded.rec is not None:
        rec = decoded.rec
    else:
        rec = np.array(decoded.rows, dtype="f8") if decoded.rows else np.empty((0, len(_REC_FIELDS)))
    ts = rec[:, 0]
    sessions = [s for s in decoded.sessions if s.get("start_time") is not None or s.get("timestamp") is not None]
    if decoded.clock_offset_s is not None:
        offset = decoded.clock_offset_s
        relative = np.isfinite(ts) & (ts < FIT_RELATIVE_TIME_MAX)
        ts[relative] += offset
        for sess in sessions:
            for key in ("start_time", "timestamp"):
                if sess.get(key) is not None and sess[key] < FIT_RELATIVE_TIME_MAX:
                    sess[key] = sess[key] + offset
        warnings.append("the watch recorded its local clock time only; the start time is that "
                        "local time taken as UTC, so it may be off by your time-zone offset")
    if not sessions:
        if not len(rec) or not np.isfinite(ts).any():
            return []
        warnings.append("the file has no session summary; totals were computed from the samples")
        sessions = [_session_from_records(ts, decoded)]
        from_records = True
    else:
        from_records = False
    # Timestamps below FIT_RELATIVE_TIME_MAX count from power-on, not from 1989: we cannot
    # place them in time, so they are only usable relative to each other.
    out: list[Activity] = []
    for leg, sess in enumerate(sessions):
        start_raw = sess.get("start_time")
        if start_raw is None or start_raw < FIT_RELATIVE_TIME_MAX:
            finite = ts[np.isfinite(ts)]
            start_raw = float(finite.min()) if len(finite) else None
            if start_raw is None or start_raw < FIT_RELATIVE_TIME_MAX:
                warnings.append(f"leg {leg + 1}: no absolute start time; skipped")
                continue
        elapsed = sess.get("total_elapsed_time")
        end_raw = start_raw + elapsed if elapsed is not None else sess.get("timestamp", np.inf)
        # Keep file order: clean_series drops samples whose time runs backwards.
        leg_rows = rec[(ts >= start_raw) & (ts <= float(end_raw) + 1.0)] if len(sessions) > 1 else rec
        act = _activity_from(sess, leg_rows, start_raw, leg, decoded, warnings, len(sessions),
                             salvaged=salvaged and from_records)
        out.append(act)
    return out


def _session_from_records(ts: np.ndarray, decoded: _Decoded) -> dict[str, Any]:
    finite = ts[np.isfinite(ts)]
    sess: dict[str, Any] = {"start_time": float(finite.min()),
                            "total_elapsed_time": float(finite.max() - finite.min())}
    if decoded.laps:
        timer = [float(lap["total_timer_time"]) for lap in decoded.laps if lap.get("total_timer_time") is not None]
        if len(timer) == len(decoded.laps):
            sess["total_timer_time"] = sum(timer)
        dist = [float(lap["total_distance"]) for lap in decoded.laps if lap.get("total_distance") is not None]
        if len(dist) == len(decoded.laps):
            sess["total_distance"] = sum(dist)
        sess["num_laps"] = len(decoded.laps)
        sess["sport"] = decoded.laps[0].get("sport")
        sess["sub_sport"] = decoded.laps[0].get("sub_sport")
    if not sess.get("sport") and decoded.sport_names:
        sess["sport"] = decoded.sport_names[0]
    return sess


def _activity_from(sess: dict[str, Any], rows: np.ndarray, start_raw: float, leg: int,
                   decoded: _Decoded, warnings: list[str], n_legs: int, *, salvaged: bool = False) -> Activity:
    raw_sport = sess.get("sport") or (decoded.sport_names[leg] if leg < len(decoded.sport_names) else None)
    # A number is a sport newer than fitdecode's profile (or damage): not one we can name.
    sport = "unknown" if raw_sport is None else "other" if isinstance(raw_sport, int) else str(raw_sport)
    sub_sport = sess.get("sub_sport")
    sub_sport = None if sub_sport in (None, "generic") or isinstance(sub_sport, int) else str(sub_sport)
    steps = sport in STEP_SPORTS

    def col(name: str) -> np.ndarray:
        return rows[:, _REC_INDEX[name]]

    columns: dict[str, np.ndarray] = {"time_s": col("timestamp") - start_raw}
    sources: dict[str, str] = {}

    def native_or_dev(native: str, channel: str, *, positive: bool) -> np.ndarray:
        """The watch's own field where it recorded one, else the developer field (source noted)."""
        own = col(native)
        usable = np.isfinite(own) & (own > 0) if positive else np.isfinite(own)
        if usable.any():
            return own
        dev = col("dev:" + channel)
        if np.isfinite(dev).any():
            sources[channel] = decoded.dev_sources.get(channel, "a developer field")
            return dev
        return own

    if len(rows):
        lat, lon = col("position_lat"), col("position_long")
        if np.isfinite(lat).any():
            columns["lat_deg"] = lat * SEMICIRCLE_TO_DEG
            columns["lon_deg"] = lon * SEMICIRCLE_TO_DEG
        columns["distance_m"] = col("distance")
        columns["altitude_m"] = np.where(np.isfinite(col("enhanced_altitude")), col("enhanced_altitude"), col("altitude"))
        columns["speed_mps"] = np.where(np.isfinite(col("enhanced_speed")), col("enhanced_speed"), col("speed"))
        columns["heart_rate_bpm"] = col("heart_rate")
        if steps:
            frac = np.nan_to_num(col("fractional_cadence"), nan=0.0)
            columns["cadence_spm"] = (col("cadence") + frac) * 2.0
            columns["stance_time_ms"] = native_or_dev("stance_time", "stance_time_ms", positive=True)
            columns["stance_time_balance_pct"] = col("stance_time_balance")
            columns["vertical_oscillation_mm"] = native_or_dev("vertical_oscillation", "vertical_oscillation_mm",
                                                               positive=True)
            columns["vertical_ratio_pct"] = col("vertical_ratio")
            columns["step_length_mm"] = col("step_length")
            for channel in ("form_power_w", "leg_spring_stiffness_kn_m"):  # no native FIT field
                dev = col("dev:" + channel)
                if np.isfinite(dev).any():
                    columns[channel] = dev
                    sources[channel] = decoded.dev_sources.get(channel, "a developer field")
        columns["power_w"] = native_or_dev("power", "power_w", positive=False)
    if leg == 0:
        for name, units in decoded.dev_unmapped:
            warnings.append(describe_unmapped(name, units))
    series = clean_series(columns, warnings)

    cadence = sess.get("avg_running_cadence", sess.get("avg_cadence"))
    avg_cadence_spm = None
    if steps and cadence is not None:
        avg_cadence_spm = 2.0 * (float(cadence) + float(sess.get("avg_fractional_cadence") or 0.0))
    hr = sess.get("avg_heart_rate")
    max_hr = sess.get("max_heart_rate")
    dynamics = DynamicsSummary(
        stance_time_ms=_num(sess.get("avg_stance_time")),
        stance_time_balance_pct=_num(sess.get("avg_stance_time_balance")),
        vertical_oscillation_mm=_num(sess.get("avg_vertical_oscillation")),
        vertical_ratio_pct=_num(sess.get("avg_vertical_ratio")),
        step_length_mm=_num(sess.get("avg_step_length")),
        sources={k: v for k, v in sources.items() if k != "power_w"},
    ) if steps else DynamicsSummary()
    power_source = sources.get("power_w")
    avg_power = _num(sess.get("avg_power")) if power_source is None else None
    t = series.columns["time_s"]
    span = float(t[-1] - t[0]) if len(t) else 0.0
    elapsed = _num(sess.get("total_elapsed_time"))
    if elapsed is None or elapsed < 0:
        elapsed = max(span, 0.0)
    timer = _num(sess.get("total_timer_time"))
    if timer is None or timer < 0:
        timer = elapsed
    laps = sess.get("num_laps")
    if laps is None:
        laps = len(decoded.laps) if n_legs == 1 else None
    act = Activity(
        sport=sport, sub_sport=sub_sport, start_time=_utc(start_raw), elapsed_s=elapsed, timer_s=timer,
        distance_m=_nonneg(_num(sess.get("total_distance"))), laps=int(laps) if laps is not None else None,
        ascent_m=_num(sess.get("total_ascent")), descent_m=_num(sess.get("total_descent")),
        avg_hr_bpm=_heart_rate(hr), max_hr_bpm=_heart_rate(max_hr),
        avg_cadence_spm=avg_cadence_spm if avg_cadence_spm else None,
        avg_speed_mps=_num(sess.get("enhanced_avg_speed", sess.get("avg_speed"))),
        dynamics=dynamics, source_format="fit", device=decoded.device, leg_index=leg, series=series,
        avg_power_w=avg_power, power_source=power_source,
    )
    # A ride's or swim's cadence is not steps: no cadence channel was kept for them above, so
    # fill_from_series cannot turn it into steps per minute.
    return fill_from_series(act, warnings, salvaged=salvaged)


def _heart_rate(value: Any) -> float | None:
    """A heart rate the sensor could have measured (255 is FIT's 'no value'), else None."""
    hr = _num(value)
    if hr is None:
        return None
    low, high = threshold("load_heart_rate_plausible_min").value, threshold("load_heart_rate_plausible_max").value
    return hr if low <= hr < high else None


def _nonneg(value: float | None) -> float | None:
    return None if value is None or value < 0 else value


def _num(value: Any) -> float | None:
    # A summary field written wider than the profile says (an array) holds its value first.
    if isinstance(value, tuple):
        value = value[0] if value else None
    if value is None or isinstance(value, str | tuple):
        return None
    out = float(value)
    return out if np.isfinite(out) else None
