//! Text helpers shared by the file importers: decoding, hashing, field parsing.

use sha2::{Digest, Sha256};

/// Decodes a file's bytes: UTF-8 when the whole file is valid UTF-8 (a BOM is dropped), else
/// Windows-1252, the superset of Latin-1 that the USDA and PhraseBank files are written in.
pub(crate) fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

/// A stable content hash, the natural key of rows that carry no id of their own.
pub(crate) fn content_hash(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0x1f]); // unit separator: ("ab","c") and ("a","bc") differ
    }
    hex::encode(&hasher.finalize()[..16])
}

/// A trimmed field, `None` when empty.
pub(crate) fn non_empty(field: &str) -> Option<String> {
    let t = field.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Parses an optional number: empty is `Ok(None)` (missing), anything unparsable or non-finite
/// is an error naming the column, so a bad value rejects its row instead of becoming zero.
pub(crate) fn opt_f64(field: &str, column: &str) -> Result<Option<f64>, String> {
    let t = field.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(format!("{column}: not a number: {t:?}")),
    }
}

/// Like [`opt_f64`] but the value must be present and not negative.
pub(crate) fn required_non_negative(field: &str, column: &str) -> Result<f64, String> {
    match opt_f64(field, column)? {
        None => Err(format!("{column}: missing")),
        Some(v) if v < 0.0 => Err(format!("{column}: negative: {v}")),
        Some(v) => Ok(v),
    }
}

/// Splits one line of a USDA SR file: fields separated by `^`, text fields wrapped in `~`.
/// An empty field (or `~~`) is `None`: in SR an empty field is a missing value, not zero.
pub(crate) fn split_sr_line(line: &str) -> Result<Vec<Option<String>>, String> {
    let mut fields = Vec::new();
    let mut rest = line.trim_end_matches(['\r', '\n']);
    loop {
        let (field, after) = if let Some(quoted) = rest.strip_prefix('~') {
            let end = quoted
                .find('~')
                .ok_or_else(|| "unterminated ~text~ field".to_owned())?;
            let after = &quoted[end + 1..];
            if !(after.is_empty() || after.starts_with('^')) {
                return Err("text after a closing ~".to_owned());
            }
            (&quoted[..end], after)
        } else {
            let end = rest.find('^').unwrap_or(rest.len());
            (&rest[..end], &rest[end..])
        };
        fields.push(non_empty(field));
        match after.strip_prefix('^') {
            Some(next) => rest = next,
            None => break,
        }
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_sr_lines_keeping_missing_fields_missing() {
        let f = split_sr_line("~01001~^~0100~^~Butter, salted~^^0^~~^6.38\r\n").unwrap();
        assert_eq!(
            f,
            vec![
                Some("01001".into()),
                Some("0100".into()),
                Some("Butter, salted".into()),
                None,
                Some("0".into()),
                None,
                Some("6.38".into())
            ]
        );
        // A trailing separator means a last, empty field.
        assert_eq!(split_sr_line("~a~^").unwrap(), vec![Some("a".into()), None]);
        // A caret inside a ~text~ field is text, not a separator.
        assert_eq!(split_sr_line("~a^b~").unwrap(), vec![Some("a^b".into())]);
        assert!(split_sr_line("~unterminated").is_err());
    }

    #[test]
    fn numbers_are_missing_when_empty_and_errors_when_garbage() {
        assert_eq!(opt_f64(" ", "Close"), Ok(None));
        assert_eq!(opt_f64("1.5", "Close"), Ok(Some(1.5)));
        assert!(opt_f64("abc", "Close").unwrap_err().contains("Close"));
        assert!(opt_f64("NaN", "Close").is_err());
        assert!(required_non_negative("-1", "Close").is_err());
        assert!(required_non_negative("", "Close").is_err());
    }

    #[test]
    fn decodes_latin1_when_not_utf8() {
        assert_eq!(decode(b"caf\xe9"), "café");
        assert_eq!(decode("café".as_bytes()), "café");
        assert_eq!(decode(b"\xEF\xBB\xBFa"), "a");
    }

    #[test]
    fn content_hash_separates_parts() {
        assert_ne!(content_hash(&["ab", "c"]), content_hash(&["a", "bc"]));
        assert_eq!(content_hash(&["x"]), content_hash(&["x"]));
    }
}
