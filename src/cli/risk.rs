//! `paycore risk …`: risk rules, lists, their audit trail, the review queue and dry runs,
//! for an operator on the host, against the configured database (AdminService offers the
//! same over gRPC). Each prints JSON, one object a line. A change applies at once in the
//! database and within `risk.refresh_ms` on every running node; a refused one prints the
//! service's violations and exits 2.

mod output;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Subcommand;

use super::{BadValue, BoxError, merchant_id};
use crate::app;
use crate::config::Config;
use crate::domain::risk::RuleSpec;
use crate::domain::{Clock, MerchantId, Method, PaymentId, SystemClock};
use crate::proto::{self, v1};
use crate::provider::SetupError;
use crate::service::risk::{MAX_ENTRIES_PER_CHANGE, Risk};
use crate::service::{self, Services};

/// Payments held for review, or audit records, read at a time.
const PAGE: u32 = 100;

#[derive(Subcommand)]
pub enum RiskCommand {
    #[command(flatten)]
    Rules(RuleCommand),
    #[command(flatten)]
    Payments(PaymentCommand),
}

/// Commands on the rules and lists in force, which need no channel.
#[derive(Subcommand)]
pub enum RuleCommand {
    /// Print every rule, config and runtime, by id: its config-file fields, `source`
    /// (config or runtime) and, for a runtime rule, `updated_at`.
    Rules,
    /// Create or replace the runtime rule of the file's `id` (a config rule of that id is
    /// replaced until the runtime rule is deleted); prints the rule in force.
    Put {
        /// The rule, as a TOML table with the config file's `[[risk.rules]]` keys (id,
        /// action, reason, mode, enabled, merchants, when = [...]), or as JSON when the name
        /// ends in .json (a line of `paycore risk rules` is one).
        #[arg(long, value_name = "PATH")]
        file: PathBuf,
        /// Who makes the change, 1-64 characters, for the audit trail.
        #[arg(long, value_name = "NAME")]
        actor: String,
    },
    /// Enable a rule (a config rule through a runtime copy of it); prints the rule.
    Enable {
        /// The rule, by its id.
        #[arg(long = "rule", value_name = "ID")]
        rule: String,
        /// Who makes the change, 1-64 characters, for the audit trail.
        #[arg(long, value_name = "NAME")]
        actor: String,
    },
    /// Disable a rule (a config rule through a runtime copy of it); prints the rule.
    Disable {
        /// The rule, by its id.
        #[arg(long = "rule", value_name = "ID")]
        rule: String,
        /// Who makes the change, 1-64 characters, for the audit trail.
        #[arg(long, value_name = "NAME")]
        actor: String,
    },
    /// Delete a runtime rule; prints the config rule of its id, in force again, if any.
    Delete {
        /// The runtime rule, by its id.
        #[arg(long = "rule", value_name = "ID")]
        rule: String,
        /// Who makes the change, 1-64 characters, for the audit trail.
        #[arg(long, value_name = "NAME")]
        actor: String,
    },
    /// Print every list, config and runtime: id, kind, source and entry_count.
    Lists,
    /// Create a list at runtime; prints it.
    CreateList {
        /// The list's id, 1-64 of a-z, 0-9, _ and -.
        #[arg(long = "list", value_name = "ID")]
        list: String,
        /// What its entries are.
        #[arg(long, value_parser = ["buyer_id", "client_ip", "device_id"])]
        kind: String,
        /// Who makes the change, 1-64 characters, for the audit trail.
        #[arg(long, value_name = "NAME")]
        actor: String,
    },
    /// Print a list's entries in force (config and runtime), sorted, one JSON string a
    /// line; addresses as networks (198.51.100.7/32).
    Entries {
        /// The list, by its id.
        #[arg(long = "list", value_name = "ID")]
        list: String,
    },
    /// Add entries to a list (a config file's too); prints the list and how many were new.
    Add {
        /// The list, by its id.
        #[arg(long = "list", value_name = "ID")]
        list: String,
        /// Who makes the change, 1-64 characters, for the audit trail.
        #[arg(long, value_name = "NAME")]
        actor: String,
        /// The entries: buyer ids, device ids, or IP addresses and CIDR networks
        /// (203.0.113.0/24), as the list's kind is; 1-1000.
        #[arg(value_name = "ENTRY", required = true, num_args = 1..=MAX_ENTRIES_PER_CHANGE)]
        entries: Vec<String>,
    },
    /// Remove runtime entries from a list (the config file's are refused); prints the list
    /// and how many were removed.
    Remove {
        /// The list, by its id.
        #[arg(long = "list", value_name = "ID")]
        list: String,
        /// Who makes the change, 1-64 characters, for the audit trail.
        #[arg(long, value_name = "NAME")]
        actor: String,
        /// The entries, written as when they were added; 1-1000.
        #[arg(value_name = "ENTRY", required = true, num_args = 1..=MAX_ENTRIES_PER_CHANGE)]
        entries: Vec<String>,
    },
    /// Print the audit trail of rule and list changes, newest first: seq, at, actor,
    /// action, target, before and after.
    Audit {
        /// How many records at most.
        #[arg(long, value_name = "N", default_value_t = 50,
              value_parser = clap::value_parser!(u32).range(1..=100_000))]
        limit: u32,
    },
}

