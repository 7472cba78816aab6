//! Colours and symbols shared by the QGIS styles, the map and the report.
//!
//! One table per theme, so that a zone, a verdict or an amenity kind looks the
//! same in QGIS, in map.png and in report.html. Colours are chosen to read on
//! white and to stay apart for the common forms of colour blindness where the
//! meaning needs it (verdicts: green / amber / red differ in lightness too).

use crate::model::{AmenityKind, ZoneCharacter};

/// An sRGB colour with alpha (0 = transparent, 255 = opaque).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgba(pub u8, pub u8, pub u8, pub u8);

impl Rgba {
    /// An opaque colour.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Rgba {
        Rgba(r, g, b, 255)
    }
    /// The same colour with another alpha.
    pub const fn with_alpha(self, a: u8) -> Rgba {
        Rgba(self.0, self.1, self.2, a)
    }
    /// `r,g,b,a` as QGIS writes colours in styles.
    pub fn qgis(self) -> String {
        format!("{},{},{},{}", self.0, self.1, self.2, self.3)
    }
    /// `#rrggbb` (alpha left out; see [`Rgba::opacity`]).
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
    /// Alpha as a fraction 0-1 with at most 3 decimals.
    pub fn opacity(self) -> String {
        super::num(f64::from(self.3) / 255.0, 3)
    }
    /// A darker shade (for outlines): each channel times `factor` (0-1).
    pub fn darker(self, factor: f64) -> Rgba {
        let f = factor.clamp(0.0, 1.0);
        let d = |c: u8| (f64::from(c) * f).round() as u8;
        Rgba(d(self.0), d(self.1), d(self.2), self.3)
    }
    /// The colour as seen over a white background (alpha composited), opaque.
    pub fn over_white(self) -> Rgba {
        let a = f64::from(self.3) / 255.0;
        let c = |v: u8| (f64::from(v) * a + 255.0 * (1.0 - a)).round() as u8;
        Rgba(c(self.0), c(self.1), c(self.2), 255)
    }
}

/// Map background and neutral greys.
pub const BACKGROUND: Rgba = Rgba::rgb(255, 255, 255);
/// Text colour.
pub const INK: Rgba = Rgba::rgb(34, 34, 34);
/// Secondary text (subtitles, attribution).
pub const INK_SOFT: Rgba = Rgba::rgb(102, 102, 102);
/// Street centre lines.
pub const STREET: Rgba = Rgba::rgb(150, 150, 150);
/// Transformation sites (numbered circles, bold outlines).
pub const SITE: Rgba = Rgba::rgb(106, 61, 154);
/// Coverage areas (areas within walking reach).
pub const COVERAGE: Rgba = Rgba(49, 130, 189, 64);

/// Alpha of zone fills: soft enough for buildings and streets to show through.
pub const ZONE_ALPHA: u8 = 115;

/// The soft fill of a zone character (opaque; apply [`ZONE_ALPHA`]).
pub fn zone(z: ZoneCharacter) -> Rgba {
    match z {
        ZoneCharacter::Rust => Rgba::rgb(120, 198, 121),
        ZoneCharacter::Gemengd => Rgba::rgb(254, 217, 118),
        ZoneCharacter::Reuring => Rgba::rgb(244, 109, 67),
    }
}

/// The verdicts in their order from best to worst, then onbekend (every need
/// of the group without data: `Verdict::Onbekend`).
pub const VERDICTS: [&str; 4] = ["geschikt", "voorwaardelijk", "ongeschikt", "onbekend"];

/// Colour of a building by verdict: onbekend slate blue (a verdict the data
/// cannot give, not a bad one); anything else (no verdict, not housing) is grey.
pub fn verdict(v: Option<&str>) -> Rgba {
    match v {
        Some("geschikt") => Rgba::rgb(26, 152, 80),
        Some("voorwaardelijk") => Rgba::rgb(253, 174, 32),
        Some("ongeschikt") => Rgba::rgb(215, 48, 39),
        Some("onbekend") => Rgba::rgb(116, 140, 196),
        _ => Rgba::rgb(189, 189, 189),
    }
}

