use std::io::Write;

use super::*;

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn file(text: &str) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(text.as_bytes()).unwrap();
    f
}

fn err(path: Option<&Path>, e: &[(&str, &str)]) -> String {
    Config::load(path, env(e)).unwrap_err().to_string()
}

#[test]
fn defaults_give_one_sandbox_channel_on_loopback() {
    let c = Config::load(None, Vec::new()).unwrap();
    assert_eq!(c.server.grpc_addr.to_string(), "127.0.0.1:50051");
    assert_eq!(c.server.http_addr.to_string(), "127.0.0.1:8080");
    assert_eq!(c.database.url, "sqlite://./data/paycore.db");
    assert_eq!(c.channels.len(), 1);
    assert_eq!(c.channels[0].provider, "sandbox");
    assert_eq!(c.tracing.otlp_endpoint, None, "traces are off by default");
}

#[test]
fn env_overrides_the_file_which_overrides_defaults() {
    let f = file(
        "[server]\ngrpc_addr = \"127.0.0.1:7000\"\nhttp_addr = \"127.0.0.1:7001\"\n\
         [payments]\nmax_amount_minor = 500\n",
    );
    let c = Config::load(
        Some(f.path()),
        env(&[
            ("PAYCORE_GRPC_ADDR", "127.0.0.1:9000"),
            ("PAYCORE_DATABASE_URL", "sqlite:///tmp/x.db"),
            ("PATH", "/bin"),
        ]),
    )
    .unwrap();
    assert_eq!(c.server.grpc_addr.to_string(), "127.0.0.1:9000");
    assert_eq!(c.server.http_addr.to_string(), "127.0.0.1:7001");
    assert_eq!(c.payments.max_amount_minor, 500);
    assert_eq!(c.database.url, "sqlite:///tmp/x.db");
}

#[test]
fn bad_values_name_their_key() {
    assert!(err(None, &[("PAYCORE_GRPC_ADDR", "nope")]).contains("PAYCORE_GRPC_ADDR"));
    assert!(err(None, &[("PAYCORE_GRPC_ADR", "x")]).contains("PAYCORE_GRPC_ADR"));
    assert!(err(None, &[("PAYCORE_DATABASE_URL", "mysql://x")]).contains("database.url"));
    assert!(err(None, &[("PAYCORE_OPERATOR_KEY", "short")]).contains("server.operator_key"));
    assert!(err(None, &[("PAYCORE_TRACE_SAMPLE_RATIO", "2")]).contains("tracing.sample_ratio"));
    assert!(
        err(None, &[("PAYCORE_TRACE_SAMPLE_RATIO", "all")]).contains("PAYCORE_TRACE_SAMPLE_RATIO")
    );
    assert!(
        err(None, &[("PAYCORE_OTLP_ENDPOINT", "127.0.0.1:4317")]).contains("tracing.otlp_endpoint")
    );

    let f = file("[server]\ngrpc_addr = 5\n");
    assert!(err(Some(f.path()), &[]).contains("grpc_addr"));
    let f = file("[payments]\nmax_amount_minor = 0\n");
    assert!(err(Some(f.path()), &[]).contains("payments.max_amount_minor"));
    let f = file("[server]\ntypo = 1\n");
    assert!(err(Some(f.path()), &[]).contains("typo"));
    let f = file(
        "[[channels]]\nid = \"a\"\nprovider = \"sandbox\"\n\
         [[channels]]\nid = \"a\"\nprovider = \"sandbox\"\n",
    );
    assert!(err(Some(f.path()), &[]).contains("channels[1].id"));
    let f = file("[[channels]]\nid = \"a\"\nprovider = \"sandbox\"\nmethods = [\"cash\"]\n");
    assert!(err(Some(f.path()), &[]).contains("channels[0].methods"));
    // A shutdown must be able to wait for the slowest channel's answer.
    let f = file(
        "[server]\nshutdown_grace_secs = 5\n\
         [[channels]]\nid = \"a\"\nprovider = \"sandbox\"\nattempt_timeout_ms = 6000\n",
    );
    assert!(err(Some(f.path()), &[]).contains("channels[0].attempt_timeout_ms"));
    assert!(err(Some(Path::new("/nonexistent/paycore.toml")), &[]).contains("/nonexistent"));
    for bad in ["10.0.0.0/33", "10.0.0.1/8", "intranet", "10.0.0.0"] {
        let f = file(&format!(
            "[webhooks]\nallow_networks = [\n  \"fd00::/8\",\n  \"{bad}\",\n]\n"
        ));
        let e = err(Some(f.path()), &[]);
        assert!(e.contains("webhooks.allow_networks"), "{e}");
        assert!(e.contains(bad), "{e}");
    }
}

