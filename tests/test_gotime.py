"""kwokbook.gotpl.gotime: Go's time.Time, layouts, parsing and durations.

Go-exactness is proven by the oracle recordings (tests/fixtures/recorded/gotime.json, replayed by
test_gotpl_oracle.py). These tests check the module directly and against an independent
implementation (Python's datetime/zoneinfo) where the two must agree.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kwokbook.gotpl import gotime as gt
from kwokbook.gotpl.env import Env
from kwokbook.gotpl.values import GoError, format_duration, sig

ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "America/St_Johns"]
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

unix_ns = st.integers(min_value=-(10**18), max_value=7 * 10**18)  # 1938 .. 2191


def _py(ns: int, zone: str) -> datetime:
    return (EPOCH + timedelta(microseconds=ns // 1000)).astimezone(ZoneInfo(zone))


def _go(ns: int, zone: str) -> gt.GoTime:
    return gt.from_unix_nano(ns).in_loc(gt.load_location(zone))


@settings(max_examples=300, deadline=None)
@given(ns=unix_ns, zone=st.sampled_from(ZONES))
def test_format_agrees_with_datetime(ns: int, zone: str) -> None:
    layout = "2006-01-02 15:04:05 Mon Monday Jan January 002 03PM -0700 MST"
    d = _py(ns, zone)
    want = d.strftime("%Y-%m-%d %H:%M:%S %a %A %b %B %j %I%p %z %Z")
    assert _go(ns, zone).format(layout) == want


@settings(max_examples=300, deadline=None)
@given(ns=unix_ns, zone=st.sampled_from(ZONES))
def test_fields_agree_with_datetime(ns: int, zone: str) -> None:
    d = _py(ns, zone)
    t = _go(ns, zone)
    assert (t.year(), t.month(), t.day()) == (d.year, d.month, d.day)
    assert t.clock() == (d.hour, d.minute, d.second)
    assert t.weekday() == (d.weekday() + 1) % 7
    assert t.year_day() == d.timetuple().tm_yday
    assert t.unix() == ns // 10**9
    assert t.unix_nano() == ns


@settings(max_examples=300, deadline=None)
@given(ns=unix_ns, zone=st.sampled_from(ZONES))
def test_rfc3339nano_round_trip(ns: int, zone: str) -> None:
    t = _go(ns, zone)
    back = gt.parse(gt.RFC3339_NANO, t.format(gt.RFC3339_NANO))
    assert back.equal(t)
    assert back.format(gt.RFC3339_NANO) == t.format(gt.RFC3339_NANO)


@settings(max_examples=500, deadline=None)
@given(d=st.integers(min_value=-(1 << 63), max_value=(1 << 63) - 1))
def test_parse_duration_round_trips_string(d: int) -> None:
    assert gt.parse_duration(format_duration(d)) == d


@pytest.mark.parametrize(("text", "message"), [
    ("", 'time: invalid duration ""'),
    ("1", 'time: missing unit in duration "1"'),
    ("1d", 'time: unknown unit "d" in duration "1d"'),
    ("1é", 'time: unknown unit "\\xc3\\xa9" in duration "1\\xc3\\xa9"'),
    (".s", 'time: invalid duration ".s"'),
    ("9223372036854775808ns", 'time: invalid duration "9223372036854775808ns"'),
])
def test_parse_duration_errors(text: str, message: str) -> None:
    with pytest.raises(GoError) as e:
        gt.parse_duration(text)
    assert str(e.value) == message


def test_parse_duration_units_and_fractions() -> None:
    assert gt.parse_duration("1h2m3.5s") == ((60 + 2) * 60 + 3) * 10**9 + 5 * 10**8
    assert gt.parse_duration("1µs") == gt.parse_duration("1μs") == gt.parse_duration("1us") == 1000
    assert gt.parse_duration("-1.5h") == -90 * 60 * 10**9
    assert gt.parse_duration("-9223372036854775808ns") == -(1 << 63)
    assert gt.parse_duration("0") == gt.parse_duration("-0") == 0


@pytest.mark.parametrize(("layout", "value", "message"), [
    ("2006-01-02", "x", 'parsing time "x" as "2006-01-02": cannot parse "x" as "2006"'),
    ("2006-01-02", "2024-13-01", 'parsing time "2024-13-01": month out of range'),
    ("2006-01-02", "2023-02-29", 'parsing time "2023-02-29": day out of range'),
    ("2006", "2024x", 'parsing time "2024x": extra text: "x"'),
    ("2006é", "2024è", 'parsing time "2024\\xc3\\xa8" as "2006\\xc3\\xa9": cannot parse "\\xa8" as "\\xc3\\xa9"'),
])
def test_parse_errors(layout: str, value: str, message: str) -> None:
    with pytest.raises(gt.TimeParseError) as e:
        gt.parse(layout, value)
    assert str(e.value) == message


def test_parse_zone_forms() -> None:
    t = gt.parse("2006-01-02 15:04 -0700", "2024-01-01 10:00 +0130")
    assert t.unix() == int(datetime(2024, 1, 1, 8, 30, tzinfo=timezone.utc).timestamp())
    assert t.location().name == ""
    assert t.string() == "2024-01-01 10:00:00 +0130 +0130"
    # An unknown abbreviation is a fixed zone of offset 0 with that name (Go's documented rule).
    u = gt.parse("2006-01-02 MST", "2024-01-01 XYZ")
    assert (u.zone(), u.unix()) == (("XYZ", 0), 1704067200)
    # A known abbreviation of the local zone takes that zone's offset.
    berlin = gt.local_location(ZoneInfo("Europe/Berlin"))
    v = gt.parse("2006-01-02 15:04 MST", "2024-07-01 12:00 CEST", berlin)
    assert v.unix() == int(datetime(2024, 7, 1, 10, 0, tzinfo=timezone.utc).timestamp())
    assert v.location() is berlin


def test_parse_in_location_uses_location_for_wall_time() -> None:
    ny = gt.load_location("America/New_York")
    t = gt.parse_in_location("2006-01-02 15:04", "2024-07-01 12:00", ny)
    want = datetime(2024, 7, 1, 12, 0, tzinfo=ZoneInfo("America/New_York"))
    assert t.unix() == int(want.timestamp())
    assert t.format("MST") == want.strftime("%Z")


def test_date_normalises_like_go() -> None:
    assert gt.date(2023, 10, 32, 0, 0, 0, 0, gt.UTC).format("2006-01-02") == "2023-11-01"
    assert gt.date(2024, 0, 1, 0, 0, 0, 0, gt.UTC).format("2006-01-02") == "2023-12-01"
    assert gt.date(2024, 1, 1, 0, 0, -1, 0, gt.UTC).format("2006-01-02 15:04:05") == "2023-12-31 23:59:59"
    assert gt.date(2024, 1, 1, 0, 0, 0, 10**9, gt.UTC).clock() == (0, 0, 1)
    oct31 = gt.date(2023, 10, 31, 12, 0, 0, 0, gt.UTC)
    assert oct31.add_date(0, 1, 0).format("2006-01-02") == "2023-12-01"


def test_date_in_dst_gap_and_overlap_matches_zoneinfo_fold0() -> None:
    berlin = gt.load_location("Europe/Berlin")
    gap = gt.date(2024, 3, 31, 2, 30, 0, 0, berlin)  # does not exist: Go moves forward
    assert gap.format("15:04 MST") == "03:30 CEST"
    overlap = gt.date(2024, 10, 27, 2, 30, 0, 0, berlin)  # happens twice
    assert overlap.unix() == int(datetime(2024, 10, 27, 2, 30, tzinfo=ZoneInfo("Europe/Berlin"), fold=1).timestamp())


@settings(max_examples=200, deadline=None)
@given(ns=st.integers(min_value=-(10**18), max_value=10**18),
       d=st.sampled_from([1, 7, 10**3, 10**9, 60 * 10**9, 3600 * 10**9, 86400 * 10**9, 7 * 10**8 + 3]))
def test_truncate_and_round_are_multiples_since_year_1(ns: int, d: int) -> None:
    t = gt.from_unix_nano(ns)
    since_zero = (t.sec * 10**9 + t.nsec)
    tr = t.truncate(d)
    rd = t.round(d)
    assert (tr.sec * 10**9 + tr.nsec) == since_zero - since_zero % d
    r = since_zero % d
    assert (rd.sec * 10**9 + rd.nsec) == (since_zero - r if 2 * r < d else since_zero - r + d)


def test_string_and_monotonic_reading() -> None:
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    env = Env(clock=lambda: start + timedelta(seconds=90, microseconds=5), start_time=start)
    assert gt.env_now(env).string() == "2024-01-01 00:01:30.000005 +0000 UTC"
    env.monotonic = True  # type: ignore[attr-defined]  # opt-in: a live clock's " m=+…" suffix
    s = gt.env_now(env).string()
    assert s == "2024-01-01 00:01:30.000005 +0000 UTC m=+90.000005001"
    t = gt.env_now(env)
    assert t.utc().string().endswith("UTC"), "UTC() strips the monotonic reading"
    assert " m=+" in t.add(10**9).string(), "Add keeps it"


def test_local_location_threads_through() -> None:
    env = Env(local_tz=ZoneInfo("Asia/Kolkata"))
    t = gt.env_now(env)
    assert t.location().name == "Asia/Kolkata"
    assert t.utc().to_local().format("-07:00 MST") == "+05:30 IST"
    assert gt.unix(0, 0, gt.env_local(env)).format("15:04") == "05:30"


def test_load_location() -> None:
    assert gt.load_location("") is gt.UTC
    assert gt.load_location("UTC") is gt.UTC
    local = gt.local_location(ZoneInfo("Europe/Berlin"))
    assert gt.load_location("Local", local) is local
    for bad in ("../etc/passwd", "/etc/localtime", "Nowhere/Land", "utc"):
        with pytest.raises(GoError):
            gt.load_location(bad)
    assert gt.fixed_zone("", 3600) is gt.fixed_zone("", 3600)
    assert gt.fixed_zone("", 1800) is not gt.fixed_zone("", 1800)


def test_marshal_json_range() -> None:
    t = gt.date(2024, 5, 6, 7, 8, 9, 10, gt.fixed_zone("", -3600))
    assert t.go_json() == "2024-05-06T07:08:09.00000001-01:00"
    with pytest.raises(GoError, match=r"^Time.MarshalJSON: year outside of range \[0,9999\]$"):
        gt.date(10000, 1, 1, 0, 0, 0, 0, gt.UTC).go_json()


def test_method_tables_cover_go_method_set() -> None:
    """Every Go method of time.Time is callable or reported as uncallable (multi-result)."""
    listed = set(gt.T_TIME.methods)
    assert listed == set(gt.GoTime.go_methods) | set(gt.GoTime.go_bad_methods)
    assert str(gt.GoTime.go_methods["Add"].sig) == "func(time.Duration) time.Time"
    assert str(gt.GoTime.go_methods["AddDate"].sig) == "func(int, int, int) time.Time"
    assert str(gt.GoTime.go_methods["Sub"].sig) == "func(time.Time) time.Duration"
    assert str(gt.GoTime.go_methods["In"].sig) == "func(*time.Location) time.Time"
    assert str(gt.GoTime.go_methods["MarshalJSON"].sig) == "func() ([]uint8, error)"
    assert gt.DURATION_METHODS["Hours"].sig == sig("-> float64")
    assert set(gt.METHODS_BY_TYPE) >= {"time.Duration", "time.Month", "time.Weekday"}


def test_duration_methods() -> None:
    d = gt.parse_duration("-1h30m0.5s")
    m = gt.DURATION_METHODS
    assert m["Hours"].fn(d) == pytest.approx(-(1.5 + 0.5 / 3600))
    assert m["Round"].fn(d, 3600 * 10**9) == -2 * 3600 * 10**9
    assert m["Truncate"].fn(d, 3600 * 10**9) == -3600 * 10**9
    assert m["Milliseconds"].fn(d) == -(5400 * 1000 + 500)
    assert m["String"].fn(d) == "-1h30m0.5s"
    assert m["Abs"].fn(gt.MIN_DURATION) == gt.MAX_DURATION
    assert gt.duration_round(gt.MAX_DURATION, 10**9) == gt.MAX_DURATION