/// Colour of an amenity kind: hue by theme (daily goods orange/brown, care
/// red/pink, children and schools blue, green space green, culture purple,
/// transit dark), lightness apart within a theme.
pub fn amenity(k: AmenityKind) -> Rgba {
    use AmenityKind::*;
    match k {
        Supermarket => Rgba::rgb(230, 85, 13),
        Bakery => Rgba::rgb(204, 133, 63),
        Butcher => Rgba::rgb(140, 45, 4),
        Greengrocer => Rgba::rgb(166, 166, 0),
        Marketplace => Rgba::rgb(253, 141, 60),
        Gp => Rgba::rgb(203, 24, 29),
        Pharmacy => Rgba::rgb(231, 41, 138),
        Dentist => Rgba::rgb(153, 0, 76),
        Care => Rgba::rgb(250, 120, 150),
        Daycare => Rgba::rgb(66, 146, 198),
        PrimarySchool => Rgba::rgb(33, 113, 181),
        SecondarySchool => Rgba::rgb(8, 48, 107),
        Playground => Rgba::rgb(0, 170, 200),
        Park => Rgba::rgb(35, 139, 69),
        Library => Rgba::rgb(117, 107, 177),
        CommunityCentre => Rgba::rgb(158, 154, 200),
        Theatre => Rgba::rgb(84, 39, 143),
        Cinema => Rgba::rgb(174, 1, 126),
        Sports => Rgba::rgb(102, 189, 99),
        TransitStop => Rgba::rgb(37, 37, 37),
        Square => Rgba::rgb(150, 150, 150),
    }
}

/// The short code drawn inside an amenity's circle, from its Dutch name
/// (`Ha` huisarts, `St` speeltuin; explained in the legend).
pub fn amenity_code(k: AmenityKind) -> &'static str {
    use AmenityKind::*;
    match k {
        Supermarket => "Su",
        Bakery => "Ba",
        Butcher => "Sl",
        Greengrocer => "Gr",
        Marketplace => "M",
        Gp => "Ha",
        Pharmacy => "Ap",
        Dentist => "Ta",
        Care => "Z",
        Daycare => "Ko",
        PrimarySchool => "Bs",
        SecondarySchool => "Ms",
        Playground => "St",
        Park => "P",
        Library => "Bi",
        CommunityCentre => "Bh",
        Theatre => "Th",
        Cinema => "Bc",
        Sports => "Sp",
        TransitStop => "OV",
        Square => "Pl",
    }
}

/// A readable label for an amenity kind: its Dutch name (`primary_school` →
/// `basisschool`), from [`crate::labels`].
pub fn amenity_label(k: AmenityKind) -> String {
    crate::labels::amenity_kind(k).to_string()
}

/// Colour and marker size (millimetres in QGIS, doubled to pixels on the map)
/// of a horeca category 1 (light), 2 (medium) or 3 (heavy); anything else is
/// drawn as category 1.
pub fn horeca(category: u8) -> (Rgba, f64) {
    match category {
        3 => (Rgba::rgb(127, 0, 0), 3.4),
        2 => (Rgba::rgb(227, 74, 51), 2.4),
        _ => (Rgba::rgb(253, 187, 132), 1.6),
    }
}

/// A readable label for a horeca category, from [`crate::labels`].
pub fn horeca_label(category: u8) -> &'static str {
    crate::labels::horeca_category(category)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn amenity_colours_and_codes_are_distinct() {
        let colours: HashSet<Rgba> = AmenityKind::ALL.iter().map(|k| amenity(*k)).collect();
        let codes: HashSet<&str> = AmenityKind::ALL.iter().map(|k| amenity_code(*k)).collect();
        assert_eq!(colours.len(), AmenityKind::ALL.len());
        assert_eq!(codes.len(), AmenityKind::ALL.len());
    }

    #[test]
    fn colour_formats() {
        let c = Rgba(255, 128, 0, 128);
        assert_eq!(c.qgis(), "255,128,0,128");
        assert_eq!(c.hex(), "#ff8000");
        assert_eq!(c.opacity(), "0.502");
        assert_eq!(c.over_white(), Rgba(255, 191, 127, 255));
        assert_eq!(verdict(Some("iets")), verdict(None));
    }
}