#[test]
fn allow_networks_are_cidrs() {
    let c = Config::parse(
        "[webhooks]\nallow_networks = [\"10.20.0.0/16\", \"fd00:1::/64\"]\n",
        Vec::new(),
    )
    .unwrap();
    let networks = c.webhooks.allowed_networks().unwrap();
    assert_eq!(networks.len(), 2);
    assert!(networks[0].contains("10.20.3.4".parse().unwrap()));
}

#[test]
fn cleartext_beyond_loopback_must_be_asked_for_and_tls_files_come_in_pairs() {
    let parse = |toml: &str| {
        Config::parse(toml, Vec::new())
            .map(|_| ())
            .map_err(|e| e.to_string())
    };
    let exposed = "[server]\ngrpc_addr = \"0.0.0.0:50051\"\n";
    assert!(parse(exposed).unwrap_err().contains("server.grpc_addr"));
    let http = "[server]\nhttp_addr = \"[::]:8080\"\n";
    assert!(parse(http).unwrap_err().contains("server.http_addr"));
    parse(&format!("{exposed}allow_plaintext = true\n")).unwrap();
    parse(&format!(
        "{exposed}[server.tls]\ncert_file = \"a.crt\"\nkey_file = \"a.key\"\n"
    ))
    .unwrap();
    assert!(
        parse("[server.tls]\ncert_file = \"a.crt\"\n")
            .unwrap_err()
            .contains("server.tls.key_file")
    );
    assert!(
        parse("[server.tls]\nclient_ca_file = \"ca.crt\"\n")
            .unwrap_err()
            .contains("server.tls.client_ca_file")
    );
    let e = Config::load(None, env(&[("PAYCORE_ALLOW_PLAINTEXT", "yes")])).unwrap_err();
    assert!(e.to_string().contains("PAYCORE_ALLOW_PLAINTEXT"));
    let c = Config::load(
        None,
        env(&[
            ("PAYCORE_GRPC_ADDR", "0.0.0.0:1"),
            ("PAYCORE_TLS_CERT_FILE", "/etc/tls/c.crt"),
            ("PAYCORE_TLS_KEY_FILE", "/etc/tls/c.key"),
        ]),
    )
    .unwrap();
    assert_eq!(
        c.server.public_url_for(c.server.http_addr),
        "https://127.0.0.1:8080"
    );
}

#[test]
fn risk_rules_are_checked_whole_at_load_naming_every_bad_field() {
    let f = file(
        r#"
[risk]
utc_offset = "+08:00"

[[risk.lists]]
id = "ips"
kind = "client_ip"
entries = ["10.0.0.0/8", "10.1.2.3/8"]

[[risk.rules]]
id = "cap"
action = "block"
reason = "CAP"
when = [{ fact = "amount_minor", op = "gt", value = 100 }]

[[risk.rules]]
id = "cap"
action = "block"
reason = "CAP"
when = [
  { counter = "payments", per = "ip", window_secs = 0, op = "gt", value = 3 },
  { fact = "currency", op = "in", values = [] },
]
"#,
    );
    let e = err(Some(f.path()), &[]);
    for field in [
        "risk.lists[0].entries[1]",
        "risk.rules[1].id",
        "risk.rules[1].when[0].window_secs",
        "risk.rules[1].when[1].values",
    ] {
        assert!(e.contains(field), "{field} in {e}");
    }
    assert!(e.contains("DUPLICATE_ID"), "{e}");
    let offset = file("[risk]\nutc_offset = \"8\"\n");
    assert!(err(Some(offset.path()), &[]).contains("risk.utc_offset"));
    let good = file(
        "[[risk.rules]]\nid = \"cap\"\naction = \"review\"\nreason = \"CAP\"\n\
         when = [{ fact = \"amount_minor\", op = \"gt\", value = 100 }]\n",
    );
    let c = Config::load(Some(good.path()), Vec::new()).unwrap();
    assert_eq!(c.risk.rule_set().unwrap().rules().len(), 1);
    assert_eq!(parse_offset("-05:30"), Some(-(5 * 3600 + 30 * 60)));
    assert_eq!(parse_offset("+15:00"), None);
}
