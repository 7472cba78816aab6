//! map.png: painted directly with tiny-skia (issue 18) against the old way,
//! map.svg's text parsed back and rendered by resvg, on the same map data.
//!
//! `cargo bench --bench map -- SCENARIO.toml [--runs N]` (release). Loads and
//! plans the scenario once, builds the map data as `plan` does, then times
//! each way `--runs` times (default 5) on one thread and prints best and
//! median: map.svg (text), map.png direct, map.png via SVG (usvg parse +
//! resvg render + the same PNG encoding). Also checks that both PNGs are the
//! same picture (share of pixels off by more than 64 levels).

mod common;

use binnenstad::outputs;
use binnenstad::render::map;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const WIDTH: u32 = 1600;

/// The old map.png: map.svg parsed by usvg and rendered by resvg, encoded as map.png is.
fn via_svg(svg: &str) -> resvg::tiny_skia::Pixmap {
    let mut opt = resvg::usvg::Options {
        font_family: "DejaVu Sans".to_string(),
        ..resvg::usvg::Options::default()
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for font in ["assets/DejaVuSans.ttf", "assets/DejaVuSans-Bold.ttf"] {
        opt.fontdb_mut()
            .load_font_data(std::fs::read(root.join(font)).expect("font"));
    }
    let tree = resvg::usvg::Tree::from_str(svg, &opt).expect("map.svg parses");
    let size = tree.size().to_int_size();
    let mut pm = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).expect("size");
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pm.as_mut(),
    );
    pm
}

fn encode(pm: &resvg::tiny_skia::Pixmap) -> Vec<u8> {
    let rgba: Vec<u8> = pm
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        })
        .collect();
    let mut bytes = Vec::new();
    let mut e = png::Encoder::new(&mut bytes, pm.width(), pm.height());
    e.set_color(png::ColorType::Rgba);
    e.set_depth(png::BitDepth::Eight);
    e.set_compression(png::Compression::Fast);
    let mut w = e.write_header().expect("png header");
    w.write_image_data(&rgba).expect("png data");
    w.finish().expect("png end");
    bytes
}

fn summary(name: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{name:<28} best {:>8.3} s   median {:>8.3} s",
        times[0].as_secs_f64(),
        times[times.len() / 2].as_secs_f64()
    );
}

fn main() {
    let (args, scenario_path) = common::args("cargo bench --bench map -- SCENARIO.toml [--runs N]");
    let runs: usize = common::arg(&args, "--runs").unwrap_or(5);
    let (scenario, plan) = common::planned(&scenario_path);
    let data = outputs::map_data(&plan, &scenario);
    println!(
        "{scenario_path}: {} buildings drawn, {} amenities, {} horeca, {runs} runs",
        data.buildings.len(),
        data.amenities.len(),
        data.horeca.len()
    );
    let (mut t_svg, mut t_direct, mut t_old) = (vec![], vec![], vec![]);
    let (mut direct, mut old) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let t = Instant::now();
        let svg = map::svg(&data, WIDTH);
        t_svg.push(t.elapsed());
        let t = Instant::now();
        direct = map::png(&data, WIDTH).expect("map.png");
        t_direct.push(t.elapsed());
        let t = Instant::now();
        old = encode(&via_svg(&svg));
        t_old.push(t.elapsed());
    }
    summary("map.svg (text)", t_svg);
    summary("map.png direct (tiny-skia)", t_direct);
    summary("map.png via SVG (resvg)", t_old);
    let a = resvg::tiny_skia::Pixmap::decode_png(&direct).expect("png");
    let b = resvg::tiny_skia::Pixmap::decode_png(&old).expect("png");
    let off = a
        .pixels()
        .iter()
        .zip(b.pixels())
        .filter(|(p, q)| {
            let (p, q) = (p.demultiply(), q.demultiply());
            p.red().abs_diff(q.red()) > 64
                || p.green().abs_diff(q.green()) > 64
                || p.blue().abs_diff(q.blue()) > 64
                || p.alpha().abs_diff(q.alpha()) > 64
        })
        .count();
    println!(
        "same picture: {:.4}% of {} pixels off by more than 64 levels",
        100.0 * off as f64 / a.pixels().len() as f64,
        a.pixels().len()
    );
}
