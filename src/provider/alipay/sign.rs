//! Alipay's RSA2 signing: the string to sign, and finding the raw text of a response's
//! inner object, which is what Alipay signs. The RSA itself is `provider::keys`.

use std::collections::BTreeMap;

/// The string Alipay signs: every parameter except those in `exclude`, empty values
/// dropped, keys in byte order, `key=value` joined by `&`, raw (not URL-encoded) values.
pub fn signing_string(params: &BTreeMap<String, String>, exclude: &[&str]) -> String {
    let mut out = String::new();
    for (key, value) in params {
        if value.is_empty() || exclude.contains(&key.as_str()) {
            continue;
        }
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(key);
        out.push('=');
        out.push_str(value);
    }
    out
}

/// The raw text of the top-level member `field` of the JSON object `raw`, when its value is an
/// object: from its `{` to the matching `}`, exactly as received. A quote- and escape-aware
/// scan, so braces inside strings do not count and nothing is re-serialised.
pub fn inner_object<'a>(raw: &'a str, field: &str) -> Option<&'a str> {
    let bytes = raw.as_bytes();
    let mut i = skip_ws(bytes, 0);
    if bytes.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    loop {
        i = skip_ws(bytes, i);
        match bytes.get(i)? {
            b'}' => return None,
            b',' => {
                i += 1;
                continue;
            }
            b'"' => {}
            _ => return None,
        }
        let key_end = string_end(bytes, i)?;
        let key = &raw[i + 1..key_end - 1];
        i = skip_ws(bytes, key_end);
        if bytes.get(i) != Some(&b':') {
            return None;
        }
        i = skip_ws(bytes, i + 1);
        let value_end = value_end(bytes, i)?;
        if key == field {
            return (bytes.get(i) == Some(&b'{')).then(|| &raw[i..value_end]);
        }
        i = value_end;
    }
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while matches!(bytes.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// `bytes[start]` is a `"`; returns the index just past the closing quote.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    loop {
        match bytes.get(i)? {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
}

/// The index just past the JSON value starting at `start`.
fn value_end(bytes: &[u8], start: usize) -> Option<usize> {
    match bytes.get(start)? {
        b'"' => string_end(bytes, start),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = start;
            loop {
                match bytes.get(i)? {
                    b'"' => {
                        i = string_end(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            let mut i = start;
            while !matches!(
                bytes.get(i),
                None | Some(b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
            ) {
                i += 1;
            }
            (i > start).then_some(i)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signing_string_sorts_drops_empties_and_excludes() {
        let params: BTreeMap<String, String> = [
            ("sign", "x"),
            ("b", "2"),
            ("a", "1"),
            ("empty", ""),
            ("sign_type", "RSA2"),
            ("Z", "upper sorts first"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(
            signing_string(&params, &["sign"]),
            "Z=upper sorts first&a=1&b=2&sign_type=RSA2"
        );
        assert_eq!(
            signing_string(&params, &["sign", "sign_type"]),
            "Z=upper sorts first&a=1&b=2"
        );
    }

    #[test]
    fn inner_objects_are_found_as_received() {
        let raw = r#"{"sign":"abc{","x_response" : {"a":"}\"{","b":{"c":[1,{"d":2}]},"u":"\u4e2d\/"} ,"z":1}"#;
        assert_eq!(
            inner_object(raw, "x_response"),
            Some(r#"{"a":"}\"{","b":{"c":[1,{"d":2}]},"u":"\u4e2d\/"}"#)
        );
        assert_eq!(inner_object(raw, "sign"), None, "not an object");
        assert_eq!(inner_object(raw, "missing"), None);
        assert_eq!(
            inner_object(r#"{"a":"x_response","x_response":{}}"#, "x_response"),
            Some("{}")
        );
        for broken in [
            "",
            "{",
            "{\"x_response\":{",
            "[]",
            "{\"a\"",
            "{\"x_response\":{\"a\":\"\\",
        ] {
            assert_eq!(inner_object(broken, "x_response"), None, "{broken:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn scanning_arbitrary_text_never_panics(text in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200)) {
            let text = String::from_utf8_lossy(&text);
            let _ = inner_object(&text, "x_response");
        }

        #[test]
        fn scanning_json_like_text_never_panics(text in "[{}\\[\\]\":,\\\\a-z0-9 ]{0,80}") {
            let _ = inner_object(&text, "a");
        }
    }
}
