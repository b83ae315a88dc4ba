//! `[risk]`: the risk rules and lists in force when a node starts, and the day daily
//! counters count in.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{ConfigError, bad};
use crate::domain::risk::{ListSpec, RuleSet, RuleSpec};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RiskConfig {
    /// The UTC offset of the day daily counters count (`+08:00`, China Standard Time,
    /// unless set): they start again at its midnight.
    pub utc_offset: String,
    /// `[[risk.rules]]`, see docs/risk.md.
    pub rules: Vec<RuleSpec>,
    /// `[[risk.lists]]`: buyer ids, client IPs and CIDR ranges, or device ids.
    pub lists: Vec<ListSpec>,
    /// How often each node looks for rule and list changes made on other nodes (a change
    /// applies on the node that made it at once).
    pub refresh_ms: u64,
}

impl Default for RiskConfig {
    fn default() -> Self {
        Self {
            utc_offset: "+08:00".into(),
            rules: Vec::new(),
            lists: Vec::new(),
            refresh_ms: 1000,
        }
    }
}

/// Seconds east of UTC that `±HH:MM` names (at most 14 hours).
pub fn parse_offset(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 6 || b[3] != b':' || !b[1..3].iter().chain(&b[4..]).all(u8::is_ascii_digit) {
        return None;
    }
    let sign = match b[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (h, m): (i64, i64) = (text[1..3].parse().ok()?, text[4..].parse().ok()?);
    (m < 60 && h * 60 + m <= 14 * 60).then_some(sign * (h * 3600 + m * 60))
}

impl RiskConfig {
    /// The rules and lists as a set, or every refused field, named under `risk.`.
    pub fn rule_set(&self) -> Result<Arc<RuleSet>, ConfigError> {
        if self.refresh_ms == 0 {
            return Err(bad("risk.refresh_ms", "must be positive"));
        }
        let offset = parse_offset(&self.utc_offset)
            .ok_or_else(|| bad("risk.utc_offset", "must be ±HH:MM, e.g. +08:00"))?;
        RuleSet::build(&self.rules, &self.lists, offset).map_err(|errors| {
            let all: Vec<String> = errors
                .iter()
                .map(|e| format!("risk.{}: {} ({})", e.field, e.message, e.reason))
                .collect();
            ConfigError(all.join("; "))
        })
    }
}
