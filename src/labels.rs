//! The Dutch labels of the keys in files and scenarios: one table for every
//! output a person reads (report.html, kaart.html, map.png, the QGIS legend,
//! messages).
//!
//! Keys stay as they are in files and scenarios (`primary_school`,
//! `leegstaande_units`, `gezinnen`); what a planner reads is the label. A key
//! without an entry is shown as given, so a kind added later still reads.

use crate::model::{AmenityKind, BuildingUse, ZoneCharacter};

/// The Dutch name of an amenity kind (`primary_school` → `basisschool`).
pub fn amenity_kind(kind: AmenityKind) -> &'static str {
    amenity_key(kind.as_str())
}

/// [`amenity_kind`] by key; unknown keys as given.
pub fn amenity_key(key: &str) -> &str {
    match key {
        "supermarket" => "supermarkt",
        "bakery" => "bakker",
        "butcher" => "slager",
        "greengrocer" => "groenteboer",
        "marketplace" => "markt",
        "gp" => "huisarts",
        "pharmacy" => "apotheek",
        "dentist" => "tandarts",
        "care" => "zorg",
        "daycare" => "kinderopvang",
        "primary_school" => "basisschool",
        "secondary_school" => "middelbare school",
        "playground" => "speeltuin",
        "park" => "park",
        "library" => "bibliotheek",
        "community_centre" => "buurthuis",
        "theatre" => "theater",
        "cinema" => "bioscoop",
        "sports" => "sport",
        "transit_stop" => "ov-halte",
        "square" => "plein",
        other => other,
    }
}

/// The Dutch word for a horeca kind (`nightclub` → `nachtclub`); unknown kinds as given.
pub fn horeca_kind(kind: &str) -> &str {
    match kind {
        "restaurant" => "restaurant",
        "cafe" => "lunchroom",
        "fast_food" => "snackbar",
        "ice_cream" => "ijssalon",
        "food_court" => "foodcourt",
        "pub" => "café",
        "bar" => "bar",
        "biergarten" => "biergarten",
        "nightclub" => "nachtclub",
        "discotheque" => "discotheek",
        other => other,
    }
}

/// A horeca category 1 (light), 2 (medium) or 3 (heavy), as plans name them.
pub fn horeca_category(category: u8) -> &'static str {
    match category {
        3 => "horeca cat. 3 (zwaar)",
        2 => "horeca cat. 2 (middel)",
        _ => "horeca cat. 1 (licht)",
    }
}

/// The Dutch name of a building use (`retail` → `winkel`).
pub fn building_use(usage: BuildingUse) -> &'static str {
    use_key(usage.as_str())
}

/// [`building_use`] by key; unknown keys as given.
pub fn use_key(key: &str) -> &str {
    match key {
        "residential" => "wonen",
        "retail" => "winkel",
        "horeca" => "horeca",
        "office" => "kantoor",
        "culture" => "cultuur",
        "education" => "onderwijs",
        "healthcare" => "zorg",
        "industry" => "bedrijf",
        "mixed" => "gemengd gebruik",
        "other" => "overig",
        other => other,
    }
}

/// A transformation site type (`boven_winkels` → `boven winkels`).
pub fn site_type(key: &str) -> &str {
    match key {
        "leegstand" => "leegstand (heel gebouw)",
        "leegstaande_units" => "leegstaande units",
        "boven_winkels" => "boven winkels",
        "aanloopstraat" => "aanloopstraat",
        "kantoor" => "kantoor",
        "overig" => "overig",
        other => other,
    }
}

/// A zone character: rust, gemengd, reuring (the field's own words).
pub fn zone(z: ZoneCharacter) -> &'static str {
    z.as_str()
}

/// The score components of a site, by their key in sites.geojson.
pub fn site_component(key: &str) -> &str {
    match key {
        "c_suitability" => "geschiktheid",
        "c_vacancy" => "leegstand",
        "c_location" => "ligging",
        "c_fit" => "past bij doelgroep",
        "c_monument" => "monument",
        "c_data" => "datakwaliteit",
        other => other,
    }
}

/// A count with its noun, singular for one (`aantal(1, "woning", "woningen")`
/// → `1 woning`, 1234 → `1.234 woningen`).
pub fn aantal(n: u64, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        nl_number(n as f64, 0),
        if n == 1 { one } else { many }
    )
}

/// The Dutch name of a suitability criterion by its key in `site --json` and
/// the scenario's weights (`need.primary_school` → `behoefte basisschool`,
/// `above_retail_core` → `boven winkels in kernwinkelgebied`); unknown keys as given.
pub fn criterion(key: &str) -> String {
    if let Some(kind) = key.strip_prefix("need.") {
        return format!("behoefte {}", amenity_key(kind));
    }
    match key {
        "zone" => "zone".into(),
        "horeca_1" => "horeca cat. 1".into(),
        "horeca_2" => "horeca cat. 2".into(),
        "horeca_3" => "horeca cat. 3".into(),
        "plint" => "plint".into(),
        "above_retail_core" => "boven winkels in kernwinkelgebied".into(),
        "vng" => "VNG-richtafstand".into(),
        "floor" => "verdieping".into(),
        "monument" => "monument".into(),
        other => other.into(),
    }
}

