//! Calendar features: day of week and month as points on a circle, so that Sunday sits next to
//! Monday and December next to January.

use std::f64::consts::TAU;

/// A calendar day parsed from `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Day {
    /// Parses `YYYY-MM-DD` (a longer string, e.g. with a time, is read by its first 10 characters).
    pub fn parse(s: &str) -> Option<Day> {
        let s = s.get(..10)?;
        let mut parts = s.split('-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(Day { year, month, day })
    }

    /// Days since 1970-01-01 (negative before), by Howard Hinnant's `days_from_civil`
    /// (<https://howardhinnant.github.io/date_algorithms.html>).
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The day `days` days since 1970-01-01 (Hinnant's `civil_from_days`).
    pub fn from_days_since_epoch(days: i64) -> Day {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Day { year, month, day }
    }

    /// This day moved by `days` (negative: earlier).
    pub fn add_days(self, days: i64) -> Day {
        Day::from_days_since_epoch(self.days_since_epoch() + days)
    }

    /// ISO weekday, Monday = 0 .. Sunday = 6 (Sakamoto's method).
    pub fn weekday(self) -> u32 {
        const OFFSETS: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
        let y = if self.month < 3 {
            self.year - 1
        } else {
            self.year
        };
        let sunday_based =
            (y + y / 4 - y / 100 + y / 400 + OFFSETS[self.month as usize - 1] + self.day as i32)
                .rem_euclid(7);
        ((sunday_based + 6) % 7) as u32
    }
}

/// `(sin, cos)` of a position on a cycle of `period` steps.
pub fn cyclical(position: u32, period: u32) -> (f64, f64) {
    let angle = TAU * f64::from(position) / f64::from(period);
    (angle.sin(), angle.cos())
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn weekdays_of_known_dates() {
        // 2013-04-29 was a Monday, 2021-07-06 a Tuesday, 2000-02-29 a Tuesday, 2024-12-29 a Sunday.
        assert_eq!(Day::parse("2013-04-29").unwrap().weekday(), 0);
        assert_eq!(Day::parse("2021-07-06 23:59:59").unwrap().weekday(), 1);
        assert_eq!(Day::parse("2000-02-29").unwrap().weekday(), 1);
        assert_eq!(Day::parse("2024-12-29").unwrap().weekday(), 6);
        assert_eq!(Day::parse("2021-13-01"), None);
        assert_eq!(Day::parse("bad"), None);
    }

    #[test]
    fn day_arithmetic_crosses_months_leap_days_and_years() {
        let d = |s: &str| Day::parse(s).unwrap();
        assert_eq!(d("1970-01-01").days_since_epoch(), 0);
        assert_eq!(d("2021-07-06").days_since_epoch(), 18_814);
        assert_eq!(d("2021-07-06").add_days(-90).to_string(), "2021-04-07");
        assert_eq!(d("2020-03-01").add_days(-1).to_string(), "2020-02-29");
        assert_eq!(d("2019-12-31").add_days(1).to_string(), "2020-01-01");
        assert_eq!(d("1969-12-31").days_since_epoch(), -1);
        for s in ["2000-02-29", "2013-04-29", "2100-03-01"] {
            assert_eq!(Day::from_days_since_epoch(d(s).days_since_epoch()), d(s));
        }
    }

    #[test]
    fn the_cycle_closes() {
        let (s0, c0) = cyclical(0, 7);
        assert_relative_eq!(s0, 0.0);
        assert_relative_eq!(c0, 1.0);
        // Sunday (6) is as close to Monday (0) as Monday is to Tuesday (1).
        let dist =
            |a: (f64, f64), b: (f64, f64)| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
        assert_relative_eq!(
            dist(cyclical(6, 7), cyclical(0, 7)),
            dist(cyclical(0, 7), cyclical(1, 7)),
            epsilon = 1e-12
        );
    }
}
