//! Output folders that are written whole or not at all, and single output
//! files that never replace what binnenstad did not write.
//!
//! Files are written into a temporary folder beside the target
//! (`.<name>.tmp-<pid>`), then the folder is renamed into place; the previous
//! outputs are moved aside first and removed only after the rename. A run
//! killed halfway leaves the previous outputs whole and a stale temporary
//! folder, which a later run removes once no process with that pid is alive
//! (the temporary folders of runs still going are left alone). Moving into
//! place happens under an exclusive lock on the parent folder, so runs into
//! the same target at once each succeed, the last one's outputs staying.
//!
//! Nothing binnenstad did not write is deleted or replaced:
//! - every output folder holds a marker file, [`MARKER`]; an existing target
//!   folder is replaced only when it is empty or has the marker, and then only
//!   when it holds no file the marker does not list (added since) and no
//!   listed file whose content changed (edited since: size and CRC-32);
//! - a target that contains an input, or lies inside the map folder, is refused;
//! - a single output file ([`write_file`]) is never an input, and replaces an
//!   existing file only when that file is a previous output of the same kind.

use crate::error::{Error, Result};
use std::path::{Component, Path, PathBuf};

/// The marker file in every output folder: a folder that has it was written by
/// binnenstad and may be replaced whole by the next run.
pub const MARKER: &str = ".binnenstad-output";

const MARKER_TEXT: &str =
    "This folder was written by binnenstad; its next run into this folder replaces it whole.\n";

/// The line in [`MARKER`] after which the files binnenstad wrote are listed,
/// one per line: `name<TAB>size<TAB>crc32` (see [`Fingerprint`]). A file in
/// the folder that is not listed (a planner's notes put there since), or a
/// listed one whose fingerprint changed (edited since), makes the next run
/// refuse the folder instead of deleting it.
const MARKER_LIST: &str = "files:";

/// Whether a file is still what binnenstad wrote: its size in bytes and the
/// CRC-32 of its content (files up to [`WHOLE_CRC_BYTES`]) or of its first
/// and last [`EDGE_CRC_BYTES`] (larger ones: a 3 GB buildings.geojson is not
/// read again at every run). Content, not modification time, so a folder
/// checked out by git or copied keeps its fingerprints. An edit that keeps a
/// large file's size and both ends is not seen; hand edits happen in the
/// small files (README, notes, styles), which are read whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fingerprint {
    size: u64,
    crc: u32,
}

/// Files up to this size (bytes) are fingerprinted whole.
const WHOLE_CRC_BYTES: u64 = 4 << 20;
/// Of larger files, this many bytes at each end.
const EDGE_CRC_BYTES: u64 = 1 << 20;

impl Fingerprint {
    /// The fingerprint of the file at `path`; None when it cannot be read.
    fn of(path: &Path) -> Option<Fingerprint> {
        use std::io::{Read, Seek, SeekFrom};
        let mut f = std::fs::File::open(path).ok()?;
        let size = f.metadata().ok()?.len();
        let mut crc = crc32fast::Hasher::new();
        let mut buf = Vec::new();
        if size <= WHOLE_CRC_BYTES {
            f.read_to_end(&mut buf).ok()?;
            crc.update(&buf);
        } else {
            buf.resize(EDGE_CRC_BYTES as usize, 0);
            f.read_exact(&mut buf).ok()?;
            crc.update(&buf);
            f.seek(SeekFrom::Start(size - EDGE_CRC_BYTES)).ok()?;
            f.read_exact(&mut buf).ok()?;
            crc.update(&buf);
        }
        Some(Fingerprint {
            size,
            crc: crc.finalize(),
        })
    }
}

/// The line in [`MARKER`] of a folder of map layers written by `binnenstad
/// import`: only an import replaces such a folder, so a `plan --out` that
/// names another area's map folder by mistake is refused instead of
/// replacing its layers (review: `--out maps/delft-tu` wiped Delft's map).
const MAP_LINE: &str = "kind: kaartlagen (binnenstad import)";

