//! The `paycore` command line: serve, migrate, merchant administration, a payment's story,
//! reconciliation of a channel's day, risk rules and reviews, config check.

mod merchant;
mod reconcile;
mod risk;
mod show;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::app::{self, StartError};
use crate::config::Config;
use crate::domain::{Clock, MerchantId, PaymentId, SystemClock};
use crate::provider::{SetupError, registry};
use crate::service;
use crate::service::inspect::{self, Lookup};
use crate::service::merchants::Merchants;
use crate::storage::{self, Location, StoreError};
use crate::telemetry;

#[derive(Parser)]
#[command(
    name = "paycore",
    version,
    about = "Payment core: one gRPC API, many providers"
)]
struct Cli {
    /// TOML config file, read over the built-in defaults; PAYCORE_* variables override it
    /// (default: none, so the defaults and PAYCORE_* only).
    #[arg(long, global = true, env = "PAYCORE_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the gRPC and HTTP servers until SIGINT/SIGTERM.
    Serve,
    /// Create the database if needed and apply migrations, then exit.
    Migrate,
    /// Manage merchants (API callers).
    #[command(subcommand)]
    Merchant(merchant::MerchantCommand),
    /// Look at payments in the database.
    #[command(subcommand)]
    Payment(PaymentCommand),
    /// Reconcile a channel's day against its provider's statement, print a summary and the
    /// day's open differences. Exit code 3 when differences are open, 1 when the run failed.
    Reconcile(reconcile::ReconcileArgs),
    /// Manage risk rules and lists, see their audit trail, decide payments held for
    /// review, and dry-run a payment through the rules. Refusals exit 2.
    #[command(subcommand)]
    Risk(risk::RiskCommand),
    /// Inspect the configuration.
    #[command(subcommand)]
    Config(ConfigCommand),
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Validate the configuration, reading every channel's keys, and print it as paycore
    /// reads it (defaults filled in, secrets as ***). Exit code 2 when it is invalid.
    Check,
}

#[derive(Subcommand)]
enum PaymentCommand {
    /// Print a payment's whole story: the payment, its attempts, refunds, events and
    /// webhook deliveries. Exit code 1 when there is no such payment.
    Show {
        /// The payment, by its id (pay_…); or name it with --merchant-order-id and
        /// --merchant-id instead.
        #[arg(
            value_name = "ID",
            value_parser = payment_id,
            required_unless_present = "merchant_order_id",
            conflicts_with = "merchant_order_id"
        )]
        id: Option<PaymentId>,
        /// The payment, by the order id its merchant gave it (needs --merchant-id; default:
        /// none, the payment is named by ID).
        #[arg(long, value_name = "ORDER_ID", requires = "merchant_id")]
        merchant_order_id: Option<String>,
        /// The merchant whose --merchant-order-id it is, by its id (mch_…; default: none).
        #[arg(long, value_name = "ID", value_parser = merchant_id, requires = "merchant_order_id")]
        merchant_id: Option<MerchantId>,
        /// Print one JSON object instead of text (default: text for a person).
        #[arg(long)]
        json: bool,
    },
}

/// A command-line value the service refused (exit code 2, like a usage error).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct BadValue(String);

pub(crate) fn merchant_id(s: &str) -> Result<MerchantId, String> {
    s.parse()
        .map_err(|_| "not a merchant id (mch_…)".to_owned())
}

fn payment_id(s: &str) -> Result<PaymentId, String> {
    s.parse().map_err(|_| "not a payment id (pay_…)".to_owned())
}

/// Parses the command line, runs the command, and says how it went: exit code 0 when it
/// did what was asked, 2 when the command line or the configuration is invalid (clap's
/// usage errors are 2 as well, and so is a value the service refuses, such as a webhook URL
/// that points at an internal address), 3 when a reconciliation left differences open, 1
/// for anything else.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref(), std::env::vars()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("paycore: {e}");
            return ExitCode::from(2);
        }
    };
    // A URL that names no database is the configuration's fault, whatever the command.
    let location = match storage::location(&config.database) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("paycore: invalid configuration: database.url: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("paycore: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The trace exporter's connection lives on the runtime.
    let telemetry = {
        let _runtime = runtime.enter();
        match telemetry::init(&config.server, &config.tracing) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("paycore: {e}");
                return ExitCode::from(2);
            }
        }
    };
    let result = runtime.block_on(run(cli.command, &config, &location));
    telemetry.shutdown();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("paycore: {e}");
            // A database.url that cannot work as written is found before the command runs
            // (see `storage::location` above); the store says so again if it is opened
            // without that check. A server that then refuses it (a certificate that does
            // not verify) is not the configuration's fault alone: 1, like a wrong password.
            let invalid = e.is::<SetupError>()
                || e.is::<BadValue>()
                || matches!(e.downcast_ref(), Some(StoreError::Config(_)))
                || matches!(
                    e.downcast_ref(),
                    Some(
                        StartError::Setup(_)
                            | StartError::Tls(_)
                            | StartError::Store(StoreError::Config(_))
                    )
                );
            let open = e.is::<reconcile::OpenDifferences>();
            ExitCode::from(match (invalid, open) {
                (true, _) => 2,
                (false, true) => 3,
                (false, false) => 1,
            })
        }
    }
}

