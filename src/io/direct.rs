//! Large output files written past the page cache (Linux `O_DIRECT`).
//!
//! A plan of a whole region writes gigabytes (buildings.geojson is about 2 KB
//! per building). Through the page cache every byte is copied by the kernel
//! into freshly allocated cache pages; on the virtual machines this project is
//! run and measured on that copy ran at 360 MB/s (`dd` of 2 GB to ext4), while
//! the same 2 GB written with `O_DIRECT` took 0.8 s (2.5 GB/s): the kernel's
//! copy was 17% of all CPU of a 1M-building plan (`perf`,
//! `copy_folio_from_iter_atomic`). See benches/README.md, "Ninth pass".
//!
//! [`DirectWriter`] gathers the text in one block-aligned buffer and writes
//! whole aligned blocks with `O_DIRECT`; the last partial block goes through
//! the page cache on a second handle. Where direct writes are not possible (not
//! Linux, a file system that refuses the flag at open, or a write refused with
//! `EINVAL`, as for an alignment the device does not accept), it writes the
//! rest through the page cache: the same bytes in every case, only slower.
//! Nothing is durable before the output folder is committed either way
//! (see [`crate::io::output`]).

use std::fs::{File, OpenOptions};
use std::io::{self, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Alignment of the buffer, of every direct write's length and of its file
/// offset (bytes): a multiple of every logical block size in use (512, 4096).
const ALIGN: usize = 4096;

/// Bytes gathered before a write (a multiple of [`ALIGN`]).
const BLOCK: usize = 8 << 20;

/// The buffer's first size (a multiple of [`ALIGN`]); it grows fourfold up to
/// [`BLOCK`], so that a small file does not zero 8 MB.
const FIRST: usize = 64 << 10;

/// A [`Write`] to a new file that bypasses the page cache where it can.
///
/// Call [`Write::flush`] at the end: it writes the last partial block (and
/// after it the writer goes on through the page cache). Dropping the writer
/// flushes too, ignoring errors, as [`std::io::BufWriter`] does.
pub struct DirectWriter {
    path: PathBuf,
    file: File,
    /// Whether `file` was opened with `O_DIRECT` and direct writes still work.
    direct: bool,
    /// `cap + ALIGN` bytes; the buffer is `raw[start..start + cap]`.
    raw: Vec<u8>,
    start: usize,
    /// The buffer's size: [`FIRST`], growing to [`BLOCK`].
    cap: usize,
    /// How far `start` is past an aligned address (tests only).
    misalign: usize,
    /// Bytes in the buffer.
    len: usize,
    /// Bytes written to the file so far (its length, and the next offset).
    written: u64,
}

impl DirectWriter {
    /// Creates (or truncates) the file at `path`.
    ///
    /// # Errors
    /// The error of creating the file through the page cache, when both the
    /// direct and the ordinary open fail.
    pub fn create(path: &Path) -> io::Result<DirectWriter> {
        match open_direct(path) {
            Some(file) => Ok(DirectWriter::new(path, file, true, 0)),
            None => Ok(DirectWriter::new(path, File::create(path)?, false, 0)),
        }
    }

    /// The writer with its buffer `misalign` bytes past an aligned address:
    /// tests use a non-zero value to make the device refuse direct writes.
    fn new(path: &Path, file: File, direct: bool, misalign: usize) -> DirectWriter {
        let (raw, start) = aligned(FIRST, misalign);
        DirectWriter {
            path: path.to_path_buf(),
            file,
            direct,
            raw,
            start,
            cap: FIRST,
            misalign,
            len: 0,
            written: 0,
        }
    }

    /// A full buffer below [`BLOCK`] grows fourfold instead of being written.
    fn grow(&mut self) {
        let cap = (self.cap * 4).min(BLOCK);
        let (mut raw, start) = aligned(cap, self.misalign);
        raw[start..start + self.len].copy_from_slice(&self.raw[self.start..self.start + self.len]);
        (self.raw, self.start, self.cap) = (raw, start, cap);
    }

    /// Writes the first `n` bytes of the buffer and moves the rest to its
    /// front. With `O_DIRECT`, `n` must be a multiple of [`ALIGN`].
    fn spill(&mut self, n: usize) -> io::Result<()> {
        let mut done = 0;
        while done < n {
            let from = self.start + done;
            match self.file.write(&self.raw[from..self.start + n]) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(k) => {
                    done += k;
                    self.written += k as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if self.direct && refused(&e) => self.through_cache()?,
                Err(e) => return Err(e),
            }
        }
        self.raw
            .copy_within(self.start + n..self.start + self.len, self.start);
        self.len -= n;
        Ok(())
    }

    /// Goes on through the page cache: a second handle without `O_DIRECT`
    /// at the current end of the file.
    fn through_cache(&mut self) -> io::Result<()> {
        let mut file = OpenOptions::new().write(true).open(&self.path)?;
        file.seek(SeekFrom::Start(self.written))?;
        self.file = file;
        self.direct = false;
        Ok(())
    }
}

/// `cap + ALIGN` zeroed bytes and the offset in them of a buffer of `cap`
/// bytes that starts `misalign` bytes past an [`ALIGN`]ed address.
fn aligned(cap: usize, misalign: usize) -> (Vec<u8>, usize) {
    let raw = vec![0u8; cap + ALIGN];
    let start = (raw.as_ptr().align_offset(ALIGN) + misalign) % ALIGN;
    (raw, start)
}

/// Whether a failed write means "not with `O_DIRECT`" (so the same bytes can
/// go through the page cache) rather than a real failure (disk full).
fn refused(e: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    {
        e.raw_os_error() == Some(libc::EINVAL)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = e;
        false
    }
}

#[cfg(target_os = "linux")]
fn open_direct(path: &Path) -> Option<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .custom_flags(libc::O_DIRECT)
        .open(path)
        .ok()
}

