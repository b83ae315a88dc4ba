//! Risk rules (风控): the rules and lists in force on this node, and their management.
//! Payments screen new payments against them (`payments::screen`) and operators decide the
//! payments they hold for review (`payments::review`).
//!
//! Two layers make the rules in force: the config file's `[risk]`, and rules and lists
//! changed at runtime (AdminService, `paycore risk`), kept in the database. A runtime rule
//! replaces the config rule of its id (deleting it brings the config rule back); a list's
//! entries are the config file's and the runtime ones together. Every node polls the
//! database's version of the runtime layer and rebuilds its set when it moved.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use tokio::sync::watch;

use super::{Error, Violation};
use crate::config::RiskConfig;
use crate::domain::risk::{
    ListSpec, RuleError, RuleSet, RuleSpec, canonical_entry, list_kind, valid_id,
};
use crate::domain::{Clock, Day, Timestamp};
use crate::storage::Store;
use crate::storage::risk_rules::{AuditRecord, Changed, Check, RiskChange, RiskState};

/// Most entries one request adds or removes.
pub const MAX_ENTRIES_PER_CHANGE: usize = 1000;
/// How often a node deletes daily counters no rule reads again.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);
/// The longest actor name a change records.
pub const MAX_ACTOR: usize = 64;

/// Where a rule or list in force comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Config,
    Runtime,
}

/// A rule in force (or disabled), as operators see it.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleView {
    pub spec: RuleSpec,
    pub source: Source,
    /// When a runtime rule last changed.
    pub updated_at: Option<Timestamp>,
}

/// A list, as operators see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListView {
    pub id: String,
    pub kind: String,
    pub source: Source,
    pub entries: usize,
}

/// What is in force: the built set and the runtime layer it was built from.
struct InForce {
    rules: Arc<RuleSet>,
    state: Arc<RiskState>,
}