/// The marker's text for a folder holding `files` with their fingerprints.
fn marker_text(files: &[(String, Option<Fingerprint>)], map: bool) -> String {
    let mut t = MARKER_TEXT.to_string();
    if map {
        t.push_str(MAP_LINE);
        t.push('\n');
    }
    t.push_str(&format!("{MARKER_LIST}\n"));
    for (name, print) in files {
        t.push_str(name);
        if let Some(p) = print {
            t.push_str(&format!("\t{}\t{:08x}", p.size, p.crc));
        }
        t.push('\n');
    }
    t
}

/// The files a marker lists, with their fingerprints where it has them; None
/// for a marker without a list (written before the list existed: every file
/// then counts as binnenstad's). A name-only line (a marker from before the
/// fingerprints) has none: only its presence is checked.
fn marker_files(marker: &Path) -> Option<Vec<(String, Option<Fingerprint>)>> {
    let text = std::fs::read_to_string(marker).ok()?;
    let (_, list) = text.split_once(&format!("\n{MARKER_LIST}\n"))?;
    Some(
        list.lines()
            .map(|line| {
                let mut parts = line.split('\t');
                let name = parts.next().unwrap_or_default().to_string();
                let print = match (parts.next(), parts.next()) {
                    (Some(size), Some(crc)) => size
                        .parse()
                        .ok()
                        .zip(u32::from_str_radix(crc, 16).ok())
                        .map(|(size, crc)| Fingerprint { size, crc }),
                    _ => None,
                };
                (name, print)
            })
            .collect(),
    )
}

/// A folder being written; [`OutputDir::commit`] moves it into place.
#[derive(Debug)]
pub struct OutputDir {
    target: PathBuf,
    /// The target as the user gave it, for messages.
    shown: PathBuf,
    temp: PathBuf,
    committed: bool,
    /// A folder of map layers (see [`OutputDir::create_map`]).
    map: bool,
}

/// `p` made absolute with `.` and `..` resolved: canonicalized (symbolic links
/// followed) when it exists; otherwise resolved lexically, then its longest
/// existing ancestor canonicalized.
fn absolute(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    if let Ok(c) = joined.canonicalize() {
        return c;
    }
    let mut lexical = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other.as_os_str()),
        }
    }
    let mut base = lexical.clone();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        if let Ok(c) = base.canonicalize() {
            let mut out = c;
            out.extend(rest.iter().rev());
            return out;
        }
        match (base.file_name(), base.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                base = parent.to_path_buf();
            }
            _ => return lexical,
        }
    }
}

/// Whether the process with this id is still running. Without `/proc` (not
/// Linux) every process counts as alive, so nothing of another run is removed.
fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return true;
    }
    proc.join(pid.to_string()).exists()
}

/// The pid at the end of `.<name>.tmp-<pid>` / `.<name>.old-<pid>` (`prefix`
/// is everything before the pid).
fn leftover_pid(file_name: &str, prefix: &str) -> Option<u32> {
    file_name.strip_prefix(prefix)?.parse().ok()
}

/// Removes what killed earlier runs left beside `parent/name`: temporary and
/// moved-aside folders (or temporary files) whose process is gone.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.tmp-"), format!(".{name}.old-")];
    for entry in entries.flatten() {
        let n = entry.file_name().to_string_lossy().into_owned();
        if let Some(pid) = prefixes.iter().find_map(|p| leftover_pid(&n, p))
            && !process_alive(pid)
        {
            let path = entry.path();
            let _ = if path.is_dir() {
                std::fs::remove_dir_all(path)
            } else {
                std::fs::remove_file(path)
            };
        }
    }
}

/// Refuses `target` when it holds, is, or lies inside an input.
fn refuse_inputs(
    flag: &str,
    what: &str,
    target: &Path,
    abs_target: &Path,
    protected: &[PathBuf],
) -> Result<()> {
    for p in protected {
        let abs = absolute(p);
        if abs.starts_with(abs_target) || (abs_target.starts_with(&abs) && abs.is_dir()) {
            return Err(Error::Usage(format!(
                "{flag} {} zou de invoer {} overschrijven of ermee vermengen; kies {what}",
                target.display(),
                p.display(),
            )));
        }
    }
    Ok(())
}

