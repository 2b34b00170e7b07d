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
}
