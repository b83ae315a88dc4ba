//! Risk rules and lists managed at runtime, and their audit trail, the same SQL on every
//! backend. A change is checked against the whole state it makes and written with its
//! audit record in one write, so nothing is half-applied and two operators' changes never
//! interleave.

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;

use super::rows::corrupt;
use super::sql::{Columns, FromRow, Sql, Tx};
use super::writes::Backend;
use super::{RiskRules, StoreError};
use crate::domain::Timestamp;
use crate::domain::risk::{Counted, RuleError, RuleSpec, Tally};

/// The runtime rules and lists, as of `version` (the last audit record's seq).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RiskState {
    pub version: i64,
    pub rules: BTreeMap<String, StoredRule>,
    pub lists: BTreeMap<String, StoredList>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoredRule {
    pub spec: RuleSpec,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoredList {
    pub kind: String,
    pub created_at: Timestamp,
    /// Sorted.
    pub entries: Vec<String>,
}

/// One change to the runtime rules or lists.
#[derive(Debug, Clone, PartialEq)]
pub enum RiskChange {
    /// Creates or replaces the rule of its id.
    PutRule(RuleSpec),
    /// Enables or disables the runtime rule of `id`, or else puts a runtime copy of the
    /// config file's rule `config` with that flag.
    SetEnabled {
        id: String,
        enabled: bool,
        config: Option<RuleSpec>,
    },
    DeleteRule(String),
    CreateList {
        id: String,
        kind: String,
    },
    /// Entries already listed are left as they are; the list (of `kind`) is made if it has
    /// no runtime row yet (a config file's list).
    AddEntries {
        list: String,
        kind: String,
        entries: Vec<String>,
    },
    /// Entries not listed are ignored.
    RemoveEntries {
        list: String,
        entries: Vec<String>,
    },
}

/// Who changed the rules, as the operator named themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub seq: i64,
    pub at: Timestamp,
    pub actor: String,
    /// `rule.put`, `rule.delete`, `list.create`, `list.add`, `list.remove`.
    pub action: String,
    /// The rule or list id.
    pub target: String,
    /// The rule (JSON) before and after, or the entries added or removed (JSON array).
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Whether the state a change makes may be put in force: the refused fields, if not.
pub type Check = Arc<dyn Fn(&RiskState) -> Result<(), Vec<RuleError>> + Send + Sync>;

/// What a checked change did.
#[derive(Debug, Clone, PartialEq)]
pub enum Changed {
    /// Written, with its audit record; the state it made.
    Applied(Box<RiskState>, AuditRecord),
    /// The change changes nothing (a put of the same rule, entries already there).
    Unchanged(Box<RiskState>),
    /// The rule or list it names does not exist.
    NotFound,
    Refused(Vec<RuleError>),
}

impl FromRow for AuditRecord {
    fn from_row(row: &mut dyn Columns) -> Result<Self, StoreError> {
        Ok(Self {
            seq: row.int()?,
            at: Timestamp::from_micros(row.int()?),
            actor: row.text()?,
            action: row.text()?,
            target: row.text()?,
            before: row.opt_text()?,
            after: row.opt_text()?,
        })
    }
}

const AUDIT_COLUMNS: &str = "seq, at, actor, action, target, before, after";

async fn read_state<T: Tx>(tx: &mut T) -> Result<RiskState, StoreError> {
    let mut state = RiskState {
        version: tx
            .fetch_one::<i64>(&Sql::new("SELECT COALESCE(MAX(seq), 0) FROM risk_audit"))
            .await?,
        ..RiskState::default()
    };
    let rules = tx
        .fetch::<(String, (String, (i64, i64)))>(&Sql::new(
            "SELECT id, spec, created_at, updated_at FROM risk_rules ORDER BY id",
        ))
        .await?;
    for (id, (spec, (created, updated))) in rules {
        let spec: RuleSpec = serde_json::from_str(&spec).map_err(corrupt)?;
        let rule = StoredRule {
            spec,
            created_at: Timestamp::from_micros(created),
            updated_at: Timestamp::from_micros(updated),
        };
        state.rules.insert(id, rule);
    }
    let lists = tx
        .fetch::<(String, (String, i64))>(&Sql::new(
            "SELECT id, kind, created_at FROM risk_lists ORDER BY id",
        ))
        .await?;
    for (id, (kind, created)) in lists {
        let list = StoredList {
            kind,
            created_at: Timestamp::from_micros(created),
            entries: Vec::new(),
        };
        state.lists.insert(id, list);
    }
    let entries = tx
        .fetch::<(String, String)>(&Sql::new(
            "SELECT list_id, entry FROM risk_list_entries ORDER BY list_id, entry",
        ))
        .await?;
    for (list, entry) in entries {
        if let Some(l) = state.lists.get_mut(&list) {
            l.entries.push(entry);
        }
    }
    Ok(state)
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(corrupt)
}

/// What a change does to the state in memory.
enum Applied {
    /// The audit record's action, target, before and after.
    Change(&'static str, String, Option<String>, Option<String>),
    Unchanged,
    NotFound,
    Refused(RuleError),
}

/// Applies `change` to `state` in memory.
fn apply(
    state: &mut RiskState,
    change: &RiskChange,
    now: Timestamp,
) -> Result<Applied, StoreError> {
    Ok(match change {
        RiskChange::SetEnabled {
            id,
            enabled,
            config,
        } => {
            let Some(mut spec) = state
                .rules
                .get(id)
                .map(|r| r.spec.clone())
                .or(config.clone())
            else {
                return Ok(Applied::NotFound);
            };
            spec.enabled = *enabled;
            return apply(state, &RiskChange::PutRule(spec), now);
        }
        RiskChange::PutRule(spec) => {
            let old = state.rules.get(&spec.id);
            if old.is_some_and(|r| r.spec == *spec) {
                return Ok(Applied::Unchanged);
            }
            let before = old.map(|r| json(&r.spec)).transpose()?;
            let created_at = old.map_or(now, |r| r.created_at);
            let rule = StoredRule {
                spec: spec.clone(),
                created_at,
                updated_at: now,
            };
            state.rules.insert(spec.id.clone(), rule);
            Applied::Change("rule.put", spec.id.clone(), before, Some(json(spec)?))
        }
        RiskChange::DeleteRule(id) => match state.rules.remove(id) {
            Some(old) => Applied::Change("rule.delete", id.clone(), Some(json(&old.spec)?), None),
            None => Applied::NotFound,
        },
        RiskChange::CreateList { id, kind } => match state.lists.get(id) {
            Some(l) if l.kind == *kind => Applied::Unchanged,
            Some(l) => Applied::Refused(RuleError {
                field: "list_id".into(),
                reason: "LIST_EXISTS",
                message: format!("{id:?} is a list of {} already", l.kind),
            }),
            None => {
                let list = StoredList {
                    kind: kind.clone(),
                    created_at: now,
                    entries: Vec::new(),
                };
                state.lists.insert(id.clone(), list);
                Applied::Change("list.create", id.clone(), None, Some(json(kind)?))
            }
        },
        RiskChange::AddEntries {
            list,
            kind,
            entries,
        } => {
            let l = state
                .lists
                .entry(list.clone())
                .or_insert_with(|| StoredList {
                    kind: kind.clone(),
                    created_at: now,
                    entries: Vec::new(),
                });
            let mut added: Vec<String> = entries
                .iter()
                .filter(|e| l.entries.binary_search(e).is_err())
                .cloned()
                .collect();
            added.sort();
            added.dedup();
            if added.is_empty() {
                return Ok(Applied::Unchanged);
            }
            l.entries.extend(added.iter().cloned());
            l.entries.sort();
            Applied::Change("list.add", list.clone(), None, Some(json(&added)?))
        }
        RiskChange::RemoveEntries { list, entries } => {
            let Some(l) = state.lists.get_mut(list) else {
                return Ok(Applied::NotFound);
            };
            let mut removed: Vec<String> = entries
                .iter()
                .filter(|e| l.entries.binary_search(e).is_ok())
                .cloned()
                .collect();
            removed.sort();
            removed.dedup();
            if removed.is_empty() {
                return Ok(Applied::Unchanged);
            }
            l.entries.retain(|e| removed.binary_search(e).is_err());
            Applied::Change("list.remove", list.clone(), Some(json(&removed)?), None)
        }
    })
}

/// The statements that write `change` as `state` now has it.
async fn write<T: Tx>(
    tx: &mut T,
    change: &RiskChange,
    state: &RiskState,
    audit: &AuditRecord,
) -> Result<(), StoreError> {
    match change {
        RiskChange::PutRule(RuleSpec { id, .. }) | RiskChange::SetEnabled { id, .. } => {
            let rule = &state.rules[id];
            let spec = &rule.spec;
            let sql = Sql::new(
                "INSERT INTO risk_rules (id, spec, created_at, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (id) DO UPDATE SET spec = excluded.spec, \
                 updated_at = excluded.updated_at",
            )
            .arg(spec.id.as_str())
            .arg(json(spec)?)
            .arg(rule.created_at.as_micros())
            .arg(rule.updated_at.as_micros());
            tx.execute(&sql).await?;
        }
        RiskChange::DeleteRule(id) => {
            let sql = Sql::new("DELETE FROM risk_rules WHERE id = $1").arg(id.as_str());
            tx.execute(&sql).await?;
        }
        RiskChange::CreateList { id, kind } => {
            let sql = Sql::new("INSERT INTO risk_lists (id, kind, created_at) VALUES ($1, $2, $3)")
                .arg(id.as_str())
                .arg(kind.as_str())
                .arg(audit.at.as_micros());
            tx.execute(&sql).await?;
        }
        RiskChange::AddEntries {
            list,
            kind,
            entries,
        } => {
            let sql = Sql::new(
                "INSERT INTO risk_lists (id, kind, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .arg(list.as_str())
            .arg(kind.as_str())
            .arg(audit.at.as_micros());
            tx.execute(&sql).await?;
            for entry in entries {
                let sql = Sql::new(
                    "INSERT INTO risk_list_entries (list_id, entry, created_at) \
                     VALUES ($1, $2, $3) ON CONFLICT (list_id, entry) DO NOTHING",
                )
                .arg(list.as_str())
                .arg(entry.as_str())
                .arg(audit.at.as_micros());
                tx.execute(&sql).await?;
            }
        }
        RiskChange::RemoveEntries { list, entries } => {
            for entry in entries {
                let sql =
                    Sql::new("DELETE FROM risk_list_entries WHERE list_id = $1 AND entry = $2")
                        .arg(list.as_str())
                        .arg(entry.as_str());
                tx.execute(&sql).await?;
            }
        }
    }
    let sql = Sql::new(format!(
        "INSERT INTO risk_audit ({AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    ))
    .arg(audit.seq)
    .arg(audit.at.as_micros())
    .arg(audit.actor.as_str())
    .arg(audit.action.as_str())
    .arg(audit.target.as_str())
    .arg(audit.before.as_deref())
    .arg(audit.after.as_deref());
    tx.execute(&sql).await?;
    Ok(())
}

#[async_trait]
impl<B: Backend> RiskRules for B {
    async fn risk_state(&self) -> Result<RiskState, StoreError> {
        self.batcher()
            .write("risk_state", (), |mut tx, ()| {
                Box::pin(async move { read_state(&mut *tx).await })
            })
            .await
    }

    async fn risk_version(&self) -> Result<i64, StoreError> {
        let sql = Sql::new("SELECT COALESCE(MAX(seq), 0) FROM risk_audit");
        self.fetch_one(&sql).await
    }

    async fn change_risk(
        &self,
        change: RiskChange,
        actor: String,
        now: Timestamp,
        check: Check,
    ) -> Result<Changed, StoreError> {
        self.batcher()
            .write(
                "change_risk",
                (change, actor, check),
                move |mut tx, (change, actor, check)| {
                    Box::pin(async move {
                        let mut state = read_state(&mut *tx).await?;
                        let (action, target, was, is) = match apply(&mut state, change, now)? {
                            Applied::Change(action, target, was, is) => (action, target, was, is),
                            Applied::Unchanged => return Ok(Changed::Unchanged(Box::new(state))),
                            Applied::NotFound => return Ok(Changed::NotFound),
                            Applied::Refused(e) => return Ok(Changed::Refused(vec![e])),
                        };
                        if let Err(refused) = check(&state) {
                            return Ok(Changed::Refused(refused));
                        }
                        state.version += 1;
                        let audit = AuditRecord {
                            seq: state.version,
                            at: now,
                            actor: actor.clone(),
                            action: action.to_owned(),
                            target,
                            before: was,
                            after: is,
                        };
                        write(&mut *tx, change, &state, &audit).await?;
                        Ok(Changed::Applied(Box::new(state), audit))
                    })
                },
            )
            .await
    }

    async fn risk_audit(
        &self,
        before_seq: Option<i64>,
        limit: u32,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        let mut sql = Sql::new(format!(
            "SELECT {AUDIT_COLUMNS} FROM risk_audit WHERE seq < "
        ));
        sql.param(before_seq.unwrap_or(i64::MAX))
            .push(" ORDER BY seq DESC LIMIT ")
            .param(i64::from(limit));
        self.fetch(&sql).await
    }

    async fn prune_risk_counters(&self, day: &str) -> Result<u64, StoreError> {
        self.batcher()
            .write("prune_risk_counters", day.to_owned(), |mut tx, day| {
                Box::pin(async move {
                    // Keys start with their day, `YYYY-MM-DD±HH:MM/`: earlier days sort first.
                    let sql =
                        Sql::new("DELETE FROM risk_counters WHERE key < $1").arg(day.as_str());
                    tx.execute(&sql).await
                })
            })
            .await
    }

    async fn risk_tallies(&self, tallies: Vec<Tally>) -> Result<Vec<Counted>, StoreError> {
        if tallies.is_empty() {
            return Ok(Vec::new());
        }
        let rows = self.fetch(&super::risk::query(&tallies)).await?;
        super::risk::answers(&tallies, rows)
    }
}