pub struct Risk {
    in_force: RwLock<InForce>,
    /// The runtime layer's version in force, for cheap polling.
    version: AtomicI64,
    config: RiskConfig,
    offset_secs: i64,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

impl Risk {
    /// The config file's rules alone, until [`Risk::load`] reads the runtime layer.
    pub fn new(
        config: &RiskConfig,
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, crate::config::ConfigError> {
        let rules = config.rule_set()?;
        Ok(Self {
            offset_secs: rules.offset_secs(),
            in_force: RwLock::new(InForce {
                rules,
                state: Arc::default(),
            }),
            version: AtomicI64::new(-1),
            config: config.clone(),
            store,
            clock,
        })
    }

    /// The rules in force now; a payment is decided by one set from start to end.
    pub fn rules(&self) -> Arc<RuleSet> {
        self.read().rules.clone()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, InForce> {
        self.in_force.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Reads the runtime layer and puts the set it makes in force.
    pub async fn load(&self) -> Result<(), Error> {
        let state = self.store.risk_state().await?;
        self.put_in_force(state)
    }

    fn put_in_force(&self, state: RiskState) -> Result<(), Error> {
        let (rules, lists) = merged(&self.config, &state);
        let set = RuleSet::build(&rules, &lists, self.offset_secs).map_err(|errors| {
            Error::Internal(format!(
                "the risk rules in the database do not build with this node's config: {}",
                describe(&errors)
            ))
        })?;
        let version = state.version;
        let mut in_force = self
            .in_force
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        // A slower reload of an older version never replaces a newer one.
        if version >= in_force.state.version {
            *in_force = InForce {
                rules: set,
                state: Arc::new(state),
            };
            self.version.store(version, Ordering::SeqCst);
        }
        Ok(())
    }

    /// Reloads when the database's version moved; whether it did.
    pub async fn refresh(&self) -> Result<bool, Error> {
        let version = self.store.risk_version().await?;
        if version == self.version.load(Ordering::SeqCst) {
            return Ok(false);
        }
        self.load().await?;
        Ok(true)
    }

    /// Polls for changes made on other nodes every `every` until `stop`, and once an hour
    /// deletes daily counters of days before yesterday.
    pub async fn follow(self: Arc<Self>, every: Duration, mut stop: watch::Receiver<bool>) {
        let mut pruned_at: Option<tokio::time::Instant> = None;
        loop {
            if pruned_at.is_none_or(|at| at.elapsed() >= PRUNE_EVERY) {
                pruned_at = Some(tokio::time::Instant::now());
                if let Err(e) = self.prune().await {
                    tracing::warn!(error = %e, "could not prune old risk counters");
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = stop.changed() => return,
            }
            match self.refresh().await {
                Ok(true) => tracing::info!(
                    version = self.version.load(Ordering::SeqCst),
                    "risk rules changed"
                ),
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e, "could not refresh the risk rules"),
            }
        }
    }

    /// Deletes the daily counters of days before yesterday (at the configured offset): no
    /// rule reads them again. How many rows went.
    pub async fn prune(&self) -> Result<u64, Error> {
        let today = Day::of(self.clock.now(), self.offset_secs);
        let yesterday = today.minus(1).to_string();
        Ok(self.store.prune_risk_counters(&yesterday).await?)
    }

    /// Every rule, config and runtime, by id; a runtime rule shows in place of the config
    /// rule it replaces.
    pub fn rule_views(&self) -> Vec<RuleView> {
        let state = self.read().state.clone();
        let mut views: Vec<RuleView> = self
            .config
            .rules
            .iter()
            .filter(|r| !state.rules.contains_key(&r.id))
            .map(|r| RuleView {
                spec: r.clone(),
                source: Source::Config,
                updated_at: None,
            })
            .chain(state.rules.values().map(|r| RuleView {
                spec: r.spec.clone(),
                source: Source::Runtime,
                updated_at: Some(r.updated_at),
            }))
            .collect();
        views.sort_by(|a, b| a.spec.id.cmp(&b.spec.id));
        views
    }

    pub fn rule_view(&self, id: &str) -> Option<RuleView> {
        self.rule_views().into_iter().find(|r| r.spec.id == id)
    }

    /// Every list with its kind and how many entries it has in force.
    pub fn list_views(&self) -> Vec<ListView> {
        let in_force = self.read();
        in_force
            .rules
            .lists()
            .map(|l| ListView {
                id: l.id.clone(),
                kind: self.kind_of(&l.id, &in_force.state).unwrap_or_default(),
                source: if self.config.lists.iter().any(|c| c.id == l.id) {
                    Source::Config
                } else {
                    Source::Runtime
                },
                entries: l.entries.len(),
            })
            .collect()
    }

    fn kind_of(&self, list: &str, state: &RiskState) -> Option<String> {
        self.config
            .lists
            .iter()
            .find(|l| l.id == list)
            .map(|l| l.kind.clone())
            .or_else(|| state.lists.get(list).map(|l| l.kind.clone()))
    }

    /// A list's entries in force, sorted, after `after`.
    pub fn entries(
        &self,
        list: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<String>, Error> {
        let in_force = self.read();
        let l = in_force
            .rules
            .lists()
            .find(|l| l.id == list)
            .ok_or_else(|| Error::ListNotFound(format!("no list is {list:?}")))?;
        let start = after.map_or(0, |a| l.entries.partition_point(|e| e.as_str() <= a));
        Ok(l.entries[start..].iter().take(limit).cloned().collect())
    }

    /// Creates or replaces the runtime rule of `spec.id`.
    pub async fn put_rule(&self, actor: &str, spec: RuleSpec) -> Result<RuleView, Error> {
        check_actor(actor)?;
        // Checked against the lists as they are now, not as this node last saw them.
        self.refresh().await?;
        let lists = self.read().state.clone();
        refuse(check_rule(&self.config, self.offset_secs, &spec, &lists))?;
        let check = {
            let (config, offset, spec) = (self.config.clone(), self.offset_secs, spec.clone());
            Arc::new(move |state: &RiskState| check_rule(&config, offset, &spec, state)) as Check
        };
        let id = spec.id.clone();
        self.change(RiskChange::PutRule(spec), actor, check).await?;
        self.rule_view(&id)
            .ok_or_else(|| Error::Internal("a rule just put is not in force".into()))
    }

    /// Enables or disables a rule; a config rule is disabled by a runtime copy of it.
    pub async fn set_enabled(
        &self,
        actor: &str,
        id: &str,
        enabled: bool,
    ) -> Result<RuleView, Error> {
        check_actor(actor)?;
        // Flipped inside the write, on the rule as stored then: never on a stale copy.
        let change = RiskChange::SetEnabled {
            id: id.to_owned(),
            enabled,
            config: self.config.rules.iter().find(|r| r.id == id).cloned(),
        };
        let accept: Check = Arc::new(|_: &RiskState| Ok(()));
        self.change(change, actor, accept)
            .await
            .map_err(|e| match e {
                Error::RuleNotFound(_) => Error::RuleNotFound(format!("no rule is {id:?}")),
                e => e,
            })?;
        self.rule_view(id)
            .ok_or_else(|| Error::Internal("a rule just changed is not in force".into()))
    }

    /// Deletes a runtime rule; the config rule of its id, if any, is in force again and
    /// returned.
    pub async fn delete_rule(&self, actor: &str, id: &str) -> Result<Option<RuleView>, Error> {
        check_actor(actor)?;
        let accept: Check = Arc::new(|_: &RiskState| Ok(()));
        self.change(RiskChange::DeleteRule(id.to_owned()), actor, accept)
            .await
            .map_err(|e| match e {
                Error::RuleNotFound(_) => Error::RuleNotFound(format!(
                    "no runtime rule is {id:?} (a config rule is changed by a runtime rule of \
                     its id)"
                )),
                e => e,
            })?;
        Ok(self.rule_view(id))
    }

    /// Creates a list of buyer ids, client IPs or device ids.
    pub async fn create_list(&self, actor: &str, id: &str, kind: &str) -> Result<ListView, Error> {
        check_actor(actor)?;
        let mut bad = Vec::new();
        if !valid_id(id) {
            bad.push(Violation::new(
                "list_id",
                "INVALID_ID",
                "must be 1-64 of a-z, 0-9, _ and -",
            ));
        }
        if list_kind(kind).is_none() {
            bad.push(Violation::new(
                "kind",
                "INVALID_LIST_KIND",
                "must be buyer_id, client_ip or device_id",
            ));
        }
        if let Some(c) = self
            .config
            .lists
            .iter()
            .find(|l| l.id == id && l.kind != kind)
        {
            bad.push(Violation::new(
                "list_id",
                "LIST_EXISTS",
                format!("{id:?} is a list of {} in the config file", c.kind),
            ));
        }
        if !bad.is_empty() {
            return Err(Error::InvalidRequest(bad));
        }
        let accept: Check = Arc::new(|_: &RiskState| Ok(()));
        let change = RiskChange::CreateList {
            id: id.to_owned(),
            kind: kind.to_owned(),
        };
        self.change(change, actor, accept).await?;
        self.list_view(id)
    }

    fn list_view(&self, id: &str) -> Result<ListView, Error> {
        self.list_views()
            .into_iter()
            .find(|l| l.id == id)
            .ok_or_else(|| Error::ListNotFound(format!("no list is {id:?}")))
    }

    /// Adds entries to a list (a config file's list too); returns the list and how many
    /// were new.
    pub async fn add_entries(
        &self,
        actor: &str,
        list: &str,
        entries: &[String],
    ) -> Result<(ListView, usize), Error> {
        let (kind, canonical) = self.entries_of_change(actor, list, entries).await?;
        // What the config file lists is listed already.
        let from_config = self.config_entries(list);
        let new: Vec<String> = canonical
            .into_iter()
            .filter(|e| !from_config.contains(e))
            .collect();
        let before = self.list_view(list)?.entries;
        if new.is_empty() {
            return Ok((self.list_view(list)?, 0));
        }
        let accept: Check = Arc::new(|_: &RiskState| Ok(()));
        // A config file's list gets its runtime row with its first runtime entries.
        let change = RiskChange::AddEntries {
            list: list.to_owned(),
            kind,
            entries: new,
        };
        self.change(change, actor, accept).await?;
        let view = self.list_view(list)?;
        let added = view.entries.saturating_sub(before);
        Ok((view, added))
    }

    /// Removes runtime entries from a list; an entry from the config file is refused.
    pub async fn remove_entries(
        &self,
        actor: &str,
        list: &str,
        entries: &[String],
    ) -> Result<(ListView, usize), Error> {
        let (_, canonical) = self.entries_of_change(actor, list, entries).await?;
        let from_config = self.config_entries(list);
        let bad: Vec<Violation> = canonical
            .iter()
            .enumerate()
            .filter(|(_, e)| from_config.contains(*e))
            .map(|(i, _)| {
                Violation::new(
                    &format!("entries[{i}]"),
                    "ENTRY_FROM_CONFIG",
                    "is listed by the config file; remove it there",
                )
            })
            .collect();
        if !bad.is_empty() {
            return Err(Error::InvalidRequest(bad));
        }
        let before = self.list_view(list)?.entries;
        if !self.read().state.lists.contains_key(list) {
            return Ok((self.list_view(list)?, 0));
        }
        let accept: Check = Arc::new(|_: &RiskState| Ok(()));
        let change = RiskChange::RemoveEntries {
            list: list.to_owned(),
            entries: canonical,
        };
        self.change(change, actor, accept).await?;
        let view = self.list_view(list)?;
        let removed = before.saturating_sub(view.entries);
        Ok((view, removed))
    }

    /// The config file's entries of a list, as the list holds them.
    fn config_entries(&self, list: &str) -> Vec<String> {
        let Some(config) = self.config.lists.iter().find(|l| l.id == list) else {
            return Vec::new();
        };
        let Some(kind) = list_kind(&config.kind) else {
            return Vec::new();
        };
        config
            .entries
            .iter()
            .filter_map(|e| canonical_entry(&kind, e).ok())
            .collect()
    }

    /// Checks a change's actor and entries; the list's kind and the entries as it holds them.
    async fn entries_of_change(
        &self,
        actor: &str,
        list: &str,
        entries: &[String],
    ) -> Result<(String, Vec<String>), Error> {
        check_actor(actor)?;
        // Lists made on another node since the last poll count.
        self.refresh().await?;
        let state = self.read().state.clone();
        let kind = self
            .kind_of(list, &state)
            .ok_or_else(|| Error::ListNotFound(format!("no list is {list:?}")))?;
        if entries.is_empty() || entries.len() > MAX_ENTRIES_PER_CHANGE {
            return Err(Error::invalid(
                "entries",
                "INVALID_ENTRIES",
                format!("give 1 to {MAX_ENTRIES_PER_CHANGE} entries"),
            ));
        }
        let fact = list_kind(&kind)
            .ok_or_else(|| Error::Internal(format!("list {list:?} has kind {kind:?}")))?;
        let mut canonical = Vec::with_capacity(entries.len());
        let mut bad = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            match canonical_entry(&fact, e) {
                Ok(c) => canonical.push(c),
                Err(message) => bad.push(Violation::new(
                    &format!("entries[{i}]"),
                    "INVALID_ENTRY",
                    message,
                )),
            }
        }
        if !bad.is_empty() {
            return Err(Error::InvalidRequest(bad));
        }
        Ok((kind, canonical))
    }

    /// Writes a change with its audit record and puts the state it made in force here.
    async fn change(&self, change: RiskChange, actor: &str, check: Check) -> Result<(), Error> {
        let now = self.clock.now();
        let not_found = match &change {
            RiskChange::PutRule(_) | RiskChange::DeleteRule(_) => {
                Error::RuleNotFound("no such rule".into())
            }
            _ => Error::ListNotFound("no such list".into()),
        };
        match self
            .store
            .change_risk(change, actor.to_owned(), now, check)
            .await?
        {
            Changed::Applied(state, audit) => {
                tracing::info!(
                    actor = audit.actor,
                    action = audit.action,
                    target = audit.target,
                    "risk rules changed"
                );
                self.put_in_force(*state)
            }
            Changed::Unchanged(state) => self.put_in_force(*state),
            Changed::NotFound => Err(not_found),
            Changed::Refused(errors) => refuse(Err(errors)),
        }
    }

    /// The audit trail, newest first, before `before_seq`.
    pub async fn audit(
        &self,
        before_seq: Option<i64>,
        limit: u32,
    ) -> Result<Vec<AuditRecord>, Error> {
        Ok(self.store.risk_audit(before_seq, limit).await?)
    }
}

/// The rules and lists in force: the config file's, with runtime rules replacing config
/// rules of their ids and runtime entries added to lists.
fn merged(config: &RiskConfig, state: &RiskState) -> (Vec<RuleSpec>, Vec<ListSpec>) {
    let mut rules: Vec<RuleSpec> = config
        .rules
        .iter()
        .filter(|r| !state.rules.contains_key(&r.id))
        .cloned()
        .collect();
    rules.extend(state.rules.values().map(|r| r.spec.clone()));
    let mut lists = config.lists.clone();
    for (id, l) in &state.lists {
        match lists.iter_mut().find(|c| c.id == *id) {
            Some(c) => c.entries.extend(l.entries.iter().cloned()),
            None => lists.push(ListSpec {
                id: id.clone(),
                kind: l.kind.clone(),
                entries: l.entries.clone(),
            }),
        }
    }
    (rules, lists)
}

/// Checks one rule against the lists `state` and the config file make, with its fields
/// named `rule.…`.
fn check_rule(
    config: &RiskConfig,
    offset_secs: i64,
    spec: &RuleSpec,
    state: &RiskState,
) -> Result<(), Vec<RuleError>> {
    let (_, lists) = merged(config, state);
    // Entries were checked as they were added; kinds and ids are what a rule refers to.
    let lists: Vec<ListSpec> = lists
        .into_iter()
        .map(|l| ListSpec {
            entries: Vec::new(),
            ..l
        })
        .collect();
    RuleSet::build(std::slice::from_ref(spec), &lists, offset_secs)
        .map(drop)
        .map_err(|errors| {
            errors
                .into_iter()
                .map(|e| RuleError {
                    field: e.field.replacen("rules[0]", "rule", 1),
                    ..e
                })
                .collect()
        })
}

fn refuse(checked: Result<(), Vec<RuleError>>) -> Result<(), Error> {
    checked.map_err(|errors| {
        Error::InvalidRequest(
            errors
                .into_iter()
                .map(|e| Violation::new(&e.field, e.reason, e.message))
                .collect(),
        )
    })
}

fn describe(errors: &[RuleError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Checks who a change names as its author.
fn check_actor(actor: &str) -> Result<(), Error> {
    check_person("actor", actor)
}

/// Checks the name of the person a change or decision records (`field` of the request):
/// 1-64 printable characters.
pub fn check_person(field: &str, name: &str) -> Result<(), Error> {
    let n = name.chars().count();
    if n == 0 || n > MAX_ACTOR || name.chars().any(char::is_control) {
        return Err(Error::invalid(
            field,
            "INVALID_PERSON",
            format!("must be 1-{MAX_ACTOR} printable characters naming who acts"),
        ));
    }
    Ok(())
}
