//! Alipay wire details: China-time timestamps and the form encoding of parameters.

use std::collections::BTreeMap;

use crate::domain::Timestamp;

const CHINA_OFFSET_SECS: i64 = 8 * 3600;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
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

/// `YYYY-MM-DD HH:MM:SS` in China time (UTC+8), as Alipay writes times.
pub fn china_time(t: Timestamp) -> String {
    let secs = t.as_secs() + CHINA_OFFSET_SECS;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Parses `YYYY-MM-DD HH:MM:SS` China time.
pub fn parse_china_time(s: &str) -> Option<Timestamp> {
    let b = s.as_bytes();
    if b.len() != 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b' '
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
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 59 {
        return None;
    }
    let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se - CHINA_OFFSET_SECS;
    Some(Timestamp::from_micros(secs * 1_000_000))
}

/// `application/x-www-form-urlencoded` encoding of the parameters.
pub fn form(params: &BTreeMap<String, String>) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish()
}

/// Parses a form body into parameters; a repeated key keeps its last value.
pub fn parse_form(body: &[u8]) -> BTreeMap<String, String> {
    form_urlencoded::parse(body).into_owned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn china_time_is_utc_plus_eight() {
        // 2026-11-22T04:00:00Z
        let t = Timestamp::from_micros(1_795_320_000 * 1_000_000);
        assert_eq!(china_time(t), "2026-11-22 12:00:00");
        assert_eq!(parse_china_time("2026-11-22 12:00:00"), Some(t));
        assert_eq!(china_time(Timestamp::from_micros(0)), "1970-01-01 08:00:00");
        assert_eq!(
            parse_china_time("2024-02-29 23:59:59")
                .map(china_time)
                .as_deref(),
            Some("2024-02-29 23:59:59")
        );
        for bad in [
            "",
            "2026-11-22T12:00:00",
            "2026-13-01 00:00:00",
            "2026-11-22 24:00:00",
            "２026-11-22 12:00:00",
        ] {
            assert_eq!(parse_china_time(bad), None, "{bad:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn times_round_trip(secs in 0i64..4_102_444_800) {
            let t = Timestamp::from_micros(secs * 1_000_000);
            proptest::prop_assert_eq!(parse_china_time(&china_time(t)), Some(t));
        }

        #[test]
        fn forms_and_times_never_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..120)) {
            let _ = parse_form(&bytes);
            let _ = parse_china_time(&String::from_utf8_lossy(&bytes));
        }
    }
}
