//! Alipay wire details: China-time timestamps and the form encoding of parameters.

use std::collections::BTreeMap;

use crate::domain::Timestamp;
use crate::domain::time::{CHINA_OFFSET_SECS, Civil};

/// `YYYY-MM-DD HH:MM:SS` in China time (UTC+8), as Alipay writes times.
pub fn china_time(t: Timestamp) -> String {
    crate::domain::time::china_time(t, ' ')
}

/// Parses `YYYY-MM-DD HH:MM:SS` China time.
pub fn parse_china_time(s: &str) -> Option<Timestamp> {
    match Civil::parse_prefix(s, b' ')? {
        (civil, "") => Timestamp::from_civil(civil, CHINA_OFFSET_SECS),
        _ => None,
    }
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
