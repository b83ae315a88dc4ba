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
    b.try_acquire(now)
        .expect("admitted")
        .record(failed, FAST, now);
}

fn rejected(b: &Breaker, now: Instant) -> bool {
    matches!(b.try_acquire(now), Err(Rejected))
}

fn trip(b: &Breaker) {
    for _ in 0..4 {
        call(b, true);
    }
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
    assert!(rejected(&b, Instant::now()));
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
        b.try_acquire(now)
            .unwrap()
            .record(false, Duration::from_millis(1_001), now);
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
    assert!(rejected(&b, Instant::now()), "still cooling down");
    tokio::time::advance(Duration::from_millis(1)).await;
    assert_eq!(b.state(Instant::now()), BreakerState::HalfOpen);
    let now = Instant::now();
    let first = b.try_acquire(now).unwrap();
    let second = b.try_acquire(now).unwrap();
    assert!(rejected(&b, now), "only two probes at a time");
    first.record(false, FAST, now);
    assert_eq!(b.state(now), BreakerState::HalfOpen);
    second.record(false, FAST, now);
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
        assert!(rejected(&b, Instant::now()), "{cool_down}");
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

#[tokio::test(start_paused = true)]
async fn a_probe_dropped_unreported_gives_its_slot_back() {
    let b = breaker();
    trip(&b);
    tokio::time::advance(Duration::from_millis(1_000)).await;
    let now = Instant::now();
    // Two probes admitted, then neither call goes out (say, its attempt could not be
    // written): the slots are free again and the next probes close the breaker.
    drop(b.try_acquire(now).unwrap());
    drop(b.try_acquire(now).unwrap());
    call(&b, false);
    call(&b, false);
    assert_eq!(b.state(now), BreakerState::Closed);
}

#[tokio::test(start_paused = true)]
async fn a_probe_that_never_reports_reopens_it_after_the_slow_call_limit() {
    let b = breaker();
    trip(&b);
    tokio::time::advance(Duration::from_millis(1_000)).await;
    let lost = [
        b.try_acquire(Instant::now()).unwrap(),
        b.try_acquire(Instant::now()).unwrap(),
    ];
    tokio::time::advance(Duration::from_millis(1_000)).await;
    assert!(rejected(&b, Instant::now()), "the probes may still answer");
    tokio::time::advance(Duration::from_millis(1)).await;
    assert!(rejected(&b, Instant::now()));
    assert_eq!(
        b.state(Instant::now()),
        BreakerState::Open,
        "overdue probes count as slow calls"
    );
    // The overdue probes' late reports belong to a state that is gone.
    for p in lost {
        p.record(false, FAST, Instant::now());
    }
    assert_eq!(b.state(Instant::now()), BreakerState::Open);
    tokio::time::advance(Duration::from_millis(2_000)).await;
    call(&b, false);
    call(&b, false);
    assert_eq!(b.state(Instant::now()), BreakerState::Closed);
}

#[tokio::test(start_paused = true)]
async fn a_call_admitted_before_it_opened_is_not_a_probe() {
    let b = breaker();
    let early = b.try_acquire(Instant::now()).unwrap();
    trip(&b);
    tokio::time::advance(Duration::from_millis(1_000)).await;
    let probe = b.try_acquire(Instant::now()).unwrap();
    early.record(false, FAST, Instant::now());
    probe.record(false, FAST, Instant::now());
    assert_eq!(
        b.state(Instant::now()),
        BreakerState::HalfOpen,
        "one of two probes has reported"
    );
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
