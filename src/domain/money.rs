//! Money: an integer count of a currency's minor unit. Never a float.

use std::fmt;

/// ISO 4217 alpha-3 codes paycore accepts, with the exponent of their minor unit.
const CURRENCIES: &[(&str, u8)] = &[
    ("AED", 2),
    ("ARS", 2),
    ("AUD", 2),
    ("BDT", 2),
    ("BGN", 2),
    ("BHD", 3),
    ("BRL", 2),
    ("CAD", 2),
    ("CHF", 2),
    ("CLP", 0),
    ("CNY", 2),
    ("COP", 2),
    ("CZK", 2),
    ("DKK", 2),
    ("EGP", 2),
    ("EUR", 2),
    ("GBP", 2),
    ("HKD", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("ISK", 0),
    ("JOD", 3),
    ("JPY", 0),
    ("KES", 2),
    ("KRW", 0),
    ("KWD", 3),
    ("KZT", 2),
    ("LKR", 2),
    ("MAD", 2),
    ("MOP", 2),
    ("MXN", 2),
    ("MYR", 2),
    ("NGN", 2),
    ("NOK", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PEN", 2),
    ("PHP", 2),
    ("PKR", 2),
    ("PLN", 2),
    ("QAR", 2),
    ("RON", 2),
    ("RSD", 2),
    ("RUB", 2),
    ("SAR", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("THB", 2),
    ("TND", 3),
    ("TRY", 2),
    ("TWD", 2),
    ("UAH", 2),
    ("UGX", 0),
    ("USD", 2),
    ("VND", 0),
    ("XAF", 0),
    ("XOF", 0),
    ("ZAR", 2),
];

/// A currency paycore knows, by its ISO 4217 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency {
    code: &'static str,
    exponent: u8,
}

impl Currency {
    /// Looks up an upper-case ISO 4217 alpha-3 code.
    pub fn parse(code: &str) -> Option<Self> {
        CURRENCIES
            .iter()
            .find(|(c, _)| *c == code)
            .map(|&(code, exponent)| Self { code, exponent })
    }

    pub fn code(self) -> &'static str {
        self.code
    }

    /// Digits after the decimal point in the major unit (CNY 2, JPY 0, KWD 3).
    pub fn exponent(self) -> u8 {
        self.exponent
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

/// An exact amount in a currency's minor unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    pub amount_minor: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(amount_minor: i64, currency: Currency) -> Self {
        Self {
            amount_minor,
            currency,
        }
    }

    /// The amount in major units as a decimal string ("19.99", "1000"), for display and for
    /// providers that take yuan strings.
    pub fn to_major_string(self) -> String {
        let exp = u32::from(self.currency.exponent());
        if exp == 0 {
            return self.amount_minor.to_string();
        }
        let scale = 10i64.pow(exp);
        let sign = if self.amount_minor < 0 { "-" } else { "" };
        let abs = self.amount_minor.unsigned_abs();
        let scale = scale.unsigned_abs();
        format!(
            "{sign}{}.{:0width$}",
            abs / scale,
            abs % scale,
            width = exp as usize
        )
    }
}

impl Money {
    /// Parses a major-unit decimal string ("19.99", "1000", "0.5") exactly. No sign, no
    /// exponent, no more decimals than the currency has; `None` for anything else.
    pub fn parse_major(text: &str, currency: Currency) -> Option<Self> {
        let exp = u32::from(currency.exponent());
        let (whole, frac) = match text.split_once('.') {
            Some((w, f)) if !f.is_empty() && f.len() <= exp as usize => (w, f),
            Some(_) => return None,
            None => (text, ""),
        };
        if whole.is_empty()
            || whole.len() > 1 && whole.starts_with('0')
            || !whole
                .bytes()
                .chain(frac.bytes())
                .all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let scale = 10i64.checked_pow(exp)?;
        let frac_value: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse::<i64>().ok()? * 10i64.pow(exp - frac.len() as u32)
        };
        let amount = whole
            .parse::<i64>()
            .ok()?
            .checked_mul(scale)?
            .checked_add(frac_value)?;
        Some(Self::new(amount, currency))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.to_major_string(), self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currencies_have_their_exponents() {
        assert_eq!(Currency::parse("CNY").map(Currency::exponent), Some(2));
        assert_eq!(Currency::parse("JPY").map(Currency::exponent), Some(0));
        assert_eq!(Currency::parse("KWD").map(Currency::exponent), Some(3));
        assert!(Currency::parse("cny").is_none());
        assert!(Currency::parse("XXX").is_none());
    }

    #[test]
    fn major_strings_are_exact() {
        let cny = Currency::parse("CNY").unwrap();
        let jpy = Currency::parse("JPY").unwrap();
        let kwd = Currency::parse("KWD").unwrap();
        assert_eq!(Money::new(1999, cny).to_major_string(), "19.99");
        assert_eq!(Money::new(5, cny).to_major_string(), "0.05");
        assert_eq!(Money::new(1000, jpy).to_major_string(), "1000");
        assert_eq!(Money::new(1, kwd).to_major_string(), "0.001");
        assert_eq!(Money::new(-150, cny).to_major_string(), "-1.50");
    }

    #[test]
    fn major_strings_parse_exactly_or_not_at_all() {
        let cny = Currency::parse("CNY").unwrap();
        let jpy = Currency::parse("JPY").unwrap();
        let parse = |s: &str| Money::parse_major(s, cny).map(|m| m.amount_minor);
        assert_eq!(parse("19.99"), Some(1999));
        assert_eq!(parse("0.01"), Some(1));
        assert_eq!(parse("0.5"), Some(50));
        assert_eq!(parse("100"), Some(10000));
        for bad in [
            "", ".5", "5.", "1.234", "-1", "+1", "1e2", "01", " 1", "1,00", "९",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
        assert_eq!(parse("92233720368547758.07"), Some(i64::MAX));
        assert_eq!(parse("92233720368547758.08"), None, "overflow");
        assert_eq!(Money::parse_major("1.0", jpy), None);
        assert_eq!(
            Money::parse_major("1000", jpy).map(|m| m.amount_minor),
            Some(1000)
        );
    }

    proptest::proptest! {
        #[test]
        fn major_strings_round_trip(amount in 0i64..i64::MAX, code in proptest::sample::select(vec!["CNY", "JPY", "KWD"])) {
            let currency = Currency::parse(code).unwrap();
            let money = Money::new(amount, currency);
            proptest::prop_assert_eq!(Money::parse_major(&money.to_major_string(), currency), Some(money));
        }

        #[test]
        fn parsing_never_panics(text in ".{0,40}") {
            let _ = Money::parse_major(&text, Currency::parse("CNY").unwrap());
        }
    }
}