/// Commands on payments, which need the configured channels.
#[derive(Subcommand)]
pub enum PaymentCommand {
    /// Print the payments the risk rules hold for review, oldest first, as the API shows
    /// a payment.
    Reviews {
        /// Only this merchant's, by its id (mch_…; default: every merchant's).
        #[arg(long, value_name = "ID", value_parser = merchant_id)]
        merchant_id: Option<MerchantId>,
    },
    /// Approve a payment held for review: this process places it at a channel as a new
    /// payment would be (so give it the server's --config); prints the payment after that.
    Approve(Decision),
    /// Reject a payment held for review: it ends FAILED with RISK_REJECTED; prints it.
    Reject(Decision),
    /// What the rules in force would decide for a payment now, without creating or
    /// counting it: prints {decision, decided_by, matches}.
    Evaluate(EvaluateArgs),
}

#[derive(clap::Args)]
pub struct Decision {
    /// The payment, by its id (pay_…).
    #[arg(long, value_name = "ID", value_parser = payment_id)]
    payment_id: PaymentId,
    /// Who decides, 1-64 characters, recorded on the payment.
    #[arg(long, value_name = "NAME")]
    reviewer: String,
    /// Why, at most 500 characters (default: none); a rejection's failure message.
    #[arg(long, value_name = "TEXT", default_value = "")]
    note: String,
}

#[derive(clap::Args)]
pub struct EvaluateArgs {
    /// The merchant the payment would be for, by its id (mch_…).
    #[arg(long, value_name = "ID", value_parser = merchant_id)]
    merchant_id: MerchantId,
    /// The amount in the currency's minor unit (fen, cents): 1999 is 19.99.
    #[arg(long, value_name = "N")]
    amount_minor: i64,
    /// The currency, an ISO 4217 code (CNY, USD...).
    #[arg(long, value_name = "CODE")]
    currency: String,
    /// The payment method: qr_code, web_page, app, jsapi, h5 or card.
    #[arg(long, value_name = "METHOD", value_parser = method)]
    method: Method,
    /// The buyer's id at the provider (openid, buyer_id; default: none).
    #[arg(long, value_name = "ID")]
    buyer_id: Option<String>,
    /// The buyer's IP address (default: none).
    #[arg(long, value_name = "IP")]
    client_ip: Option<String>,
    /// The buyer's device id (default: none).
    #[arg(long, value_name = "ID")]
    device_id: Option<String>,
    /// The routing tag the payment would carry (default: none).
    #[arg(long, value_name = "TAG")]
    routing_tag: Option<String>,
    /// A metadata entry; repeat for several (default: none).
    #[arg(long = "metadata", value_name = "KEY=VALUE", value_parser = metadata_entry)]
    metadata: Vec<(String, String)>,
}

fn payment_id(s: &str) -> Result<PaymentId, String> {
    s.parse().map_err(|_| "not a payment id (pay_…)".to_owned())
}

fn method(s: &str) -> Result<Method, String> {
    Method::parse(s).ok_or_else(|| "not a method (qr_code, web_page, app, jsapi, h5, card)".into())
}

fn metadata_entry(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .ok_or_else(|| "not KEY=VALUE".to_owned())
}

