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
use std::sync::Once;

/// libFuzzer's panic hook aborts on every panic, even one the library catches.
/// geo 0.33's boolean overlay (i_overlay 4.5.2) panics on some degenerate
/// rings; `io::validity::try_make_valid` catches it and the loader skips the
/// feature, named (regression test in `src/io/load.rs`, input in
/// `tests/fixtures/fuzz/geojson_overlay_panic.geojson`). Let panics raised in
/// i_overlay through the hook (an uncaught one still fails the run, in
/// libfuzzer-sys's own catch); any other panic aborts.
fn allow_caught_overlay_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let known = info
                .location()
                .is_some_and(|l| l.file().contains("i_overlay"));
            if !known {
                fuzzer_hook(info);
            }
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    allow_caught_overlay_panics();
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