#[cfg(not(target_os = "linux"))]
fn open_direct(_path: &Path) -> Option<File> {
    None
}

impl Write for DirectWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if !self.direct && self.len == 0 && data.len() >= BLOCK {
            // Through the page cache a large piece needs no copy.
            let k = self.file.write(data)?;
            self.written += k as u64;
            return Ok(k);
        }
        let k = data.len().min(self.cap - self.len);
        let at = self.start + self.len;
        self.raw[at..at + k].copy_from_slice(&data[..k]);
        self.len += k;
        if self.len == self.cap {
            if self.cap < BLOCK {
                self.grow();
            } else {
                self.spill(BLOCK)?;
            }
        }
        Ok(k)
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.direct {
            self.spill(self.len / ALIGN * ALIGN)?;
            if self.len > 0 {
                self.through_cache()?;
            }
        }
        if self.len > 0 {
            self.spill(self.len)?;
        }
        self.file.flush()
    }
}

impl Drop for DirectWriter {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic bytes (xorshift), so a misplaced block shows.
    fn bytes(n: usize, seed: u64) -> Vec<u8> {
        let mut x = seed | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    /// Writes `data` in pieces of the given sizes (cycled) and reads it back.
    fn round_trip(w: &mut DirectWriter, path: &Path, data: &[u8], pieces: &[usize]) -> Vec<u8> {
        let mut at = 0;
        for &p in pieces.iter().cycle() {
            if at == data.len() {
                break;
            }
            let end = (at + p).min(data.len());
            w.write_all(&data[at..end]).unwrap();
            at = end;
        }
        w.flush().unwrap();
        std::fs::read(path).unwrap()
    }

    #[test]
    fn every_length_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let lengths = [
            0,
            1,
            ALIGN - 1,
            ALIGN,
            ALIGN + 1,
            FIRST - 1,
            FIRST,
            FIRST + 1,
            4 * FIRST + 3,
            BLOCK - 1,
            BLOCK,
            BLOCK + 1,
            2 * BLOCK + ALIGN + 17,
        ];
        for (i, &n) in lengths.iter().enumerate() {
            let data = bytes(n, i as u64 + 7);
            let path = dir.path().join(format!("f{i}"));
            for pieces in [&[n.max(1)][..], &[1, 4095, 10_000, 3 * BLOCK, 7]] {
                let mut w = DirectWriter::create(&path).unwrap();
                let back = round_trip(&mut w, &path, &data, pieces);
                assert_eq!(back.len(), n, "length {n}, pieces {pieces:?}");
                assert!(back == data, "content of length {n}, pieces {pieces:?}");
            }
        }
    }

    #[test]
    fn a_refused_direct_write_goes_on_through_the_cache() {
        // A buffer one byte off the alignment: a device that takes O_DIRECT
        // refuses the write with EINVAL, and the writer must go on without it
        // from the same offset (where O_DIRECT is not available at all, the
        // writer starts through the cache; the bytes must match either way).
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let data = bytes(3 * BLOCK + 12_345, 3);
        let (file, direct) = match open_direct(&path) {
            Some(f) => (f, true),
            None => (File::create(&path).unwrap(), false),
        };
        let mut w = DirectWriter::new(&path, file, direct, 1);
        let back = round_trip(&mut w, &path, &data, &[100_000]);
        assert!(back == data);
    }

    #[test]
    fn dropping_the_writer_writes_the_tail() {
        // Direct writes up to the last aligned block, the tail through the
        // cache on drop: a reader right after sees every byte.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let data = bytes(BLOCK + ALIGN + 5, 11);
        let mut w = DirectWriter::create(&path).unwrap();
        w.write_all(&data).unwrap();
        drop(w);
        assert!(std::fs::read(&path).unwrap() == data);
    }
}
