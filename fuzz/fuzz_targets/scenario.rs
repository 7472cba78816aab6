//! Scenario TOML text → parse and validate.
#![no_main]

use binnenstad::scenario::Scenario;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Scenario::from_toml(text, Path::new("/x/s.toml"));
    }
});