/// Refuses an existing target folder that binnenstad did not write: one that
/// holds files and no [`MARKER`].
fn refuse_foreign_folder(target: &Path, abs_target: &Path, map: bool) -> Result<()> {
    if !abs_target.exists() {
        return Ok(());
    }
    if !abs_target.is_dir() {
        return Err(Error::Usage(format!(
            "--out {} bestaat al en is geen map",
            target.display()
        )));
    }
    let mut names: Vec<String> = std::fs::read_dir(abs_target)
        .map_err(|e| Error::io(abs_target, "kan de map niet lezen", e))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let more = |all: &[String]| {
        let shown: Vec<&str> = all.iter().take(3).map(String::as_str).collect();
        format!(
            "{}{}",
            shown.join(", "),
            if all.len() > shown.len() {
                format!(" en {} meer", all.len() - shown.len())
            } else {
                String::new()
            }
        )
    };
    let marker = abs_target.join(MARKER);
    if marker.is_file() {
        let is_map =
            std::fs::read_to_string(&marker).is_ok_and(|t| t.lines().any(|l| l == MAP_LINE));
        if is_map && !map {
            return Err(Error::Usage(format!(
                "--out {} is een kaartmap (kaartlagen geschreven door binnenstad import); \
                 alleen een nieuwe import vervangt die, anders gingen de lagen van dat gebied \
                 verloren: kies een andere uitvoermap",
                target.display()
            )));
        }
        // A previous output: replaced whole, unless files were added since.
        let Some(listed) = marker_files(&marker) else {
            return Ok(());
        };
        let added: Vec<String> = names
            .iter()
            .filter(|n| n.as_str() != MARKER && !listed.iter().any(|(l, _)| l == *n))
            .cloned()
            .collect();
        // A file binnenstad wrote and a planner edited since is theirs now.
        let changed: Vec<String> = listed
            .iter()
            .filter(|(name, print)| {
                let path = abs_target.join(name);
                print.is_some() && path.is_file() && Fingerprint::of(&path) != *print
            })
            .map(|(name, _)| name.clone())
            .collect();
        if !changed.is_empty() {
            return Err(Error::Usage(format!(
                "--out {}: binnenstad schreef deze map eerder, maar {} {} sindsdien gewijzigd \
                 (niet meer wat binnenstad schreef); een nieuwe run vervangt de map in zijn \
                 geheel, dus die wijzigingen zouden verloren gaan: zet die bestanden elders of \
                 kies een andere map",
                target.display(),
                more(&changed),
                if changed.len() == 1 { "is" } else { "zijn" }
            )));
        }
        if added.is_empty() {
            return Ok(());
        }
        return Err(Error::Usage(format!(
            "--out {}: binnenstad schreef deze map eerder, maar er {} nu ook {} in, niet door \
             binnenstad geschreven; een nieuwe run vervangt de map in zijn geheel, dus die \
             bestanden zouden verloren gaan: zet ze elders of kies een andere map",
            target.display(),
            if added.len() == 1 { "staat" } else { "staan" },
            more(&added)
        )));
    }
    if names.is_empty() {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "--out {} is een map die binnenstad niet schreef (er staat {} in, en geen \
         {MARKER}-markering); binnenstad vervangt zijn uitvoermap in zijn geheel en schrijft \
         daarom alleen in een nieuwe of lege map of een map die het eerder schreef: kies een \
         andere map",
        target.display(),
        more(&names)
    )))
}

/// An exclusive lock on a folder, held while the value lives (none where the
/// folder cannot be opened for locking: then nothing is locked).
struct FolderLock(Option<std::fs::File>);

impl FolderLock {
    fn take(folder: &Path) -> FolderLock {
        let file = std::fs::File::open(folder)
            .ok()
            .filter(|f| f.lock().is_ok());
        FolderLock(file)
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        if let Some(f) = &self.0 {
            let _ = f.unlock();
        }
    }
}

