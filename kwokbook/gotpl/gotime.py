"""Go's ``time`` package as far as templates can reach it: ``time.Time``, layouts, durations.

sprig's date functions hand templates ``time.Time`` values whose printing (``String``), layout
formatting (``Format``) and parsing (``toDate``) must match Go byte for byte, including Go's parse
error texts. This is a port of ``$GOROOT/src/time/format.go``, ``format_rfc3339.go`` and the
parts of ``time.go``/``zoneinfo.go`` those need.

Model:

* :class:`GoTime` holds Go's instant as ``sec`` (seconds since January 1, year 1 UTC — Go's
  internal epoch) plus ``nsec``, a :class:`GoLocation` (``None`` means UTC, as in Go), an
  optional monotonic reading (``mono``, nanoseconds; only ``String`` and comparisons see it)
  and ``local``: the location Go's ``time.Local`` stands for in the render that made the value
  (``.Local`` needs it; there is no process-wide local zone here).
* :class:`GoLocation` is ``*time.Location``: UTC, a fixed zone, or an IANA zone looked up
  through :mod:`zoneinfo` (same tzdata files Go reads on Linux).

Go strings are byte strings; parsing and formatting work on the Go bytes (kept as latin-1
``str`` internally) so that byte-level slicing and error quoting match Go.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any, ClassVar

from .gostrconv import from_go_bytes, to_go_bytes
from .values import (
    GO_TYPE_INDEX,
    PTR,
    STRUCT,
    T_SLICE_BYTE,
    Duration,
    GoError,
    GoSlice,
    GoStruct,
    GoType,
    Int64,
    Method,
    Month,
    Uint8,
    Weekday,
    format_duration,
    register_type,
    sig,
    wrap_int64,
)

__all__ = [
    "DURATION_METHODS",
    "METHODS_BY_TYPE",
    "RFC3339",
    "RFC3339_NANO",
    "T_LOCATION",
    "T_TIME",
    "UTC",
    "GoLocation",
    "GoTime",
    "date",
    "fixed_zone",
    "load_location",
    "local_location",
    "parse",
    "parse_duration",
    "parse_in_location",
    "unix",
    "zero_time",
]

# ---------------------------------------------------------------------------------------------
# Constants (time.go)

NANOSECOND = 1
MICROSECOND = 1000
MILLISECOND = 1000 * MICROSECOND
SECOND = 1000 * MILLISECOND
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
MIN_DURATION = -(1 << 63)
MAX_DURATION = (1 << 63) - 1
_MAX_INT64 = (1 << 63) - 1

SECONDS_PER_DAY = 86400
UNIX_TO_INTERNAL = (1969 * 365 + 1969 // 4 - 1969 // 100 + 1969 // 400) * SECONDS_PER_DAY
INTERNAL_TO_UNIX = -UNIX_TO_INTERNAL
WALL_TO_INTERNAL = (1884 * 365 + 1884 // 4 - 1884 // 100 + 1884 // 400) * SECONDS_PER_DAY
_MIN_WALL = WALL_TO_INTERNAL
_MAX_WALL = WALL_TO_INTERNAL + (1 << 33) - 1

LAYOUT = "01/02 03:04:05PM '06 -0700"
ANSIC = "Mon Jan _2 15:04:05 2006"
UNIX_DATE = "Mon Jan _2 15:04:05 MST 2006"
RUBY_DATE = "Mon Jan 02 15:04:05 -0700 2006"
RFC822 = "02 Jan 06 15:04 MST"
RFC822Z = "02 Jan 06 15:04 -0700"
RFC850 = "Monday, 02-Jan-06 15:04:05 MST"
RFC1123 = "Mon, 02 Jan 2006 15:04:05 MST"
RFC1123Z = "Mon, 02 Jan 2006 15:04:05 -0700"
RFC3339 = "2006-01-02T15:04:05Z07:00"
RFC3339_NANO = "2006-01-02T15:04:05.999999999Z07:00"
KITCHEN = "3:04PM"

_LONG_DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_SHORT_DAY_NAMES = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
_SHORT_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LONG_MONTH_NAMES = Month.NAMES


# ---------------------------------------------------------------------------------------------
# Go byte strings. Layout and value are handled as latin-1 ``str`` (one char per Go byte).


def _b(s: str) -> str:
    """Go string → one char per byte."""
    return to_go_bytes(s).decode("latin-1")


def _s(b: str) -> str:
    """One char per byte → Go string (``str`` with surrogate escapes for invalid UTF-8)."""
    return from_go_bytes(b.encode("latin-1"))


def go_quote(s: str) -> str:
    """``time.quote``: bytes >= 0x80 and controls as ``\\xNN``; used by error messages."""
    out = ['"']
    for ch in _b(s):
        c = ord(ch)
        if c >= 0x80 or c < 0x20:
            out.append(f"\\x{c:02x}")
        else:
            if ch in '"\\':
                out.append("\\")
            out.append(ch)
    out.append('"')
    return "".join(out)


def _quote_b(b: str) -> str:
    return go_quote(_s(b))


# ---------------------------------------------------------------------------------------------
# Calendar arithmetic (proleptic Gregorian, unbounded ints: agrees with Go for every time an
# int64 can hold)


def _days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of y-m-d (m in 1..12; d may be out of range)."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    mp = (m + 9) % 12
    doy = (153 * mp + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _civil_from_days(z: int) -> tuple[int, int, int]:
    z += 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return y + (m <= 2), m, d


def is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_before(m: int) -> int:
    """Days in a non-leap year before month m (``daysBefore``; m may be 13)."""
    adj = -2 if m >= 3 else 0
    return (214 * m - 211) // 7 + adj


def days_in(m: int, year: int) -> int:
    if m == 2:
        return 29 if is_leap(year) else 28
    return 30 + ((m + (m >> 3)) & 1)


def _norm(hi: int, lo: int, base: int) -> tuple[int, int]:
    """Go's ``norm``: hi*base + lo == nhi*base + nlo with 0 <= nlo < base."""
    q, r = divmod(lo, base)
    return hi + q, r


# ---------------------------------------------------------------------------------------------
# Locations


def _tzif_path(key: str) -> str | None:
    import zoneinfo

    for base in zoneinfo.TZPATH:
        p = os.path.join(base, key)
        if os.path.isfile(p):
            return p
    return None


def _read_tzif_zones(key: str) -> list[tuple[str, int, bool]]:
    """The zone table (abbreviation, offset, isDST) of a TZif file, in file order.

    Go's ``lookupName`` (used by Parse for zone abbreviations like ``MST``) walks this table;
    :mod:`zoneinfo` does not expose it.
    """
    data: bytes | None = None
    path = _tzif_path(key)
    try:
        if path is not None:
            with open(path, "rb") as f:
                data = f.read()
        else:
            from importlib import resources

            res = resources.files("tzdata").joinpath("zoneinfo", *key.split("/"))
            data = res.read_bytes()
    except Exception:
        return []
    return _parse_tzif_zones(data)


def _parse_tzif_zones(data: bytes) -> list[tuple[str, int, bool]]:
    if len(data) < 44 or data[:4] != b"TZif":
        return []
    version = data[4]

    def counts(off: int) -> tuple[int, int, int, int, int, int]:
        return struct.unpack(">6l", data[off + 20 : off + 44])

    isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt = counts(0)
    tsize = 4
    off = 44
    if version >= ord("2"):
        # Skip the v1 block; Go reads the 64-bit block.
        off += timecnt * 4 + timecnt + typecnt * 6 + charcnt + leapcnt * 8 + isstdcnt + isutcnt
        isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt = counts(off)
        off += 44
        tsize = 8
    off += timecnt * tsize + timecnt
    types = []
    for i in range(typecnt):
        utoff, isdst, abbrind = struct.unpack(">lBB", data[off + i * 6 : off + i * 6 + 6])
        types.append((utoff, bool(isdst), abbrind))
    off += typecnt * 6
    chars = data[off : off + charcnt]
    zones = []
    for utoff, isdst, abbrind in types:
        end = chars.find(b"\0", abbrind)
        name = chars[abbrind : end if end >= 0 else len(chars)].decode("latin-1")
        zones.append((name, utoff, isdst))
    return zones


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MIN_LOOKUP = -62135596800 + 2 * SECONDS_PER_DAY  # 0001-01-03: before any tz transition
_MAX_LOOKUP = 253402300799 - 2 * SECONDS_PER_DAY  # 9999-12-29
_GREGORIAN_CYCLE = 146097 * SECONDS_PER_DAY  # 400 years: the POSIX footer rules repeat


