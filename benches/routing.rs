//! One routing decision: rule match, strategy ordering, and admission of the first channel
//! (enabled, outbound limiter, breaker), as the payments service makes it per attempt.
//! `baseline/sha256_64b` is measured in the same run so results read as ratios.

// A benchmark whose setup fails stops.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use paycore::config::Config;
use paycore::domain::{Currency, MerchantId, Method, Money, Secret, SystemClock};
use paycore::provider::sandbox::Sandbox;
use paycore::routing::{Channel, RouteRequest, Router};
use rand::SeedableRng;
use rand::rngs::SmallRng;
use sha2::Digest;

fn router(strategy: &str) -> Router {
    let toml = format!(
        r#"
[[channels]]
id = "alipay-main"
provider = "sandbox"
priority = 1
weight = 70
rate_limit = {{ per_second = 1000000, burst = 1000000 }}
[[channels]]
id = "alipay-backup"
provider = "sandbox"
priority = 2
weight = 30
rate_limit = {{ per_second = 1000000, burst = 1000000 }}
[[channels]]
id = "wechat"
provider = "sandbox"
priority = 3
currencies = ["CNY"]
[[routes]]
name = "vip"
tags = ["vip"]
channels = ["wechat"]
[[routes]]
name = "large"
min_amount_minor = 100000000
channels = ["alipay-backup"]
[[routes]]
name = "qr"
methods = ["qr_code"]
currencies = ["CNY"]
strategy = "{strategy}"
channels = ["alipay-main", "alipay-backup", "wechat"]
"#
    );
    let config = Config::parse(&toml, Vec::new()).expect("bench config");
    let channels = config
        .channels
        .iter()
        .map(|c| {
            let provider = Arc::new(Sandbox::new(
                Secret::new(vec![1; 32]),
                "http://127.0.0.1:1".into(),
                Arc::new(SystemClock),
            ));
            Channel::new(c, vec![Method::QrCode], provider)
        })
        .collect();
    Router::new(channels, &config)
}

fn decision(c: &mut Criterion) {
    let merchant: MerchantId = "mch_01M80PTB5J6PAPTZJ1KC0PW8G5".parse().expect("id");
    let request = RouteRequest {
        method: Method::QrCode,
        amount: Money::new(1999, Currency::parse("CNY").expect("CNY")),
        merchant: &merchant,
        tag: None,
        preferred: None,
        excluded: &[],
    };
    let mut group = c.benchmark_group("route");
    for strategy in ["priority", "weighted", "adaptive"] {
        let router = router(strategy);
        let mut rng = SmallRng::seed_from_u64(1);
        group.bench_function(strategy, |b| {
            b.iter(|| {
                let plan = router.plan(black_box(&request), &mut rng);
                let first = &plan[0];
                let now = tokio::time::Instant::now();
                let admitted = first.admit(now);
                let ok = admitted.is_ok();
                if let Ok(permit) = admitted {
                    first.finish(permit, true, Duration::from_micros(50), None, now);
                }
                black_box(ok)
            })
        });
    }
    group.finish();
    c.bench_function("baseline/sha256_64b", |b| {
        let data = [7u8; 64];
        b.iter(|| black_box(sha2::Sha256::digest(black_box(data))))
    });
}

criterion_group!(benches, decision);
criterion_main!(benches);
