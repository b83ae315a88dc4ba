use std::sync::atomic::{AtomicUsize, Ordering};

use super::*;

type Answer = dyn Fn(&str, usize) -> std::io::Result<Vec<IpAddr>> + Send + Sync;

/// A resolver whose answers a test scripts: `answer(host, n)` for the `n`th lookup (from 0).
pub(in crate::service::webhooks) struct Scripted {
    answer: Box<Answer>,
    calls: AtomicUsize,
}

impl Scripted {
    pub fn new(
        answer: impl Fn(&str, usize) -> std::io::Result<Vec<IpAddr>> + Send + Sync + 'static,
    ) -> Arc<Self> {
        Arc::new(Self {
            answer: Box::new(answer),
            calls: AtomicUsize::new(0),
        })
    }

    /// Every name resolves to `ips`.
    pub fn fixed(ips: &[&str]) -> Arc<Self> {
        let ips: Vec<IpAddr> = ips.iter().map(|s| ip(s)).collect();
        Self::new(move |_, _| Ok(ips.clone()))
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

#[async_trait::async_trait]
impl Lookup for Scripted {
    async fn lookup(&self, host: &str) -> std::io::Result<Vec<IpAddr>> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        (self.answer)(host, n)
    }
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// A guard with `allow_networks` and `allow_private` as given.
pub(in crate::service::webhooks) fn guard(
    allow_networks: &[&str],
    allow_private: bool,
    lookup: Arc<dyn Lookup>,
) -> Guard {
    let config = WebhooksConfig {
        allow_networks: allow_networks.iter().map(|s| (*s).to_owned()).collect(),
        allow_private,
        ..WebhooksConfig::default()
    };
    Guard::new(&config, lookup).unwrap()
}

#[test]
fn allow_networks_makes_exceptions_and_allow_private_turns_the_guard_off() {
    let strict = guard(&[], false, Scripted::fixed(&[]));
    assert!(strict.check(ip("127.0.0.1")).is_err());
    assert!(strict.check(ip("::ffff:10.0.0.1")).is_err());
    assert_eq!(strict.check(ip("93.184.216.34")), Ok(()));
    let refusal = strict.check(ip("169.254.169.254")).unwrap_err();
    assert_eq!(
        refusal.to_string(),
        "169.254.169.254 is in 169.254.0.0/16 (link-local, RFC 3927)"
    );

    let excepted = guard(
        &["127.0.0.2/32", "fd00:1::/64"],
        false,
        Scripted::fixed(&[]),
    );
    assert_eq!(excepted.check(ip("127.0.0.2")), Ok(()));
    assert_eq!(excepted.check(ip("::ffff:127.0.0.2")), Ok(()), "mapped");
    assert_eq!(excepted.check(ip("fd00:1::5")), Ok(()));
    assert!(excepted.check(ip("127.0.0.1")).is_err());
    assert!(excepted.check(ip("fd00:2::5")).is_err());

    let off = guard(&[], true, Scripted::fixed(&[]));
    for any in ["127.0.0.1", "169.254.169.254", "::1", "64:ff9b::a9fe:a9fe"] {
        assert_eq!(off.check(ip(any)), Ok(()), "{any}");
    }

    let config = WebhooksConfig {
        allow_networks: vec!["10.0.0.1/8".into()],
        ..WebhooksConfig::default()
    };
    assert!(Guard::new(&config, Scripted::fixed(&[])).is_err());
}

#[tokio::test]
async fn the_resolver_keeps_only_permitted_addresses_and_fails_when_none_is_left() {
    let lookup = Scripted::new(|host, _| match host {
        "mixed.test" => Ok(vec![ip("10.0.0.1"), ip("93.184.216.34"), ip("::1")]),
        "inside.test" => Ok(vec![ip("10.0.0.1"), ip("100.100.100.200")]),
        "empty.test" => Ok(vec![]),
        _ => Err(std::io::Error::other("NXDOMAIN")),
    });
    let g = guard(&[], false, lookup.clone());
    assert_eq!(
        g.resolve("mixed.test").await.unwrap(),
        [ip("93.184.216.34")]
    );
    let Err(ResolveError::NotAllowed(why)) = g.resolve("inside.test").await else {
        panic!("inside.test is refused");
    };
    assert!(why.contains("inside.test"), "{why}");
    assert!(why.contains("10.0.0.1 is in 10.0.0.0/8"), "{why}");
    assert!(why.contains("100.100.100.200 is in 100.64.0.0/10"), "{why}");
    for unresolvable in ["empty.test", "nowhere.test"] {
        assert!(
            matches!(
                g.resolve(unresolvable).await,
                Err(ResolveError::Unresolvable { .. })
            ),
            "{unresolvable}"
        );
    }
    assert_eq!(lookup.calls(), 4, "one lookup each");
}

#[tokio::test]
async fn a_webhook_url_is_checked_when_it_is_set() {
    let lookup = Scripted::new(|host, _| match host {
        "public.test" => Ok(vec![ip("93.184.216.34"), ip("2606:2800:220:1::1")]),
        "partly.test" => Ok(vec![ip("93.184.216.34"), ip("192.168.1.1")]),
        "metadata.test" => Ok(vec![ip("169.254.169.254")]),
        "empty.test" => Ok(vec![]),
        _ => Err(std::io::Error::other("NXDOMAIN")),
    });
    let g = guard(&[], false, lookup.clone());
    let reason = |url: &'static str| {
        let g = g.clone();
        async move {
            g.check_url(url)
                .await
                .err()
                .map(|e| (e.reason(), e.to_string()))
        }
    };
    assert_eq!(reason("https://public.test/hooks").await, None);
    assert_eq!(reason("http://93.184.216.34:8080/hooks").await, None);
    for malformed in [
        "ftp://public.test/",
        "public.test/hooks",
        "http://",
        "file:///etc",
    ] {
        assert_eq!(
            reason(malformed).await.map(|r| r.0),
            Some("INVALID_WEBHOOK_URL"),
            "{malformed}"
        );
    }
    for (url, named) in [
        (
            "http://100.100.100.200/",
            "100.100.100.200 is in 100.64.0.0/10",
        ),
        (
            "http://[64:ff9b::a9fe:a9fe]/",
            "64:ff9b::a9fe:a9fe is in 64:ff9b::/96",
        ),
        ("http://[::ffff:7f00:1]/", "is in 127.0.0.0/8"),
        ("http://0x7f.1/", "127.0.0.1 is in 127.0.0.0/8"),
        ("http://2130706433/", "127.0.0.1 is in 127.0.0.0/8"),
        (
            "https://metadata.test/",
            "metadata.test resolves to 169.254.169.254",
        ),
        // One refused address is enough: delivery would use the others, but a URL set now
        // should not depend on which.
        (
            "https://partly.test/",
            "partly.test resolves to 192.168.1.1",
        ),
    ] {
        let (code, text) = reason(url).await.unwrap();
        assert_eq!(code, "WEBHOOK_URL_NOT_ALLOWED", "{url}");
        assert!(text.contains(named), "{url}: {text}");
    }
    for url in ["https://nowhere.test/", "https://empty.test/"] {
        let (code, text) = reason(url).await.unwrap();
        assert_eq!(code, "WEBHOOK_URL_UNRESOLVABLE", "{url}");
        assert!(text.starts_with("cannot resolve"), "{text}");
    }

    // Exceptions and the guard turned off.
    let excepted = guard(&["169.254.169.254/32"], false, lookup.clone());
    assert!(excepted.check_url("https://metadata.test/").await.is_ok());
    let off = guard(&[], true, lookup.clone());
    let before = lookup.calls();
    assert!(off.check_url("http://127.0.0.1:9/").await.is_ok());
    assert!(off.check_url("http://nowhere.test/").await.is_ok());
    assert_eq!(lookup.calls(), before, "off: nothing is resolved");
    assert!(
        off.check_url("ftp://x/").await.is_err(),
        "the form still is checked"
    );
}
