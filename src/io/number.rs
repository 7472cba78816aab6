//! One reading of the numbers people write for floors, heights, floor areas
//! and construction years, shared by the GeoJSON loader ([`crate::io::load`])
//! and `import osm` ([`crate::io::osm`]), so that the same text gives the same
//! value and the same diagnostic whichever path it comes through.
//!
//! [`read`] takes the text as written (a JSON number as its decimal text) and
//! gives a [`Reading`]: the value used (in the quantity's unit) or none, and,
//! when the text was not a plain value in range, the problem in words.
//!
//! | written | floors | height_m / floor_area_m2 | year | note |
//! |---|---|---|---|---|
//! | `3`, `12.5`, `1e2` | 3 | 12.5 | 1885 (`1885`) | none |
//! | `12,5` (decimal comma) | 12 (fraction, below) | 12.5 | refused | none for height/area |
//! | `12 m`, `12m`, `80 m2`, `80 m²` | refused | 12 / 80 (m for height, m2/m² for area) | refused | none |
//! | `2.5` (a fraction) | **2**, whole floors (a half storey is an attic or roof storey) | 2.5 | refused | "een breuk; gelezen als 2 hele bouwlagen" |
//! | `3;4` (a list), `3-4` / `3–4` (a range) | **3**, the lowest | the lowest | the lowest | "a list/range; read as the lowest, 3" |
//! | `1885-03-01`, `~1650`, `before 1900`, `C1885` | refused | refused | the first run of exactly four digits | none |
//! | `<4`, `>4`, `≤4`, `≥4` (a bound) | refused | refused | refused | "een grens, geen waarde; genegeerd" |
//! | `40'`, `40 ft` (feet) | refused | refused | refused | "in voet; geef meters; genegeerd" |
//! | `veel`, `inf`, `NaN`, other units | refused | refused | refused | "geen getal; genegeerd" |
//! | out of range | refused | refused | refused | "buiten 1-200 bouwlagen; genegeerd" etc. |
//! | empty, blank | absent | absent | absent | none |
//!
//! Ranges of the values accepted (anything else is impossible, reported and
//! ignored, so the documented default applies, flagged estimated): floors
//! 1-200, height 0.5-1000 m, floor area above 0 up to 5,000,000 m², year
//! 1000-2100. BAG's placeholder years 1005 and 9999 mean "unknown": absent, no
//! note ([`crate::model::construction_year`]).
//!
//! Why the lowest of a list or range: `building:levels=3;4` describes a
//! building with parts of 3 and 4 floors; the lowest never overstates the
//! floor area that homes are counted from. Why whole floors round down: a
//! half storey (`2.5`) is an attic or roof storey, which adds no full floor.

/// What a number means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantity {
    /// Floors above ground, a whole number 1-200.
    Floors,
    /// Height in metres, 0.5-1000.
    HeightM,
    /// Gross floor area in m², above 0 up to 5,000,000.
    AreaM2,
    /// Construction year, 1000-2100 (1005 and 9999: unknown).
    Year,
}

impl Quantity {
    fn range(self) -> (f64, f64, &'static str) {
        match self {
            Quantity::Floors => (1.0, 200.0, "buiten 1-200 bouwlagen"),
            Quantity::HeightM => (0.5, 1000.0, "buiten 0,5-1000 m"),
            Quantity::AreaM2 => (f64::MIN_POSITIVE, 5e6, "buiten 0-5.000.000 m²"),
            Quantity::Year => (1000.0, 2100.0, "buiten de jaren 1000-2100"),
        }
    }

    /// Unit suffixes accepted after the number (lower case).
    fn units(self) -> &'static [&'static str] {
        match self {
            Quantity::HeightM => &["m", "meter", "meters", "metre", "metres"],
            Quantity::AreaM2 => &["m2", "m²", "sqm"],
            Quantity::Floors | Quantity::Year => &[],
        }
    }
}

/// A number read from text: the value used, and what was not plain about it.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    /// The value used, in the quantity's unit (floors and years whole);
    /// `None` when absent or refused (the caller's default then applies).
    pub value: Option<f64>,
    /// The problem in words when the text was not a plain value in range
    /// (the value is then adjusted, or `None` when refused).
    pub note: Option<String>,
}

impl Reading {
    fn plain(value: Option<f64>) -> Self {
        Reading { value, note: None }
    }
    fn refused(note: impl Into<String>) -> Self {
        Reading {
            value: None,
            note: Some(note.into()),
        }
    }
    /// True when the text was refused (a note and no value).
    pub fn refused_value(&self) -> bool {
        self.value.is_none() && self.note.is_some()
    }
}

