//! The configuration reference: `paycore.example.toml` holds every key at its default, and
//! `paycore config check` validates a file the way `serve` would.

use paycore::config::Config;
use paycore::provider::registry;

use crate::support::*;

const EXAMPLE: &str = include_str!("../../paycore.example.toml");

/// The example with its optional keys (`# key = …`, `# [section]`) uncommented.
fn uncommented() -> String {
    EXAMPLE
        .lines()
        .map(|line| {
            let Some(rest) = line.strip_prefix("# ") else {
                return line.to_owned();
            };
            let key: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            let is_key = !key.is_empty() && rest[key.len()..].trim_start().starts_with('=');
            if is_key || rest.starts_with('[') {
                rest.to_owned()
            } else {
                line.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every key path in `value`, tables of an array under the array's own name.
fn paths(prefix: &str, value: &toml::Value, out: &mut Vec<String>) {
    match value {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                out.push(path.clone());
                paths(&path, v, out);
            }
        }
        toml::Value::Array(items) => {
            for v in items.iter().filter(|v| v.is_table()) {
                paths(prefix, v, out);
            }
        }
        _ => {}
    }
}

#[test]
fn the_example_is_the_defaults() {
    let example = Config::parse(EXAMPLE, Vec::new()).unwrap();
    assert_eq!(example, Config::parse("", Vec::new()).unwrap());
}

#[test]
fn the_example_names_every_key_and_only_real_ones() {
    // Optional keys, uncommented, are real keys with values of the right type.
    let full = uncommented();
    let parsed: Config = toml::from_str(&full).unwrap();
    for (i, c) in parsed.channels.iter().enumerate() {
        registry::effective_section(&c.provider, &c.section, &format!("channels[{i}]")).unwrap();
    }
    let mut documented = Vec::new();
    paths(
        "",
        &full.parse::<toml::Table>().unwrap().into(),
        &mut documented,
    );
    let defaults = toml::Value::try_from(Config::parse("", Vec::new()).unwrap()).unwrap();
    let mut keys = Vec::new();
    paths("", &defaults, &mut keys);
    let missing: Vec<_> = keys.iter().filter(|k| !documented.contains(k)).collect();
    assert!(
        missing.is_empty(),
        "not in paycore.example.toml: {missing:?}"
    );
}

#[test]
fn config_check_prints_the_effective_config_and_fails_with_2_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(dir.path());
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let check = |path: &std::path::Path| {
        paycore(&url)
            .args(["--config", path.to_str().unwrap(), "config", "check"])
            .output()
            .unwrap()
    };

    let good = write(
        "good.toml",
        "[server]\noperator_key = \"0123456789abcdef-operator\"\n\
         [[channels]]\nid = \"s\"\nprovider = \"sandbox\"\nsecret = \"0123456789abcdef-sandbox\"\n",
    );
    let out = check(&good);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8(out.stdout).unwrap();
    let reread: Config = toml::from_str(&printed).unwrap();
    assert_eq!(reread.channels[0].id, "s");
    assert!(
        !printed.contains("0123456789abcdef"),
        "secrets are masked: {printed}"
    );
    assert!(printed.contains("operator_key = \"***\""), "{printed}");
    assert!(
        !dir.path().join("paycore.db").exists(),
        "check opens no database"
    );

    for (name, text, key) in [
        (
            "non_ascii.toml",
            "[server]\noperator_key = \"…at least 16 chars…\"\n",
            "server.operator_key",
        ),
        (
            "short_secret.toml",
            "[[channels]]\nid = \"s\"\nprovider = \"sandbox\"\nsecret = \"short\"\n",
            "channels[0].secret",
        ),
        (
            "missing_key.toml",
            "[[channels]]\nid = \"a\"\nprovider = \"alipay\"\n[channels.alipay]\napp_id = \"1\"\n\
             private_key_file = \"/nonexistent/alipay.pem\"\nalipay_public_key_env = \"K\"\n",
            "channels[0].alipay.private_key_file",
        ),
    ] {
        let out = check(&write(name, text));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(key), "{name}: {stderr}");
    }
}

#[test]
fn serve_with_an_unreadable_key_exits_2_before_creating_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("paycore.db");
    let config = dir.path().join("paycore.toml");
    std::fs::write(
        &config,
        "[[channels]]\nid = \"s\"\nprovider = \"stripe\"\n[channels.stripe]\n\
         secret_key_file = \"/nonexistent/sk\"\nwebhook_secret_env = \"W\"\n",
    )
    .unwrap();
    let out = paycore(&format!("sqlite://{}", db.display()))
        .args(["--config", config.to_str().unwrap(), "serve"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("channels[0].stripe.secret_key_file"),
        "{stderr}"
    );
    assert!(!db.exists(), "nothing is created when a key cannot be read");
}
