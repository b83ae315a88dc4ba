//! The module layers, checked: a module uses only modules of lower layers, so dependencies
//! point one way (cli → app → edges → services → routing, storage, providers → domain) and
//! no cycle can form. A new top-level module must be given its layer here.

/// Top-level modules by layer, lowest first.
const LAYERS: &[&[&str]] = &[
    &["domain"],
    &["config", "proto"],
    &["telemetry", "provider"],
    &["storage", "routing"],
    &["metrics"],
    &["service"],
    &["grpc", "http"],
    &["app"],
    &["cli"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The first path segment after every `crate::` in `text`, including each item of a
/// `crate::{a, b::c}` group.
fn used_modules(text: &str) -> Vec<String> {
    let mut used = Vec::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut start = true;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if start && !c.is_whitespace() => {
                        used.push(ident(&group[j..]));
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            used.push(ident(rest));
        }
    }
    used
}

/// Every `.rs` file of a top-level module: `src/m.rs` and everything under `src/m/`.
fn sources(src: &std::path::Path, module: &str) -> Vec<std::path::PathBuf> {
    let mut files = vec![src.join(format!("{module}.rs"))];
    let mut dirs = vec![src.join(module)];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files
}

#[test]
fn every_module_uses_only_lower_layers() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules = Vec::new();
    for entry in std::fs::read_dir(&src).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(module) = name.strip_suffix(".rs")
            && !matches!(module, "lib" | "main" | "layers")
        {
            modules.push(module.to_owned());
        }
    }
    let mut wrong = Vec::new();
    for module in &modules {
        let Some(own) = layer(module) else {
            wrong.push(format!("{module} has no layer in LAYERS"));
            continue;
        };
        for file in sources(&src, module) {
            let text = std::fs::read_to_string(&file).unwrap();
            for used in used_modules(&text) {
                if used == *module {
                    continue;
                }
                match layer(&used) {
                    Some(l) if l < own => {}
                    _ => wrong.push(format!("{} uses crate::{used}", file.display())),
                }
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn groups_and_paths_are_both_read() {
    let text = "use crate::config::X;\nuse crate::{domain::{A, B}, storage};\nx(crate::proto::f)";
    assert_eq!(
        used_modules(text),
        ["config", "domain", "storage", "proto"].map(String::from)
    );
}
