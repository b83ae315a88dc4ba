use super::*;

const FAST: Duration = Duration::from_millis(10);

fn breaker() -> Breaker {
    Breaker::new(BreakerConfig {
        window: 10,
        minimum_calls: 4,
        failure_rate: 0.5,
        slow_call_ms: 1_000,
        open_ms: 1_000,
        max_open_ms: 3_000,
        half_open_probes: 2,
    })
}

fn call(b: &Breaker, failed: bool) {
    let now = Instant::now();
    b.try_acquire(now).expect("admitted");
    b.record(failed, FAST, now);
}

#[tokio::test(start_paused = true)]
async fn opens_at_the_threshold_only_after_the_minimum_calls() {
    let b = breaker();
    call(&b, true);
    call(&b, true);
    call(&b, true);
    assert_eq!(b.state(Instant::now()), BreakerState::Closed, "3 < minimum");
    call(&b, false);
    // 3 of 4 failed ≥ 50%: open.
    assert_eq!(b.state(Instant::now()), BreakerState::Open);
    assert_eq!(b.try_acquire(Instant::now()), Err(Rejected));
}

#[tokio::test(start_paused = true)]
async fn stays_closed_below_the_threshold() {
    let b = breaker();
    for i in 0..40 {
        call(&b, i % 3 == 2); // a third fail
    }
    assert_eq!(b.state(Instant::now()), BreakerState::Closed);
}

#[tokio::test(start_paused = true)]
async fn slow_successes_count_as_failures() {
    let b = breaker();
    for _ in 0..4 {
        let now = Instant::now();
        b.try_acquire(now).unwrap();
        b.record(false, Duration::from_millis(1_001), now);
    }
    assert_eq!(b.state(Instant::now()), BreakerState::Open);
}

#[tokio::test(start_paused = true)]
async fn half_open_probes_close_it_when_they_succeed() {
    let b = breaker();
    for _ in 0..4 {
        call(&b, true);
    }
    tokio::time::advance(Duration::from_millis(999)).await;
    assert_eq!(
        b.try_acquire(Instant::now()),
        Err(Rejected),
        "still cooling down"
    );
    tokio::time::advance(Duration::from_millis(1)).await;
    assert_eq!(b.state(Instant::now()), BreakerState::HalfOpen);
    let now = Instant::now();
    assert!(b.try_acquire(now).is_ok());
    assert!(b.try_acquire(now).is_ok());
    assert_eq!(
        b.try_acquire(now),
        Err(Rejected),
        "only two probes at a time"
    );
    b.record(false, FAST, now);
    assert_eq!(b.state(now), BreakerState::HalfOpen);
    b.record(false, FAST, now);
    assert_eq!(b.state(now), BreakerState::Closed);
    call(&b, false);
}

#[tokio::test(start_paused = true)]
async fn a_failed_probe_reopens_for_longer_up_to_the_cap() {
    let b = breaker();
    for _ in 0..4 {
        call(&b, true);
    }
    // Cool-downs: 1 s, then 2 s, then 3 s (capped), then 3 s.
    for cool_down in [1_000, 2_000, 3_000, 3_000] {
        tokio::time::advance(Duration::from_millis(cool_down - 1)).await;
        assert_eq!(b.try_acquire(Instant::now()), Err(Rejected), "{cool_down}");
        tokio::time::advance(Duration::from_millis(1)).await;
        call(&b, true); // the probe fails
        assert_eq!(b.state(Instant::now()), BreakerState::Open);
    }
    // Recovery resets the cool-down to its first length.
    tokio::time::advance(Duration::from_millis(3_000)).await;
    call(&b, false);
    call(&b, false);
    assert_eq!(b.state(Instant::now()), BreakerState::Closed);
    for _ in 0..4 {
        call(&b, true);
    }
    tokio::time::advance(Duration::from_millis(1_000)).await;
    assert_eq!(b.state(Instant::now()), BreakerState::HalfOpen);
}

#[test]
fn settings_are_validated() {
    let ok = BreakerConfig::default();
    assert_eq!(ok.validate(), Ok(()));
    let bad = BreakerConfig {
        minimum_calls: 30,
        ..ok.clone()
    };
    assert_eq!(bad.validate().unwrap_err().0, "minimum_calls");
    let bad = BreakerConfig {
        failure_rate: 0.0,
        ..ok
    };
    assert_eq!(bad.validate().unwrap_err().0, "failure_rate");
}
