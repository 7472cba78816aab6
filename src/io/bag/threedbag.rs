//! 3D BAG (TU Delft / 3DGI, CC BY 4.0): floors and heights per BAG pand.
//!
//! Reads CityJSON 1.x (one JSON document, `CityObjects` by id) and CityJSONSeq
//! (`.city.jsonl`, CityJSON 2.0 as 3dbag.nl delivers tiles: a header line,
//! then one `CityJSONFeature` per line). Only `Building` objects are read; the
//! pand id is the `identificatie` attribute or the object key
//! (`NL.IMBAG.Pand.0503100000005156`), normalised with
//! [`crate::model::bag_pand_id`]. Attribute names of the 2024 releases
//! (`b3_bouwlagen`, `b3_h_maaiveld`, `b3_h_dak_70p`) and of the 2021 ones
//! (`h_maaiveld`, `h_dak_70p`, no storeys) are both read.

use crate::error::Error;
use serde_json::Value;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

/// What the 3D BAG says about one pand.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Measured {
    /// Storeys above ground (`b3_bouwlagen`), when the 3D BAG gives them.
    pub floors: Option<u32>,
    /// Height in metres above the ground: the roof's 70th percentile minus the
    /// ground level (`b3_h_dak_70p - b3_h_maaiveld`, the LoD 1.2 height the
    /// 3D BAG documents as representative), rounded to 0.1 m.
    pub height_m: Option<f64>,
}

/// Reads a 3D BAG file into measurements by 16-digit pand id.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read; [`Error::File`] naming the
/// file (and line, for CityJSONSeq) when it is not CityJSON.
pub fn read(path: &Path) -> Result<HashMap<String, Measured>, Error> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, "kan niet lezen", e))?;
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut out = HashMap::new();
    let mut first = String::new();
    reader
        .read_line(&mut first)
        .map_err(|e| Error::io(path, "kan niet lezen", e))?;
    // A CityJSONSeq header is a whole CityJSON object on the first line.
    let seq = serde_json::from_str::<Value>(&first)
        .ok()
        .is_some_and(|v| v.get("type").and_then(Value::as_str) == Some("CityJSON"));
    if seq {
        let mut line = String::new();
        let mut n = 1;
        loop {
            line.clear();
            n += 1;
            let read = reader
                .read_line(&mut line)
                .map_err(|e| Error::io(path, "kan niet lezen", e))?;
            if read == 0 {
                break;
            }
            if line.trim().is_empty() {
                continue;
            }
            let v: Value = serde_json::from_str(&line)
                .map_err(|e| Error::file(path, format!("line {n}: not JSON: {e}")))?;
            if v.get("type").and_then(Value::as_str) != Some("CityJSONFeature") {
                return Err(Error::file(
                    path,
                    format!("line {n}: not a CityJSONFeature"),
                ));
            }
            objects(&v, &mut out);
        }
    } else {
        let mut text = first;
        std::io::Read::read_to_string(&mut reader, &mut text)
            .map_err(|e| Error::io(path, "kan niet lezen", e))?;
        let v: Value =
            serde_json::from_str(&text).map_err(|e| Error::file(path, format!("not JSON: {e}")))?;
        if v.get("type").and_then(Value::as_str) != Some("CityJSON") {
            return Err(Error::file(
                path,
                "not CityJSON (expected \"type\": \"CityJSON\")",
            ));
        }
        objects(&v, &mut out);
    }
    Ok(out)
}

fn objects(v: &Value, out: &mut HashMap<String, Measured>) {
    let Some(objects) = v.get("CityObjects").and_then(Value::as_object) else {
        return;
    };
    for (key, o) in objects {
        if o.get("type").and_then(Value::as_str) != Some("Building") {
            continue;
        }
        let attrs = o.get("attributes");
        let get = |names: &[&str]| -> Option<f64> {
            names
                .iter()
                .find_map(|n| attrs.and_then(|a| a.get(*n)).and_then(Value::as_f64))
                .filter(|x| x.is_finite())
        };
        let id = attrs
            .and_then(|a| a.get("identificatie"))
            .and_then(Value::as_str)
            .unwrap_or(key);
        let floors = get(&["b3_bouwlagen", "bouwlagen"])
            .filter(|f| *f >= 1.0 && *f <= 200.0)
            .map(|f| f.round() as u32);
        let ground = get(&["b3_h_maaiveld", "h_maaiveld"]);
        let roof = get(&["b3_h_dak_70p", "h_dak_70p"]);
        let height_m = match (ground, roof) {
            (Some(g), Some(r)) if r > g => Some(((r - g) * 10.0).round() / 10.0),
            _ => None,
        };
        out.insert(
            crate::model::bag_pand_id(id).into_owned(),
            Measured { floors, height_m },
        );
    }
}
