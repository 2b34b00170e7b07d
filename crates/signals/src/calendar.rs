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
