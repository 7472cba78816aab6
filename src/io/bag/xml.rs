//! Streaming reader for LV BAG 2.0 stand files (Kadaster's `bagStand` XML).
//!
//! One pass with quick-xml over a [`BufRead`]: nothing but the record being
//! read is held. Elements are matched on their **local name** (`Pand`,
//! `identificatie`, `posList` ...), so the dated namespace URIs
//! (`.../objecten/v20200601`) and their prefixes do not matter. Objects other
//! than `Pand` and `Verblijfsobject` (addresses, ligplaatsen ...) are skipped
//! whole. Every voorkomen is handed to the caller, who keeps the current one.
//!
//! Errors are messages without the path (the caller adds file and entry):
//! malformed XML (with the byte offset), a mutation file, a file that is not
//! an LV BAG stand extract. A bad record in a good file (an id that is not 16
//! digits, a posList that is not numbers) is a [`RecordProblem`].

use quick_xml::events::{BytesStart, Event};
use std::io::BufRead;

/// A date as `yyyymmdd` (2020-09-15 → 20200915), so dates compare as numbers.
pub type Date = u32;

/// Parses `YYYY-MM-DD` (a time after it, as in `tijdstipRegistratie`, is ignored).
pub fn parse_date(text: &str) -> Option<Date> {
    let t = text.trim().as_bytes();
    if t.len() < 10 || t[4] != b'-' || t[7] != b'-' {
        return None;
    }
    let num = |s: &[u8]| -> Option<u32> { std::str::from_utf8(s).ok()?.parse().ok() };
    let (y, m, d) = (num(&t[0..4])?, num(&t[5..7])?, num(&t[8..10])?);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some(y * 10_000 + m * 100 + d)
}

/// The history of one record: which voorkomen, valid from when to when.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Voorkomen {
    /// `voorkomenidentificatie` (1, 2 ...), 0 when absent.
    pub number: u32,
    /// `beginGeldigheid`.
    pub begin: Option<Date>,
    /// `eindGeldigheid`; None for the current voorkomen.
    pub end: Option<Date>,
}

impl Voorkomen {
    /// Whether this voorkomen is the valid one: on `date` (begin ≤ date <
    /// end), or without a date the one without an end.
    pub fn valid_on(&self, date: Option<Date>) -> bool {
        match date {
            None => self.end.is_none(),
            Some(d) => self.begin.is_some_and(|b| b <= d) && self.end.is_none_or(|e| d < e),
        }
    }
}

/// One voorkomen of a pand as read.
#[derive(Debug, Clone, Default)]
pub struct PandRecord {
    /// `identificatie` as written.
    pub id: String,
    /// The voorkomen.
    pub voorkomen: Voorkomen,
    /// `status` as written (`Pand in gebruik` ...).
    pub status: String,
    /// `oorspronkelijkBouwjaar` as written, when it is a number.
    pub bouwjaar: Option<i64>,
    /// Polygons (RD New metres): rings of (x, y), the first the exterior.
    pub polygons: Vec<Vec<Vec<[f64; 2]>>>,
}

/// One voorkomen of a verblijfsobject (unit) as read.
#[derive(Debug, Clone, Default)]
pub struct UnitRecord {
    /// `identificatie` as written.
    pub id: String,
    /// The voorkomen.
    pub voorkomen: Voorkomen,
    /// `status` as written.
    pub status: String,
    /// Every `gebruiksdoel` (one or more).
    pub gebruiksdoelen: Vec<String>,
    /// `oppervlakte` in m² (gebruiksoppervlakte, NEN 2580).
    pub oppervlakte: Option<f64>,
    /// Every `PandRef` of `maaktDeelUitVan` (one or more).
    pub panden: Vec<String>,
}

/// A record read, for the caller to keep or drop.
#[derive(Debug, Clone)]
pub enum Record {
    /// A pand voorkomen.
    Pand(PandRecord),
    /// A verblijfsobject voorkomen.
    Unit(UnitRecord),
}

