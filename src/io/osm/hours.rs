//! Closing time from simple `opening_hours` values.
//!
//! Only time ranges are read (`10:00-01:00`, `22:00-05:00`, `16:00-24:00`);
//! weekday selectors, `off`, `PH`, comments and the rest are skipped, so any
//! string is accepted and at worst gives no closing time. The latest closing
//! over all ranges wins, measured from the start of the opening day: a range
//! ending at or before its start closes after midnight.

/// A closing time read from `opening_hours`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Closing {
    /// Minutes after midnight of the opening day (may exceed 1440).
    pub minutes: u32,
}

impl Closing {
    /// `HH:MM` on the clock (`01:00` for 25:00; `24:00` for exactly midnight).
    pub fn clock(self) -> String {
        let m = if self.minutes > 1440 {
            self.minutes - 1440
        } else {
            self.minutes
        };
        format!("{:02}:{:02}", m / 60, m % 60)
    }
    /// True when closing is after midnight of the opening day.
    pub fn after_midnight(self) -> bool {
        self.minutes > 1440
    }
}

/// The latest closing time in `value`, or `None` when no time range parses
/// (`24/7`, `sunrise-sunset`, open ends like `16:00+` alone).
pub(crate) fn closing_time(value: &str) -> Option<Closing> {
    let ranges = time_ranges(value);
    // "00:00-03:00,20:00-24:00" writes a night across midnight as two ranges:
    // when one range ends at 24:00, ranges starting at 00:00 continue it.
    let has_midnight_end = ranges.iter().any(|&(_, end)| end == 1440);
    ranges
        .iter()
        .map(|&(start, end)| {
            if (start == 0 && has_midnight_end && end < 1440) || end <= start {
                end + 1440
            } else {
                end
            }
        })
        .max()
        .map(|minutes| Closing { minutes })
}

/// Every `H:MM-H:MM` range in the text, as minutes (end may be up to 48:00).
fn time_ranges(value: &str) -> Vec<(u32, u32)> {
    let b = value.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if let Some((start, after_start)) = time_at(b, i) {
            let mut j = after_start;
            while j < b.len() && b[j] == b' ' {
                j += 1;
            }
            if j < b.len() && b[j] == b'-' {
                j += 1;
                while j < b.len() && b[j] == b' ' {
                    j += 1;
                }
                if let Some((end, after_end)) = time_at(b, j) {
                    out.push((start, end));
                    i = after_end;
                    continue;
                }
            }
            i = after_start;
        } else {
            i += 1;
        }
    }
    out
}

/// A time `H:MM` or `HH:MM` starting at byte `i` (not preceded by a digit):
/// minutes and the index after it. Hours up to 48 are accepted (OSM allows
/// `26:00` for 2 am the next day).
fn time_at(b: &[u8], i: usize) -> Option<(u32, usize)> {
    if i > 0 && b[i - 1].is_ascii_digit() {
        return None;
    }
    let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=2).contains(&digits) {
        return None;
    }
    let colon = i + digits;
    if b.get(colon) != Some(&b':') {
        return None;
    }
    let m1 = *b.get(colon + 1)?;
    let m2 = *b.get(colon + 2)?;
    if !(m1.is_ascii_digit() && m2.is_ascii_digit()) {
        return None;
    }
    if b.get(colon + 3).is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let hours: u32 = std::str::from_utf8(&b[i..colon]).ok()?.parse().ok()?;
    let minutes = u32::from(m1 - b'0') * 10 + u32::from(m2 - b'0');
    (hours <= 48 && minutes < 60).then_some((hours * 60 + minutes, colon + 3))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock(v: &str) -> Option<(String, bool)> {
        closing_time(v).map(|c| (c.clock(), c.after_midnight()))
    }

    #[test]
    fn reads_latest_closing() {
        assert_eq!(clock("Mo-Su 10:00-01:00"), Some(("01:00".into(), true)));
        assert_eq!(
            clock("Su-Th 09:00-01:00, Fr,Sa 09:00-03:00"),
            Some(("03:00".into(), true))
        );
        assert_eq!(clock("Mo-Su 10:00-20:00"), Some(("20:00".into(), false)));
        assert_eq!(clock("Th 16:00-00:00"), Some(("24:00".into(), false)));
        assert_eq!(
            clock("Mo-Fr 00:00-03:00,20:00-24:00; Sa,Su 00:00-04:00,20:00-24:00"),
            Some(("04:00".into(), true))
        );
        assert_eq!(clock("Fr 22:00-26:00"), Some(("02:00".into(), true)));
    }

    #[test]
    fn never_fails_on_odd_strings() {
        for v in [
            "24/7",
            "Mo-Su 16:00+",
            "sunrise-sunset",
            "",
            "::-:",
            "99:99-12:00",
            "1:0",
            "é 10:00-",
        ] {
            let _ = closing_time(v);
        }
        assert_eq!(clock("24/7"), None);
        assert_eq!(clock("Mo-Su 16:00+"), None);
    }
}