/// The configuration as paycore reads it, as TOML: defaults filled in, secrets as `***`, and
/// each channel's provider-owned keys as its provider reads them.
fn effective(config: &Config) -> Result<String, BoxError> {
    let mut table = toml::Table::try_from(config)?;
    if let Some(toml::Value::Array(channels)) = table.get_mut("channels") {
        for (i, (value, c)) in channels.iter_mut().zip(&config.channels).enumerate() {
            if let toml::Value::Table(t) = value {
                t.retain(|k, _| !c.section.contains_key(k));
                t.extend(registry::effective_section(
                    &c.provider,
                    &c.section,
                    &format!("channels[{i}]"),
                )?);
            }
        }
    }
    Ok(toml::to_string(&table)?)
}

pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The SQLite file `location` names, if it is one that does not exist yet.
fn missing_file(location: &Location) -> Option<&Path> {
    match location {
        Location::File(path) if !path.exists() => Some(path),
        _ => None,
    }
}

async fn run(command: Command, config: &Config, location: &Location) -> Result<(), BoxError> {
    match command {
        Command::Serve => app::serve(config, Arc::new(SystemClock)).await?,
        Command::Config(ConfigCommand::Check) => {
            let public_url = config.server.public_url_for(config.server.http_addr);
            let clock: Arc<dyn Clock> = Arc::new(SystemClock);
            crate::service::build_channels(config, &public_url, &clock)?;
            app::check_tls(config)?;
            print!("{}", effective(config)?);
            eprintln!("paycore: the configuration is valid");
        }
        Command::Migrate => {
            let created = missing_file(location).is_some();
            app::open_store(config).await?;
            if created {
                eprintln!("paycore: created a new {location}");
            } else {
                eprintln!("paycore: {location} is up to date");
            }
        }
        Command::Merchant(cmd) => {
            // Run from another directory than the server's, a relative sqlite:// URL names
            // another file: say so rather than quietly starting a second database.
            if let Some(path) = missing_file(location) {
                eprintln!(
                    "paycore: warning: no database at {}; creating a new one (paycore serve \
                     must use the same database.url to see this merchant)",
                    path.display()
                );
            }
            let guard = service::webhook_guard(&config.webhooks)?;
            let merchants =
                Merchants::new(app::open_store(config).await?, Arc::new(SystemClock), guard);
            merchant::run(&merchants, cmd).await?;
        }
        Command::Reconcile(args) => {
            if let Some(path) = missing_file(location) {
                return Err(format!("no database at {}", path.display()).into());
            }
            reconcile::run(config, args).await?;
        }
        Command::Risk(cmd) => {
            // Rules are changed in the server's database, never in a new one.
            if let Some(path) = missing_file(location) {
                return Err(format!("no database at {}", path.display()).into());
            }
            risk::run(config, cmd).await?;
        }
        Command::Payment(PaymentCommand::Show {
            id,
            merchant_order_id,
            merchant_id,
            json,
        }) => {
            // Looking creates nothing.
            if let Some(path) = missing_file(location) {
                return Err(format!("no database at {}", path.display()).into());
            }
            let lookup = match (id, merchant_order_id, merchant_id) {
                (Some(id), _, _) => Lookup::Id(id),
                (None, Some(order), Some(merchant)) => Lookup::MerchantOrderId { merchant, order },
                // clap requires one or the other.
                _ => return Err("name the payment by ID or --merchant-order-id".into()),
            };
            let store = app::open_store(config).await?;
            let Some(story) = inspect::payment_story(store.as_ref(), &lookup).await? else {
                return Err(match &lookup {
                    Lookup::Id(id) => format!("no payment {id}"),
                    Lookup::MerchantOrderId { merchant, order } => {
                        format!(
                            "no payment with merchant_order_id {order:?} for merchant {merchant}"
                        )
                    }
                }
                .into());
            };
            if json {
                println!("{}", show::json(&story));
            } else {
                print!("{}", show::text(&story));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// `--help` describes every flag and argument of every command.
    #[test]
    fn every_argument_has_help() {
        fn undescribed(cmd: &clap::Command, path: &str, out: &mut Vec<String>) {
            for arg in cmd.get_arguments() {
                let builtin = matches!(arg.get_id().as_str(), "help" | "version");
                if !builtin && arg.get_help().is_none() {
                    out.push(format!("{path} {}", arg.get_id()));
                }
            }
            for sub in cmd.get_subcommands() {
                if sub.get_about().is_none() {
                    out.push(format!("{path} {} (the command)", sub.get_name()));
                }
                undescribed(sub, &format!("{path} {}", sub.get_name()), out);
            }
        }
        let mut missing = Vec::new();
        undescribed(&Cli::command(), "paycore", &mut missing);
        assert!(missing.is_empty(), "no help: {missing:?}");
    }
}
