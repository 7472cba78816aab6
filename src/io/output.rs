//! Output folders that are written whole or not at all.
//!
//! Files are written into a temporary folder beside the target
//! (`.<name>.tmp-<pid>`), then the folder is renamed into place; the previous
//! outputs are moved aside first and removed only after the rename. A run
//! killed halfway leaves the previous outputs whole and a stale temporary
//! folder, which the next run removes. A target that contains an input, or
//! lies inside the map folder, is refused: inputs are never overwritten.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// A folder being written; [`OutputDir::commit`] moves it into place.
#[derive(Debug)]
pub struct OutputDir {
    target: PathBuf,
    temp: PathBuf,
    committed: bool,
}

fn absolute(p: &Path) -> PathBuf {
    // canonicalize needs the path to exist; fall back to joining with the cwd.
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    // Resolve the parent when it exists (the target itself may not).
    match (joined.parent(), joined.file_name()) {
        (Some(parent), Some(name)) => parent
            .canonicalize()
            .map(|c| c.join(name))
            .unwrap_or(joined),
        _ => joined,
    }
}

impl OutputDir {
    /// Prepares writing into `target`. `protected` are input files and folders
    /// the target must not contain or replace.
    pub fn create(target: &Path, protected: &[PathBuf]) -> Result<OutputDir> {
        let abs_target = absolute(target);
        for p in protected {
            let abs = absolute(p);
            if abs.starts_with(&abs_target) || (abs_target.starts_with(&abs) && abs.is_dir()) {
                return Err(Error::Usage(format!(
                    "--out {} would overwrite or mix with the input {}; choose another output folder",
                    target.display(),
                    p.display()
                )));
            }
        }
        if target.exists() && !target.is_dir() {
            return Err(Error::Usage(format!(
                "--out {} exists and is not a folder",
                target.display()
            )));
        }
        let parent = abs_target
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let name = abs_target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| {
                Error::Usage(format!("--out {} is not a folder name", target.display()))
            })?;
        std::fs::create_dir_all(&parent)
            .map_err(|e| Error::io(&parent, "cannot create folder", e))?;
        // Remove what a killed earlier run left behind.
        if let Ok(entries) = std::fs::read_dir(&parent) {
            for entry in entries.flatten() {
                let n = entry.file_name().to_string_lossy().into_owned();
                if n.starts_with(&format!(".{name}.tmp-"))
                    || n.starts_with(&format!(".{name}.old-"))
                {
                    let _ = std::fs::remove_dir_all(entry.path());
                }
            }
        }
        let temp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        std::fs::create_dir(&temp).map_err(|e| Error::io(&temp, "cannot create folder", e))?;
        Ok(OutputDir {
            target: abs_target,
            temp,
            committed: false,
        })
    }

    /// Writes one file into the folder.
    pub fn write(&self, file: &str, contents: impl AsRef<[u8]>) -> Result<()> {
        let path = self.temp.join(file);
        std::fs::write(&path, contents)
            .map_err(|e| Error::io(self.target.join(file), "cannot write", e))
    }

    /// Creates one file in the folder and lets `fill` write it (buffered).
    pub fn write_with(
        &self,
        file: &str,
        fill: &mut dyn FnMut(&mut (dyn std::io::Write + Send)) -> Result<()>,
    ) -> Result<()> {
        use std::io::Write;
        let path = self.temp.join(file);
        let f = std::fs::File::create(&path)
            .map_err(|e| Error::io(self.target.join(file), "cannot write", e))?;
        let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
        fill(&mut w)?;
        w.flush()
            .map_err(|e| Error::io(self.target.join(file), "cannot write", e))
    }

    /// Writes one file through a function that needs a path (SQLite, for the
    /// GeoPackage): `write_to` gets a fresh temporary path inside the temporary
    /// folder, and the file is renamed to `file` when it returns `Ok`. A failed
    /// write leaves nothing behind under `file`.
    pub fn write_with_path(
        &self,
        file: &str,
        write_to: impl FnOnce(&Path) -> Result<()>,
    ) -> Result<()> {
        let part = self.temp.join(format!(".{file}.part"));
        let _ = std::fs::remove_file(&part);
        if let Err(e) = write_to(&part) {
            let _ = std::fs::remove_file(&part);
            return Err(e);
        }
        let path = self.temp.join(file);
        std::fs::rename(&part, &path)
            .map_err(|e| Error::io(self.target.join(file), "cannot write", e))
    }

    /// The final location.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Moves the finished folder into place, replacing the previous outputs.
    pub fn commit(mut self) -> Result<PathBuf> {
        let old = self.target.with_file_name(format!(
            ".{}.old-{}",
            self.target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old)
                .map_err(|e| Error::io(&self.target, "cannot move aside", e))?;
        }
        if let Err(e) = std::fs::rename(&self.temp, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(Error::io(&self.target, "cannot move into place", e));
        }
        if had_old {
            let _ = std::fs::remove_dir_all(&old);
        }
        self.committed = true;
        Ok(self.target.clone())
    }
}

impl crate::outputs::OutputSink for OutputDir {
    fn file(
        &mut self,
        name: &str,
        fill: &mut dyn FnMut(&mut (dyn std::io::Write + Send)) -> Result<()>,
    ) -> Result<()> {
        self.write_with(name, fill)
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_whole_and_drop_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let o = OutputDir::create(&target, &[]).unwrap();
        o.write("a.txt", "1").unwrap();
        o.write_with_path("b.bin", |p| {
            std::fs::write(p, "b").map_err(|e| Error::io(p, "cannot write", e))
        })
        .unwrap();
        let e = o.write_with_path("c.bin", |p| {
            std::fs::write(p, "half").unwrap();
            Err(Error::Usage("failed".into()))
        });
        assert!(e.is_err());
        o.commit().unwrap();
        assert_eq!(std::fs::read_to_string(target.join("b.bin")).unwrap(), "b");
        let mut names: Vec<_> = std::fs::read_dir(&target)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["a.txt", "b.bin"], "no part files left");
        assert_eq!(std::fs::read_to_string(target.join("a.txt")).unwrap(), "1");
        // A second run that fails halfway leaves the first outputs.
        let o = OutputDir::create(&target, &[]).unwrap();
        o.write("a.txt", "2").unwrap();
        drop(o);
        assert_eq!(std::fs::read_to_string(target.join("a.txt")).unwrap(), "1");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn refuses_an_output_that_holds_an_input() {
        let dir = tempfile::tempdir().unwrap();
        let maps = dir.path().join("maps");
        std::fs::create_dir(&maps).unwrap();
        std::fs::write(maps.join("buildings.geojson"), "{}").unwrap();
        let e = OutputDir::create(dir.path(), &[maps.join("buildings.geojson")]).unwrap_err();
        assert!(e.to_string().contains("would overwrite"), "{e}");
        let e = OutputDir::create(&maps.join("sub"), std::slice::from_ref(&maps)).unwrap_err();
        assert!(e.to_string().contains("would overwrite"), "{e}");
    }
}
