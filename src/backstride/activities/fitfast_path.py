"""A fast FIT decode through ``fitfast`` (Rust), used only where it is known to give what
the ``fitdecode`` path gives.

fitfast 0.1 decodes about 20x faster than fitdecode but differs on some files: it rejects a
valid file whose header checksum is 0, does not expand ``compressed_speed_distance``, converts
device-relative timestamps (watches without a clock) wrongly, gives product ids instead of
sub-field names, and recovers nothing from a damaged file. So :func:`decode_fast` returns
None (use fitdecode) on any of these, on any error, when a developer field's name could be
mistaken for a native field, and whenever the caller salvages. The verdict on the checksums
is the project's own (:func:`backstride.activities.fit.verify_checksums`), done before this
runs. ``tests/test_activities_fitfast.py`` decodes every shared and synthetic file both ways
and compares every stored value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from backstride.activities.fitlayout import _Decoded

# Record fields with no safe fitfast equivalent: fall back to fitdecode when present.
_DOUBTFUL_RECORD_FIELDS = frozenset({"compressed_speed_distance", "speed_1s"})

last_fallback: str | None = None  # why the last file went to fitdecode (measurements and tests)


def _doubt(reason: str) -> bool:
    global last_fallback
    last_fallback = reason
    return False


def available() -> bool:
    try:
        import fitfast  # noqa: F401
    except ImportError:
        return False
    return True


def _product_name(manufacturer: Any, product: Any) -> Any:
    """The product sub-field (garmin_product and the like) resolved from its raw id, as fitdecode does."""
    if not isinstance(product, int):
        return product
    import fitdecode.profile as profile

    field = next(f for f in _file_id_fields(profile) if f.name == "product")
    for sub in field.subfields or ():
        for ref in sub.ref_fields:
            if ref.value == manufacturer or ref.raw_value == manufacturer:
                enum = sub.type.enum or {}
                return enum.get(product, product)
    return product


def _file_id_fields(profile: Any) -> list[Any]:
    fields = profile.MESSAGE_TYPES[0].fields
    return list(fields.values()) if isinstance(fields, dict) else list(fields)


def decode_fast(data: bytes, out: _Decoded) -> bool:
    """Fill ``out`` as the fitdecode path would; False (``out`` untouched) when not sure."""
    from backstride.activities import fitlayout as F
    from backstride.activities.devfields import map_developer_field

    try:
        import fitfast

        parsed = fitfast.parse(data, enum_names=True)
        cols = fitfast.records(data, degrees=False)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        return _doubt(f"fitfast error: {exc}")  # any error, any doubt: the fitdecode path decides
    if len(data) >= 14 and data[0] == 14 and data[12:14] == b"\x00\x00":
        return _doubt("header CRC 0")  # fitfast 0.1 rejects a valid file whose header CRC is 0
    if _DOUBTFUL_RECORD_FIELDS & set(cols):
        return _doubt("compressed speed/distance")
    rel_limit = F.FIT_EPOCH_UNIX_S + F.FIT_RELATIVE_TIME_MAX
    ts = cols.get("timestamp")
    n = len(ts) if ts is not None else 0
    if ts is not None and (np.isnan(ts).any() or (ts < rel_limit).any()):
        return _doubt("record without an absolute timestamp (compressed or device-relative)")
    if n != len(parsed.get("record", [])):
        return _doubt("record count differs between fitfast's two views")
    for kind in ("session", "lap", "activity"):
        for m in parsed.get(kind, []):
            for key in ("timestamp", "start_time"):
                v = m.get(key)
                if v is not None and (not isinstance(v, int) or v < rel_limit):
                    return _doubt(f"{kind} with a device-relative {key}")
    # Developer fields: by name and unit from their descriptions; a name shared with a native
    # field, or one name in two units, is a doubt.
    descriptions: dict[str, str] = {}
    for d in parsed.get("field_description", []):
        name = d.get("field_name")
        if not isinstance(name, str):
            return _doubt("developer field without a name")
        units = str(d.get("units") or "")
        if name in F._REC_INDEX or descriptions.get(name, units) != units:
            return _doubt(f"developer field {name!r} ambiguous")
        descriptions[name] = units
    fitdecode_names = {k for k in cols if k in F._REC_INDEX}  # other native fields are not used
    dev_names = [k for k in cols if k in descriptions]
    rec = np.full((n, len(F._REC_FIELDS)), np.nan)
    for name in fitdecode_names:
        rec[:, F._REC_INDEX[name]] = cols[name]
    rec[:, 0] -= F.FIT_EPOCH_UNIX_S
    # fitfast 0.1 expands speed into enhanced_speed one unit (1 mm/s) low on some values; the
    # watch's own speed field is exact, so it is the value wherever it exists.
    if "speed" in cols:
        speed = rec[:, F._REC_INDEX["speed"]]
        enhanced = rec[:, F._REC_INDEX["enhanced_speed"]]
        rec[:, F._REC_INDEX["enhanced_speed"]] = np.where(np.isfinite(speed), speed, enhanced)
    for name in dev_names:
        mapping = map_developer_field(name, descriptions[name])
        if mapping is not None:
            rec[:, F._REC_INDEX["dev:" + mapping.channel]] = cols[name] * mapping.factor
            out.dev_sources.setdefault(mapping.channel, mapping.source)
        elif _channel(name) is not None:
            out.dev_unmapped.append((name, descriptions[name]))

    file_ids = parsed.get("file_id", [])
    if file_ids:
        fid = file_ids[0]
        ftype = fid.get("type")
        out.file_type = None if ftype is None else str(ftype)
        manufacturer = fid.get("manufacturer")
        # as the fitdecode path: the resolved product sub-field, else product_name, else the raw id
        raw_product = fid.get("product")
        product = _product_name(manufacturer, raw_product) if raw_product is not None else None
        if (product is None or product == raw_product) and fid.get("product_name"):
            product = fid.get("product_name")
        out.device = " ".join(str(p) for p in (manufacturer, product) if p is not None and p != "") or None
    out.rec = rec
    for kind, target in (("session", out.sessions), ("lap", out.laps)):
        for m in parsed.get(kind, []):
            values: dict[str, Any] = {}
            for raw_key, value in m.items():
                if not isinstance(raw_key, str):
                    continue  # a field outside the profile (fitdecode names it unknown_N): not used
                key = raw_key
                if key == "avg_cadence" and m.get("sport") in ("running", "walking"):
                    key = "avg_running_cadence"  # the sub-field fitdecode resolves
                if key in F._SESSION_FIELDS and value is not None:
                    if key in ("timestamp", "start_time"):
                        value = value - F.FIT_EPOCH_UNIX_S
                    values[key] = value
            target.append(values)
    for m in parsed.get("sport", []):
        sport = m.get("sport")
        if sport:
            out.sport_names.append(str(sport))
    out.headers = 1
    return True


def _channel(name: str) -> str | None:
    from backstride.activities.devfields import channel_for_name

    return channel_for_name(name)