pub async fn run(config: &Config, cmd: RiskCommand) -> Result<(), BoxError> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    match cmd {
        RiskCommand::Rules(cmd) => {
            let store = app::open_store(config).await?;
            let risk = Risk::new(&config.risk, store, clock).map_err(|e| SetupError {
                key: "risk".into(),
                reason: e.to_string(),
            })?;
            load(&risk).await?;
            rules(&risk, cmd).await
        }
        RiskCommand::Payments(cmd) => {
            // Approving places the payment from this process: the channels as the server
            // has them.
            let public_url = config.server.public_url_for(config.server.http_addr);
            let channels = service::build_channels(config, &public_url, &clock)?;
            let store = app::open_store(config).await?;
            let services = Services::new(config, store, channels, clock)?;
            load(&services.risk).await?;
            payments(&services, cmd).await
        }
    }
}

/// Puts the runtime layer in force over the config file's rules, as a starting node does.
async fn load(risk: &Risk) -> Result<(), BoxError> {
    risk.load().await.map_err(|e| match e {
        // The database's rules refer to what this config file does not have.
        service::Error::Internal(reason) => SetupError {
            key: "risk".into(),
            reason,
        }
        .into(),
        e => e.into(),
    })
}

/// Enables or disables a rule and prints it.
async fn switch(risk: &Risk, rule: &str, actor: &str, enabled: bool) -> Result<(), BoxError> {
    let view = risk
        .set_enabled(actor, rule, enabled)
        .await
        .map_err(refused)?;
    println!("{}", output::rule(&view)?);
    Ok(())
}

async fn rules(risk: &Risk, cmd: RuleCommand) -> Result<(), BoxError> {
    match cmd {
        RuleCommand::Rules => {
            for view in risk.rule_views() {
                println!("{}", output::rule(&view)?);
            }
        }
        RuleCommand::Put { file, actor } => {
            let spec = rule_file(&file)?;
            let view = risk.put_rule(&actor, spec).await.map_err(refused)?;
            println!("{}", output::rule(&view)?);
        }
        RuleCommand::Enable { rule, actor } => switch(risk, &rule, &actor, true).await?,
        RuleCommand::Disable { rule, actor } => switch(risk, &rule, &actor, false).await?,
        RuleCommand::Delete { rule, actor } => {
            let restored = risk.delete_rule(&actor, &rule).await.map_err(refused)?;
            match restored {
                Some(view) => {
                    eprintln!(
                        "paycore: deleted runtime rule {rule:?}; its config rule is in force"
                    );
                    println!("{}", output::rule(&view)?);
                }
                None => eprintln!("paycore: deleted runtime rule {rule:?}"),
            }
        }
        RuleCommand::Lists => {
            for view in risk.list_views() {
                println!("{}", output::list(&view));
            }
        }
        RuleCommand::CreateList { list, kind, actor } => {
            let view = risk
                .create_list(&actor, &list, &kind)
                .await
                .map_err(refused)?;
            println!("{}", output::list(&view));
        }
        RuleCommand::Entries { list } => {
            // One snapshot of the list in force, however long.
            for entry in risk.entries(&list, None, usize::MAX).map_err(refused)? {
                println!("{}", serde_json::Value::from(entry));
            }
        }
        RuleCommand::Add {
            list,
            actor,
            entries,
        } => {
            let (view, added) = risk
                .add_entries(&actor, &list, &entries)
                .await
                .map_err(refused)?;
            println!("{}", output::changed(&view, "added", added));
        }
        RuleCommand::Remove {
            list,
            actor,
            entries,
        } => {
            let (view, removed) = risk
                .remove_entries(&actor, &list, &entries)
                .await
                .map_err(refused)?;
            println!("{}", output::changed(&view, "removed", removed));
        }
        RuleCommand::Audit { limit } => {
            let mut before = None;
            let mut left = limit;
            while left > 0 {
                let page = risk.audit(before, left.min(PAGE)).await?;
                for record in &page {
                    println!("{}", output::audit(record));
                }
                match page.last() {
                    Some(last) if page.len() == left.min(PAGE) as usize => {
                        before = Some(last.seq);
                        left -= left.min(PAGE);
                    }
                    _ => break,
                }
            }
        }
    }
    Ok(())
}

