use std::collections::HashMap;

use rand::SeedableRng;
use rand::rngs::SmallRng;

use super::*;
use crate::domain::{Secret, SystemClock};
use crate::provider::sandbox::Sandbox;

fn router(toml: &str) -> Router {
    let config = Config::parse(toml, Vec::new()).unwrap();
    let channels = config
        .channels
        .iter()
        .map(|c| {
            let provider = Arc::new(Sandbox::new(
                Secret::new(vec![7; 32]),
                "http://127.0.0.1:1".into(),
                Arc::new(SystemClock),
            ));
            let methods = if c.methods.is_empty() {
                vec![Method::QrCode, Method::WebPage]
            } else {
                c.methods.iter().filter_map(|m| Method::parse(m)).collect()
            };
            Channel::new(c, methods, provider)
        })
        .collect();
    Router::new(channels, &config)
}

fn cny(amount_minor: i64) -> Money {
    Money::new(amount_minor, Currency::parse("CNY").unwrap())
}

fn merchant() -> MerchantId {
    "mch_01M80PTB5J6PAPTZJ1KC0PW8G5".parse().unwrap()
}

fn request(merchant: &MerchantId) -> RouteRequest<'_> {
    RouteRequest {
        method: Method::QrCode,
        amount: cny(1000),
        merchant,
        tag: None,
        preferred: None,
        excluded: &[],
    }
}

fn ids(plan: &[Arc<Channel>]) -> Vec<&str> {
    plan.iter().map(|c| c.id.as_str()).collect()
}

const THREE: &str = r#"
[[channels]]
id = "c"
provider = "sandbox"
priority = 3
[[channels]]
id = "a"
provider = "sandbox"
priority = 1
currencies = ["CNY"]
max_amount_minor = 5000
[[channels]]
id = "b"
provider = "sandbox"
priority = 2
"#;

#[test]
fn priority_orders_by_priority_and_filters_by_capability() {
    let r = router(THREE);
    let m = merchant();
    let mut rng = SmallRng::seed_from_u64(1);
    assert_eq!(ids(&r.plan(&request(&m), &mut rng)), ["a", "b", "c"]);

    let mut big = request(&m);
    big.amount = cny(6000);
    assert_eq!(
        ids(&r.plan(&big, &mut rng)),
        ["b", "c"],
        "a caps amounts at 5000"
    );

    let mut usd = request(&m);
    usd.amount = Money::new(1000, Currency::parse("USD").unwrap());
    assert_eq!(ids(&r.plan(&usd, &mut rng)), ["b", "c"], "a takes only CNY");

    let mut card = request(&m);
    card.method = Method::Card;
    assert!(r.plan(&card, &mut rng).is_empty());
}

#[test]
fn the_request_may_prefer_or_exclude_channels() {
    let r = router(THREE);
    let m = merchant();
    let mut rng = SmallRng::seed_from_u64(1);
    let c = ChannelId::parse("c").unwrap();
    let a = ChannelId::parse("a").unwrap();
    let mut req = request(&m);
    req.preferred = Some(&c);
    assert_eq!(ids(&r.plan(&req, &mut rng)), ["c", "a", "b"]);
    let excluded = [a.clone()];
    req.excluded = &excluded;
    assert_eq!(ids(&r.plan(&req, &mut rng)), ["c", "b"]);
    // A preferred channel that cannot take the payment is not forced in.
    let mut big = request(&m);
    big.amount = cny(6000);
    big.preferred = Some(&a);
    assert_eq!(ids(&r.plan(&big, &mut rng)), ["b", "c"]);
}

#[test]
fn the_first_matching_route_wins_and_the_default_catches_the_rest() {
    let toml = format!(
        r#"{THREE}
[[routes]]
name = "vip"
tags = ["vip"]
channels = ["c"]
[[routes]]
name = "big"
min_amount_minor = 3000
channels = ["b", "c"]
[[routes]]
name = "one-merchant"
merchants = ["{m}"]
methods = ["web_page"]
channels = ["a"]
[routing]
default_channels = ["a", "b"]
"#,
        m = merchant()
    );
    let r = router(&toml);
    let m = merchant();
    let mut rng = SmallRng::seed_from_u64(1);
    let mut vip = request(&m);
    vip.tag = Some("vip");
    assert_eq!(ids(&r.plan(&vip, &mut rng)), ["c"]);
    let mut big = request(&m);
    big.amount = cny(4000);
    assert_eq!(ids(&r.plan(&big, &mut rng)), ["b", "c"]);
    let mut web = request(&m);
    web.method = Method::WebPage;
    assert_eq!(ids(&r.plan(&web, &mut rng)), ["a"]);
    let other = "mch_01M80PTB5J6PAPTZJ1KC0PW8G6".parse().unwrap();
    let mut web_other = request(&other);
    web_other.method = Method::WebPage;
    assert_eq!(
        ids(&r.plan(&web_other, &mut rng)),
        ["a", "b"],
        "default list"
    );
}