class GoLocation(GoStruct):
    """``*time.Location``.

    ``tz`` is a :class:`datetime.tzinfo` for IANA zones (and other tzinfo objects), ``zone`` a
    ``(abbreviation, offset)`` pair for fixed zones; with neither the location has no zones and
    behaves like Go's UTC (``lookup`` answers ``("UTC", 0)``), which is also what Go's Local is
    when ``TZ=UTC``. ``is_local`` marks the render's ``time.Local``.
    """

    gotype: ClassVar[GoType]
    go_unexported_fields: ClassVar[tuple[str, ...]] = (
        "name", "zone", "tx", "extend", "cacheStart", "cacheEnd", "cacheZone",
    )

    __slots__ = ("_zones", "is_local", "name", "tz", "zone")

    def __init__(self, name: str, *, tz: tzinfo | None = None, zone: tuple[str, int] | None = None,
                 is_local: bool = False) -> None:
        self.name = name
        self.tz = tz
        self.zone = zone
        self.is_local = is_local
        self._zones: list[tuple[str, int, bool]] | None = None

    def __repr__(self) -> str:
        return f"GoLocation({self.name!r}{', local' if self.is_local else ''})"

    def lookup(self, unix_sec: int) -> tuple[str, int]:
        """Zone abbreviation and offset (seconds east of UTC) in effect at ``unix_sec``."""
        if self.zone is not None:
            return self.zone
        if self.tz is None:
            return "UTC", 0
        s = unix_sec
        if s > _MAX_LOOKUP:
            s -= ((s - _MAX_LOOKUP) // _GREGORIAN_CYCLE + 1) * _GREGORIAN_CYCLE
        elif s < _MIN_LOOKUP:
            s = _MIN_LOOKUP
        dt = (_EPOCH + timedelta(seconds=s)).astimezone(self.tz)
        off = dt.utcoffset()
        offset = 0 if off is None else off.days * SECONDS_PER_DAY + off.seconds
        return dt.tzname() or "", offset

    def zones(self) -> list[tuple[str, int, bool]]:
        """The location's zone table (for ``lookupName``)."""
        if self._zones is None:
            if self.zone is not None:
                self._zones = [(self.zone[0], self.zone[1], False)]
            elif self.tz is None:
                self._zones = []
            else:
                key = getattr(self.tz, "key", None)
                if isinstance(key, str):
                    self._zones = _read_tzif_zones(key)
                else:
                    name = self.tz.tzname(None)
                    off = self.tz.utcoffset(None)
                    if name is not None and off is not None:
                        self._zones = [(name, int(off.total_seconds()), False)]
                    else:
                        self._zones = []
        return self._zones

    def lookup_name(self, name: str, unix_sec: int) -> int | None:
        """Go's ``lookupName``: the offset of zone ``name`` around ``unix_sec``, or ``None``."""
        zones = self.zones()
        for zname, zoff, _ in zones:
            if zname == name:
                nam, offset = self.lookup(unix_sec - zoff)
                if nam == zname:
                    return offset
        for zname, zoff, _ in zones:
            if zname == name:
                return zoff
        return None

    def go_deep_equal(self, other: Any) -> bool:
        return isinstance(other, GoLocation) and _loc_key(self) == _loc_key(other)


def _loc_key(loc: GoLocation | None) -> tuple[Any, ...]:
    if loc is None or loc is UTC:
        return ("UTC",)
    return (loc.name, loc.zone, getattr(loc.tz, "key", loc.tz), loc.is_local)


T_LOCATION = register_type(GoType("*time.Location", PTR, methods=("String",)))
GoLocation.gotype = T_LOCATION

UTC = GoLocation("UTC")
"""Go's ``time.UTC``. Times in UTC carry ``loc=None`` (as Go stores ``nil``)."""

UTC_LOCAL = GoLocation("UTC", is_local=True)
"""Go's ``time.Local`` when ``TZ=UTC``: named "UTC", no zones."""

_FIXED_CACHE: dict[int, GoLocation] = {}
_LOCAL_CACHE: dict[Any, GoLocation] = {}


def fixed_zone(name: str, offset: int) -> GoLocation:
    """``time.FixedZone``; unnamed whole-hour zones are shared, as in Go (pointer identity)."""
    hour = int(offset / 3600)
    if name == "" and -12 <= hour <= 14 and hour * 3600 == offset:
        loc = _FIXED_CACHE.get(hour)
        if loc is None:
            loc = _FIXED_CACHE[hour] = GoLocation("", zone=("", offset))
        return loc
    return GoLocation(name, zone=(name, offset))


def local_location(tz: tzinfo | None) -> GoLocation:
    """The ``time.Local`` a process with local zone ``tz`` has (``env.local_tz``)."""
    if tz is None or tz is timezone.utc:
        return UTC_LOCAL
    try:
        cache_key: Any = tz
        hash(cache_key)
    except TypeError:
        cache_key = id(tz)
    loc = _LOCAL_CACHE.get(cache_key)
    if loc is not None:
        return loc
    key = getattr(tz, "key", None)
    if isinstance(key, str):
        loc = GoLocation("UTC", is_local=True) if key == "UTC" else GoLocation(key, tz=tz, is_local=True)
    elif isinstance(tz, timezone):
        off = tz.utcoffset(None)
        name = tz.tzname(None)
        loc = GoLocation(name, zone=(name, int(off.total_seconds())), is_local=True)
    else:
        loc = GoLocation(str(tz), tz=tz, is_local=True)
    _LOCAL_CACHE[cache_key] = loc
    return loc


def load_location(name: str, local: GoLocation = UTC_LOCAL) -> GoLocation:
    """``time.LoadLocation``; raises :class:`GoError` when the zone cannot be loaded."""
    if name in ("", "UTC"):
        return UTC
    if name == "Local":
        return local
    if ".." in name or name[:1] in ("/", "\\"):
        raise GoError("time: invalid location name")
    import zoneinfo

    try:
        tz = zoneinfo.ZoneInfo(name)
    except Exception as e:
        raise GoError(f"unknown time zone {name}") from e
    return GoLocation(name, tz=tz)


# ---------------------------------------------------------------------------------------------
# Time


class GoTime(GoStruct):
    """``time.Time``. Immutable; methods return new values."""

    gotype: ClassVar[GoType]
    go_unexported_fields: ClassVar[tuple[str, ...]] = ("wall", "ext", "loc")
    go_bad_methods: ClassVar[Mapping[str, tuple[int, str]]]

    __slots__ = ("loc", "local", "mono", "nsec", "sec")

    def __init__(self, sec: int, nsec: int = 0, loc: GoLocation | None = None, mono: int | None = None,
                 local: GoLocation | None = None) -> None:
        self.sec = sec  # seconds since Jan 1 year 1 00:00:00 UTC
        self.nsec = nsec  # [0, 1e9)
        self.loc = None if loc is UTC else loc
        self.mono = mono
        self.local = local if local is not None else (loc if loc is not None and loc.is_local else UTC_LOCAL)

    # -- construction helpers ------------------------------------------------------------------

    def _with(self, sec: int | None = None, nsec: int | None = None, loc: Any = ...,
              mono: Any = ...) -> GoTime:
        return GoTime(self.sec if sec is None else sec, self.nsec if nsec is None else nsec,
                      self.loc if loc is ... else loc, self.mono if mono is ... else mono, self.local)

    def __repr__(self) -> str:
        return f"GoTime({self.string()!r})"

    def __eq__(self, other: object) -> bool:
        """Go's ``==`` on Time: wall, monotonic reading and location pointer."""
        if not isinstance(other, GoTime):
            return NotImplemented
        return (self.sec, self.nsec, self.mono) == (other.sec, other.nsec, other.mono) and _same_loc(
            self.loc, other.loc)

    def __hash__(self) -> int:
        return hash((self.sec, self.nsec, self.mono))

    def go_deep_equal(self, other: Any) -> bool:
        return isinstance(other, GoTime) and (self.sec, self.nsec, self.mono) == (
            other.sec, other.nsec, other.mono) and _loc_key(self.loc) == _loc_key(other.loc)

    # -- basic accessors -------------------------------------------------------------------------

    @property
    def unix_sec(self) -> int:
        return self.sec + INTERNAL_TO_UNIX

    def location(self) -> GoLocation:
        return UTC if self.loc is None else self.loc

    def _locabs(self) -> tuple[str, int, int]:
        """Zone name, offset and the local wall time as seconds since 1970 (Go's ``locabs``)."""
        u = self.unix_sec
        if self.loc is None:
            return "UTC", 0, u
        name, offset = self.loc.lookup(u)
        return name, offset, u + offset

    def _local_sec(self) -> int:
        return self._locabs()[2]

    def date(self) -> tuple[int, int, int]:
        return _civil_from_days(self._local_sec() // SECONDS_PER_DAY)

    def clock(self) -> tuple[int, int, int]:
        s = self._local_sec() % SECONDS_PER_DAY
        return s // 3600, s % 3600 // 60, s % 60

    def year(self) -> int:
        return self.date()[0]

    def month(self) -> int:
        return self.date()[1]

    def day(self) -> int:
        return self.date()[2]

    def weekday(self) -> int:
        return (self._local_sec() // SECONDS_PER_DAY + 4) % 7

    def year_day(self) -> int:
        days = self._local_sec() // SECONDS_PER_DAY
        y = _civil_from_days(days)[0]
        return days - _days_from_civil(y, 1, 1) + 1

    def iso_week(self) -> tuple[int, int]:
        days = self._local_sec() // SECONDS_PER_DAY
        wd = (days + 4) % 7  # Sunday=0
        thu = days + (3 - (wd + 6) % 7)
        y = _civil_from_days(thu)[0]
        return y, (thu - _days_from_civil(y, 1, 1)) // 7 + 1

    def zone(self) -> tuple[str, int]:
        return self.location().lookup(self.unix_sec)

    def is_zero(self) -> bool:
        return self.sec == 0 and self.nsec == 0

    def unix(self) -> int:
        return self.unix_sec

    def unix_nano(self) -> int:
        return wrap_int64(self.unix_sec * SECOND + self.nsec)

    def unix_milli(self) -> int:
        return wrap_int64(self.unix_sec * 1000 + self.nsec // 1_000_000)

    def unix_micro(self) -> int:
        return wrap_int64(self.unix_sec * 1_000_000 + self.nsec // 1000)

    # -- arithmetic --------------------------------------------------------------------------------

    def add(self, d: int) -> GoTime:
        """``t.Add(d)``: keeps the monotonic reading when it stays representable."""
        dsec = _go_quo(d, SECOND)
        nsec = self.nsec + _go_rem(d, SECOND)
        if nsec >= SECOND:
            dsec += 1
            nsec -= SECOND
        elif nsec < 0:
            dsec -= 1
            nsec += SECOND
        mono = self.mono
        sec = self.sec + dsec
        if mono is not None and not (_MIN_WALL <= sec <= _MAX_WALL):
            mono = None
        if mono is None:
            # Saturating int64 addition of Go's addSec.
            if sec > _MAX_INT64:
                sec = _MAX_INT64
            elif sec < -_MAX_INT64:
                sec = -_MAX_INT64
        else:
            te = mono + d
            if te != wrap_int64(te):
                mono = None
            else:
                mono = te
        return self._with(sec=sec, nsec=nsec, mono=mono)

    def sub(self, u: GoTime) -> int:
        """``t.Sub(u)`` saturating to the Duration range."""
        if self.mono is not None and u.mono is not None:
            d = self.mono - u.mono
            return max(MIN_DURATION, min(MAX_DURATION, d))
        d = (self.sec - u.sec) * SECOND + (self.nsec - u.nsec)
        return max(MIN_DURATION, min(MAX_DURATION, d))

    def before(self, u: GoTime) -> bool:
        if self.mono is not None and u.mono is not None:
            return self.mono < u.mono
        return (self.sec, self.nsec) < (u.sec, u.nsec)

    def after(self, u: GoTime) -> bool:
        if self.mono is not None and u.mono is not None:
            return self.mono > u.mono
        return (self.sec, self.nsec) > (u.sec, u.nsec)

    def equal(self, u: GoTime) -> bool:
        if self.mono is not None and u.mono is not None:
            return self.mono == u.mono
        return (self.sec, self.nsec) == (u.sec, u.nsec)

    def compare(self, u: GoTime) -> int:
        if self.mono is not None and u.mono is not None:
            a, b = (self.mono, 0), (u.mono, 0)
        else:
            a, b = (self.sec, self.nsec), (u.sec, u.nsec)
        return -1 if a < b else (1 if a > b else 0)

    def add_date(self, years: int, months: int, days: int) -> GoTime:
        y, m, d = self.date()
        hh, mm, ss = self.clock()
        return date(y + years, m + months, d + days, hh, mm, ss, self.nsec, self.location(), self.local)

    def in_loc(self, loc: GoLocation | None) -> GoTime:
        """``t.In(loc)`` (strips the monotonic reading)."""
        if loc is None:
            raise GoError("time: missing Location in call to Time.In")
        return self._with(loc=None if loc is UTC else loc, mono=None)

    def utc(self) -> GoTime:
        return self._with(loc=None, mono=None)

    def to_local(self) -> GoTime:
        return self._with(loc=self.local, mono=None)

    def strip_mono(self) -> GoTime:
        return self if self.mono is None else self._with(mono=None)

    def _rem(self, d: int) -> int:
        """Remainder of the time since the zero time divided by d (Go's ``div``)."""
        return (self.sec * SECOND + self.nsec) % d

    def truncate(self, d: int) -> GoTime:
        t = self.strip_mono()
        if d <= 0:
            return t
        return t.add(-t._rem(d))

    def round(self, d: int) -> GoTime:
        t = self.strip_mono()
        if d <= 0:
            return t
        r = t._rem(d)
        if r + r < d:
            return t.add(-r)
        return t.add(d - r)

    # -- formatting --------------------------------------------------------------------------------

    def format(self, layout: str) -> str:
        """``t.Format(layout)``."""
        if layout == RFC3339:
            return self._format_rfc3339(False)
        if layout == RFC3339_NANO:
            return self._format_rfc3339(True)
        return _s(_append_format(self, _b(layout)))

    def _format_rfc3339(self, nanos: bool) -> str:
        _, offset, local = self._locabs()
        y, mo, d = _civil_from_days(local // SECONDS_PER_DAY)
        s = local % SECONDS_PER_DAY
        out = [_append_int(y, 4), "-", _append_int(mo, 2), "-", _append_int(d, 2), "T",
               _append_int(s // 3600, 2), ":", _append_int(s % 3600 // 60, 2), ":", _append_int(s % 60, 2)]
        if nanos:
            out.append(_append_nano(self.nsec, _std_frac_second(STD_FRAC_SECOND9, 9, ".")))
        if offset == 0:
            out.append("Z")
        else:
            zone = _go_quo(offset, 60)
            if zone < 0:
                out.append("-")
                zone = -zone
            else:
                out.append("+")
            out += [_append_int(zone // 60, 2), ":", _append_int(zone % 60, 2)]
        return "".join(out)

    def string(self) -> str:
        """``t.String()``: ``2006-01-02 15:04:05.999999999 -0700 MST`` plus `` m=±s.n`` if monotonic."""
        s = self.format("2006-01-02 15:04:05.999999999 -0700 MST")
        if self.mono is not None:
            m2 = abs(self.mono)
            sign = "-" if self.mono < 0 else "+"
            m1, m2 = divmod(m2, SECOND)
            m0, m1 = divmod(m1, SECOND)
            buf = " m=" + sign
            if m0 != 0:
                buf += _append_int(m0, 0) + _append_int(m1, 9)
            else:
                buf += _append_int(m1, 0)
            buf += "." + _append_int(m2, 9)
            s += buf
        return s

    def __str__(self) -> str:
        return self.string()

    def go_string(self) -> str | None:
        return self.string()

    def go_gostring(self) -> str:
        """``t.GoString()`` (what ``%#v`` prints)."""
        y, mo, d = self.date()
        hh, mm, ss = self.clock()
        parts = ["time.Date(", str(y)]
        if 1 <= mo <= 12:
            parts.append(", time." + _LONG_MONTH_NAMES[mo - 1])
        else:
            parts.append(str(mo))
        parts.append(f", {d}, {hh}, {mm}, {ss}, {self.nsec}, ")
        loc = self.loc
        if loc is None or loc is UTC:
            parts.append("time.UTC")
        elif loc.is_local:
            parts.append("time.Local")
        else:
            parts.append("time.Location(" + go_quote(loc.name) + ")")
        parts.append(")")
        return "".join(parts)

    def _strict_rfc3339(self, prefix: str) -> str:
        s = self._format_rfc3339(True)
        if s[4:5] != "-":
            raise GoError(prefix + "year outside of range [0,9999]")
        if s[-1] != "Z":
            c = s[-6]
            if "0" <= c <= "9" or int(s[-5:-3]) >= 24:
                raise GoError(prefix + "timezone hour outside of range [0,23]")
        return s

    def marshal_json(self) -> str:
        """``t.MarshalJSON()`` as text (with the quotes); raises :class:`GoError` like Go."""
        return '"' + self._strict_rfc3339("Time.MarshalJSON: ") + '"'

    def go_json(self) -> Any:
        """What ``encoding/json`` encodes: the RFC 3339 string (quotes added by the encoder).

        Raises :class:`GoError` with ``Time.MarshalJSON: …`` when Go's MarshalJSON fails; the
        JSON encoder wraps it as ``json: error calling MarshalJSON for type time.Time: …``.
        """
        return self._strict_rfc3339("Time.MarshalJSON: ")

    def marshal_binary(self, prefix: str = "Time.MarshalBinary: ") -> bytes:
        version = 1
        offset_sec = 0
        if self.loc is None:
            offset_min = -1
        else:
            _, offset = self.zone()
            if _go_rem(offset, 60) != 0:
                version = 2
                offset_sec = _go_rem(offset, 60)
            offset = _go_quo(offset, 60)
            if offset < -32768 or offset == -1 or offset > 32767:
                raise GoError(prefix + "unexpected zone offset")
            offset_min = offset
        b = bytes([version]) + (self.sec & ((1 << 64) - 1)).to_bytes(8, "big") + self.nsec.to_bytes(4, "big")
        b += (offset_min & 0xFFFF).to_bytes(2, "big")
        if version == 2:
            b += bytes([offset_sec & 0xFF])
        return b


def _same_loc(a: GoLocation | None, b: GoLocation | None) -> bool:
    if a is None or a is UTC:
        return b is None or b is UTC
    return a is b


T_TIME = register_type(GoType("time.Time", STRUCT, methods=(
    "Add", "AddDate", "After", "AppendBinary", "AppendFormat", "AppendText", "Before", "Clock", "Compare",
    "Date", "Day", "Equal", "Format", "GoString", "GobEncode", "Hour", "ISOWeek", "In", "IsDST", "IsZero",
    "Local", "Location", "MarshalBinary", "MarshalJSON", "MarshalText", "Minute", "Month", "Nanosecond",
    "Round", "Second", "String", "Sub", "Truncate", "UTC", "Unix", "UnixMicro", "UnixMilli", "UnixNano",
    "Weekday", "Year", "YearDay", "Zone", "ZoneBounds",
)))
GoTime.gotype = T_TIME
GO_TYPE_INDEX["time.Time"] = GoTime
GO_TYPE_INDEX["*time.Location"] = GoLocation


def _go_quo(a: int, b: int) -> int:
    """Go's truncating integer division."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def _go_rem(a: int, b: int) -> int:
    """Go's ``%`` (sign of the dividend)."""
    return a - b * _go_quo(a, b)


def zero_time() -> GoTime:
    """``time.Time{}``: January 1, year 1, 00:00:00 UTC."""
    return GoTime(0, 0)


def unix(sec: int, nsec: int = 0, local: GoLocation = UTC_LOCAL) -> GoTime:
    """``time.Unix(sec, nsec)``: a time in Local."""
    if nsec < 0 or nsec >= SECOND:
        n = _go_quo(nsec, SECOND)
        sec += n
        nsec -= n * SECOND
        if nsec < 0:
            nsec += SECOND
            sec -= 1
    return GoTime(sec + UNIX_TO_INTERNAL, nsec, local, None, local)


def from_unix_nano(ns: int, local: GoLocation = UTC_LOCAL, mono: int | None = None) -> GoTime:
    """A Local time for Unix nanoseconds (``time.Now()`` when ``mono`` is given)."""
    sec, nsec = divmod(ns, SECOND)
    t = GoTime(sec + UNIX_TO_INTERNAL, nsec, local, None, local)
    if mono is not None and _MIN_WALL <= t.sec <= _MAX_WALL:
        t.mono = mono
    return t


def date(year: int, month: int, day: int, hour: int, minute: int, sec: int, nsec: int,
         loc: GoLocation | None, local: GoLocation | None = None) -> GoTime:
    """``time.Date`` with Go's normalisation and DST handling."""
    if loc is None:
        raise GoError("time: missing Location in call to Date")
    year, m = _norm(year, month - 1, 12)
    month = m + 1
    sec, nsec = _norm(sec, nsec, SECOND)
    minute, sec = _norm(minute, sec, 60)
    hour, minute = _norm(hour, minute, 60)
    day, hour = _norm(day, hour, 24)
    u = (_days_from_civil(year, month, 1) + day - 1) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + sec
    _, offset = loc.lookup(u)
    if offset != 0:
        _, offset = loc.lookup(u - offset)
        u -= offset
    return GoTime(u + UNIX_TO_INTERNAL, nsec, loc, None, local if local is not None else
                  (loc if loc.is_local else None))


# ---------------------------------------------------------------------------------------------
# Layout chunks (format.go). Values mirror Go's iota constants: the high bits carry the
# fractional-second width and separator.

STD_NEED_DATE = 1 << 8
STD_NEED_YDAY = 1 << 9
STD_NEED_CLOCK = 1 << 10
STD_ARG_SHIFT = 16
STD_SEPARATOR_SHIFT = 28
STD_MASK = (1 << STD_ARG_SHIFT) - 1

STD_LONG_MONTH = 1 + STD_NEED_DATE
STD_MONTH = 2 + STD_NEED_DATE
STD_NUM_MONTH = 3 + STD_NEED_DATE
STD_ZERO_MONTH = 4 + STD_NEED_DATE
STD_LONG_WEEKDAY = 5 + STD_NEED_DATE
STD_WEEKDAY = 6 + STD_NEED_DATE
STD_DAY = 7 + STD_NEED_DATE
STD_UNDER_DAY = 8 + STD_NEED_DATE
STD_ZERO_DAY = 9 + STD_NEED_DATE
STD_UNDER_YEAR_DAY = 10 + STD_NEED_YDAY
STD_ZERO_YEAR_DAY = 11 + STD_NEED_YDAY
STD_HOUR = 12 + STD_NEED_CLOCK
STD_HOUR12 = 13 + STD_NEED_CLOCK
STD_ZERO_HOUR12 = 14 + STD_NEED_CLOCK
STD_MINUTE = 15 + STD_NEED_CLOCK
STD_ZERO_MINUTE = 16 + STD_NEED_CLOCK
STD_SECOND = 17 + STD_NEED_CLOCK
STD_ZERO_SECOND = 18 + STD_NEED_CLOCK
STD_LONG_YEAR = 19 + STD_NEED_DATE
STD_YEAR = 20 + STD_NEED_DATE
STD_PM = 21 + STD_NEED_CLOCK
STD_pm = 22 + STD_NEED_CLOCK
STD_TZ = 23
STD_ISO8601_TZ = 24
STD_ISO8601_SECONDS_TZ = 25
STD_ISO8601_SHORT_TZ = 26
STD_ISO8601_COLON_TZ = 27
STD_ISO8601_COLON_SECONDS_TZ = 28
STD_NUM_TZ = 29
STD_NUM_SECONDS_TZ = 30
STD_NUM_SHORT_TZ = 31
STD_NUM_COLON_TZ = 32
STD_NUM_COLON_SECONDS_TZ = 33
STD_FRAC_SECOND0 = 34
STD_FRAC_SECOND9 = 35

_STD0X = (STD_ZERO_MONTH, STD_ZERO_DAY, STD_ZERO_HOUR12, STD_ZERO_MINUTE, STD_ZERO_SECOND, STD_YEAR)
_ISO_TZ = frozenset({STD_ISO8601_TZ, STD_ISO8601_COLON_TZ, STD_ISO8601_SECONDS_TZ, STD_ISO8601_SHORT_TZ,
                     STD_ISO8601_COLON_SECONDS_TZ})
_NUM_TZ = frozenset({STD_NUM_TZ, STD_NUM_COLON_TZ, STD_NUM_SECONDS_TZ, STD_NUM_SHORT_TZ,
                     STD_NUM_COLON_SECONDS_TZ})


def _std_frac_second(code: int, n: int, c: str) -> int:
    if c == ".":
        return code | ((n & 0xFFF) << STD_ARG_SHIFT)
    return code | ((n & 0xFFF) << STD_ARG_SHIFT) | 1 << STD_SEPARATOR_SHIFT


def _digits_len(std: int) -> int:
    return (std >> STD_ARG_SHIFT) & 0xFFF


def _separator(std: int) -> str:
    return "." if (std >> STD_SEPARATOR_SHIFT) == 0 else ","


def _is_digit(s: str, i: int) -> bool:
    return i < len(s) and "0" <= s[i] <= "9"


def _starts_with_lower(s: str) -> bool:
    return len(s) > 0 and "a" <= s[0] <= "z"


def next_std_chunk(layout: str) -> tuple[str, int, str]:
    """``nextStdChunk``: text before the first layout element, the element, the rest."""
    n = len(layout)
    for i in range(n):
        c = layout[i]
        if c == "J":
            if layout[i : i + 3] == "Jan":
                if layout[i : i + 7] == "January":
                    return layout[:i], STD_LONG_MONTH, layout[i + 7 :]
                if not _starts_with_lower(layout[i + 3 :]):
                    return layout[:i], STD_MONTH, layout[i + 3 :]
        elif c == "M":
            if n >= i + 3:
                if layout[i : i + 3] == "Mon":
                    if layout[i : i + 6] == "Monday":
                        return layout[:i], STD_LONG_WEEKDAY, layout[i + 6 :]
                    if not _starts_with_lower(layout[i + 3 :]):
                        return layout[:i], STD_WEEKDAY, layout[i + 3 :]
                if layout[i : i + 3] == "MST":
                    return layout[:i], STD_TZ, layout[i + 3 :]
        elif c == "0":
            if n >= i + 2 and "1" <= layout[i + 1] <= "6":
                return layout[:i], _STD0X[ord(layout[i + 1]) - ord("1")], layout[i + 2 :]
            if n >= i + 3 and layout[i + 1] == "0" and layout[i + 2] == "2":
                return layout[:i], STD_ZERO_YEAR_DAY, layout[i + 3 :]
        elif c == "1":
            if n >= i + 2 and layout[i + 1] == "5":
                return layout[:i], STD_HOUR, layout[i + 2 :]
            return layout[:i], STD_NUM_MONTH, layout[i + 1 :]
        elif c == "2":
            if layout[i : i + 4] == "2006":
                return layout[:i], STD_LONG_YEAR, layout[i + 4 :]
            return layout[:i], STD_DAY, layout[i + 1 :]
        elif c == "_":
            if n >= i + 2 and layout[i + 1] == "2":
                if layout[i + 1 : i + 5] == "2006":
                    return layout[: i + 1], STD_LONG_YEAR, layout[i + 5 :]
                return layout[:i], STD_UNDER_DAY, layout[i + 2 :]
            if n >= i + 3 and layout[i + 1] == "_" and layout[i + 2] == "2":
                return layout[:i], STD_UNDER_YEAR_DAY, layout[i + 3 :]
        elif c == "3":
            return layout[:i], STD_HOUR12, layout[i + 1 :]
        elif c == "4":
            return layout[:i], STD_MINUTE, layout[i + 1 :]
        elif c == "5":
            return layout[:i], STD_SECOND, layout[i + 1 :]
        elif c == "P":
            if n >= i + 2 and layout[i + 1] == "M":
                return layout[:i], STD_PM, layout[i + 2 :]
        elif c == "p":
            if n >= i + 2 and layout[i + 1] == "m":
                return layout[:i], STD_pm, layout[i + 2 :]
        elif c == "-":
            if layout[i : i + 7] == "-070000":
                return layout[:i], STD_NUM_SECONDS_TZ, layout[i + 7 :]
            if layout[i : i + 9] == "-07:00:00":
                return layout[:i], STD_NUM_COLON_SECONDS_TZ, layout[i + 9 :]
            if layout[i : i + 5] == "-0700":
                return layout[:i], STD_NUM_TZ, layout[i + 5 :]
            if layout[i : i + 6] == "-07:00":
                return layout[:i], STD_NUM_COLON_TZ, layout[i + 6 :]
            if layout[i : i + 3] == "-07":
                return layout[:i], STD_NUM_SHORT_TZ, layout[i + 3 :]
        elif c == "Z":
            if layout[i : i + 7] == "Z070000":
                return layout[:i], STD_ISO8601_SECONDS_TZ, layout[i + 7 :]
            if layout[i : i + 9] == "Z07:00:00":
                return layout[:i], STD_ISO8601_COLON_SECONDS_TZ, layout[i + 9 :]
            if layout[i : i + 5] == "Z0700":
                return layout[:i], STD_ISO8601_TZ, layout[i + 5 :]
            if layout[i : i + 6] == "Z07:00":
                return layout[:i], STD_ISO8601_COLON_TZ, layout[i + 6 :]
            if layout[i : i + 3] == "Z07":
                return layout[:i], STD_ISO8601_SHORT_TZ, layout[i + 3 :]
        elif c in ".,":
            if i + 1 < n and layout[i + 1] in "09":
                ch = layout[i + 1]
                j = i + 1
                while j < n and layout[j] == ch:
                    j += 1
                if not _is_digit(layout, j):
                    code = STD_FRAC_SECOND9 if layout[i + 1] == "9" else STD_FRAC_SECOND0
                    return layout[:i], _std_frac_second(code, j - (i + 1), c), layout[j:]
    return layout, 0, ""


def _append_int(x: int, width: int) -> str:
    """``appendInt``: decimal, zero-padded to ``width`` digits (sign not counted)."""
    if x < 0:
        return "-" + str(-x).rjust(width, "0")
    return str(x).rjust(width, "0")


def _append_nano(nanosec: int, std: int) -> str:
    trim = std & STD_MASK == STD_FRAC_SECOND9
    n = _digits_len(std)
    if trim and (n == 0 or nanosec == 0):
        return ""
    dot = _separator(std)
    digits = _append_int(nanosec, 9)
    if n < 9:
        digits = digits[: len(digits) - 9 + n]
    b = dot + digits
    if trim:
        b = b.rstrip("0")
        if b.endswith(dot):
            b = b[:-1]
    return b


def _append_format(t: GoTime, layout: str) -> str:
    name, offset, local = t._locabs()
    days = local // SECONDS_PER_DAY
    secs = local % SECONDS_PER_DAY
    name = _b(name)
    out: list[str] = []
    year = -1
    month = day = 0
    yday = -1
    hour = -1
    minute = sec = 0
    while layout:
        prefix, std, suffix = next_std_chunk(layout)
        if prefix:
            out.append(prefix)
        if std == 0:
            break
        layout = suffix
        if year < 0 and std & STD_NEED_DATE:
            year, month, day = _civil_from_days(days)
        if yday < 0 and std & STD_NEED_YDAY:
            y = _civil_from_days(days)[0]
            yday = days - _days_from_civil(y, 1, 1) + 1
        if hour < 0 and std & STD_NEED_CLOCK:
            hour, minute, sec = secs // 3600, secs % 3600 // 60, secs % 60
        s = std & STD_MASK
        if s == STD_YEAR:
            out.append(_append_int(abs(year) % 100, 2))
        elif s == STD_LONG_YEAR:
            out.append(_append_int(year, 4))
        elif s == STD_MONTH:
            out.append(str(Month(month))[:3])
        elif s == STD_LONG_MONTH:
            out.append(str(Month(month)))
        elif s == STD_NUM_MONTH:
            out.append(_append_int(month, 0))
        elif s == STD_ZERO_MONTH:
            out.append(_append_int(month, 2))
        elif s == STD_WEEKDAY:
            out.append(_SHORT_DAY_NAMES[(days + 4) % 7])
        elif s == STD_LONG_WEEKDAY:
            out.append(_LONG_DAY_NAMES[(days + 4) % 7])
        elif s == STD_DAY:
            out.append(_append_int(day, 0))
        elif s == STD_UNDER_DAY:
            out.append((" " if day < 10 else "") + _append_int(day, 0))
        elif s == STD_ZERO_DAY:
            out.append(_append_int(day, 2))
        elif s == STD_UNDER_YEAR_DAY:
            pad = ""
            if yday < 100:
                pad = " " if yday >= 10 else "  "
            out.append(pad + _append_int(yday, 0))
        elif s == STD_ZERO_YEAR_DAY:
            out.append(_append_int(yday, 3))
        elif s == STD_HOUR:
            out.append(_append_int(hour, 2))
        elif s in (STD_HOUR12, STD_ZERO_HOUR12):
            hr = hour % 12
            if hr == 0:
                hr = 12
            out.append(_append_int(hr, 0 if s == STD_HOUR12 else 2))
        elif s == STD_MINUTE:
            out.append(_append_int(minute, 0))
        elif s == STD_ZERO_MINUTE:
            out.append(_append_int(minute, 2))
        elif s == STD_SECOND:
            out.append(_append_int(sec, 0))
        elif s == STD_ZERO_SECOND:
            out.append(_append_int(sec, 2))
        elif s == STD_PM:
            out.append("PM" if hour >= 12 else "AM")
        elif s == STD_pm:
            out.append("pm" if hour >= 12 else "am")
        elif s in _ISO_TZ or s in _NUM_TZ:
            if offset == 0 and std in _ISO_TZ:
                out.append("Z")
                continue
            zone = _go_quo(offset, 60)
            absoffset = offset
            if zone < 0:
                out.append("-")
                zone = -zone
                absoffset = -absoffset
            else:
                out.append("+")
            out.append(_append_int(zone // 60, 2))
            if std in (STD_ISO8601_COLON_TZ, STD_NUM_COLON_TZ, STD_ISO8601_COLON_SECONDS_TZ,
                       STD_NUM_COLON_SECONDS_TZ):
                out.append(":")
            if std not in (STD_NUM_SHORT_TZ, STD_ISO8601_SHORT_TZ):
                out.append(_append_int(zone % 60, 2))
            if std in (STD_ISO8601_SECONDS_TZ, STD_NUM_SECONDS_TZ, STD_NUM_COLON_SECONDS_TZ,
                       STD_ISO8601_COLON_SECONDS_TZ):
                if std in (STD_NUM_COLON_SECONDS_TZ, STD_ISO8601_COLON_SECONDS_TZ):
                    out.append(":")
                out.append(_append_int(_go_rem(absoffset, 60), 2))
        elif s == STD_TZ:
            if name:
                out.append(name)
                continue
            zone = _go_quo(offset, 60)
            if zone < 0:
                out.append("-")
                zone = -zone
            else:
                out.append("+")
            out.append(_append_int(zone // 60, 2))
            out.append(_append_int(zone % 60, 2))
        elif s in (STD_FRAC_SECOND0, STD_FRAC_SECOND9):
            out.append(_append_nano(t.nsec, std))
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Parsing


class TimeParseError(GoError):
    """``*time.ParseError``."""

    def __init__(self, layout: str, value: str, layout_elem: str, value_elem: str, message: str) -> None:
        self.layout = layout
        self.value = value
        self.layout_elem = layout_elem
        self.value_elem = value_elem
        self.message = message
        if message == "":
            text = (f"parsing time {_quote_b(value)} as {_quote_b(layout)}: cannot parse "
                    f"{_quote_b(value_elem)} as {_quote_b(layout_elem)}")
        else:
            text = f"parsing time {_quote_b(value)}{message}"
        super().__init__(text)


class _Bad(Exception):
    """``errBad``: never shown."""


def _lookup(tab: tuple[str, ...], val: str) -> tuple[int, str]:
    for i, v in enumerate(tab):
        if len(val) >= len(v) and _match(val[: len(v)], v):
            return i, val[len(v) :]
    raise _Bad


def _match(s1: str, s2: str) -> bool:
    for c1, c2 in zip(s1, s2):
        if c1 != c2:
            o1 = ord(c1) | 0x20
            o2 = ord(c2) | 0x20
            if o1 != o2 or o1 < ord("a") or o1 > ord("z"):
                return False
    return True


def _leading_int(s: str) -> tuple[int, str]:
    """``leadingInt``; raises :class:`_Bad` on overflow."""
    x = 0
    i = 0
    while i < len(s):
        c = s[i]
        if c < "0" or c > "9":
            break
        if x > (1 << 63) // 10:
            raise _Bad
        x = x * 10 + ord(c) - 48
        if x > 1 << 63:
            raise _Bad
        i += 1
    return x, s[i:]


def _atoi(s: str) -> int:
    neg = False
    if s[:1] in ("-", "+"):
        neg = s[0] == "-"
        s = s[1:]
    q, rem = _leading_int(s)
    if rem:
        raise _Bad
    x = wrap_int64(q)
    return -x if neg else x


def _getnum(s: str, fixed: bool) -> tuple[int, str]:
    if not _is_digit(s, 0):
        raise _Bad
    if not _is_digit(s, 1):
        if fixed:
            raise _Bad
        return ord(s[0]) - 48, s[1:]
    return (ord(s[0]) - 48) * 10 + ord(s[1]) - 48, s[2:]


def _getnum3(s: str, fixed: bool) -> tuple[int, str]:
    n = 0
    i = 0
    while i < 3 and _is_digit(s, i):
        n = n * 10 + ord(s[i]) - 48
        i += 1
    if i == 0 or (fixed and i != 3):
        raise _Bad
    return n, s[i:]


def _cutspace(s: str) -> str:
    return s.lstrip(" ")


def _skip(value: str, prefix: str) -> str:
    while prefix:
        if prefix[0] == " ":
            if value and value[0] != " ":
                raise _SkipBad(value)
            prefix = _cutspace(prefix)
            value = _cutspace(value)
            continue
        if not value or value[0] != prefix[0]:
            raise _SkipBad(value)
        prefix = prefix[1:]
        value = value[1:]
    return value


class _SkipBad(Exception):
    def __init__(self, value: str) -> None:
        super().__init__()
        self.value = value


def _comma_or_period(c: str) -> bool:
    return c in (".", ",")


def _parse_nanoseconds(value: str, nbytes: int) -> tuple[int, str]:
    """Returns (ns, range error text); raises :class:`_Bad`."""
    if not _comma_or_period(value[0]):
        raise _Bad
    if nbytes > 10:
        value = value[:10]
        nbytes = 10
    ns = _atoi(value[1:nbytes])
    if ns < 0:
        return ns, "fractional second"
    ns *= 10 ** (10 - nbytes)
    return ns, ""


def _parse_signed_offset(value: str) -> int:
    sign = value[0]
    if sign not in "-+":
        return 0
    try:
        x, rem = _leading_int(value[1:])
    except _Bad:
        return 0
    if value[1:] == rem:
        return 0
    if x > 23:
        return 0
    return len(value) - len(rem)


def _parse_gmt(value: str) -> int:
    value = value[3:]
    if not value:
        return 3
    return 3 + _parse_signed_offset(value)


def _parse_time_zone(value: str) -> int | None:
    if len(value) < 3:
        return None
    if value[:4] in ("ChST", "MeST"):
        return 4
    if value[:3] == "GMT":
        return _parse_gmt(value)
    if value[0] in "+-":
        n = _parse_signed_offset(value)
        return n if n > 0 else None
    n_upper = 0
    while n_upper < 6:
        if n_upper >= len(value):
            break
        c = value[n_upper]
        if c < "A" or c > "Z":
            break
        n_upper += 1
    if n_upper in (0, 1, 2, 6):
        return None
    if n_upper == 5:
        return 5 if value[4] == "T" else None
    if n_upper == 4:
        return 4 if value[3] == "T" or value[:4] == "WITA" else None
    return 3  # n_upper == 3


def parse(layout: str, value: str, local: GoLocation = UTC_LOCAL) -> GoTime:
    """``time.Parse(layout, value)`` with ``local`` as ``time.Local``; raises :class:`GoError`."""
    if layout in (RFC3339, RFC3339_NANO):
        t = _parse_rfc3339(_b(value), local)
        if t is not None:
            return t
    return _parse(_b(layout), _b(value), UTC, local)


def parse_in_location(layout: str, value: str, loc: GoLocation) -> GoTime:
    """``time.ParseInLocation``."""
    if layout in (RFC3339, RFC3339_NANO):
        t = _parse_rfc3339(_b(value), loc)
        if t is not None:
            return t
    return _parse(_b(layout), _b(value), loc, loc)


def _parse(layout: str, value: str, default_location: GoLocation, local: GoLocation) -> GoTime:
    alayout, avalue = layout, value
    range_err = ""
    am_set = pm_set = False
    year = 0
    month = day = yday = -1
    hour = minute = sec = nsec = 0
    z: GoLocation | None = None
    zone_offset = -1
    zone_name = ""
    while True:
        prefix, std, suffix = next_std_chunk(layout)
        stdstr = layout[len(prefix) : len(layout) - len(suffix)]
        try:
            value = _skip(value, prefix)
        except _SkipBad as e:
            raise TimeParseError(alayout, avalue, prefix, e.value, "") from None
        if std == 0:
            if value:
                raise TimeParseError(alayout, avalue, "", value, ": extra text: " + _quote_b(value))
            break
        layout = suffix
        hold = value
        s = std & STD_MASK
        try:
            if s == STD_YEAR:
                if len(value) < 2:
                    raise _Bad
                p, value = value[:2], value[2:]
                year = _atoi(p)
                year += 1900 if year >= 69 else 2000
            elif s == STD_LONG_YEAR:
                if len(value) < 4 or not _is_digit(value, 0):
                    raise _Bad
                p, value = value[:4], value[4:]
                year = _atoi(p)
            elif s == STD_MONTH:
                month, value = _lookup(_SHORT_MONTH_NAMES, value)
                month += 1
            elif s == STD_LONG_MONTH:
                month, value = _lookup(_LONG_MONTH_NAMES, value)
                month += 1
            elif s in (STD_NUM_MONTH, STD_ZERO_MONTH):
                month, value = _getnum(value, s == STD_ZERO_MONTH)
                if month <= 0 or month > 12:
                    range_err = "month"
            elif s == STD_WEEKDAY:
                _, value = _lookup(_SHORT_DAY_NAMES, value)
            elif s == STD_LONG_WEEKDAY:
                _, value = _lookup(_LONG_DAY_NAMES, value)
            elif s in (STD_DAY, STD_UNDER_DAY, STD_ZERO_DAY):
                if s == STD_UNDER_DAY and value[:1] == " ":
                    value = value[1:]
                day, value = _getnum(value, s == STD_ZERO_DAY)
            elif s in (STD_UNDER_YEAR_DAY, STD_ZERO_YEAR_DAY):
                for _ in range(2):
                    if s == STD_UNDER_YEAR_DAY and value[:1] == " ":
                        value = value[1:]
                yday, value = _getnum3(value, s == STD_ZERO_YEAR_DAY)
            elif s == STD_HOUR:
                hour, value = _getnum(value, False)
                if hour < 0 or hour >= 24:
                    range_err = "hour"
            elif s in (STD_HOUR12, STD_ZERO_HOUR12):
                hour, value = _getnum(value, s == STD_ZERO_HOUR12)
                if hour < 0 or hour > 12:
                    range_err = "hour"
            elif s in (STD_MINUTE, STD_ZERO_MINUTE):
                minute, value = _getnum(value, s == STD_ZERO_MINUTE)
                if minute < 0 or minute >= 60:
                    range_err = "minute"
            elif s in (STD_SECOND, STD_ZERO_SECOND):
                sec, value = _getnum(value, s == STD_ZERO_SECOND)
                if sec < 0 or sec >= 60:
                    range_err = "second"
                elif len(value) >= 2 and _comma_or_period(value[0]) and _is_digit(value, 1):
                    _, nstd, _ = next_std_chunk(layout)
                    nstd &= STD_MASK
                    if nstd not in (STD_FRAC_SECOND0, STD_FRAC_SECOND9):
                        n = 2
                        while n < len(value) and _is_digit(value, n):
                            n += 1
                        nsec, range_err = _parse_nanoseconds(value, n)
                        value = value[n:]
            elif s == STD_PM:
                if len(value) < 2:
                    raise _Bad
                p, value = value[:2], value[2:]
                if p == "PM":
                    pm_set = True
                elif p == "AM":
                    am_set = True
                else:
                    raise _Bad
            elif s == STD_pm:
                if len(value) < 2:
                    raise _Bad
                p, value = value[:2], value[2:]
                if p == "pm":
                    pm_set = True
                elif p == "am":
                    am_set = True
                else:
                    raise _Bad
            elif s in _ISO_TZ or s in _NUM_TZ:
                if s in _ISO_TZ and value[:1] == "Z":
                    value = value[1:]
                    z = UTC
                else:
                    if s in (STD_ISO8601_COLON_TZ, STD_NUM_COLON_TZ):
                        if len(value) < 6 or value[3] != ":":
                            raise _Bad
                        sign, hh, mm, ss, value = value[0], value[1:3], value[4:6], "00", value[6:]
                    elif s in (STD_NUM_SHORT_TZ, STD_ISO8601_SHORT_TZ):
                        if len(value) < 3:
                            raise _Bad
                        sign, hh, mm, ss, value = value[0], value[1:3], "00", "00", value[3:]
                    elif s in (STD_ISO8601_COLON_SECONDS_TZ, STD_NUM_COLON_SECONDS_TZ):
                        if len(value) < 9 or value[3] != ":" or value[6] != ":":
                            raise _Bad
                        sign, hh, mm, ss, value = value[0], value[1:3], value[4:6], value[7:9], value[9:]
                    elif s in (STD_ISO8601_SECONDS_TZ, STD_NUM_SECONDS_TZ):
                        if len(value) < 7:
                            raise _Bad
                        sign, hh, mm, ss, value = value[0], value[1:3], value[3:5], value[5:7], value[7:]
                    else:
                        if len(value) < 5:
                            raise _Bad
                        sign, hh, mm, ss, value = value[0], value[1:3], value[3:5], "00", value[5:]
                    hr = mi = se = 0
                    bad = False
                    try:
                        hr, _ = _getnum(hh, True)
                        mi, _ = _getnum(mm, True)
                        se, _ = _getnum(ss, True)
                    except _Bad:
                        bad = True
                    if hr > 24:
                        range_err = "time zone offset hour"
                    if mi > 60:
                        range_err = "time zone offset minute"
                    if se > 60:
                        range_err = "time zone offset second"
                    zone_offset = (hr * 60 + mi) * 60 + se
                    if sign == "-":
                        zone_offset = -zone_offset
                    elif sign != "+":
                        bad = True
                    if bad and not range_err:
                        raise _Bad
            elif s == STD_TZ:
                if value[:3] == "UTC":
                    z = UTC
                    value = value[3:]
                else:
                    zlen = _parse_time_zone(value)
                    if zlen is None:
                        raise _Bad
                    zone_name, value = value[:zlen], value[zlen:]
            elif s == STD_FRAC_SECOND0:
                ndigit = 1 + _digits_len(std)
                if len(value) < ndigit:
                    raise _Bad
                nsec, range_err = _parse_nanoseconds(value, ndigit)
                value = value[ndigit:]
            elif s == STD_FRAC_SECOND9:
                if len(value) < 2 or not _comma_or_period(value[0]) or not "0" <= value[1] <= "9":
                    pass
                else:
                    i = 0
                    while i + 1 < len(value) and "0" <= value[i + 1] <= "9":
                        i += 1
                    nsec, range_err = _parse_nanoseconds(value, 1 + i)
                    value = value[1 + i :]
        except _Bad:
            if range_err:
                msg = ": " + range_err + " out of range"
                raise TimeParseError(alayout, avalue, stdstr, value, msg) from None
            raise TimeParseError(alayout, avalue, stdstr, hold, "") from None
        if range_err:
            raise TimeParseError(alayout, avalue, stdstr, value, ": " + range_err + " out of range")

    if pm_set and hour < 12:
        hour += 12
    elif am_set and hour == 12:
        hour = 0

    if yday >= 0:
        d = 0
        m = 0
        if is_leap(year):
            if yday == 31 + 29:
                m = 2
                d = 29
            elif yday > 31 + 29:
                yday -= 1
        if yday < 1 or yday > 365:
            raise TimeParseError(alayout, avalue, "", value, ": day-of-year out of range")
        if m == 0:
            m = (yday - 1) // 31 + 1
            if _days_before(m + 1) < yday:
                m += 1
            d = yday - _days_before(m)
        if month >= 0 and month != m:
            raise TimeParseError(alayout, avalue, "", value, ": day-of-year does not match month")
        month = m
        if day >= 0 and day != d:
            raise TimeParseError(alayout, avalue, "", value, ": day-of-year does not match day")
        day = d
    else:
        if month < 0:
            month = 1
        if day < 0:
            day = 1

    if day < 1 or day > days_in(month, year):
        raise TimeParseError(alayout, avalue, "", value, ": day out of range")

    lcl = local if local.is_local else None
    if z is not None:
        return date(year, month, day, hour, minute, sec, nsec, z, lcl)

    if zone_offset != -1:
        t = date(year, month, day, hour, minute, sec, nsec, UTC, lcl)
        t = t._with(sec=t.sec - zone_offset)
        name, offset = local.lookup(t.unix_sec)
        if offset == zone_offset and zone_name in ("", name):
            return t._with(loc=local)
        return t._with(loc=fixed_zone(_s(zone_name), zone_offset))

    if zone_name != "":
        t = date(year, month, day, hour, minute, sec, nsec, UTC, lcl)
        found = local.lookup_name(_s(zone_name), t.unix_sec)
        if found is not None:
            return t._with(sec=t.sec - found, loc=local)
        offset = 0
        if len(zone_name) > 3 and zone_name[:3] == "GMT":
            offset = _atoi(zone_name[3:]) * 3600
        return t._with(loc=fixed_zone(_s(zone_name), offset))

    return date(year, month, day, hour, minute, sec, nsec, default_location, lcl)


def _parse_rfc3339(s: str, local: GoLocation) -> GoTime | None:
    """``parseRFC3339``: the fast path; ``None`` when it does not apply."""
    ok = True

    def parse_uint(part: str, lo: int, hi: int) -> int:
        nonlocal ok
        x = 0
        for c in part:
            if c < "0" or c > "9":
                ok = False
                return lo
            x = x * 10 + ord(c) - 48
        if x < lo or hi < x:
            ok = False
            return lo
        return x

    if len(s) < len("2006-01-02T15:04:05"):
        return None
    year = parse_uint(s[0:4], 0, 9999)
    month = parse_uint(s[5:7], 1, 12)
    day = parse_uint(s[8:10], 1, days_in(month, year))
    hour = parse_uint(s[11:13], 0, 23)
    minute = parse_uint(s[14:16], 0, 59)
    sec = parse_uint(s[17:19], 0, 59)
    if not ok or not (s[4] == "-" and s[7] == "-" and s[10] == "T" and s[13] == ":" and s[16] == ":"):
        return None
    s = s[19:]
    nsec = 0
    if len(s) >= 2 and s[0] == "." and _is_digit(s, 1):
        n = 2
        while n < len(s) and _is_digit(s, n):
            n += 1
        try:
            nsec, _ = _parse_nanoseconds(s, n)
        except _Bad:
            nsec = 0
        s = s[n:]
    lcl = local if local.is_local else None
    t = date(year, month, day, hour, minute, sec, nsec, UTC, lcl)
    if len(s) != 1 or s[0] != "Z":
        if len(s) != len("-07:00"):
            return None
        hr = parse_uint(s[1:3], 0, 23)
        mm = parse_uint(s[4:6], 0, 59)
        if not ok or not (s[0] in "-+" and s[3] == ":"):
            return None
        zone_offset = (hr * 60 + mm) * 60
        if s[0] == "-":
            zone_offset = -zone_offset
        t = t._with(sec=t.sec - zone_offset)
        _, offset = local.lookup(t.unix_sec)
        if offset == zone_offset:
            t = t._with(loc=local)
        else:
            t = t._with(loc=fixed_zone("", zone_offset))
    return t


# ---------------------------------------------------------------------------------------------
# Durations


_UNIT_MAP = {
    "ns": NANOSECOND,
    "us": MICROSECOND,
    "\xc2\xb5s": MICROSECOND,  # U+00B5 micro sign, as Go bytes
    "\xce\xbcs": MICROSECOND,  # U+03BC Greek mu
    "ms": MILLISECOND,
    "s": SECOND,
    "m": MINUTE,
    "h": HOUR,
}


def parse_duration(text: str) -> int:
    """``time.ParseDuration``: nanoseconds; raises :class:`GoError` with Go's message."""
    orig = text
    s = _b(text)

    def err(msg: str) -> GoError:
        return GoError("time: " + msg + " " + go_quote(orig))

    d = 0
    neg = False
    if s:
        c = s[0]
        if c in "-+":
            neg = c == "-"
            s = s[1:]
    if s == "0":
        return 0
    if s == "":
        raise err("invalid duration")
    while s:
        f = 0
        scale = 1.0
        if not (s[0] == "." or "0" <= s[0] <= "9"):
            raise err("invalid duration")
        pl = len(s)
        try:
            v, s = _leading_int(s)
        except _Bad:
            raise err("invalid duration") from None
        pre = pl != len(s)
        post = False
        if s and s[0] == ".":
            s = s[1:]
            pl = len(s)
            f, scale, s = _leading_fraction(s)
            post = pl != len(s)
        if not pre and not post:
            raise err("invalid duration")
        i = 0
        while i < len(s):
            c = s[i]
            if c == "." or "0" <= c <= "9":
                break
            i += 1
        if i == 0:
            raise err("missing unit in duration")
        u = s[:i]
        s = s[i:]
        unit = _UNIT_MAP.get(u)
        if unit is None:
            raise err("unknown unit " + _quote_b(u) + " in duration")
        if v > (1 << 63) // unit:
            raise err("invalid duration")
        v *= unit
        if f > 0:
            v += int(float(f) * (float(unit) / scale))
            if v > 1 << 63:
                raise err("invalid duration")
        d += v
        if d > 1 << 63:
            raise err("invalid duration")
    if neg:
        return -d
    if d > (1 << 63) - 1:
        raise err("invalid duration")
    return d


def _leading_fraction(s: str) -> tuple[int, float, str]:
    x = 0
    scale = 1.0
    overflow = False
    i = 0
    while i < len(s):
        c = s[i]
        if c < "0" or c > "9":
            break
        i += 1
        if overflow:
            continue
        if x > ((1 << 63) - 1) // 10:
            overflow = True
            continue
        y = x * 10 + ord(c) - 48
        if y > 1 << 63:
            overflow = True
            continue
        x = y
        scale *= 10
    return x, scale, s[i:]


def duration_truncate(d: int, m: int) -> int:
    if m <= 0:
        return d
    return d - _go_rem(d, m)


def duration_round(d: int, m: int) -> int:
    """``Duration.Round`` (halves away from zero, saturating)."""
    if m <= 0:
        return d
    r = _go_rem(d, m)
    if d < 0:
        r = -r
        if r + r < m:
            return d + r
        d1 = d - m + r
        if d1 < d and d1 >= MIN_DURATION:
            return d1
        return MIN_DURATION
    if r + r < m:
        return d - r
    d1 = d + m - r
    if d1 > d and d1 <= MAX_DURATION:
        return d1
    return MAX_DURATION


def _dur_float(d: int, unit: int) -> float:
    return float(_go_quo(d, unit)) + float(_go_rem(d, unit)) / float(unit)


def duration_abs(d: int) -> int:
    if d >= 0:
        return d
    if d == MIN_DURATION:
        return MAX_DURATION
    return -d


# ---------------------------------------------------------------------------------------------
# Methods callable from templates


def _bytes_value(b: bytes) -> GoSlice:
    return GoSlice([Uint8(x) for x in b], T_SLICE_BYTE)


def _go_bytes_of(v: Any) -> bytes:
    if v is None:
        return b""
    return bytes(int(x) & 0xFF for x in v)


def _m(name: str, spec: str, fn: Callable[..., Any]) -> Method:
    return Method(name, sig(spec), fn)


def _append_text(t: GoTime, b: Any, prefix: str) -> GoSlice:
    s = t._strict_rfc3339(prefix)
    return _bytes_value(_go_bytes_of(b) + s.encode("ascii"))


def _is_dst(t: GoTime) -> bool:
    loc = t.location()
    if loc.tz is None:
        return False
    u = t.unix_sec
    s = min(max(u, _MIN_LOOKUP), _MAX_LOOKUP)
    dst = (_EPOCH + timedelta(seconds=s)).astimezone(loc.tz).dst()
    return bool(dst)


_TIME_METHODS: dict[str, Method] = {
    m.name: m
    for m in (
        _m("Add", "time.Duration -> time.Time", lambda t, d: t.add(int(d))),
        _m("AddDate", "int, int, int -> time.Time", lambda t, y, mo, d: t.add_date(int(y), int(mo), int(d))),
        _m("After", "time.Time -> bool", lambda t, u: t.after(u)),
        _m("AppendBinary", "[]uint8 -> ([]uint8, error)",
           lambda t, b: _bytes_value(_go_bytes_of(b) + t.marshal_binary())),
        _m("AppendFormat", "[]uint8, string -> []uint8",
           lambda t, b, layout: _bytes_value(_go_bytes_of(b) + to_go_bytes(t.format(layout)))),
        _m("AppendText", "[]uint8 -> ([]uint8, error)", lambda t, b: _append_text(t, b, "Time.AppendText: ")),
        _m("Before", "time.Time -> bool", lambda t, u: t.before(u)),
        _m("Compare", "time.Time -> int", lambda t, u: t.compare(u)),
        _m("Day", "-> int", lambda t: t.day()),
        _m("Equal", "time.Time -> bool", lambda t, u: t.equal(u)),
        _m("Format", "string -> string", lambda t, layout: t.format(layout)),
        _m("GoString", "-> string", lambda t: t.go_gostring()),
        _m("GobEncode", "-> ([]uint8, error)", lambda t: _bytes_value(t.marshal_binary())),
        _m("Hour", "-> int", lambda t: t.clock()[0]),
        _m("In", "*time.Location -> time.Time", lambda t, loc: t.in_loc(loc)),
        _m("IsDST", "-> bool", _is_dst),
        _m("IsZero", "-> bool", lambda t: t.is_zero()),
        _m("Local", "-> time.Time", lambda t: t.to_local()),
        _m("Location", "-> *time.Location", lambda t: t.location()),
        _m("MarshalBinary", "-> ([]uint8, error)", lambda t: _bytes_value(t.marshal_binary())),
        _m("MarshalJSON", "-> ([]uint8, error)", lambda t: _bytes_value(t.marshal_json().encode("ascii"))),
        _m("MarshalText", "-> ([]uint8, error)",
           lambda t: _bytes_value(t._strict_rfc3339("Time.MarshalText: ").encode("ascii"))),
        _m("Minute", "-> int", lambda t: t.clock()[1]),
        _m("Month", "-> time.Month", lambda t: Month(t.month())),
        _m("Nanosecond", "-> int", lambda t: t.nsec),
        _m("Round", "time.Duration -> time.Time", lambda t, d: t.round(int(d))),
        _m("Second", "-> int", lambda t: t.clock()[2]),
        _m("String", "-> string", lambda t: t.string()),
        _m("Sub", "time.Time -> time.Duration", lambda t, u: Duration(t.sub(u))),
        _m("Truncate", "time.Duration -> time.Time", lambda t, d: t.truncate(int(d))),
        _m("UTC", "-> time.Time", lambda t: t.utc()),
        _m("Unix", "-> int64", lambda t: Int64(wrap_int64(t.unix()))),
        _m("UnixMicro", "-> int64", lambda t: Int64(t.unix_micro())),
        _m("UnixMilli", "-> int64", lambda t: Int64(t.unix_milli())),
        _m("UnixNano", "-> int64", lambda t: Int64(t.unix_nano())),
        _m("Weekday", "-> time.Weekday", lambda t: Weekday(t.weekday())),
        _m("Year", "-> int", lambda t: t.year()),
        _m("YearDay", "-> int", lambda t: t.year_day()),
    )
}


GoTime.go_methods = _TIME_METHODS
GoTime.go_bad_methods = {
    # Methods a template finds but cannot call: (number of parameters, text/template's error).
    "Clock": (0, "function Clock has 3 return values; should be 1 or 2"),
    "Date": (0, "function Date has 3 return values; should be 1 or 2"),
    "ISOWeek": (0, "invalid function signature for ISOWeek: second return value should be error; is int"),
    "Zone": (0, "invalid function signature for Zone: second return value should be error; is int"),
    "ZoneBounds": (0, "invalid function signature for ZoneBounds: second return value should be error; "
                      "is time.Time"),
}
GoLocation.go_methods = {"String": _m("String", "-> string", lambda loc: loc.name)}


DURATION_METHODS: dict[str, Method] = {
    m.name: m
    for m in (
        _m("Abs", "-> time.Duration", lambda d: Duration(duration_abs(int(d)))),
        _m("Hours", "-> float64", lambda d: _dur_float(int(d), HOUR)),
        _m("Microseconds", "-> int64", lambda d: Int64(_go_quo(int(d), MICROSECOND))),
        _m("Milliseconds", "-> int64", lambda d: Int64(_go_quo(int(d), MILLISECOND))),
        _m("Minutes", "-> float64", lambda d: _dur_float(int(d), MINUTE)),
        _m("Nanoseconds", "-> int64", lambda d: Int64(int(d))),
        _m("Round", "time.Duration -> time.Duration", lambda d, m: Duration(duration_round(int(d), int(m)))),
        _m("Seconds", "-> float64", lambda d: _dur_float(int(d), SECOND)),
        _m("String", "-> string", lambda d: format_duration(int(d))),
        _m("Truncate", "time.Duration -> time.Duration",
           lambda d, m: Duration(duration_truncate(int(d), int(m)))),
    )
}
"""Methods of ``time.Duration`` (a named int64: the engine finds them through :data:`METHODS_BY_TYPE`)."""

METHODS_BY_TYPE: dict[str, Mapping[str, Method]] = {
    "time.Duration": DURATION_METHODS,
    "time.Month": {"String": _m("String", "-> string", lambda m: str(Month(int(m))))},
    "time.Weekday": {"String": _m("String", "-> string", lambda w: str(Weekday(int(w))))},
    "time.Time": _TIME_METHODS,
    "*time.Location": GoLocation.go_methods,
}
"""Go method sets of the named non-struct types this module defines, by ``%T`` name."""


# ---------------------------------------------------------------------------------------------
# Clock access for functions that read ``env``


def env_local(env: Any) -> GoLocation:
    """The render's ``time.Local``."""
    return local_location(getattr(env, "local_tz", None))


def env_now(env: Any) -> GoTime:
    """``time.Now()`` for a render: the env clock in Local.

    Go's ``time.Now`` carries a monotonic reading (``String`` then ends in `` m=+…``). A pinned
    clock (the oracle's ``now``) has none, so it is added only when ``env.monotonic`` is true;
    the reading is the time since ``env.start_time`` (KWOK's process start) plus Go's 1ns.
    """
    local = env_local(env)
    ns = env.now_ns()
    mono = None
    if getattr(env, "monotonic", False):
        mono = ns - env.start_ns() + 1
    return from_unix_nano(ns, local, mono)


def env_start(env: Any) -> GoTime:
    """KWOK's process start time (``StartTime``), in Local."""
    return from_unix_nano(env.start_ns(), env_local(env))


# ---------------------------------------------------------------------------------------------
# Conveniences for the stage engine (durationFrom / jitterDurationFrom)


def parse_duration_ns(text: str) -> int:
    """``time.ParseDuration`` in nanoseconds; raises ``ValueError`` (with Go's text) if invalid."""
    try:
        return parse_duration(text)
    except GoError as e:
        raise ValueError(str(e)) from None


def parse_rfc3339nano_ns(text: str) -> int:
    """``time.Parse(time.RFC3339Nano, s)`` as Unix nanoseconds; raises ``ValueError`` if invalid."""
    try:
        return parse(RFC3339_NANO, text).unix_nano()
    except GoError as e:
        raise ValueError(str(e)) from None


def parse_rfc3339nano_exact_ns(text: str) -> int:
    """Like :func:`parse_rfc3339nano_ns` but without int64 wrapping (for Go's saturating ``Sub``)."""
    try:
        t = parse(RFC3339_NANO, text)
    except GoError as e:
        raise ValueError(str(e)) from None
    return t.unix_sec * 1_000_000_000 + t.nsec
