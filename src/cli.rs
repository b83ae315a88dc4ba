//! The `paycore` command line: serve, migrate, merchant administration, config check.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::app::{self, StartError};
use crate::config::Config;
use crate::domain::{Clock, SystemClock};
use crate::provider::{SetupError, registry};
use crate::service::merchants::Merchants;
use crate::telemetry;

#[derive(Parser)]
#[command(
    name = "paycore",
    version,
    about = "Payment core: one gRPC API, many providers"
)]
struct Cli {
    /// TOML config file (defaults → this file → PAYCORE_* environment).
    #[arg(long, global = true, env = "PAYCORE_CONFIG")]
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
    Merchant(MerchantCommand),
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
enum MerchantCommand {
    /// Create a merchant; prints {merchant_id, api_key, webhook_secret} once.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long)]
        webhook_url: Option<String>,
    },
    /// List merchants (never their keys).
    List,
    /// Give a merchant a new webhook secret; both sign deliveries during the grace period.
    RotateSecret {
        #[arg(long)]
        merchant_id: String,
        /// How long the old secret keeps signing, in seconds.
        #[arg(long, default_value_t = 86_400)]
        grace_secs: u64,
    },
}

/// Parses the command line, runs the command, and says how it went.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref(), std::env::vars()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("paycore: {e}");
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
    let result = runtime.block_on(run(cli.command, &config));
    telemetry.shutdown();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("paycore: {e}");
            let invalid_config =
                e.is::<SetupError>() || matches!(e.downcast_ref(), Some(StartError::Setup(_)));
            ExitCode::from(if invalid_config { 2 } else { 1 })
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

type BoxError = Box<dyn std::error::Error + Send + Sync>;

async fn run(command: Command, config: &Config) -> Result<(), BoxError> {
    match command {
        Command::Serve => app::serve(config, Arc::new(SystemClock)).await?,
        Command::Config(ConfigCommand::Check) => {
            let public_url = config
                .server
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", config.server.http_addr));
            let clock: Arc<dyn Clock> = Arc::new(SystemClock);
            crate::service::build_channels(config, &public_url, &clock)?;
            print!("{}", effective(config)?);
            eprintln!("paycore: the configuration is valid");
        }
        Command::Migrate => {
            app::open_store(config).await?;
            eprintln!("paycore: database is up to date");
        }
        Command::Merchant(cmd) => {
            let merchants = Merchants::new(app::open_store(config).await?, Arc::new(SystemClock));
            match cmd {
                MerchantCommand::Create { name, webhook_url } => {
                    if name.trim().is_empty() || name.len() > 200 {
                        return Err("--name must be 1-200 characters".into());
                    }
                    if let Some(url) = &webhook_url
                        && !(url.starts_with("https://") || url.starts_with("http://"))
                    {
                        return Err("--webhook-url must be an http(s) URL".into());
                    }
                    let created = merchants.create(&name, webhook_url).await?;
                    let out = serde_json::json!({
                        "merchant_id": created.merchant.id.to_string(),
                        "api_key": created.api_key.expose(),
                        "webhook_secret": created.merchant.webhook_secret.expose(),
                    });
                    println!("{out}");
                }
                MerchantCommand::RotateSecret {
                    merchant_id,
                    grace_secs,
                } => {
                    let id = merchant_id.parse().map_err(|_| {
                        format!("--merchant-id: not a merchant id: {merchant_id:?}")
                    })?;
                    let (secret, until) = merchants
                        .rotate_webhook_secret(&id, std::time::Duration::from_secs(grace_secs))
                        .await?
                        .ok_or_else(|| format!("no merchant {merchant_id}"))?;
                    let out = serde_json::json!({
                        "merchant_id": merchant_id,
                        "webhook_secret": secret.expose(),
                        "previous_secret_valid_until": crate::proto::json::rfc3339(until),
                    });
                    println!("{out}");
                }
                MerchantCommand::List => {
                    for m in merchants.list().await? {
                        let out = serde_json::json!({
                            "merchant_id": m.id.to_string(),
                            "name": m.name,
                            "webhook_url": m.webhook_url,
                        });
                        println!("{out}");
                    }
                }
            }
        }
    }
    Ok(())
}