#[test]
fn weighted_70_30_over_10000_routings_lands_within_2_points() {
    let r = router(
        r#"
[[channels]]
id = "seventy"
provider = "sandbox"
weight = 70
[[channels]]
id = "thirty"
provider = "sandbox"
weight = 30
[routing]
default_strategy = "weighted"
"#,
    );
    let m = merchant();
    let mut rng = SmallRng::seed_from_u64(42);
    let mut first: HashMap<String, u32> = HashMap::new();
    for _ in 0..10_000 {
        let plan = r.plan(&request(&m), &mut rng);
        assert_eq!(plan.len(), 2, "the other channel stays as the fallback");
        *first.entry(plan[0].id.to_string()).or_default() += 1;
    }
    let share = f64::from(first["seventy"]) / 100.0;
    assert!((68.0..=72.0).contains(&share), "seventy got {share}%");
}

#[test]
fn adaptive_moves_traffic_off_a_failing_channel_and_keeps_exploring_it() {
    let r = router(
        r#"
[[channels]]
id = "primary"
provider = "sandbox"
priority = 1
[[channels]]
id = "secondary"
provider = "sandbox"
priority = 2
[routing]
default_strategy = "adaptive"
exploration = 0.05
"#,
    );
    let m = merchant();
    let mut rng = SmallRng::seed_from_u64(7);
    let first_share = |r: &Router, rng: &mut SmallRng, id: &str| {
        let n = (0..4_000)
            .filter(|_| r.plan(&request(&m), rng)[0].id.as_str() == id)
            .count();
        n as f64 / 4_000.0
    };
    // Both healthy: the better-priority one leads, the other is explored.
    let primary_share = first_share(&r, &mut rng, "primary");
    assert!(primary_share > 0.9, "{primary_share}");

    for _ in 0..30 {
        r.channels()[0]
            .stats
            .record(false, Duration::from_millis(5), Some("DOWN"));
        r.channels()[1]
            .stats
            .record(true, Duration::from_millis(5), None);
    }
    let primary_share = first_share(&r, &mut rng, "primary");
    assert!(
        (0.01..0.1).contains(&primary_share),
        "failing primary is only explored: {primary_share}"
    );

    // It recovers: traffic comes back as its success rate climbs past the other's.
    for _ in 0..60 {
        r.channels()[0]
            .stats
            .record(true, Duration::from_millis(1), None);
        r.channels()[1]
            .stats
            .record(true, Duration::from_millis(50), None);
    }
    let primary_share = first_share(&r, &mut rng, "primary");
    assert!(primary_share > 0.9, "{primary_share}");
}

#[tokio::test(start_paused = true)]
async fn admission_checks_enabled_limiter_and_breaker() {
    let r = router(
        r#"
[[channels]]
id = "limited"
provider = "sandbox"
rate_limit = { per_second = 1, burst = 2 }
breaker = { window = 2, minimum_calls = 2, open_ms = 1000, max_open_ms = 1000, half_open_probes = 1 }
"#,
    );
    let c = &r.channels()[0];
    let now = Instant::now();
    assert_eq!(c.limiter_headroom(now), Some(2));
    let permit = c.admit(now).unwrap();
    c.finish(permit, false, Duration::from_millis(1), Some("X"), now);
    assert_eq!(c.limiter_headroom(now), Some(1));
    let permit = c.admit(now).unwrap();
    c.finish(permit, false, Duration::from_millis(1), Some("X"), now);
    // Two failures of two: the breaker opens. The limiter is also spent.
    assert_eq!(c.admit(now).unwrap_err(), Skip::RateLimited);
    c.set_enabled(false);
    assert_eq!(c.admit(now).unwrap_err(), Skip::Disabled);
    c.set_enabled(true);
    assert_eq!(c.breaker.state(now), breaker::BreakerState::Open);
}
