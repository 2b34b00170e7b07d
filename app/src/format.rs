//! Number formatting for the pages.

/// `8463` → `"8,463"`.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A USD price with precision that suits its size (`$34,123`, `$1.0003`, `$0.002731`).
pub fn usd(v: f64) -> String {
    if v >= 1000.0 {
        format!("${}", thousands(v.round() as i64))
    } else if v >= 1.0 {
        format!("${v:.2}")
    } else {
        format!("${v:.6}")
    }
}

/// A large USD amount, compact: `$1.23T`, `$45.6B`, `$789M`, `$12.3K`.
pub fn usd_compact(v: f64) -> String {
    let (scaled, unit) = match v.abs() {
        a if a >= 1e12 => (v / 1e12, "T"),
        a if a >= 1e9 => (v / 1e9, "B"),
        a if a >= 1e6 => (v / 1e6, "M"),
        a if a >= 1e3 => (v / 1e3, "K"),
        _ => return format!("${v:.0}"),
    };
    let digits = if scaled.abs() >= 100.0 {
        0
    } else if scaled.abs() >= 10.0 {
        1
    } else {
        2
    };
    format!("${scaled:.digits$}{unit}")
}

/// A ratio as a percentage with two decimals (`0.0123` → `"1.23%"`); `–` when missing.
pub fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_owned(), |v| format!("{:.2}%", v * 100.0))
}

/// A number with `digits` decimals; `–` when missing.
pub fn fixed(v: Option<f64>, digits: usize) -> String {
    v.map_or_else(|| "–".to_owned(), |v| format!("{v:.digits$}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_digits_by_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(8463), "8,463");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(-1000), "-1,000");
    }

    #[test]
    fn usd_precision_follows_magnitude() {
        assert_eq!(usd(34_123.4), "$34,123");
        assert_eq!(usd(1.00031), "$1.00");
        assert_eq!(usd(0.0027314), "$0.002731");
    }

    #[test]
    fn compact_amounts_and_percentages() {
        assert_eq!(usd_compact(1_234_000_000_000.0), "$1.23T");
        assert_eq!(usd_compact(45_600_000_000.0), "$45.6B");
        assert_eq!(usd_compact(789_000_000.0), "$789M");
        assert_eq!(usd_compact(950.0), "$950");
        assert_eq!(pct(Some(-0.01234)), "-1.23%");
        assert_eq!(pct(None), "–");
        assert_eq!(fixed(Some(2.0), 3), "2.000");
    }
}