impl OutputDir {
    /// The refusals of [`OutputDir::create`] without creating anything: lets a
    /// command refuse its output folder before its long work, not after.
    ///
    /// # Errors
    /// As [`OutputDir::create`].
    pub fn check(target: &Path, protected: &[PathBuf]) -> Result<()> {
        OutputDir::check_kind(target, protected, false)
    }

    /// [`OutputDir::check`] for a folder of map layers (`binnenstad import`).
    ///
    /// # Errors
    /// As [`OutputDir::create`].
    pub fn check_map(target: &Path, protected: &[PathBuf]) -> Result<()> {
        OutputDir::check_kind(target, protected, true)
    }

    fn check_kind(target: &Path, protected: &[PathBuf], map: bool) -> Result<()> {
        let abs_target = absolute(target);
        refuse_inputs(
            "--out",
            "een andere uitvoermap",
            target,
            &abs_target,
            protected,
        )?;
        refuse_foreign_folder(target, &abs_target, map)
    }

    /// Prepares writing into `target`. `protected` are input files and folders
    /// the target must not contain or replace.
    ///
    /// # Errors
    /// [`Error::Usage`] when the target holds or lies inside an input, is a
    /// file, or is a non-empty folder without the [`MARKER`]; [`Error::Io`]
    /// when the folder beside it cannot be created.
    pub fn create(target: &Path, protected: &[PathBuf]) -> Result<OutputDir> {
        OutputDir::create_kind(target, protected, false)
    }

    /// [`OutputDir::create`] for a folder of map layers (`binnenstad import`):
    /// its marker says so, and only another import replaces it.
    ///
    /// # Errors
    /// As [`OutputDir::create`].
    pub fn create_map(target: &Path, protected: &[PathBuf]) -> Result<OutputDir> {
        OutputDir::create_kind(target, protected, true)
    }

    fn create_kind(target: &Path, protected: &[PathBuf], map: bool) -> Result<OutputDir> {
        OutputDir::check_kind(target, protected, map)?;
        let abs_target = absolute(target);
        let (Some(parent), Some(name)) = (abs_target.parent(), abs_target.file_name()) else {
            return Err(Error::Usage(format!(
                "--out {} is geen mapnaam",
                target.display()
            )));
        };
        let parent = parent.to_path_buf();
        let name = name.to_string_lossy().into_owned();
        std::fs::create_dir_all(&parent)
            .map_err(|e| Error::io(&parent, "kan de map niet maken", e))?;
        remove_stale(&parent, &name);
        let temp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        std::fs::create_dir(&temp).map_err(|e| Error::io(&temp, "kan de map niet maken", e))?;
        let dir = OutputDir {
            target: abs_target,
            shown: target.to_path_buf(),
            temp,
            committed: false,
            map,
        };
        Ok(dir)
    }

    /// Writes one file into the folder.
    pub fn write(&self, file: &str, contents: impl AsRef<[u8]>) -> Result<()> {
        let path = self.temp.join(file);
        std::fs::write(&path, contents)
            .map_err(|e| Error::io(self.target.join(file), "kan niet schrijven", e))
    }

    /// Creates one file in the folder and lets `fill` write it (buffered, past
    /// the page cache where the system allows: [`crate::io::direct`]).
    pub fn write_with(
        &self,
        file: &str,
        fill: &mut dyn FnMut(&mut (dyn std::io::Write + Send)) -> Result<()>,
    ) -> Result<()> {
        use std::io::Write;
        let path = self.temp.join(file);
        let mut w = crate::io::direct::DirectWriter::create(&path)
            .map_err(|e| Error::io(self.target.join(file), "kan niet schrijven", e))?;
        fill(&mut w)?;
        w.flush()
            .map_err(|e| Error::io(self.target.join(file), "kan niet schrijven", e))
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
            .map_err(|e| Error::io(self.target.join(file), "kan niet schrijven", e))
    }

