"""sprig v3.3.0 Date functions (``date.go`` and ``now``), Go-exact.

Only ``string``/``int64``/``int``/``int32``/``time.Time`` arguments mean something to the
``interface {}`` parameters: anything else (notably ``json.Number``, which is what numbers in
KWOK's template data are) silently falls back to "now" or zero, exactly as sprig does. The
clock and the local zone come from ``env`` only.
"""

from __future__ import annotations

from typing import Any

from ..env import Env
from ..gostrconv import StrconvError, parse_int
from ..gotime import (
    HOUR,
    MINUTE,
    SECOND,
    GoTime,
    duration_round,
    env_local,
    env_now,
    load_location,
    parse_duration,
    parse_in_location,
    unix,
    zero_time,
)
from ..values import GoError, Int32, Int64, format_duration, gofunc, wrap_int64
from ._registry import FUNCS

_CLOCK = {"clock"}


def _time_of(env: Env, v: Any) -> GoTime:
    """sprig's ``switch date := date.(type)`` in dateInZone → a time (Now for other types)."""
    if isinstance(v, GoTime):
        return v
    if isinstance(v, Int64):
        return unix(int(v), 0, env_local(env))
    if type(v) is int:
        return unix(v, 0, env_local(env))
    if isinstance(v, Int32):
        return unix(int(v), 0, env_local(env))
    return env_now(env)


def _date_in_zone(env: Env, fmt: str, d: Any, zone: str) -> str:
    t = _time_of(env, d)
    local = env_local(env)
    try:
        loc = load_location(zone, local)
    except GoError:
        loc = load_location("UTC", local)
    return t.in_loc(loc).format(fmt)


@gofunc(FUNCS, "date", "string, interface {} -> string", tags=_CLOCK, needs_env=True)
def _date(env: Env, fmt: str, d: Any) -> str:
    """date FMT TIME: format a time.Time or Unix seconds (int, int64, int32) in the local zone."""
    return _date_in_zone(env, fmt, d, "Local")


@gofunc(FUNCS, "htmlDate", "interface {} -> string", tags=_CLOCK, needs_env=True)
def _html_date(env: Env, d: Any) -> str:
    """htmlDate TIME: ``2006-01-02`` in the local zone."""
    return _date_in_zone(env, "2006-01-02", d, "Local")


@gofunc(FUNCS, "htmlDateInZone", "interface {}, string -> string", tags=_CLOCK, needs_env=True)
def _html_date_in_zone(env: Env, d: Any, zone: str) -> str:
    """htmlDateInZone TIME ZONE: ``2006-01-02`` in ZONE (unknown zones mean UTC)."""
    return _date_in_zone(env, "2006-01-02", d, zone)


@gofunc(FUNCS, "date_in_zone", "string, interface {}, string -> string", tags=_CLOCK, needs_env=True)
@gofunc(FUNCS, "dateInZone", "string, interface {}, string -> string", tags=_CLOCK, needs_env=True)
def _date_in_zone_fn(env: Env, fmt: str, d: Any, zone: str) -> str:
    """dateInZone FMT TIME ZONE: format in an IANA zone; unknown zones fall back to UTC."""
    return _date_in_zone(env, fmt, d, zone)



@gofunc(FUNCS, "date_modify", "string, time.Time -> time.Time")
@gofunc(FUNCS, "dateModify", "string, time.Time -> time.Time")
def _date_modify(fmt: str, d: GoTime) -> GoTime:
    """dateModify DURATION TIME: TIME plus a Go duration; a bad duration leaves TIME unchanged."""
    try:
        delta = parse_duration(fmt)
    except GoError:
        return d
    return d.add(delta)



@gofunc(FUNCS, "must_date_modify", "string, time.Time -> (time.Time, error)")
@gofunc(FUNCS, "mustDateModify", "string, time.Time -> (time.Time, error)")
def _must_date_modify(fmt: str, d: GoTime) -> GoTime:
    """mustDateModify DURATION TIME: like dateModify, but a bad duration is an error."""
    return d.add(parse_duration(fmt))



@gofunc(FUNCS, "ago", "interface {} -> string", tags=_CLOCK, needs_env=True)
def _ago(env: Env, d: Any) -> str:
    """ago TIME: time since TIME (time.Time or Unix seconds as int/int64), rounded to seconds."""
    if isinstance(d, GoTime):
        t = d
    elif isinstance(d, Int64) or type(d) is int:
        t = unix(int(d), 0, env_local(env))
    else:
        t = env_now(env)
    since = env_now(env).sub(t)
    return format_duration(duration_round(since, SECOND))


@gofunc(FUNCS, "duration", "interface {} -> string")
def _duration(sec: Any) -> str:
    """duration SECONDS: seconds (a string or an int64 only) as a Go duration."""
    n = 0
    if type(sec) is str:
        try:
            n = parse_int(sec, 10, 64)
        except StrconvError as e:
            n = int(e.value)
    elif isinstance(sec, Int64):
        n = int(sec)
    return format_duration(wrap_int64(n * SECOND))


@gofunc(FUNCS, "durationRound", "interface {} -> string", tags=_CLOCK, needs_env=True)
def _duration_round(env: Env, value: Any) -> str:
    """durationRound D: the largest unit of a duration (string, int64 ns, or time since a time)."""
    d = 0
    if type(value) is str:
        try:
            d = parse_duration(value)
        except GoError:
            d = 0
    elif isinstance(value, Int64):
        d = int(value)
    elif isinstance(value, GoTime):
        d = env_now(env).sub(value)
    u = d & ((1 << 64) - 1)
    if d < 0:
        u = (-u) & ((1 << 64) - 1)
    year = HOUR * 24 * 365
    month = HOUR * 24 * 30
    day = HOUR * 24
    if u > year:
        return f"{u // year}y"
    if u > month:
        return f"{u // month}mo"
    if u > day:
        return f"{u // day}d"
    if u > HOUR:
        return f"{u // HOUR}h"
    if u > MINUTE:
        return f"{u // MINUTE}m"
    if u > SECOND:
        return f"{u // SECOND}s"
    return "0s"


@gofunc(FUNCS, "toDate", "string, string -> time.Time", tags=_CLOCK, needs_env=True)
def _to_date(env: Env, fmt: str, s: str) -> GoTime:
    """toDate LAYOUT STRING: parse in the local zone; a parse error gives the zero time."""
    try:
        return parse_in_location(fmt, s, env_local(env))
    except GoError:
        return zero_time()


@gofunc(FUNCS, "mustToDate", "string, string -> (time.Time, error)", tags=_CLOCK, needs_env=True)
def _must_to_date(env: Env, fmt: str, s: str) -> GoTime:
    """mustToDate LAYOUT STRING: parse in the local zone; a parse error is an error."""
    return parse_in_location(fmt, s, env_local(env))


@gofunc(FUNCS, "unixEpoch", "time.Time -> string")
def _unix_epoch(t: GoTime) -> str:
    """unixEpoch TIME: Unix seconds as a decimal string."""
    return str(wrap_int64(t.unix()))


@gofunc(FUNCS, "now", "-> time.Time", tags=_CLOCK, needs_env=True)
def _now(env: Env) -> GoTime:
    """now: the current local time (Go's time.Now)."""
    return env_now(env)