/// What a data problem is about, by its code (`island` → `los van het
/// straatnetwerk`): for the one-line count after `plan`; unknown codes as given.
pub fn diagnostic(code: &str) -> &str {
    match code {
        "island" => "los van het straatnetwerk",
        "separate_network" => "eigen straatnet (andere kern)",
        "unreachable_connector" => "te ver van een looproute",
        "missing_kind" => "voorziening ontbreekt in de kaart",
        "unknown_use" => "gebruik onbekend",
        "bad_value" => "onbruikbare waarde",
        "missing_value" => "waarde ontbreekt",
        "missing_id" => "id ontbreekt",
        "duplicate_id" => "dubbele id",
        "unknown_id" => "onbekende id",
        "unknown_kind" => "onbekende soort",
        "invalid_geometry" | "invalid_position" | "unclosed_ring" => "ongeldige geometrie",
        "empty_geometry" => "lege geometrie",
        "wrong_geometry_type" => "verkeerd geometrietype",
        "far_outside" | "far_from_bulk" => "ver buiten het gebied",
        "grid_coarsened" => "zoneringsraster grover",
        "reprojection" => "omrekenen coördinaten mislukt",
        "empty_network" => "geen straatnetwerk",
        "invalid_setting" => "ongeldige instelling",
        "no_location" => "geen locatie",
        other => other,
    }
}

/// The Dutch name of an input layer (`streets` → `straten`); the file keeps
/// its key (`streets.geojson`). Unknown keys as given.
pub fn layer(key: &str) -> &str {
    match key {
        "buildings" => "gebouwen",
        "streets" => "straten",
        "amenities" => "voorzieningen",
        "horeca" => "horeca",
        "retail_core" => "kernwinkelgebied",
        "businesses" => "bedrijven",
        "plan_zones" => "planzones",
        "zoning" => "zonering",
        other => other,
    }
}

/// `waarschuwing` or `fout`.
pub fn severity(s: crate::Severity) -> &'static str {
    match s {
        crate::Severity::Warning => "waarschuwing",
        crate::Severity::Error => "fout",
    }
}

/// A number in Dutch prose: `.` between thousands, `,` before decimals
/// (`1234.5` with 1 decimal → `1.234,5`); trailing zeros are kept, `-0` is `0`.
/// Data files keep plain numbers; this is for text people read.
///
/// # Examples
/// ```
/// use binnenstad::labels::nl_number;
/// assert_eq!(nl_number(1234.5, 1), "1.234,5");
/// assert_eq!(nl_number(-0.01, 0), "0");
/// assert_eq!(nl_number(1_000_000.0, 0), "1.000.000");
/// ```
pub fn nl_number(v: f64, decimals: usize) -> String {
    let mut out = String::new();
    push_nl_number(&mut out, v, decimals);
    out
}

/// [`nl_number`] appended to `out`, without a temporary String: whole numbers
/// below 2^53 are written from their digits, others are formatted into a
/// stack buffer first (issue 18: `nl_number` was ~3% of a 1M plan's CPU).
pub fn push_nl_number(out: &mut String, v: f64, decimals: usize) {
    if !v.is_finite() {
        out.push('–');
        return;
    }
    let a = v.abs();
    // Whole numbers (the common case: metres, counts, rounded minutes).
    if a.fract() == 0.0 && a < 9_007_199_254_740_992.0 {
        let n = a as u64;
        if v < 0.0 && n != 0 {
            out.push('-');
        }
        let mut digits = [0u8; 20];
        let mut len = 0;
        let mut m = n;
        loop {
            digits[len] = b'0' + (m % 10) as u8;
            len += 1;
            m /= 10;
            if m == 0 {
                break;
            }
        }
        out.reserve(len + len / 3 + decimals + 1);
        for i in (0..len).rev() {
            out.push(char::from(digits[i]));
            if i > 0 && i % 3 == 0 {
                out.push('.');
            }
        }
        if decimals > 0 {
            out.push(',');
            for _ in 0..decimals {
                out.push('0');
            }
        }
        return;
    }
    let mut buf = StackText::default();
    let text: std::borrow::Cow<str> = {
        use std::fmt::Write;
        if write!(buf, "{a:.decimals$}").is_ok() {
            std::borrow::Cow::Borrowed(buf.as_str())
        } else {
            std::borrow::Cow::Owned(format!("{a:.decimals$}"))
        }
    };
    let s: &str = &text;
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let zero = s.bytes().all(|c| c == b'0' || c == b'.');
    if v < 0.0 && !zero {
        out.push('-');
    }
    out.reserve(int.len() + int.len() / 3 + frac.len() + 1);
    for (i, c) in int.char_indices() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
}

/// A fixed buffer for one formatted number; writing more than it holds is an
/// error (the caller then formats into a String).
struct StackText {
    buf: [u8; 64],
    len: usize,
}