    /// The final location.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Moves the finished folder into place, replacing the previous outputs.
    ///
    /// Runs into the same target at once take turns here (a lock on the
    /// parent folder); the target is checked again under the lock, so a folder
    /// put there meanwhile that binnenstad did not write is not replaced.
    pub fn commit(mut self) -> Result<PathBuf> {
        let parent = self
            .target
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("/"));
        let _lock = FolderLock::take(&parent);
        refuse_foreign_folder(&self.shown, &self.target, self.map)?;
        // The marker lists what this run wrote, so that a file added later
        // is never deleted by the next run (see `refuse_foreign_folder`).
        let mut files: Vec<(String, Option<Fingerprint>)> = std::fs::read_dir(&self.temp)
            .map_err(|e| Error::io(&self.temp, "kan de map niet lezen", e))?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n != MARKER)
            .map(|n| {
                let print = Fingerprint::of(&self.temp.join(&n));
                (n, print)
            })
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        self.write(MARKER, marker_text(&files, self.map))?;
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
                .map_err(|e| Error::io(&self.target, "kan niet opzij zetten", e))?;
        }
        if let Err(e) = std::fs::rename(&self.temp, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(Error::io(&self.target, "kan niet op zijn plaats zetten", e));
        }
        if had_old {
            let _ = std::fs::remove_dir_all(&old);
        }
        self.committed = true;
        Ok(self.target.clone())
    }
}

/// What a single output file holds, to recognise a previous output of the same
/// kind: the GeoJSON collection name binnenstad gives it.
#[derive(Debug, Clone, Copy)]
pub struct FileKind {
    /// The flag that names the file (`--route-out`), for messages.
    pub flag: &'static str,
    /// The `name` of the FeatureCollection binnenstad writes there (`routes`).
    pub collection: &'static str,
}

/// The refusals of [`write_file`] without writing: lets a command refuse its
/// output file before its long work.
///
/// # Errors
/// As [`write_file`].
pub fn check_file(path: &Path, protected: &[PathBuf], kind: FileKind) -> Result<()> {
    let flag = kind.flag;
    let abs = absolute(path);
    refuse_inputs(flag, "een ander uitvoerbestand", path, &abs, protected)?;
    if abs.is_dir() {
        return Err(Error::Usage(format!(
            "{flag} {} is een map; geef een bestandsnaam (bijvoorbeeld {}.geojson)",
            path.display(),
            kind.collection
        )));
    }
    if abs.exists() && !is_previous_output(&abs, kind.collection) {
        return Err(Error::Usage(format!(
            "{flag} {} bestaat al en is geen {}-bestand dat binnenstad schreef; binnenstad \
             vervangt alleen eigen uitvoer: kies een andere bestandsnaam of haal dat bestand weg",
            path.display(),
            kind.collection
        )));
    }
    Ok(())
}

/// Writes one output file atomically (a temporary file beside it, renamed into
/// place) without ever replacing what binnenstad did not write.
///
/// Refused (nothing written, nothing left behind): a path that is an input or
/// lies inside an input folder (`protected`), an existing folder, and an
/// existing file that is not a previous output of the same kind (a GeoJSON
/// FeatureCollection whose `name` is `kind.collection`, as binnenstad writes it).
///
/// # Errors
/// [`Error::Usage`] for the refusals above, [`Error::Io`] when writing fails.
pub fn write_file(
    path: &Path,
    contents: &[u8],
    protected: &[PathBuf],
    kind: FileKind,
) -> Result<()> {
    check_file(path, protected, kind)?;
    let flag = kind.flag;
    let abs = absolute(path);
    let (Some(parent), Some(name)) = (abs.parent(), abs.file_name()) else {
        return Err(Error::Usage(format!(
            "{flag} {} is geen bestandsnaam",
            path.display()
        )));
    };
    let name = name.to_string_lossy();
    remove_stale(parent, &name);
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    if let Err(e) = std::fs::write(&tmp, contents) {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io(path, "kan niet schrijven", e));
    }
    std::fs::rename(&tmp, &abs).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, "kan niet op zijn plaats zetten", e)
    })
}

/// The line that marks a QGIS style (`.qml`) binnenstad wrote beside a single
/// output file of the collection `collection` (`<!-- binnenstad: isochrone -->`),
/// so a later run replaces that style and never a user's own.
fn style_marker(collection: &str) -> String {
    format!("<!-- binnenstad: {collection} -->\n")
}