/// Reads `text` as a `quantity` by the rule in the module table. Never panics.
///
/// # Examples
/// ```
/// use binnenstad::io::number::{read, Quantity};
/// assert_eq!(read(Quantity::Floors, "2.5").value, Some(2.0));
/// assert_eq!(read(Quantity::HeightM, "12,5 m").value, Some(12.5));
/// assert_eq!(read(Quantity::Floors, "3;4").value, Some(3.0));
/// assert_eq!(read(Quantity::Floors, "<4").value, None);
/// assert_eq!(read(Quantity::Year, "1885-03-01").value, Some(1885.0));
/// ```
pub fn read(quantity: Quantity, text: &str) -> Reading {
    let t = text.trim();
    if t.is_empty() {
        return Reading::plain(None);
    }
    if t.starts_with(['<', '>', '≤', '≥']) {
        return Reading::refused("een grens, geen waarde; genegeerd");
    }
    let lower = t.to_lowercase();
    if lower.contains('\'') || lower.contains("ft") || lower.contains("feet") {
        return Reading::refused("in voet; geef meters; genegeerd");
    }
    let values: Option<Vec<f64>> = if quantity == Quantity::Year {
        year_values(&lower)
    } else {
        list_values(quantity, &lower)
    };
    let Some(values) = values.filter(|v| !v.is_empty()) else {
        return Reading::refused("geen getal; genegeerd");
    };
    let several = values.len() > 1;
    let lowest = values.iter().copied().fold(f64::INFINITY, f64::min);
    let (lo, hi, outside) = quantity.range();
    if quantity == Quantity::Year && (lowest == 1005.0 || lowest == 9999.0) {
        return Reading::plain(None);
    }
    if !(lo..=hi).contains(&lowest) {
        return Reading::refused(format!("{outside}; genegeerd"));
    }
    let whole = matches!(quantity, Quantity::Floors | Quantity::Year);
    let value = if whole { lowest.floor() } else { lowest };
    if quantity == Quantity::Floors && value < lo {
        return Reading::refused(format!("{outside}; genegeerd"));
    }
    let shown = format_value(value);
    let note = match (several, whole && lowest.fract() != 0.0) {
        (true, _) => Some(format!(
            "een lijst of bereik; gelezen als de laagste, {shown}"
        )),
        (false, true) if quantity == Quantity::Floors => Some(format!(
            "een breuk; gelezen als {shown} hele bouwlagen (een halve bouwlaag is een zolder of kap)"
        )),
        (false, true) => return Reading::refused("geen heel jaar; genegeerd"),
        (false, false) => None,
    };
    Reading {
        value: Some(value),
        note,
    }
}

/// Integers without a decimal point, other values as Rust writes them.
fn format_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// The values of a list (`;`) of values or ranges (`a-b`), each with an
/// optional unit; `None` when any part is not a number.
fn list_values(quantity: Quantity, text: &str) -> Option<Vec<f64>> {
    let mut out = Vec::new();
    for part in text.split(';') {
        let part = part.trim();
        // A range: a `-` or `–` after the first character (a leading `-` is a sign)
        // that is not an exponent's sign (`1e-3`).
        let split = part.char_indices().skip(1).find(|&(i, c)| {
            (c == '-' || c == '–') && !part[..i].ends_with(['e', 'E']) && !part[..i].ends_with('-')
        });
        match split {
            Some((i, c)) => {
                out.push(one_value(quantity, &part[..i])?);
                out.push(one_value(quantity, &part[i + c.len_utf8()..])?);
            }
            None => out.push(one_value(quantity, part)?),
        }
    }
    Some(out)
}

/// One number with an optional unit of the quantity, decimal comma allowed.
fn one_value(quantity: Quantity, text: &str) -> Option<f64> {
    let mut t = text.trim();
    for unit in quantity.units() {
        if let Some(rest) = t.strip_suffix(unit) {
            t = rest.trim_end();
            break;
        }
    }
    if t.is_empty() || !t.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.') {
        return None;
    }
    let t = if t.contains(',') && !t.contains('.') && t.matches(',').count() == 1 {
        t.replace(',', ".")
    } else {
        t.to_string()
    };
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Years: a plain number, else every run of exactly four digits (ISO dates
/// give one, `1900-1910` or `1900;1910` two), with nothing else numeric.
fn year_values(text: &str) -> Option<Vec<f64>> {
    if let Ok(v) = text.parse::<f64>() {
        return v.is_finite().then_some(vec![v]);
    }
    // A date: `1885-03-01` (one year), `~1650`, `before 1900`, `C1885`.
    if let Some(y) = iso_date_year(text) {
        return Some(vec![y]);
    }
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4 {
                out.push(text[start..i].parse::<f64>().ok()?);
            }
        } else {
            i += 1;
        }
    }
    Some(out)
}

