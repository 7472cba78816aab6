//! GeoJSON layer text → parse, validate, reproject, build typed features.
//! The first byte chooses the layer (and the working CRS); the rest is the file.
#![no_main]

use binnenstad::crs::Crs;
use binnenstad::io::load::load_text;
use binnenstad::model::LAYER_NAMES;
use binnenstad::scenario::LayerSource;
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;
use std::path::PathBuf;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let layer = LAYER_NAMES[usize::from(first & 0x7f) % LAYER_NAMES.len()];
    let working = if first & 0x80 == 0 {
        Crs::RD_NEW
    } else {
        Crs::from_epsg(32631).expect("UTM 31N is supported")
    };
    let source = LayerSource {
        name: layer.to_string(),
        path: PathBuf::from(format!("/x/{layer}.geojson")),
        required: false,
        explicit: false,
        fields: BTreeMap::new(),
    };
    let _ = load_text(layer, text, working, &source);
});
