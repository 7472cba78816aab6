//! Runs at the same time: several plans into one folder and into different
//! folders at once all succeed, leave whole outputs and nothing else behind.

use crate::util::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

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

#[test]
fn plans_at_once_into_one_folder_and_into_others_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture("tiny"), &dir.path().join("tiny"));
    std::fs::copy(fixture("tiny.toml"), dir.path().join("tiny.toml")).unwrap();
    let reference = dir.path().join("reference");
    let r = run_in(dir.path(), &["plan", "tiny.toml", "--out", "reference"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let expected = files(&reference);
    // Two rounds: the first into a new folder, the second replacing it.
    for round in 0..2 {
        let targets = ["shared", "shared", "shared", "shared", "own-a", "own-b"];
        let children: Vec<_> = targets
            .iter()
            .map(|t| {
                Command::new(env!("CARGO_BIN_EXE_binnenstad"))
                    .args(["plan", "tiny.toml", "--out", t])
                    .current_dir(dir.path())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for (t, child) in targets.iter().zip(children) {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: plan --out {t}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        for t in ["shared", "own-a", "own-b"] {
            assert!(
                files(&dir.path().join(t)) == expected,
                "round {round}: {t} differs from a plan run alone"
            );
        }
        let hidden: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(hidden.is_empty(), "round {round}: left behind: {hidden:?}");
    }
}