/// The year of `YYYY-MM` or `YYYY-MM-DD`.
fn iso_date_year(text: &str) -> Option<f64> {
    let mut parts = text.split('-');
    let y = parts.next()?;
    let m = parts.next()?;
    let rest: Vec<&str> = parts.collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|c| c.is_ascii_digit());
    (digits(y, 4) && digits(m, 2) && rest.len() <= 1 && rest.iter().all(|d| digits(d, 2)))
        .then(|| y.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(q: Quantity, t: &str) -> (Option<f64>, Option<String>) {
        let x = read(q, t);
        (x.value, x.note)
    }

    #[test]
    fn plain_values_and_units() {
        assert_eq!(r(Quantity::Floors, "3"), (Some(3.0), None));
        assert_eq!(r(Quantity::Floors, " 3 "), (Some(3.0), None));
        assert_eq!(r(Quantity::HeightM, "12 m"), (Some(12.0), None));
        assert_eq!(r(Quantity::HeightM, "12,5"), (Some(12.5), None));
        assert_eq!(r(Quantity::HeightM, "12.5m"), (Some(12.5), None));
        assert_eq!(r(Quantity::AreaM2, "80 m²"), (Some(80.0), None));
        assert_eq!(r(Quantity::Year, "1885"), (Some(1885.0), None));
        assert_eq!(r(Quantity::Year, "1885-03-01"), (Some(1885.0), None));
        assert_eq!(r(Quantity::Year, "~1650"), (Some(1650.0), None));
        assert_eq!(r(Quantity::Floors, ""), (None, None));
        assert_eq!(r(Quantity::Year, "1005"), (None, None), "BAG unknown");
    }

    #[test]
    fn fractions_lists_and_ranges() {
        let (v, n) = r(Quantity::Floors, "2.5");
        assert_eq!(v, Some(2.0));
        assert!(
            n.unwrap()
                .starts_with("een breuk; gelezen als 2 hele bouwlagen")
        );
        for t in ["3;4", "4;3", "3-4", "3 - 4", "3–4"] {
            let (v, n) = r(Quantity::Floors, t);
            assert_eq!(v, Some(3.0), "{t}");
            assert_eq!(
                n.as_deref(),
                Some("een lijst of bereik; gelezen als de laagste, 3")
            );
        }
        assert_eq!(r(Quantity::HeightM, "12;15 m").0, Some(12.0));
        assert_eq!(r(Quantity::Year, "1900-1910").0, Some(1900.0));
        assert_eq!(
            r(Quantity::Year, "1900.5").1.as_deref(),
            Some("geen heel jaar; genegeerd")
        );
    }

    #[test]
    fn bounds_feet_words_and_impossible_values_are_refused() {
        let refused = |q, t: &str, note: &str| {
            let x = read(q, t);
            assert_eq!(x.value, None, "{t}");
            assert_eq!(x.note.as_deref(), Some(note), "{t}");
            assert!(x.refused_value());
        };
        refused(Quantity::Floors, "<4", "een grens, geen waarde; genegeerd");
        refused(Quantity::HeightM, "40'", "in voet; geef meters; genegeerd");
        refused(
            Quantity::HeightM,
            "40 ft",
            "in voet; geef meters; genegeerd",
        );
        refused(Quantity::Floors, "veel", "geen getal; genegeerd");
        refused(Quantity::Floors, "inf", "geen getal; genegeerd");
        refused(Quantity::Floors, "NaN", "geen getal; genegeerd");
        refused(Quantity::Floors, "3 cm", "geen getal; genegeerd");
        refused(
            Quantity::Floors,
            "1000000000",
            "buiten 1-200 bouwlagen; genegeerd",
        );
        refused(Quantity::Floors, "-3", "buiten 1-200 bouwlagen; genegeerd");
        refused(Quantity::Floors, "0", "buiten 1-200 bouwlagen; genegeerd");
        refused(Quantity::Floors, "0.5", "buiten 1-200 bouwlagen; genegeerd");
        refused(Quantity::HeightM, "-5", "buiten 0,5-1000 m; genegeerd");
        refused(Quantity::AreaM2, "-100", "buiten 0-5.000.000 m²; genegeerd");
        refused(
            Quantity::AreaM2,
            "1e308",
            "buiten 0-5.000.000 m²; genegeerd",
        );
        refused(
            Quantity::Year,
            "99999999999",
            "buiten de jaren 1000-2100; genegeerd",
        );
        refused(Quantity::Year, "C17", "geen getal; genegeerd");
    }
}