/// A record that could not be read whole: which object, what was wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordProblem {
    /// `Pand` or `Verblijfsobject`.
    pub kind: &'static str,
    /// The object's id when it was read.
    pub id: Option<String>,
    /// What was wrong.
    pub message: String,
}

/// Which leaf element's text is being collected.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Field {
    None,
    Id,
    Number,
    Begin,
    End,
    Status,
    Bouwjaar,
    PosList,
    Gebruiksdoel,
    Oppervlakte,
    PandRef,
}

/// The record being read.
enum Current {
    None,
    Pand(PandRecord),
    Unit(UnitRecord),
}

/// Reads every Pand and Verblijfsobject voorkomen from one stand file and
/// hands each to `sink` (records with a problem go to `problem` instead).
///
/// # Errors
/// A message (without the path): invalid XML with its byte offset; a mutation
/// file (root `bagMutaties` or any root naming mutaties); any other root than
/// `bagStand`.
pub fn read_stand<R: BufRead>(
    input: R,
    sink: &mut dyn FnMut(Record),
    problem: &mut dyn FnMut(RecordProblem),
) -> Result<(), String> {
    let mut input = input;
    let head = input.fill_buf().map_err(|e| format!("cannot read: {e}"))?;
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    if head
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b != b'<')
    {
        return Err("not XML (an LV BAG 2.0 extract is XML, or a zip of XML files)".into());
    }
    let mut reader = quick_xml::Reader::from_reader(input);
    reader.config_mut().trim_text(true);
    let mut buf = Vec::with_capacity(1 << 16);
    let mut text = String::new();
    let mut field = Field::None;
    let mut current = Current::None;
    let mut seen_root = false;
    // Inside an interior ring (else exterior) while reading a posList.
    let mut interior = false;
    // srsDimension of the geometry being read (2 when not stated).
    let mut dims = 2usize;
    // Set when the record hit a problem: the rest of it is read and dropped.
    let mut broken: Option<String> = None;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("invalid XML at byte {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(ref e) => {
                let local = e.local_name();
                let local = local.as_ref();
                if !seen_root {
                    check_root(local)?;
                    seen_root = true;
                    continue;
                }
                match &mut current {
                    Current::None => match local {
                        b"Pand" => {
                            current = Current::Pand(PandRecord::default());
                            dims = 2;
                        }
                        b"Verblijfsobject" => current = Current::Unit(UnitRecord::default()),
                        // Other objects: skip the whole element.
                        b"Ligplaats" | b"Standplaats" | b"Nummeraanduiding" | b"OpenbareRuimte"
                        | b"Woonplaats" => {
                            let end = e.to_end().into_owned();
                            reader
                                .read_to_end_into(end.name(), &mut Vec::new())
                                .map_err(|err| {
                                    format!(
                                        "invalid XML at byte {}: {err}",
                                        reader.error_position()
                                    )
                                })?;
                        }
                        _ => {}
                    },
                    Current::Pand(p) => {
                        field = match local {
                            b"identificatie" => Field::Id,
                            b"voorkomenidentificatie" => Field::Number,
                            b"beginGeldigheid" => Field::Begin,
                            b"eindGeldigheid" => Field::End,
                            b"status" => Field::Status,
                            b"oorspronkelijkBouwjaar" => Field::Bouwjaar,
                            b"posList" => {
                                if let Some(d) = srs_dimension(e) {
                                    dims = d;
                                }
                                Field::PosList
                            }
                            b"Polygon" => {
                                if let Some(d) = srs_dimension(e) {
                                    dims = d;
                                }
                                p.polygons.push(Vec::new());
                                Field::None
                            }
                            b"exterior" => {
                                interior = false;
                                Field::None
                            }
                            b"interior" => {
                                interior = true;
                                Field::None
                            }
                            _ => Field::None,
                        };
                        text.clear();
                    }
                    Current::Unit(_) => {
                        field = match local {
                            b"identificatie" => Field::Id,
                            b"voorkomenidentificatie" => Field::Number,
                            b"beginGeldigheid" => Field::Begin,
                            b"eindGeldigheid" => Field::End,
                            b"status" => Field::Status,
                            b"gebruiksdoel" => Field::Gebruiksdoel,
                            b"oppervlakte" => Field::Oppervlakte,
                            b"PandRef" => Field::PandRef,
                            _ => Field::None,
                        };
                        text.clear();
                    }
                }
            }
            Event::Empty(ref e) if !seen_root => {
                check_root(e.local_name().as_ref())?;
                seen_root = true;
            }
            Event::Text(ref t) if field != Field::None => {
                let s = t.decode().map_err(|e| {
                    format!("invalid text at byte {}: {e}", reader.buffer_position())
                })?;
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(&s);
            }
            Event::End(ref e) => {
                let local = e.local_name();
                let local = local.as_ref();
                match (&mut current, local) {
                    (Current::Pand(_), b"Pand") | (Current::Unit(_), b"Verblijfsobject") => {
                        let done = std::mem::replace(&mut current, Current::None);
                        let (kind, record) = match done {
                            Current::Pand(p) => ("Pand", Record::Pand(p)),
                            Current::Unit(u) => ("Verblijfsobject", Record::Unit(u)),
                            Current::None => continue,
                        };
                        let id = match &record {
                            Record::Pand(p) => p.id.clone(),
                            Record::Unit(u) => u.id.clone(),
                        };
                        if let Some(message) = broken.take() {
                            problem(RecordProblem {
                                kind,
                                id: (!id.is_empty()).then_some(id),
                                message,
                            });
                        } else if id.is_empty() {
                            problem(RecordProblem {
                                kind,
                                id: None,
                                message: "has no identificatie; skipped".into(),
                            });
                        } else {
                            sink(record);
                        }
                    }
                    (Current::Pand(p), _) if field != Field::None => {
                        if let Err(m) = pand_field(p, field, &text, interior, dims) {
                            broken.get_or_insert(m);
                        }
                        field = Field::None;
                    }
                    (Current::Unit(u), _) if field != Field::None => {
                        if let Err(m) = unit_field(u, field, &text) {
                            broken.get_or_insert(m);
                        }
                        field = Field::None;
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !seen_root {
        return Err("empty file: no XML root element".into());
    }
    if !matches!(current, Current::None) {
        return Err("truncated: the file ends inside an object".into());
    }
    Ok(())
}

/// Accepts `bagStand`; names mutation files and anything else.
fn check_root(local: &[u8]) -> Result<(), String> {
    let name = String::from_utf8_lossy(local);
    if local == b"bagStand" {
        Ok(())
    } else if name.to_ascii_lowercase().contains("mutatie") {
        Err(format!(
            "a BAG mutation file (root <{name}>): binnenstad reads stand extracts \
             (LV BAG Extract 2.0, root <bagStand>), not mutations; download a full \
             extract (stand) of the date you need"
        ))
    } else {
        Err(format!(
            "not an LV BAG 2.0 stand extract: root element <{name}> (expected <bagStand>)"
        ))
    }
}

fn srs_dimension(e: &BytesStart<'_>) -> Option<usize> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == b"srsDimension")
            .then(|| std::str::from_utf8(&a.value).ok()?.trim().parse().ok())
            .flatten()
    })
}

