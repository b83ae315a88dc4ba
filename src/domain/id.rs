//! Prefixed, time-sortable ids (`pay_01J…`): 48 bits of milliseconds then 80 random bits,
//! Crockford base32, so sorting ids sorts by creation time.

use std::fmt;
use std::str::FromStr;

use rand::RngCore;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const BODY_LEN: usize = 26;

/// Encodes a millisecond timestamp and 80 random bits as 26 Crockford base32 characters.
fn new_body(unix_ms: u64) -> String {
    let mut random = [0u8; 10];
    rand::rng().fill_bytes(&mut random);
    let mut value: u128 = u128::from(unix_ms & 0xFFFF_FFFF_FFFF) << 80;
    for (i, byte) in random.iter().enumerate() {
        value |= u128::from(*byte) << (72 - 8 * i);
    }
    let mut out = [0u8; BODY_LEN];
    for (i, slot) in out.iter_mut().enumerate() {
        let shift = 5 * (BODY_LEN - 1 - i);
        *slot = ALPHABET[((value >> shift) & 0x1F) as usize];
    }
    out.iter().map(|&b| b as char).collect()
}

fn valid_body(body: &str) -> bool {
    body.len() == BODY_LEN && body.bytes().all(|b| ALPHABET.contains(&b))
}

/// The id was not of the expected `prefix_` + 26 base32 characters form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed {prefix}id")]
pub struct MalformedId {
    pub prefix: &'static str,
}

macro_rules! prefixed_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            pub const PREFIX: &'static str = $prefix;

            /// A fresh id for something created at `unix_ms`.
            pub fn generate(unix_ms: u64) -> Self {
                Self(format!("{}{}", $prefix, new_body(unix_ms)))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = MalformedId;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.strip_prefix($prefix) {
                    Some(body) if valid_body(body) => Ok(Self(s.to_owned())),
                    _ => Err(MalformedId { prefix: $prefix }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

prefixed_id!(
    /// A reconciliation run, `rec_…`.
    RunId,
    "rec_"
);

prefixed_id!(
    /// A difference a reconciliation run found, `dif_…`.
    DifferenceId,
    "dif_"
);

prefixed_id!(
    /// A payment, `pay_…`.
    PaymentId,
    "pay_"
);
prefixed_id!(
    /// One try of a payment at one channel, `att_…`.
    AttemptId,
    "att_"
);
prefixed_id!(
    /// Money given back for a payment, `rfd_…`.
    RefundId,
    "rfd_"
);
prefixed_id!(
    /// An immutable record of a state change, `evt_…`.
    EventId,
    "evt_"
);
prefixed_id!(
    /// One of a merchant's API keys, `key_…`; the key itself begins `pk_` + this id's body.
    ApiKeyId,
    "key_"
);

prefixed_id!(
    /// A merchant (API caller), `mch_…`.
    MerchantId,
    "mch_"
);

/// A configured channel: one account at one provider, named by the operator
/// (`alipay-main`, `sandbox`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChannelId(String);

impl ChannelId {
    /// Channel ids are 1–64 characters of `[a-z0-9_-]`, so they are safe in URLs and logs.
    pub fn parse(s: &str) -> Option<Self> {
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        ok.then(|| Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ChannelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_sort_by_time() {
        let a = PaymentId::generate(1_700_000_000_000);
        let b = PaymentId::generate(1_700_000_000_001);
        assert!(a < b);
        assert_eq!(a.as_str().len(), 4 + 26);
        assert_eq!(a.as_str().parse::<PaymentId>(), Ok(a.clone()));
        assert!(a.as_str().parse::<AttemptId>().is_err());
        assert!("pay_short".parse::<PaymentId>().is_err());
        assert!(
            "pay_0000000000000000000000000I"
                .parse::<PaymentId>()
                .is_err()
        );
    }

    #[test]
    fn channel_ids_are_url_safe() {
        assert!(ChannelId::parse("alipay-main").is_some());
        assert!(ChannelId::parse("").is_none());
        assert!(ChannelId::parse("Alipay").is_none());
        assert!(ChannelId::parse("a/b").is_none());
    }
}
