//! Routes: which channels a payment may use, and the strategies that order them.

use std::sync::Arc;

use rand::Rng;

use super::{Channel, RouteRequest};
use crate::config::Strategy;
use crate::domain::{Currency, MerchantId, Method};

/// A routing rule, resolved against the configured channels.
#[derive(Debug, Clone)]
pub struct Route {
    pub name: String,
    pub methods: Vec<Method>,
    pub currencies: Vec<Currency>,
    pub min_amount_minor: Option<i64>,
    pub max_amount_minor: Option<i64>,
    pub merchants: Vec<MerchantId>,
    pub tags: Vec<String>,
    pub strategy: Strategy,
    /// Indices into the router's channels, in the order listed.
    pub channels: Vec<usize>,
}

impl Route {
    /// Whether the payment meets every criterion the rule sets.
    pub fn matches(&self, req: &RouteRequest<'_>) -> bool {
        let amount = req.amount.amount_minor;
        (self.methods.is_empty() || self.methods.contains(&req.method))
            && (self.currencies.is_empty() || self.currencies.contains(&req.amount.currency))
            && self.min_amount_minor.is_none_or(|min| amount >= min)
            && self.max_amount_minor.is_none_or(|max| amount <= max)
            && (self.merchants.is_empty() || self.merchants.contains(req.merchant))
            && (self.tags.is_empty() || req.tag.is_some_and(|t| self.tags.iter().any(|x| x == t)))
    }
}

/// Orders `candidates` (indices into `channels`, in route order) by `strategy`.
pub fn order(
    strategy: Strategy,
    channels: &[Arc<Channel>],
    mut candidates: Vec<usize>,
    exploration: f64,
    rng: &mut impl Rng,
) -> Vec<usize> {
    match strategy {
        Strategy::Priority => {
            // Stable: equal priorities keep the route's order.
            candidates.sort_by_key(|&i| channels[i].priority);
            candidates
        }
        Strategy::Weighted => {
            // Draw without replacement, each pick proportional to weight; zero weights go
            // last, by priority.
            let (mut weighted, mut rest): (Vec<usize>, Vec<usize>) = candidates
                .into_iter()
                .partition(|&i| channels[i].weight > 0);
            let mut ordered = Vec::with_capacity(weighted.len() + rest.len());
            while !weighted.is_empty() {
                let total: u64 = weighted
                    .iter()
                    .map(|&i| u64::from(channels[i].weight))
                    .sum();
                let mut ticket = rng.random_range(0..total);
                let pos = weighted
                    .iter()
                    .position(|&i| {
                        let w = u64::from(channels[i].weight);
                        if ticket < w {
                            true
                        } else {
                            ticket -= w;
                            false
                        }
                    })
                    .unwrap_or(0);
                ordered.push(weighted.remove(pos));
            }
            rest.sort_by_key(|&i| channels[i].priority);
            ordered.extend(rest);
            ordered
        }
        Strategy::Adaptive => {
            let mut scored: Vec<(usize, f64)> = candidates
                .into_iter()
                .map(|i| (i, channels[i].stats.score()))
                .collect();
            scored.sort_by(|a, b| {
                b.1.total_cmp(&a.1)
                    .then(channels[a.0].priority.cmp(&channels[b.0].priority))
            });
            let mut ordered: Vec<usize> = scored.into_iter().map(|(i, _)| i).collect();
            // A small share goes to another channel first, so one that recovered is seen.
            if ordered.len() > 1 && rng.random_bool(exploration) {
                let pick = rng.random_range(1..ordered.len());
                let explored = ordered.remove(pick);
                ordered.insert(0, explored);
            }
            ordered
        }
    }
}