impl Default for StackText {
    fn default() -> Self {
        StackText {
            buf: [0; 64],
            len: 0,
        }
    }
}

impl StackText {
    fn as_str(&self) -> &str {
        // Only whole `&str`s are copied in, so the bytes are UTF-8.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

impl std::fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        if end > self.buf.len() {
            return Err(std::fmt::Error);
        }
        self.buf[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Walking minutes in prose: whole minutes, rounded to the nearest (the one
/// rounding rule for minutes in every text output).
pub fn minutes(m: f64) -> String {
    nl_number(m.round(), 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words that are the same in Dutch and English (or a proper Dutch loan).
    const SAME_WORD: [&str; 3] = ["park", "restaurant", "bar"];

    #[test]
    fn every_amenity_kind_has_a_dutch_label() {
        for k in AmenityKind::ALL {
            let nl = amenity_kind(*k);
            assert!(
                nl != k.as_str() || SAME_WORD.contains(&nl),
                "{} has no Dutch label",
                k.as_str()
            );
            assert!(!nl.contains('_'), "{nl}");
        }
    }

    #[test]
    fn every_building_use_and_site_type_has_a_dutch_label() {
        for u in BuildingUse::ALL {
            let nl = building_use(*u);
            assert!(nl != u.as_str() || nl == "horeca", "{}", u.as_str());
        }
        for t in crate::rules::sites::SiteType::ALL.map(|t| t.as_str()) {
            assert!(!site_type(t).contains('_'), "{t}");
        }
        for k in [
            "c_suitability",
            "c_vacancy",
            "c_location",
            "c_fit",
            "c_monument",
            "c_data",
        ] {
            assert_ne!(site_component(k), k);
        }
    }

    /// The function before issue 18's pass (one `format!` and a String per
    /// call), the oracle for [`nl_number`].
    fn nl_number_old(v: f64, decimals: usize) -> String {
        if !v.is_finite() {
            return "–".to_string();
        }
        let s = format!("{:.decimals$}", v.abs());
        let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
        let mut out = String::new();
        let zero = s.chars().all(|c| c == '0' || c == '.');
        if v < 0.0 && !zero {
            out.push('-');
        }
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i).is_multiple_of(3) {
                out.push('.');
            }
            out.push(c);
        }
        if !frac.is_empty() {
            out.push(',');
            out.push_str(frac);
        }
        out
    }

    #[test]
    fn nl_number_matches_the_old_function() {
        // splitmix64: deterministic, no dependency.
        let mut state = 18u64;
        let mut next = move || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        let mut special = vec![
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            2.5,
            -0.04,
            -0.05,
            0.05,
            0.15,
            999.5,
            999.95,
            -999.95,
            1e15,
            9_007_199_254_740_991.0,
            9_007_199_254_740_992.0,
            -9_007_199_254_740_993.0,
            1e20,
            -1e22,
            1e300,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            5e-324,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for _ in 0..300_000 {
            let r = next();
            // A uniform in [0, 1) from the top 53 bits.
            let u = (next() >> 11) as f64 / (1u64 << 53) as f64;
            let v = match r % 6 {
                0 => (u * 200_000.0).floor() - 100_000.0,
                1 => f64::from((u * 2000.0 - 1000.0) as f32),
                2 => u * 2e7 - 1e7,
                3 => ((u * 2e6 - 1e6) * 10.0).round() / 10.0 + 0.05,
                4 => f64::from_bits(next()),
                _ => u * 4.0 - 2.0,
            };
            special.push(v);
        }
        for v in special {
            for d in [0, 1, 2, 3] {
                assert_eq!(nl_number(v, d), nl_number_old(v, d), "{v:e} with {d}");
                let mut s = String::from("x");
                push_nl_number(&mut s, v, d);
                assert_eq!(s, format!("x{}", nl_number_old(v, d)));
            }
        }
    }

    #[test]
    fn dutch_numbers() {
        assert_eq!(nl_number(0.0, 0), "0");
        assert_eq!(nl_number(999.0, 0), "999");
        assert_eq!(nl_number(1000.0, 0), "1.000");
        assert_eq!(nl_number(10.25, 1), "10,2");
        assert_eq!(nl_number(-1234.56, 2), "-1.234,56");
        assert_eq!(minutes(10.5), "11");
        assert_eq!(minutes(10.3), "10");
        // The review of issue 17 saw "1 studenten" and "1 homes".
        assert_eq!(aantal(1, "woning", "woningen"), "1 woning");
        assert_eq!(aantal(0, "woning", "woningen"), "0 woningen");
        assert_eq!(aantal(2384, "woning", "woningen"), "2.384 woningen");
    }

    #[test]
    fn criteria_read_in_dutch() {
        assert_eq!(criterion("need.primary_school"), "behoefte basisschool");
        assert_eq!(
            criterion("above_retail_core"),
            "boven winkels in kernwinkelgebied"
        );
        assert_eq!(diagnostic("island"), "los van het straatnetwerk");
        assert_eq!(layer("streets"), "straten");
    }
}