/// A QML document with the marker of `collection` after its first line (the
/// doctype), to be written with [`write_file`] beside a single output file.
pub fn mark_style(qml: &str, collection: &str) -> String {
    let (first, rest) = match qml.find('\n') {
        Some(i) => qml.split_at(i + 1),
        None => (qml, ""),
    };
    format!("{first}{}{rest}", style_marker(collection))
}

/// Whether the file starts as binnenstad writes a collection named
/// `collection` (a `.qml` path: as [`mark_style`] marks its style).
fn is_previous_output(path: &Path, collection: &str) -> bool {
    use std::io::Read;
    let head = if path.extension().is_some_and(|e| e == "qml") {
        let line = match std::fs::read_to_string(path) {
            Ok(text) => text.lines().nth(1).map(|l| format!("{l}\n")),
            Err(_) => None,
        };
        return line == Some(style_marker(collection));
    } else {
        format!("{{\"type\":\"FeatureCollection\",\"name\":\"{collection}\",")
    };
    let mut buf = vec![0u8; head.len()];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut buf))
        .is_ok()
        && buf == head.as_bytes()
}

impl crate::outputs::OutputSink for OutputDir {
    fn file(
        &self,
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
            std::fs::write(p, "b").map_err(|e| Error::io(p, "kan niet schrijven", e))
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
        assert_eq!(names, [MARKER, "a.txt", "b.bin"], "no part files left");
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
        assert!(e.to_string().contains("zou de invoer"), "{e}");
        let e = OutputDir::create(&maps.join("sub"), std::slice::from_ref(&maps)).unwrap_err();
        assert!(e.to_string().contains("zou de invoer"), "{e}");
    }
    #[test]
    fn refuses_a_folder_it_did_not_write_and_replaces_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let docs = dir.path().join("docs");
        std::fs::create_dir(&docs).unwrap();
        std::fs::write(docs.join("thesis.txt"), "years of work").unwrap();
        let e = OutputDir::create(&docs, &[]).unwrap_err().to_string();
        assert!(
            e.contains("niet schreef") && e.contains("thesis.txt"),
            "{e}"
        );
        // The same folder through `..`, existing or not on the way.
        let e = OutputDir::create(&dir.path().join("docs/sub/.."), &[]).unwrap_err();
        assert!(e.to_string().contains("niet schreef"), "{e}");
        std::fs::create_dir(docs.join("sub")).unwrap();
        let e = OutputDir::create(&dir.path().join("docs/sub/.."), &[]).unwrap_err();
        assert!(e.to_string().contains("niet schreef"), "{e}");
        assert_eq!(
            std::fs::read_to_string(docs.join("thesis.txt")).unwrap(),
            "years of work"
        );
        // An empty folder, and then its own output, are replaced.
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        for run in ["1", "2"] {
            let o = OutputDir::create(&out, &[]).unwrap();
            o.write("a.txt", run).unwrap();
            o.commit().unwrap();
            assert_eq!(std::fs::read_to_string(out.join("a.txt")).unwrap(), run);
        }
        // The marker lists what was written.
        let marker = std::fs::read_to_string(out.join(MARKER)).unwrap();
        let crc = crc32fast::hash(b"2");
        assert!(
            marker.ends_with(&format!("files:\na.txt\t1\t{crc:08x}\n")),
            "{marker}"
        );
        // A file binnenstad wrote and a planner edited since (same size) is
        // not replaced: the folder is refused, naming it.
        std::fs::write(out.join("a.txt"), "3").unwrap();
        let e = OutputDir::create(&out, &[]).unwrap_err().to_string();
        assert!(e.contains("a.txt") && e.contains("gewijzigd"), "{e}");
        assert_eq!(std::fs::read_to_string(out.join("a.txt")).unwrap(), "3");
        std::fs::write(out.join("a.txt"), "2").unwrap();
        // Deleted since: nothing to lose, replaced.
        std::fs::remove_file(out.join("a.txt")).unwrap();
        let o = OutputDir::create(&out, &[]).unwrap();
        o.write("a.txt", "2").unwrap();
        o.commit().unwrap();
        // A marker that lists names only (before fingerprints): only added
        // files count.
        std::fs::write(
            out.join(MARKER),
            format!("{MARKER_TEXT}{MARKER_LIST}\na.txt\n"),
        )
        .unwrap();
        std::fs::write(out.join("a.txt"), "edited").unwrap();
        let o = OutputDir::create(&out, &[]).unwrap();
        o.write("a.txt", "2").unwrap();
        o.commit().unwrap();
        // A file a user put into a folder binnenstad wrote is never deleted by
        // the next run: the folder is refused, naming it, and the note stays.
        std::fs::write(out.join("notities.txt"), "n").unwrap();
        let e = OutputDir::create(&out, &[]).unwrap_err().to_string();
        assert!(e.contains("notities.txt") && e.contains("verloren"), "{e}");
        assert_eq!(
            std::fs::read_to_string(out.join("notities.txt")).unwrap(),
            "n"
        );
        // Put there while a run was going: refused at the commit, nothing lost.
        std::fs::remove_file(out.join("notities.txt")).unwrap();
        let o = OutputDir::create(&out, &[]).unwrap();
        std::fs::write(out.join("notities.txt"), "n").unwrap();
        assert!(o.commit().is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("notities.txt")).unwrap(),
            "n"
        );
        assert_eq!(std::fs::read_to_string(out.join("a.txt")).unwrap(), "2");
        // A marker from before the list (no file list): replaced whole, as then.
        std::fs::remove_file(out.join("notities.txt")).unwrap();
        std::fs::write(out.join(MARKER), MARKER_TEXT).unwrap();
        std::fs::write(out.join("old.txt"), "o").unwrap();
        OutputDir::create(&out, &[]).unwrap().commit().unwrap();
        assert!(!out.join("old.txt").exists());
    }

    /// Large files are fingerprinted by size and both ends: an edit at either
    /// end or a change of size is seen, a copy (new modification time, same
    /// content) is the same file.
    /// A map folder (written by an import) is replaced only by an import:
    /// a plan's `--out` naming it is refused and its layers stay.
    #[test]
    fn a_map_folder_is_replaced_only_by_an_import() {
        let dir = tempfile::tempdir().unwrap();
        let maps = dir.path().join("delft");
        let o = OutputDir::create_map(&maps, &[]).unwrap();
        o.write("buildings.geojson", "delft").unwrap();
        o.commit().unwrap();
        let e = OutputDir::create(&maps, &[]).unwrap_err().to_string();
        assert!(e.contains("kaartmap"), "{e}");
        assert!(OutputDir::check(&maps, &[]).is_err());
        assert_eq!(
            std::fs::read_to_string(maps.join("buildings.geojson")).unwrap(),
            "delft"
        );
        // Another import replaces it; an import into a plan's folder is allowed.
        let o = OutputDir::create_map(&maps, &[]).unwrap();
        o.write("buildings.geojson", "delft 2").unwrap();
        o.commit().unwrap();
        let out = dir.path().join("out");
        OutputDir::create(&out, &[]).unwrap().commit().unwrap();
        OutputDir::create_map(&out, &[]).unwrap().commit().unwrap();
    }

    #[test]
    fn large_files_are_fingerprinted_by_size_and_ends() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.geojson");
        let mut text = vec![b'x'; (WHOLE_CRC_BYTES + 3 * EDGE_CRC_BYTES) as usize];
        std::fs::write(&a, &text).unwrap();
        let print = Fingerprint::of(&a).unwrap();
        assert_eq!(print.size, text.len() as u64);
        let b = dir.path().join("b.geojson");
        std::fs::copy(&a, &b).unwrap();
        assert_eq!(Fingerprint::of(&b), Some(print));
        let n = text.len();
        text[n - 10] = b'y';
        std::fs::write(&b, &text).unwrap();
        assert_ne!(Fingerprint::of(&b), Some(print));
        text[n - 10] = b'x';
        text.push(b'\n');
        std::fs::write(&b, &text).unwrap();
        assert_ne!(Fingerprint::of(&b), Some(print));
        assert_eq!(Fingerprint::of(&dir.path().join("none")), None);
    }

    #[test]
    fn absolute_resolves_dots_whether_or_not_the_path_exists() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        assert_eq!(absolute(&base.join("a/b/..")), base.join("a"));
        assert_eq!(absolute(&base.join("a/./b/../../c")), base.join("c"));
        assert_eq!(absolute(&base.join(".")), base);
    }

    #[test]
    fn only_leftovers_of_dead_processes_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        // Our own pid stands for a live run; u32::MAX is never a pid.
        let live = dir.path().join(format!(".out.tmp-{}", std::process::id()));
        let live_other = dir.path().join(".out.tmp-1");
        let dead = dir.path().join(format!(".out.tmp-{}", u32::MAX));
        let dead_old = dir.path().join(format!(".out.old-{}", u32::MAX));
        let unrelated = dir.path().join(".out.tmp-notapid");
        for d in [&live, &live_other, &dead, &dead_old, &unrelated] {
            std::fs::create_dir(d).unwrap();
        }
        remove_stale(dir.path(), "out");
        assert!(live.exists() && unrelated.exists());
        // pid 1 (init) is alive wherever /proc exists.
        assert!(live_other.exists());
        assert!(!dead.exists() && !dead_old.exists());
    }

    #[test]
    fn single_files_replace_only_their_own_kind() {
        let dir = tempfile::tempdir().unwrap();
        let kind = FileKind {
            flag: "--route-out",
            collection: "routes",
        };
        let map = dir.path().join("map");
        std::fs::create_dir(&map).unwrap();
        std::fs::write(map.join("buildings.geojson"), "{}").unwrap();
        let scenario = dir.path().join("s.toml");
        std::fs::write(&scenario, "version = 1").unwrap();
        let protected = [map.join("buildings.geojson"), scenario.clone(), map.clone()];
        let text = br#"{"type":"FeatureCollection","name":"routes","features":[]}"#;
        for bad in [
            map.join("buildings.geojson"),
            scenario.clone(),
            map.join("new.geojson"),
        ] {
            let e = write_file(&bad, text, &protected, kind).unwrap_err();
            assert!(e.to_string().contains("zou de invoer"), "{e}");
        }
        let e = write_file(dir.path(), text, &[], kind).unwrap_err();
        assert!(e.to_string().contains("is een map"), "{e}");
        let user = dir.path().join("user.geojson");
        std::fs::write(&user, "mine").unwrap();
        let e = write_file(&user, text, &protected, kind).unwrap_err();
        assert!(e.to_string().contains("geen routes-bestand"), "{e}");
        assert_eq!(std::fs::read(&user).unwrap(), b"mine");
        let out = dir.path().join("r.geojson");
        write_file(&out, text, &protected, kind).unwrap();
        write_file(&out, text, &protected, kind).unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), text);
        let iso = FileKind {
            flag: "--out",
            collection: "isochrone",
        };
        assert!(write_file(&out, text, &protected, iso).is_err());
        // A style beside: replaced when binnenstad marked it, never a user's own.
        let style = mark_style("<!DOCTYPE qgis>\n<qgis/>\n", "routes");
        assert_eq!(
            style,
            "<!DOCTYPE qgis>\n<!-- binnenstad: routes -->\n<qgis/>\n"
        );
        let qml = dir.path().join("r.qml");
        write_file(&qml, style.as_bytes(), &protected, kind).unwrap();
        write_file(&qml, style.as_bytes(), &protected, kind).unwrap();
        assert!(write_file(&qml, style.as_bytes(), &protected, iso).is_err());
        let own = dir.path().join("own.qml");
        std::fs::write(&own, "<!DOCTYPE qgis>\n<qgis/>\n").unwrap();
        let e = write_file(&own, style.as_bytes(), &protected, kind).unwrap_err();
        assert!(e.to_string().contains("geen routes-bestand"), "{e}");
        std::fs::remove_file(&own).unwrap();
        std::fs::remove_file(&qml).unwrap();
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["map", "r.geojson", "s.toml", "user.geojson"]);
    }
}
