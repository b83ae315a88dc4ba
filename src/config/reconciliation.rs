//! `[reconciliation]`: how runs match statements, and the daily schedule.

use serde::{Deserialize, Serialize};

use super::{ConfigError, bad};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReconciliationConfig {
    /// A payment or refund that succeeded this close to the end of its provider day and is
    /// not on that day's statement waits for the next day's (CARRIED) before it is raised.
    pub carry_minutes: u32,
    /// Most differences one run holds; a run that finds more fails with
    /// `RECONCILIATION_TOO_MANY_DIFFERENCES` (a wrong account or day, not a day's work).
    pub max_differences: u32,
    /// How long one run may take, fetching included.
    pub timeout_secs: u64,
    /// How often each node looks for a scheduled run that is due.
    pub check_secs: u64,
    /// Daily runs, one entry per channel.
    pub schedule: Vec<ScheduleConfig>,
}

impl Default for ReconciliationConfig {
    fn default() -> Self {
        Self {
            carry_minutes: 30,
            max_differences: 100_000,
            timeout_secs: 3600,
            check_secs: 60,
            schedule: Vec::new(),
        }
    }
}

/// A channel's daily run: at `at` of the provider's day (Asia/Shanghai for Alipay and
/// WeChat Pay, UTC for Stripe), reconcile the day `days_back` days before.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleConfig {
    pub channel: String,
    /// `HH:MM`; providers publish a day's statement in the morning after it (Alipay and
    /// WeChat Pay from about 09:00).
    pub at: String,
    #[serde(default = "one_day")]
    pub days_back: u32,
}

fn one_day() -> u32 {
    1
}

impl ScheduleConfig {
    /// Seconds after midnight `at` names.
    pub fn seconds_of_day(&self) -> Option<i64> {
        let (h, m) = self.at.split_once(':')?;
        let digits = |s: &str| s.len() == 2 && s.bytes().all(|c| c.is_ascii_digit());
        if !digits(h) || !digits(m) {
            return None;
        }
        let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
        (h < 24 && m < 60).then_some(h * 3600 + m * 60)
    }
}

impl ReconciliationConfig {
    pub(super) fn validate(&self, channels: &[&str]) -> Result<(), ConfigError> {
        if self.max_differences == 0 || self.timeout_secs == 0 || self.check_secs == 0 {
            return Err(bad(
                "reconciliation.max_differences",
                "max_differences, timeout_secs and check_secs must be positive",
            ));
        }
        if self.carry_minutes > 24 * 60 {
            return Err(bad("reconciliation.carry_minutes", "must be at most 1440"));
        }
        for (i, s) in self.schedule.iter().enumerate() {
            let key = format!("reconciliation.schedule[{i}]");
            if !channels.contains(&s.channel.as_str()) {
                return Err(bad(&format!("{key}.channel"), "no such channel"));
            }
            if s.seconds_of_day().is_none() {
                return Err(bad(&format!("{key}.at"), "must be HH:MM (00:00 to 23:59)"));
            }
            if !(1..=31).contains(&s.days_back) {
                return Err(bad(&format!("{key}.days_back"), "must be 1 to 31"));
            }
            if self.schedule[..i].iter().any(|o| o.channel == s.channel) {
                return Err(bad(&format!("{key}.channel"), "has another schedule entry"));
            }
        }
        Ok(())
    }
}
