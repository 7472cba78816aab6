//! The files of an LV BAG extract as Kadaster delivers them, streamed.
//!
//! An extract argument is a bare XML file, a zip (per gemeente:
//! `0221PND15092020.zip` with numbered parts `...-000001.xml`; national:
//! `lvbag-extract-nl.zip` holding `9999PND08112024.zip`, `9999VBO...zip` and
//! other zips), or a folder of those. Inside zips and folders only the PND and
//! VBO files are read, recognised by Kadaster's names (`<4 digits>PND<date>`,
//! `<4 digits>VBO<date>`); the rest (addresses, `InOnderzoek`, `Inactief`,
//! `NietBag`, the Leveringsdocument) is skipped unread. A file named on the
//! command line is always read.
//!
//! Nothing is unpacked whole: a zip entry is decompressed as the XML reader
//! asks for bytes. A zip inside a zip is opened in place when it is stored
//! uncompressed (as Kadaster packs them: the inner zips are `stored`), else
//! copied to a temporary file that is removed afterwards. Listing the files
//! first lets them be parsed in parallel, each streamed by its own reader.

use crate::error::Error;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// What kind of BAG file a name says it is: the letters after Kadaster's four
/// digit code (`0221PND15092020-000001.xml` → `PND`, `9999InOnderzoek...` →
/// `InOnderzoek`), or None for other names.
pub fn kadaster_type(name: &str) -> Option<&str> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let b = base.as_bytes();
    if b.len() < 6 || !b[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let end = b[4..]
        .iter()
        .position(|c| !c.is_ascii_alphabetic())
        .map_or(b.len(), |p| p + 4);
    (end > 4).then(|| &base[4..end])
}

/// What the reading passed over.
#[derive(Debug, Clone, Default)]
pub struct SourceStats {
    /// XML files (or zip entries) read.
    pub files_read: usize,
    /// Entries skipped by name (other object types, metadata).
    pub entries_skipped: usize,
}

/// A part of a real file: `[start, start + len)` of `path`, read and seekable
/// as a file of its own (a stored zip inside a zip).
struct Window {
    file: File,
    start: u64,
    len: u64,
    pos: u64,
}

impl Read for Window {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.len.saturating_sub(self.pos);
        let n = (buf.len() as u64).min(left) as usize;
        if n == 0 {
            return Ok(0);
        }
        let read = self.file.read(&mut buf[..n])?;
        self.pos += read as u64;
        Ok(read)
    }
}

impl Seek for Window {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        let target = match to {
            SeekFrom::Start(p) => p as i128,
            SeekFrom::End(d) => self.len as i128 + d as i128,
            SeekFrom::Current(d) => self.pos as i128 + d as i128,
        };
        if target < 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "seek before the start",
            ));
        }
        self.pos = target as u64;
        self.file.seek(SeekFrom::Start(self.start + self.pos))?;
        Ok(self.pos)
    }
}

/// A temporary copy of a compressed inner zip, removed when dropped.
struct TempCopy(PathBuf);

impl Drop for TempCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// One XML file of an extract: a file on disk or an entry of a (nested) zip.
pub struct Leaf {
    /// Names the file for messages: `a.zip!b.zip!c.xml`.
    pub label: String,
    place: Place,
}

enum Place {
    File(PathBuf),
    /// Entry `index` of the zip lying at `[base, base + len)` of `real`.
    Zip {
        real: PathBuf,
        base: u64,
        len: u64,
        index: usize,
    },
}

impl Leaf {
    /// Streams the XML to `read` (a zip entry decompressed as it is read).
    ///
    /// # Errors
    /// [`Error::Io`] / [`Error::File`] naming the file when it cannot be
    /// opened or decompressed; whatever `read` returns.
    pub fn read(
        &self,
        read: &mut dyn FnMut(&mut dyn BufRead) -> Result<(), Error>,
    ) -> Result<(), Error> {
        match &self.place {
            Place::File(path) => {
                let file = File::open(path).map_err(|e| Error::io(path, "kan niet lezen", e))?;
                read(&mut BufReader::with_capacity(1 << 17, file))
            }
            Place::Zip {
                real,
                base,
                len,
                index,
            } => {
                let bad = |e: zip::result::ZipError| {
                    Error::file(&self.label, format!("not a readable zip: {e}"))
                };
                let w = window(real, *base, *len)?;
                let mut archive = zip::ZipArchive::new(w).map_err(bad)?;
                let mut entry = archive.by_index(*index).map_err(bad)?;
                read(&mut BufReader::with_capacity(1 << 17, &mut entry))
            }
        }
    }
}

/// The XML files of the extracts, and the temporary copies they need.
pub struct Listing {
    /// PND and VBO files in a fixed order: arguments as given, folder and zip
    /// entries by name.
    pub leaves: Vec<Leaf>,
    /// What was passed over.
    pub stats: SourceStats,
    _temps: Vec<TempCopy>,
}

/// Lists every PND and VBO XML file of the extracts (see the module docs).
///
/// # Errors
/// [`Error::Io`] for a file that cannot be opened; [`Error::File`] for a
/// corrupt zip or a mutation delivery.
pub fn list(paths: &[PathBuf]) -> Result<Listing, Error> {
    let mut listing = Listing {
        leaves: Vec::new(),
        stats: SourceStats::default(),
        _temps: Vec::new(),
    };
    for path in paths {
        visit_path(path, &mut listing)?;
    }
    Ok(listing)
}

