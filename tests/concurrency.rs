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
    // The Amsterdam map: runs long enough to overlap (the tiny fixture's
    // plans finish before the next one starts).
    let scenario = root().join("scenarios/amsterdam-centrum.toml");
    let dir = tempfile::tempdir().unwrap();
    let plan = |out: &str| {
        Command::new(env!("CARGO_BIN_EXE_binnenstad"))
            .args(["plan", scenario.to_str().unwrap(), "--out", out])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let r = plan("reference").wait_with_output().unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let expected = files(&dir.path().join("reference"));
    // First into new folders, then replacing the shared one.
    let rounds: [&[&str]; 2] = [
        &["shared", "shared", "shared", "own-a", "own-b"],
        &["shared", "shared", "shared"],
    ];
    for (round, targets) in rounds.iter().enumerate() {
        let children: Vec<_> = targets.iter().map(|t| plan(t)).collect();
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