fn number<T: std::str::FromStr>(text: &str, what: &str) -> Result<T, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("{what} {:?} is not a number", text.trim()))
}

fn date(text: &str, what: &str) -> Result<Option<Date>, String> {
    match parse_date(text) {
        Some(d) => Ok(Some(d)),
        None => Err(format!(
            "{what} {:?} is not a date (YYYY-MM-DD)",
            text.trim()
        )),
    }
}

fn pand_field(
    p: &mut PandRecord,
    field: Field,
    text: &str,
    interior: bool,
    dims: usize,
) -> Result<(), String> {
    match field {
        Field::Id => p.id = text.trim().to_string(),
        Field::Number => p.voorkomen.number = number(text, "voorkomenidentificatie")?,
        Field::Begin => p.voorkomen.begin = date(text, "beginGeldigheid")?,
        Field::End => p.voorkomen.end = date(text, "eindGeldigheid")?,
        Field::Status => p.status = text.trim().to_string(),
        Field::Bouwjaar => p.bouwjaar = Some(number(text, "oorspronkelijkBouwjaar")?),
        Field::PosList => {
            let ring = pos_list(text, dims)?;
            if p.polygons.is_empty() {
                p.polygons.push(Vec::new());
            }
            let polygon = p.polygons.last_mut().expect("pushed above");
            if !interior && !polygon.is_empty() {
                return Err("a polygon with two exterior rings".into());
            }
            if interior && polygon.is_empty() {
                return Err("an interior ring before the exterior ring".into());
            }
            polygon.push(ring);
        }
        _ => {}
    }
    Ok(())
}

