//! RFC 3339 times as WeChat Pay writes them (`2026-11-22T12:00:00+08:00`).

use crate::domain::Timestamp;
use crate::domain::time::{Civil, china_time};

/// `t` in China time (UTC+8) as RFC 3339.
pub fn format(t: Timestamp) -> String {
    format!("{}+08:00", china_time(t, 'T'))
}

/// Parses `YYYY-MM-DDTHH:MM:SS` with an optional fraction and a `Z` or `±HH:MM` offset.
pub fn parse(s: &str) -> Option<Timestamp> {
    let (civil, mut rest) = Civil::parse_prefix(s, b'T')?;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = &frac[digits..];
    }
    let offset = match rest.as_bytes() {
        b"Z" => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let digit = |b: &u8| b.is_ascii_digit().then(|| i64::from(b - b'0'));
            let hours = digit(h1)? * 10 + digit(h2)?;
            let minutes = digit(m1)? * 10 + digit(m2)?;
            let total = hours * 3600 + minutes * 60;
            if *sign == b'-' { -total } else { total }
        }
        _ => return None,
    };
    Timestamp::from_civil(civil, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_rfc3339() {
        let t = Timestamp::from_micros(1_795_320_000 * 1_000_000);
        assert_eq!(format(t), "2026-11-22T12:00:00+08:00");
        assert_eq!(parse("2026-11-22T12:00:00+08:00"), Some(t));
        assert_eq!(parse("2026-11-22T04:00:00Z"), Some(t));
        assert_eq!(parse("2026-11-22T04:00:00.123Z"), Some(t));
        assert_eq!(parse("2026-11-21T23:00:00-05:00"), Some(t));
        for bad in [
            "",
            "2026-11-22 12:00:00+08:00",
            "2026-11-22T12:00:00",
            "2026-11-22T12:00:00+0800",
            "2026-11-22T12:00:00.Z",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn round_trips_and_never_panics(secs in 0i64..4_102_444_800, junk in ".{0,40}") {
            let t = Timestamp::from_micros(secs * 1_000_000);
            proptest::prop_assert_eq!(parse(&format(t)), Some(t));
            let _ = parse(&junk);
        }
    }
}