async fn payments(services: &Services, cmd: PaymentCommand) -> Result<(), BoxError> {
    let payments = &services.payments;
    match cmd {
        PaymentCommand::Reviews { merchant_id } => {
            let mut after: Option<PaymentId> = None;
            loop {
                let page = payments
                    .reviews(merchant_id.as_ref(), after.as_ref(), PAGE)
                    .await?;
                for p in &page {
                    println!("{}", proto::json::payment(&proto::payment(p)));
                }
                match page.last() {
                    Some(last) if page.len() == PAGE as usize => after = Some(last.id.clone()),
                    _ => break,
                }
            }
        }
        PaymentCommand::Approve(d) => {
            let p = payments
                .approve(&d.payment_id, &d.reviewer, &d.note)
                .await
                .map_err(|e| not_found(e, &d.payment_id))?;
            println!("{}", proto::json::payment(&proto::payment(&p)));
        }
        PaymentCommand::Reject(d) => {
            let p = payments
                .reject(&d.payment_id, &d.reviewer, &d.note)
                .await
                .map_err(|e| not_found(e, &d.payment_id))?;
            println!("{}", proto::json::payment(&proto::payment(&p)));
        }
        PaymentCommand::Evaluate(args) => {
            let merchant =
                services
                    .merchants
                    .get(&args.merchant_id)
                    .await
                    .map_err(|e| match e {
                        service::Error::MerchantNotFound => {
                            format!("no merchant {}", args.merchant_id).into()
                        }
                        e => BoxError::from(e),
                    })?;
            let order = format!("risk-evaluate-{}", services.clock.now().as_micros());
            let req = create_request(args, order);
            let evaluation = payments.evaluate(&merchant, &req).await.map_err(refused)?;
            println!("{}", output::evaluation(&evaluation));
        }
    }
    Ok(())
}

/// The CreatePayment request a dry run evaluates, under a throwaway merchant_order_id
/// (nothing is stored, so it is never checked for duplicates).
fn create_request(args: EvaluateArgs, merchant_order_id: String) -> v1::CreatePaymentRequest {
    v1::CreatePaymentRequest {
        merchant_order_id,
        amount: Some(v1::Money {
            amount_minor: args.amount_minor,
            currency: args.currency,
        }),
        method: proto::method(args.method).into(),
        metadata: args.metadata.into_iter().collect(),
        payer: Some(v1::Payer {
            buyer_id: args.buyer_id.unwrap_or_default(),
            client_ip: args.client_ip.unwrap_or_default(),
            device_id: args.device_id.unwrap_or_default(),
            // A card payment needs a provider token, which no rule reads.
            payment_method: if args.method == Method::Card {
                "pm_risk_evaluate".into()
            } else {
                String::new()
            },
        }),
        routing_tag: args.routing_tag.unwrap_or_default(),
        ..Default::default()
    }
}

/// A payment the service did not find, named.
fn not_found(e: service::Error, id: &PaymentId) -> BoxError {
    match e {
        service::Error::PaymentNotFound => format!("no payment {id}").into(),
        e => refused(e),
    }
}

/// Reads a rule from `path`: TOML, or JSON when the name ends in `.json`. A JSON rule may
/// carry the output-only `source` and `updated_at` of a `paycore risk rules` line.
fn rule_file(path: &Path) -> Result<RuleSpec, BoxError> {
    let bad = |e: &dyn std::fmt::Display| BadValue(format!("--file {}: {e}", path.display()));
    let text = std::fs::read_to_string(path).map_err(|e| bad(&e))?;
    let json = path
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("json"));
    if !json {
        return toml::from_str(&text).map_err(|e| bad(&e).into());
    }
    let mut value: serde_json::Value = serde_json::from_str(&text).map_err(|e| bad(&e))?;
    if let Some(rule) = value.as_object_mut() {
        rule.remove("source");
        rule.remove("updated_at");
    }
    serde_json::from_value(value).map_err(|e| bad(&e).into())
}

/// A service error, with a refused request told as its violations, one a line as
/// `field: REASON: message`, which exits 2.
fn refused(e: service::Error) -> BoxError {
    match e {
        service::Error::InvalidRequest(violations) => {
            let lines: Vec<String> = violations
                .iter()
                .map(|v| format!("{}: {}: {}", v.field, v.reason, v.description))
                .collect();
            // `paycore: ` starts the first line; each further violation gets its own.
            BadValue(lines.join("\npaycore: ")).into()
        }
        other => other.into(),
    }
}
