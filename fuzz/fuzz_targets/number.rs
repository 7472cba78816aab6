//! Text → `io::number::read` for every quantity. Beyond "no panic" it checks
//! the rule's promises: a value is finite and in the quantity's range, floors
//! and years are whole, and a refused value always comes with a note.
#![no_main]

use binnenstad::io::number::{Quantity, read};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for (q, lo, hi) in [
        (Quantity::Floors, 1.0, 200.0),
        (Quantity::HeightM, 0.5, 1000.0),
        (Quantity::AreaM2, 0.0, 5e6),
        (Quantity::Year, 1000.0, 2100.0),
    ] {
        let r = read(q, text);
        if let Some(v) = r.value {
            assert!(v.is_finite() && (lo..=hi).contains(&v), "{q:?} {text:?} -> {v}");
            if matches!(q, Quantity::Floors | Quantity::Year) {
                assert_eq!(v.fract(), 0.0, "{q:?} {text:?} -> {v}");
            }
        }
        if text.trim().is_empty() {
            assert_eq!(r.value, None);
            assert_eq!(r.note, None);
        }
    }
});
