//! Determinism and atomic outputs: the same inputs give the same bytes, and a
//! run killed halfway leaves the previous outputs whole.

use crate::util::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

/// Every file in a folder (not recursive), name → bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn plan_into(scenario: &Path, out: &Path) {
    let r = run(&[
        "plan",
        scenario.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

fn assert_same_bytes(scenario: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    plan_into(scenario, &a);
    plan_into(scenario, &b);
    let (fa, fb) = (files(&a), files(&b));
    assert!(fa.contains_key("map.png") && fa.contains_key("buildings.geojson"));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (name, bytes) in &fa {
        assert!(bytes == &fb[name], "{name} differs between two runs");
    }
}

#[test]
fn plan_twice_gives_the_same_bytes_tiny() {
    assert_same_bytes(&fixture("tiny.toml"));
}

#[test]
fn plan_twice_gives_the_same_bytes_amsterdam() {
    assert_same_bytes(&root().join("scenarios/amsterdam-centrum.toml"));
}

/// A synthetic city written as a map folder (as examples/synth_map.rs does), with its scenario.
fn synthetic_map(dir: &Path, buildings: usize) -> std::path::PathBuf {
    use binnenstad::crs::Crs;
    let layers = binnenstad::synthetic::city(buildings, 42);
    binnenstad::io::write::map_folder(&layers, &dir.join("map"), Crs::RD_NEW, Crs::RD_NEW).unwrap();
    let scenario = dir.join("scenario.toml");
    std::fs::write(
        &scenario,
        format!(
            "version = 1\nname = \"synth\"\narea = \"map\"\ncrs = \"EPSG:28992\"\n# {buildings} buildings\n"
        ),
    )
    .unwrap();
    scenario
}

#[test]
fn a_killed_run_leaves_the_previous_outputs_whole() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = synthetic_map(dir.path(), 20_000);
    let out = dir.path().join("out");
    plan_into(&scenario, &out);
    let before = files(&out);
    assert!(before.len() > 10, "{:?}", before.keys());

    // Start again and kill it once it has begun writing (its temp folder has files).
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_binnenstad"))
        .args([
            "plan",
            scenario.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let temp = dir.path().join(format!(".out.tmp-{}", child.id()));
    let start = Instant::now();
    let mut writing = false;
    while start.elapsed() < Duration::from_secs(120) {
        if std::fs::read_dir(&temp)
            .map(|d| d.count() > 0)
            .unwrap_or(false)
        {
            writing = true;
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        writing,
        "the second run finished before it could be killed while writing"
    );

    let after = files(&out);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &before {
        assert!(bytes == &after[name], "{name} changed by a killed run");
    }
    // The half-written folder never replaced the outputs; a next run cleans it up.
    plan_into(&scenario, &out);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".out."))
        .collect();
    assert!(names.is_empty(), "left behind: {names:?}");
    assert!(files(&out) == before, "a full rerun gives the same bytes");
}
