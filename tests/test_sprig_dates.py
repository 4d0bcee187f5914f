"""sprig Date functions (kwokbook/gotpl/sprig/dates.py): signatures, env use, the type switches.

Outputs are proven against Go by tests/fixtures/recorded/sprig_dates.json; here the parts the
oracle cannot pin (the live clock inside date/ago/durationRound, the local zone) are checked
against an independent computation with datetime/zoneinfo.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from kwokbook.gotpl import gotime as gt
from kwokbook.gotpl.env import Env
from kwokbook.gotpl.sprig import FUNCS
from kwokbook.gotpl.values import GoError, Int32, Int64, JsonNumber

AT = datetime(2024, 3, 4, 5, 6, 7, 123456, tzinfo=timezone.utc)

GO_SIGNATURES = {
    "ago": "func(interface {}) string",
    "date": "func(string, interface {}) string",
    "date_in_zone": "func(string, interface {}, string) string",
    "date_modify": "func(string, time.Time) time.Time",
    "dateInZone": "func(string, interface {}, string) string",
    "dateModify": "func(string, time.Time) time.Time",
    "duration": "func(interface {}) string",
    "durationRound": "func(interface {}) string",
    "htmlDate": "func(interface {}) string",
    "htmlDateInZone": "func(interface {}, string) string",
    "must_date_modify": "func(string, time.Time) (time.Time, error)",
    "mustDateModify": "func(string, time.Time) (time.Time, error)",
    "mustToDate": "func(string, string) (time.Time, error)",
    "now": "func() time.Time",
    "toDate": "func(string, string) time.Time",
    "unixEpoch": "func(time.Time) string",
}
CLOCK_FREE = {"date_modify", "dateModify", "must_date_modify", "mustDateModify", "duration", "unixEpoch"}


def call(name: str, *args: Any, env: Env | None = None) -> Any:
    f = FUNCS[name]
    if f.needs_env:
        return f.fn(env or Env(clock=lambda: AT), *args)
    return f.fn(*args)


@pytest.mark.parametrize("name", sorted(GO_SIGNATURES))
def test_registered_with_go_signature(name: str) -> None:
    f = FUNCS[name]
    assert str(f.sig) == GO_SIGNATURES[name]
    # Clock readers must take env (tagged), the others must not read it.
    assert f.needs_env == (name not in CLOCK_FREE)
    assert ("clock" in f.tags) == (name not in CLOCK_FREE)


def test_date_type_switch() -> None:
    env = Env(clock=lambda: AT)
    assert call("date", "2006-01-02 15:04:05", 0, env=env) == "1970-01-01 00:00:00"
    assert call("date", "2006-01-02 15:04:05", Int64(86400), env=env) == "1970-01-02 00:00:00"
    assert call("date", "2006-01-02 15:04:05", Int32(-1), env=env) == "1969-12-31 23:59:59"
    # Anything else (json.Number data, strings, nil) is time.Now(): the env clock here.
    for other in (JsonNumber("0"), "0", None, 1.5, [1]):
        assert call("date", "2006-01-02 15:04:05.000000", other, env=env) == AT.strftime("%Y-%m-%d %H:%M:%S.%f")


def test_date_uses_env_local_zone() -> None:
    tz = ZoneInfo("America/New_York")
    env = Env(clock=lambda: AT, local_tz=tz)
    want = datetime.fromtimestamp(0, tz).strftime("%Y-%m-%d %H:%M %Z")
    assert call("date", "2006-01-02 15:04 MST", 0, env=env) == want
    assert call("htmlDate", 0, env=env) == datetime.fromtimestamp(0, tz).strftime("%Y-%m-%d")
    assert call("dateInZone", "15:04 MST", 0, "Local", env=env) == datetime.fromtimestamp(0, tz).strftime("%H:%M %Z")
    t = call("toDate", "2006-01-02 15:04", "2024-07-01 12:00", env=env)
    assert t.unix() == int(datetime(2024, 7, 1, 12, tzinfo=tz).timestamp())


def test_date_in_zone_fallback_is_utc() -> None:
    t = gt.from_unix_nano(0)
    for zone in ("", "UTC", "Nowhere/Land", "../x", "utc"):
        assert call("dateInZone", "15:04 MST", t, zone) == "00:00 UTC"
    tokyo = datetime.fromtimestamp(0, ZoneInfo("Asia/Tokyo")).strftime("%H:%M %Z")
    assert call("date_in_zone", "15:04 MST", t, "Asia/Tokyo") == tokyo
    kiritimati = datetime.fromtimestamp(0, ZoneInfo("Pacific/Kiritimati")).strftime("%Y-%m-%d")
    assert call("htmlDateInZone", t, "Pacific/Kiritimati") == kiritimati == "1969-12-31"  # -10:40 until 1979


def test_ago_and_duration_round_read_env_clock() -> None:
    env = Env(clock=lambda: AT)
    past = gt.from_unix_nano(int((AT - timedelta(seconds=90, milliseconds=600)).timestamp() * 10**9))
    assert call("ago", past, env=env) == "1m31s"
    assert call("ago", int(AT.timestamp()) - 3600, env=env) == "1h0m0s"
    assert call("ago", JsonNumber("5"), env=env) == "0s"
    assert call("durationRound", past, env=env) == "1m"
    future = gt.from_unix_nano(int((AT + timedelta(days=3, hours=1)).timestamp() * 10**9))
    assert call("durationRound", future, env=env) == "3d"


def test_duration_type_switch() -> None:
    assert call("duration", "90") == "1m30s"
    assert call("duration", Int64(3661)) == "1h1m1s"
    for ignored in (90, JsonNumber("90"), None, 1.5, "abc", "1.5"):
        assert call("duration", ignored) == "0s"
    # ParseInt's clamped value on overflow, then Duration*Second wraps like Go's int64.
    big = (((1 << 63) - 1) * 10**9) & ((1 << 64) - 1)
    big -= 1 << 64 if big >= 1 << 63 else 0
    assert call("duration", "99999999999999999999") == gt.format_duration(big)


def test_duration_round_branches() -> None:
    assert [call("durationRound", s) for s in ("2h30m", "1h", "61m", "25h", "721h", "8761h", "-49h", "x", "")] == [
        "2h", "60m", "1h", "1d", "1mo", "1y", "2d", "0s", "0s"]
    assert call("durationRound", Int64(3 * 10**9)) == "3s"
    assert call("durationRound", 3 * 10**9) == "0s", "a template int is not int64"


def test_date_modify_and_must() -> None:
    t = gt.from_unix_nano(0)
    assert call("dateModify", "1h30m", t).unix() == 5400
    assert call("date_modify", "bogus", t) is t
    assert call("mustDateModify", "-1s", t).unix() == -1
    with pytest.raises(GoError, match=r'^time: unknown unit "d" in duration "1d"$'):
        call("must_date_modify", "1d", t)


def test_to_date_and_must_to_date() -> None:
    assert call("toDate", "2006-01-02", "nope").is_zero()
    with pytest.raises(GoError, match=r'^parsing time "nope" as "2006-01-02": cannot parse "nope" as "2006"$'):
        call("mustToDate", "2006-01-02", "nope")
    assert call("mustToDate", "2006-01-02", "2024-02-29").format("Monday") == "Thursday"


def test_now_and_unix_epoch() -> None:
    env = Env(clock=lambda: AT)
    n = call("now", env=env)
    assert isinstance(n, gt.GoTime)
    assert call("unixEpoch", n) == str(int(AT.timestamp()))
    assert call("unixEpoch", gt.zero_time()) == "-62135596800"