fn window(real: &Path, start: u64, len: u64) -> Result<Window, Error> {
    let mut file = File::open(real).map_err(|e| Error::io(real, "kan niet lezen", e))?;
    file.seek(SeekFrom::Start(start))
        .map_err(|e| Error::io(real, "kan niet lezen", e))?;
    Ok(Window {
        file,
        start,
        len,
        pos: 0,
    })
}

const MUTATION: &str = "a BAG mutation delivery: binnenstad reads stand extracts (LV BAG Extract 2.0), \
     not mutations; download a full extract of the date you need";

fn wanted(name: &str) -> Option<bool> {
    match kadaster_type(name) {
        Some(t) if t.eq_ignore_ascii_case("PND") || t.eq_ignore_ascii_case("VBO") => Some(true),
        Some(t) if t.to_ascii_uppercase().contains("MUT") => None,
        _ => Some(false),
    }
}

fn is_zip_head(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06")
}

fn visit_path(path: &Path, listing: &mut Listing) -> Result<(), Error> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| Error::io(path, "kan de map niet lezen", e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            let name = name.unwrap_or_default();
            match wanted(&name) {
                _ if p.is_dir() => visit_path(&p, listing)?,
                Some(true) => visit_path(&p, listing)?,
                Some(false) => listing.stats.entries_skipped += 1,
                None => return Err(Error::file(&p, MUTATION)),
            }
        }
        return Ok(());
    }
    let mut file = File::open(path).map_err(|e| Error::io(path, "kan niet lezen", e))?;
    let mut head = [0u8; 4];
    let n = file
        .read(&mut head)
        .map_err(|e| Error::io(path, "kan niet lezen", e))?;
    let label = path.display().to_string();
    if is_zip_head(&head[..n]) {
        let len = file
            .metadata()
            .map_err(|e| Error::io(path, "kan niet lezen", e))?
            .len();
        visit_zip(path, 0, len, &label, listing)
    } else {
        listing.stats.files_read += 1;
        listing.leaves.push(Leaf {
            label,
            place: Place::File(path.to_path_buf()),
        });
        Ok(())
    }
}

/// Lists the entries of the zip lying at `[base, base + len)` of the real file `real`.
fn visit_zip(
    real: &Path,
    base: u64,
    len: u64,
    label: &str,
    listing: &mut Listing,
) -> Result<(), Error> {
    let bad = |e: zip::result::ZipError| Error::file(label, format!("not a readable zip: {e}"));
    let mut archive = zip::ZipArchive::new(window(real, base, len)?).map_err(bad)?;
    let mut names: Vec<(String, usize)> = (0..archive.len())
        .filter_map(|i| Some((archive.name_for_index(i)?.to_string(), i)))
        .collect();
    names.sort();
    for (name, i) in names {
        let inner = format!("{label}!{name}");
        let base_name = name.rsplit('/').next().unwrap_or(&name).to_string();
        if name.ends_with('/') || base_name.starts_with('.') || name.starts_with("__MACOSX") {
            continue;
        }
        match wanted(&base_name) {
            Some(true) => {}
            Some(false) => {
                listing.stats.entries_skipped += 1;
                continue;
            }
            None => return Err(Error::file(&inner, MUTATION)),
        }
        if !base_name.to_ascii_lowercase().ends_with(".zip") {
            listing.stats.files_read += 1;
            listing.leaves.push(Leaf {
                label: inner,
                place: Place::Zip {
                    real: real.to_path_buf(),
                    base,
                    len,
                    index: i,
                },
            });
            continue;
        }
        let mut entry = archive.by_index(i).map_err(bad)?;
        if entry.compression() == zip::CompressionMethod::Stored {
            // In place: the inner zip's bytes lie as they are in the real file.
            let start = base + entry.data_start();
            let size = entry.size();
            drop(entry);
            visit_zip(real, start, size, &inner, listing)?;
        } else {
            let temp = TempCopy(std::env::temp_dir().join(format!(
                "binnenstad-bag-{}-{}.zip",
                std::process::id(),
                listing._temps.len()
            )));
            let mut out =
                File::create(&temp.0).map_err(|e| Error::io(&temp.0, "kan niet schrijven", e))?;
            std::io::copy(&mut entry, &mut out)
                .map_err(|e| Error::file(&inner, format!("cannot unpack: {e}")))?;
            drop(out);
            drop(entry);
            let size = std::fs::metadata(&temp.0)
                .map_err(|e| Error::io(&temp.0, "kan niet lezen", e))?
                .len();
            let path = temp.0.clone();
            listing._temps.push(temp);
            visit_zip(&path, 0, size, &inner, listing)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kadaster_names_say_the_object_type() {
        assert_eq!(kadaster_type("0221PND15092020-000001.xml"), Some("PND"));
        assert_eq!(kadaster_type("9999VBO15092020.zip"), Some("VBO"));
        assert_eq!(
            kadaster_type("x/9999InOnderzoek15092020.zip"),
            Some("InOnderzoek")
        );
        assert_eq!(kadaster_type("0221IOPND15092020.zip"), Some("IOPND"));
        assert_eq!(kadaster_type("Leveringsdocument-BAG-Extract.xml"), None);
        assert_eq!(kadaster_type("GEM-WPL-RELATIE-15092020.zip"), None);
    }
}
