//! Helpers for the integration tests: run the binary, temp folders, fixture paths.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path under tests/fixtures.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// Output of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `binnenstad` with arguments in `cwd`.
pub fn run_in(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_binnenstad"))
        .args(args)
        .current_dir(cwd)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("binary runs");
    let r = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !r.stderr.contains("panicked"),
        "the binary panicked:\n{}",
        r.stderr
    );
    r
}

/// Runs `binnenstad` from the repository root.
pub fn run(args: &[&str]) -> Run {
    run_in(&root(), args)
}

/// Reads a JSON file.
/// The walking-reach row of `summary` (summary.json) for a group and kind.
pub fn coverage_row<'a>(
    summary: &'a serde_json::Value,
    group: &str,
    kind: &str,
) -> &'a serde_json::Value {
    summary["coverage"]
        .as_array()
        .expect("summary.json has coverage rows")
        .iter()
        .find(|c| c["group"] == group && c["kind"] == kind)
        .unwrap_or_else(|| panic!("no coverage row {group}/{kind}"))
}

pub fn read_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Copies a fixture folder tree into `dest`.
pub fn copy_tree(src: &Path, dest: &Path) {
    std::fs::create_dir_all(dest).unwrap();
    for entry in std::fs::read_dir(src).unwrap().flatten() {
        let to = dest.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &to);
        } else {
            std::fs::copy(entry.path(), to).unwrap();
        }
    }
}

/// The features of a GeoJSON output, by Feature id.
pub fn features_by_id(
    v: &serde_json::Value,
) -> std::collections::BTreeMap<String, serde_json::Value> {
    v["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| (f["id"].as_str().expect("string id").to_string(), f.clone()))
        .collect()
}

/// True when CI asks for the real clients (GDAL, QGIS, Chromium): then a
/// missing client fails the test instead of skipping it.
pub fn clients_required() -> bool {
    std::env::var("BINNENSTAD_REQUIRE_CLIENTS").is_ok_and(|v| v == "1")
}

/// The first of `names` found as an executable on PATH.
pub fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|n| {
        std::env::split_paths(&path)
            .map(|d| d.join(n))
            .find(|p| p.is_file())
    })
}

/// `found`, or (client missing) a failure when [`clients_required`] and
/// otherwise a "skipped" note and `None`, so a developer without the client
/// can still run `cargo test`.
pub fn client(tool: &str, found: Option<PathBuf>) -> Option<PathBuf> {
    if found.is_none() {
        assert!(
            !clients_required(),
            "{tool} not installed, and BINNENSTAD_REQUIRE_CLIENTS=1"
        );
        eprintln!("skipped: {tool} not installed");
    }
    found
}

/// Output of an external command.
pub struct Tool {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Runs an external program and collects its output.
pub fn tool(program: &Path, args: &[&str], envs: &[(&str, &str)]) -> Tool {
    let out = Command::new(program)
        .args(args)
        .envs(envs.iter().copied())
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", program.display()));
    Tool {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Every node of a usvg tree with an id starting with `prefix`, with its
/// rendered box (the map's site labels, its frame: tests/map.rs, tests/kaart.rs).
pub fn boxes_with_id(
    group: &resvg::usvg::Group,
    prefix: &str,
    out: &mut Vec<(String, resvg::usvg::Rect)>,
) {
    for node in group.children() {
        if node.id().starts_with(prefix) {
            out.push((node.id().to_string(), node.abs_bounding_box()));
        }
        if let resvg::usvg::Node::Group(g) = node {
            boxes_with_id(g, prefix, out);
        }
    }
}

/// Every label box lies inside `frame` and no two overlap (the map's site
/// labels: no label cut at the frame, none over another).
pub fn assert_labels_inside_and_apart(
    labels: &[(String, resvg::usvg::Rect)],
    frame: resvg::usvg::Rect,
) {
    for (id, b) in labels {
        assert!(
            b.left() >= frame.left()
                && b.right() <= frame.right()
                && b.top() >= frame.top()
                && b.bottom() <= frame.bottom(),
            "{id} is cut at the frame: {b:?} outside {frame:?}"
        );
    }
    for (i, (a, ab)) in labels.iter().enumerate() {
        for (b, bb) in &labels[i + 1..] {
            let overlap = ab.left() < bb.right()
                && bb.left() < ab.right()
                && ab.top() < bb.bottom()
                && bb.top() < ab.bottom();
            assert!(!overlap, "{a} {ab:?} overlaps {b} {bb:?}");
        }
    }
}

/// A whole number as the outputs write it in Dutch: `1.460` (dots between thousands).
pub fn nl(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}
