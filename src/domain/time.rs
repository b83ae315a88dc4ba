//! Timestamps as microseconds since the Unix epoch, and the injected clock.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Microseconds since the Unix epoch (UTC); in JSON, that number.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct Timestamp(i64);

impl Timestamp {
    pub const fn from_micros(us: i64) -> Self {
        Self(us)
    }

    pub const fn as_micros(self) -> i64 {
        self.0
    }

    pub fn as_millis(self) -> u64 {
        u64::try_from(self.0 / 1000).unwrap_or(0)
    }

    pub fn as_secs(self) -> i64 {
        self.0.div_euclid(1_000_000)
    }

    pub fn saturating_add(self, d: Duration) -> Self {
        let us = i64::try_from(d.as_micros()).unwrap_or(i64::MAX);
        Self(self.0.saturating_add(us))
    }

    /// How far `self` is after `earlier` (zero when it is not after).
    pub fn since(self, earlier: Timestamp) -> Duration {
        Duration::from_micros(u64::try_from(self.0 - earlier.0).unwrap_or(0))
    }
}

/// Calendar fields of a moment at some UTC offset (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    pub month: i64,
    pub day: i64,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
}

/// Days since 1970-01-01 of a date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// China Standard Time, UTC+8: how Alipay and WeChat Pay write times.
pub const CHINA_OFFSET_SECS: i64 = 8 * 3600;

/// `t` in China time as `YYYY-MM-DD<sep>HH:MM:SS`.
pub fn china_time(t: Timestamp, sep: char) -> String {
    let c = t.to_civil(CHINA_OFFSET_SECS);
    format!(
        "{:04}-{:02}-{:02}{sep}{:02}:{:02}:{:02}",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

impl Civil {
    /// Parses `YYYY-MM-DD<sep>HH:MM:SS` at the start of `s`; returns the fields and the rest.
    pub fn parse_prefix(s: &str, sep: u8) -> Option<(Self, &str)> {
        let b = s.as_bytes();
        if b.len() < 19
            || b[4] != b'-'
            || b[7] != b'-'
            || b[10] != sep
            || b[13] != b':'
            || b[16] != b':'
        {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<i64> {
            let part = s.get(r)?;
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let civil = Self {
            year: num(0..4)?,
            month: num(5..7)?,
            day: num(8..10)?,
            hour: num(11..13)?,
            minute: num(14..16)?,
            second: num(17..19)?,
        };
        let valid = (1..=12).contains(&civil.month)
            && (1..=31).contains(&civil.day)
            && civil.hour <= 23
            && civil.minute <= 59
            && civil.second <= 59;
        valid.then(|| (civil, &s[19..]))
    }
}

impl Timestamp {
    /// The moment `c` names at `offset_secs` east of UTC (whole seconds).
    pub fn from_civil(c: Civil, offset_secs: i64) -> Option<Self> {
        let secs = days_from_civil(c.year, c.month, c.day) * 86_400
            + c.hour * 3600
            + c.minute * 60
            + c.second
            - offset_secs;
        secs.checked_mul(1_000_000).map(Self)
    }

    /// This moment's calendar fields at `offset_secs` east of UTC.
    pub fn to_civil(self, offset_secs: i64) -> Civil {
        let secs = self.as_secs() + offset_secs;
        let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: rem / 3600,
            minute: rem % 3600 / 60,
            second: rem % 60,
        }
    }
}

/// A calendar day, as statements count them: the day's meaning (its first and last moment)
/// depends on the UTC offset of whoever counts, e.g. Asia/Shanghai for Alipay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    /// Days since 1970-01-01.
    days: i64,
}

impl Day {
    /// Parses `YYYY-MM-DD` (a real date; years 1970 to 9999).
    pub fn parse(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<i64> {
            let part = s.get(r)?;
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if year < 1970 || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        let days = days_from_civil(year, month, day);
        // 2026-02-30 would land in March: only dates that exist round-trip.
        (civil_from_days(days) == (year, month, day)).then_some(Self { days })
    }

    /// The day `t` falls on at `offset_secs` east of UTC.
    pub fn of(t: Timestamp, offset_secs: i64) -> Self {
        Self {
            days: (t.as_secs() + offset_secs).div_euclid(86_400),
        }
    }

    /// The first moment of the day at `offset_secs` east of UTC.
    pub fn start(self, offset_secs: i64) -> Timestamp {
        Timestamp((self.days * 86_400 - offset_secs) * 1_000_000)
    }

    /// The day after.
    pub fn next(self) -> Self {
        Self {
            days: self.days + 1,
        }
    }

    /// The day `n` days before.
    pub fn minus(self, n: i64) -> Self {
        Self {
            days: self.days - n,
        }
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (y, m, d) = civil_from_days(self.days);
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// Where "now" comes from; tests pass a clock they control.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Timestamp;
}

/// The wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    // The one place that reads the system's wall clock.
    #[allow(clippy::disallowed_methods)]
    fn now(&self) -> Timestamp {
        let since = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Timestamp(i64::try_from(since.as_micros()).unwrap_or(i64::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_parse_print_and_bound_a_providers_day() {
        let day = Day::parse("2026-03-01").unwrap();
        assert_eq!(day.to_string(), "2026-03-01");
        assert_eq!(day.minus(1).to_string(), "2026-02-28");
        assert_eq!(
            Day::parse("2024-02-29").unwrap().next().to_string(),
            "2024-03-01"
        );
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-01",
            "26-01-01",
            "2026-01-00",
            "x",
        ] {
            assert_eq!(Day::parse(bad), None, "{bad}");
        }
        // Asia/Shanghai's 2026-03-01 starts at 16:00 UTC the day before.
        let start = day.start(CHINA_OFFSET_SECS);
        assert_eq!(china_time(start, ' '), "2026-03-01 00:00:00");
        assert_eq!(Day::of(start, CHINA_OFFSET_SECS), day);
        assert_eq!(Day::of(start, 0), day.minus(1));
        let last = Timestamp::from_micros(day.next().start(0).as_micros() - 1);
        assert_eq!(Day::of(last, 0), day);
    }
}