fn unit_field(u: &mut UnitRecord, field: Field, text: &str) -> Result<(), String> {
    match field {
        Field::Id => u.id = text.trim().to_string(),
        Field::Number => u.voorkomen.number = number(text, "voorkomenidentificatie")?,
        Field::Begin => u.voorkomen.begin = date(text, "beginGeldigheid")?,
        Field::End => u.voorkomen.end = date(text, "eindGeldigheid")?,
        Field::Status => u.status = text.trim().to_string(),
        Field::Gebruiksdoel => u.gebruiksdoelen.push(text.trim().to_string()),
        Field::Oppervlakte => u.oppervlakte = Some(number(text, "oppervlakte")?),
        Field::PandRef => u.panden.push(text.trim().to_string()),
        _ => {}
    }
    Ok(())
}

/// A posList of `dims` numbers per position (z dropped) as (x, y) pairs.
fn pos_list(text: &str, dims: usize) -> Result<Vec<[f64; 2]>, String> {
    if !(2..=3).contains(&dims) {
        return Err(format!("srsDimension {dims}: expected 2 or 3"));
    }
    let mut out = Vec::with_capacity(16);
    let mut xy = [0.0; 2];
    let mut n = 0usize;
    for (i, t) in text.split_ascii_whitespace().enumerate() {
        n = i + 1;
        let v: f64 = t
            .parse()
            .map_err(|_| format!("posList value {t:?} is not a number"))?;
        if !v.is_finite() {
            return Err(format!("posList value {t:?} is not finite"));
        }
        match i % dims {
            0 => xy[0] = v,
            1 => {
                xy[1] = v;
                out.push(xy);
            }
            _ => {}
        }
    }
    if !n.is_multiple_of(dims) {
        return Err(format!(
            "posList has {n} numbers, not a multiple of srsDimension {dims}"
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(xml: &str) -> (Vec<Record>, Vec<RecordProblem>) {
        let mut records = Vec::new();
        let mut problems = Vec::new();
        read_stand(xml.as_bytes(), &mut |r| records.push(r), &mut |p| {
            problems.push(p)
        })
        .unwrap();
        (records, problems)
    }

    #[test]
    fn dates_compare_as_numbers() {
        assert_eq!(parse_date("2020-09-15"), Some(20200915));
        assert_eq!(parse_date("2019-01-15T15:18:40.000"), Some(20190115));
        assert_eq!(parse_date("15-09-2020"), None);
        let v = Voorkomen {
            number: 2,
            begin: Some(20110630),
            end: Some(20110906),
        };
        assert!(!v.valid_on(None));
        assert!(v.valid_on(Some(20110630)));
        assert!(!v.valid_on(Some(20110906)));
    }

    #[test]
    fn namespaces_are_matched_by_local_name() {
        // Other prefixes and a later dated namespace: the same records.
        let xml = r#"<x:bagStand xmlns:x="urn:a" xmlns:O="www.kadaster.nl/schemas/lvbag/imbag/objecten/v20991231" xmlns:g="http://www.opengis.net/gml/3.2" xmlns:H="urn:h">
          <x:stand><x:bagObject><O:Pand>
            <O:identificatie domein="NL.IMBAG.Pand">0221100000312938</O:identificatie>
            <O:geometrie><g:Polygon srsDimension="2"><g:exterior><g:LinearRing>
              <g:posList>0 0 10 0 10 10 0 10 0 0</g:posList></g:LinearRing></g:exterior>
              <g:interior><g:LinearRing><g:posList>2 2 2 4 4 4 4 2 2 2</g:posList></g:LinearRing></g:interior>
            </g:Polygon></O:geometrie>
            <O:oorspronkelijkBouwjaar>1005</O:oorspronkelijkBouwjaar>
            <O:status>Pand in gebruik</O:status>
            <O:voorkomen><H:Voorkomen><H:voorkomenidentificatie>3</H:voorkomenidentificatie>
              <H:beginGeldigheid>2015-11-23</H:beginGeldigheid></H:Voorkomen></O:voorkomen>
          </O:Pand></x:bagObject></x:stand></x:bagStand>"#;
        let (records, problems) = read(xml);
        assert!(problems.is_empty(), "{problems:?}");
        let Record::Pand(p) = &records[0] else {
            panic!("a pand")
        };
        assert_eq!(p.id, "0221100000312938");
        assert_eq!(p.voorkomen.number, 3);
        assert_eq!(p.voorkomen.end, None);
        assert_eq!(p.bouwjaar, Some(1005));
        assert_eq!(p.polygons.len(), 1);
        assert_eq!(p.polygons[0].len(), 2, "exterior and one interior ring");
        assert_eq!(p.polygons[0][1][1], [2.0, 4.0]);
    }

    #[test]
    fn mutation_files_and_other_xml_are_refused_by_name() {
        let mut sink = |_| {};
        let mut problem = |_| {};
        let e = read_stand(
            &b"<ml:bagMutaties xmlns:ml='urn:m'><ml:mutatieGroep/></ml:bagMutaties>"[..],
            &mut sink,
            &mut problem,
        )
        .unwrap_err();
        assert!(e.contains("mutation file"), "{e}");
        let e = read_stand(&b"<osm version='0.6'/>"[..], &mut sink, &mut problem).unwrap_err();
        assert!(e.contains("root element <osm>"), "{e}");
        let e = read_stand(
            &b"<a:bagStand xmlns:a='u'><a:Pand>"[..],
            &mut sink,
            &mut problem,
        )
        .unwrap_err();
        assert!(e.contains("byte") || e.contains("truncated"), "{e}");
    }

    #[test]
    fn a_bad_record_is_a_problem_naming_it_and_reading_goes_on() {
        let xml = r#"<bagStand><bagObject><Pand><identificatie>0221100000000001</identificatie>
          <Polygon srsDimension="3"><exterior><posList>0 0 0 10 0 0 10 x 0 0 0 0</posList></exterior></Polygon>
          <status>Pand in gebruik</status></Pand></bagObject>
          <bagObject><Verblijfsobject><identificatie>0221010000000002</identificatie>
          <gebruiksdoel>woonfunctie</gebruiksdoel><gebruiksdoel>winkelfunctie</gebruiksdoel>
          <oppervlakte>120</oppervlakte><PandRef>0221100000000001</PandRef><PandRef>221100000000003</PandRef>
          </Verblijfsobject></bagObject></bagStand>"#;
        let (records, problems) = read(xml);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].id.as_deref(), Some("0221100000000001"));
        assert!(problems[0].message.contains("\"x\""), "{:?}", problems[0]);
        let Record::Unit(u) = &records[0] else {
            panic!("a unit")
        };
        assert_eq!(u.gebruiksdoelen, ["woonfunctie", "winkelfunctie"]);
        assert_eq!(u.oppervlakte, Some(120.0));
        assert_eq!(u.panden.len(), 2);
    }
}
