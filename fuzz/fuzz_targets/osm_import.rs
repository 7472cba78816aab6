//! OSM bytes (XML, gzip XML or PBF, detected from the content) → the six layers.
#![no_main]

use binnenstad::io::osm::{ImportOptions, import_bytes};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let _ = import_bytes(data, Path::new("/x/fuzz.osm.pbf"), &ImportOptions::default());
});
