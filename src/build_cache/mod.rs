//! Speed only: work a build did, kept beside its output so that the next
//! build into that output does not do it again for inputs that did not
//! change.
//!
//! A build after one edit otherwise renders every article's markdown again
//! and splits every search document into terms again (together about a
//! third of its CPU). `trellis build` keeps each article's rendered body
//! ([`rendered`]) and each search document's counted terms
//! ([`search_terms`]) in `.public.trellis-cache` beside `public/`, each
//! under a key that is a hash of everything that work reads, which
//! Trellis it is included. The next build finds an unchanged article's
//! body and an unchanged document's terms by their keys instead of doing
//! the work. Nothing is trusted by time or name: a different input is a
//! different key, and an entry whose bytes do not hash to the checksum
//! stored with them is not used.
//!
//! The file is a header, then entries one after another, each its key,
//! length, checksum and bytes. A build reads the entries' heads when it
//! starts (not their bytes, which it reads one by one when asked), appends
//! the entries it makes, and, when the file has grown to more than twice
//! what the build used, writes the used ones to a new file that replaces
//! it. Deleting the file only makes the next build do all the work; a
//! build that fails leaves entries that are as valid as any other (a first
//! build that fails leaves no file); an entry cut short by a killed build
//! ends the file there, and the next build cuts it off. Builds that do not
//! write a site (`serve`, `check`) use no cache ([`BuildCache::default`]).

pub mod codec;
pub mod rendered;
pub mod search_terms;

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use xxhash_rust::xxh3::xxh3_64;

/// The file's first bytes: what it is and its format. A file that does
/// not start with them is not read, and not replaced.
const MAGIC: &[u8; 16] = b"trellis-cache-01";

/// An entry's head: key (16 bytes), length (4), checksum (8).
const HEAD: usize = 28;

/// Entries' places in the file (their heads' offsets and their bytes'
/// lengths), by key.
type Places = HashMap<u128, (u64, u32)>;

/// Kept work, by key; the default keeps nothing.
#[derive(Clone, Default)]
pub struct BuildCache {
    store: Option<Arc<Store>>,
    /// Why the file beside the output could not be used, when it could not.
    off_because: Option<Arc<str>>,
}

impl std::fmt::Debug for BuildCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.store {
            Some(store) => write!(f, "BuildCache({})", store.path.display()),
            None => write!(f, "BuildCache(off)"),
        }
    }
}

struct Store {
    path: PathBuf,
    /// The file as it was when the build started, read by offset; none
    /// when there was none.
    file: Option<File>,
    /// Each entry's offset and length in `file`, by key.
    entries: Places,
    /// When there was no file: the one this build writes, which becomes
    /// the cache when the build succeeds and is removed when it does not.
    partial: Option<PathBuf>,
    /// What this build added, and which entries it used.
    log: Mutex<Log>,
}

struct Log {
    /// Appends to the end of the file.
    out: BufWriter<File>,
    /// The end of the file, with what `out` holds.
    end: u64,
    /// The entries used or added, with their offsets.
    used: Places,
    /// An append failed: nothing more is added.
    failed: bool,
    /// How many entries were found, and how many added.
    found: usize,
    added: usize,
}

impl BuildCache {
    /// The cache kept beside the output folder `output`, made empty when
    /// there is none. Off when the file there is not a cache or cannot be
    /// read or written.
    pub fn open(output: &Path) -> BuildCache {
        let path = Self::path(output);
        match Store::open(&path) {
            Ok(store) => BuildCache {
                store: Some(Arc::new(store)),
                off_because: None,
            },
            Err(e) => BuildCache {
                store: None,
                off_because: Some(Arc::from(why_off(&path, &e))),
            },
        }
    }

    /// Why [`BuildCache::open`] found the cache unusable, so every build
    /// into that output renders every article: said by `--timings`.
    pub fn off_because(&self) -> Option<&str> {
        self.off_because.as_deref()
    }

    /// Where the cache of the output folder `output` is kept.
    pub fn path(output: &Path) -> PathBuf {
        crate::output::beside(output, "cache")
    }

    /// The bytes kept under `key`, if any (and intact).
    pub fn get(&self, key: u128) -> Option<Vec<u8>> {
        let store = self.store.as_ref()?;
        let &(at, len) = store.entries.get(&key)?;
        let mut entry = vec![0; HEAD + len as usize];
        read_at(store.file.as_ref()?, &mut entry, at).ok()?;
        let (head, bytes) = entry.split_at(HEAD);
        if head_of(key, bytes) != head {
            return None;
        }
        let mut log = store.log();
        log.used.insert(key, (at, len));
        log.found += 1;
        drop(log);
        entry.drain(..HEAD);
        Some(entry)
    }

    /// Keeps `bytes` under `key`.
    pub fn put(&self, key: u128, bytes: &[u8]) {
        let Some(store) = &self.store else { return };
        let Ok(len) = u32::try_from(bytes.len()) else {
            return;
        };
        let mut log = store.log();
        if log.failed || log.used.contains_key(&key) {
            return;
        }
        let at = log.end;
        let written = log
            .out
            .write_all(&head_of(key, bytes))
            .and_then(|()| log.out.write_all(bytes));
        match written {
            Ok(()) => {
                log.end += (HEAD + bytes.len()) as u64;
                log.used.insert(key, (at, len));
                log.added += 1;
            }
            Err(_) => log.failed = true,
        }
    }

    /// Ends a build that failed: a first cache, begun by it, is removed
    /// (the site's values that hold the cache are not dropped, so that is
    /// not left to them). An existing cache keeps what was added.
    pub fn abandon(&self) {
        if let Some(partial) = self.store.as_ref().and_then(|store| store.partial.as_ref()) {
            let _ = fs::remove_file(partial);
            crate::output::partial_file_ended(partial);
        }
    }

    /// How many entries [`BuildCache::get`] has found intact.
    pub fn found(&self) -> usize {
        self.store.as_ref().map_or(0, |store| store.log().found)
    }

    /// How many entries [`BuildCache::put`] has added.
    pub fn added(&self) -> usize {
        self.store.as_ref().map_or(0, |store| store.log().added)
    }

    /// Whether it keeps anything: off, the work is done as if it were not there.
    pub fn is_on(&self) -> bool {
        self.store.is_some()
    }

    /// Ends a build that succeeded: what it added is written out (a first
    /// cache becomes the cache), and the file rewritten with only the
    /// entries this build used when most of it is entries no longer used.
    pub fn finish(&self) {
        let Some(store) = &self.store else { return };
        let mut log = store.log();
        let flushed = !log.failed && log.out.flush().is_ok();
        if let Some(partial) = &store.partial {
            if !flushed || fs::rename(partial, &store.path).is_err() {
                let _ = fs::remove_file(partial);
            }
            crate::output::partial_file_ended(partial);
            return;
        }
        if !flushed {
            return;
        }
        let used: u64 = log
            .used
            .values()
            .map(|&(_, len)| HEAD as u64 + u64::from(len))
            .sum();
        if log.end > 2 * used + (1 << 20) {
            let _ = store.compact(&log.used);
        }
    }
}

/// What `--timings` says of a cache file that could not be used.
fn why_off(path: &Path, e: &io::Error) -> String {
    if e.kind() == io::ErrorKind::InvalidData {
        format!(
            "{} is not a Trellis build cache, so it is left alone; move it \
             elsewhere to let builds keep their work there",
            path.display()
        )
    } else if e.kind() == io::ErrorKind::NotFound {
        format!(
            "{} cannot be made before the folder that holds the output \
             exists; the next build into it keeps its work",
            path.display()
        )
    } else {
        format!("cannot use {}: {e}", path.display())
    }
}

impl Store {
    fn open(path: &Path) -> io::Result<Store> {
        let mut file = match File::options().read(true).write(true).open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Store::new(path),
            Err(e) => return Err(e),
        };
        let mut magic = [0; MAGIC.len()];
        if read_up_to(&mut file, &mut magic)? < MAGIC.len() || magic != *MAGIC {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "not a Trellis cache",
            ));
        }
        let (entries, end) = heads(&file)?;
        // An entry cut short (a killed build) ends the file; what follows
        // is appended after the last whole one.
        file.set_len(end)?;
        let out = OpenOptions::new().append(true).open(path)?;
        Ok(Store {
            path: path.to_path_buf(),
            file: Some(file),
            entries,
            partial: None,
            log: Mutex::new(Log::new(out, end)),
        })
    }

    /// A cache where there is none yet: written beside, renamed at the end.
    fn new(path: &Path) -> io::Result<Store> {
        let partial = crate::output::partial_path(path);
        crate::output::partial_file_begun(&partial);
        let mut out = File::create(&partial)?;
        out.write_all(MAGIC)?;
        Ok(Store {
            path: path.to_path_buf(),
            file: None,
            entries: HashMap::new(),
            partial: Some(partial),
            log: Mutex::new(Log::new(out, MAGIC.len() as u64)),
        })
    }

    fn log(&self) -> std::sync::MutexGuard<'_, Log> {
        self.log.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes the entries `used` to a new file that replaces this one.
    fn compact(&self, used: &Places) -> io::Result<()> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        let partial = crate::output::partial_path(&self.path);
        crate::output::partial_file_begun(&partial);
        // Not synced: after a crash, entries whose bytes did not reach the
        // disk fail their checksums, and are made again.
        let written = (|| {
            let mut out = BufWriter::with_capacity(1 << 20, File::create(&partial)?);
            out.write_all(MAGIC)?;
            let mut places: Vec<(u64, u32)> = used.values().copied().collect();
            places.sort_unstable();
            let mut entry = Vec::new();
            for (at, len) in places {
                entry.resize(HEAD + len as usize, 0);
                read_at(file, &mut entry, at)?;
                out.write_all(&entry)?;
            }
            out.flush()
        })();
        let replaced = written
            .and_then(|()| fs::rename(&partial, &self.path))
            .inspect_err(|_| {
                let _ = fs::remove_file(&partial);
            });
        crate::output::partial_file_ended(&partial);
        replaced
    }
}

impl Log {
    fn new(file: File, end: u64) -> Log {
        Log {
            out: BufWriter::with_capacity(1 << 20, file),
            end,
            used: HashMap::new(),
            failed: false,
            found: 0,
            added: 0,
        }
    }
}

impl Drop for Store {
    /// A cache begun by a build that did not succeed goes with it.
    fn drop(&mut self) {
        if let Some(partial) = &self.partial {
            let _ = fs::remove_file(partial);
            crate::output::partial_file_ended(partial);
        }
    }
}

/// An entry's head for `key` and `bytes`.
fn head_of(key: u128, bytes: &[u8]) -> [u8; HEAD] {
    let mut head = [0; HEAD];
    head[..16].copy_from_slice(&key.to_le_bytes());
    head[16..20].copy_from_slice(&(bytes.len() as u32).to_le_bytes());
    head[20..].copy_from_slice(&xxh3_64(bytes).to_le_bytes());
    head
}

/// Every whole entry's place (its head's offset and its length), by key,
/// the later of two with one key, and where the last whole one ends.
fn heads(file: &File) -> io::Result<(Places, u64)> {
    let size = file.metadata()?.len();
    let mut entries = HashMap::new();
    let mut at = MAGIC.len() as u64;
    let mut head = [0; HEAD];
    while at + HEAD as u64 <= size {
        read_at(file, &mut head, at)?;
        let key = u128::from_le_bytes(head[..16].try_into().unwrap_or_default());
        let len = u32::from_le_bytes(head[16..20].try_into().unwrap_or_default());
        let next = at + HEAD as u64 + u64::from(len);
        if next > size {
            break;
        }
        entries.insert(key, (at, len));
        at = next;
    }
    Ok((entries, at.min(size)))
}

/// Fills `buf` from the file's bytes at offset `at`.
#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

/// Fills `buf` from the file's bytes at offset `at`.
#[cfg(windows)]
fn read_at(file: &File, mut buf: &mut [u8], mut at: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, at)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                at += n as u64;
            }
        }
    }
    Ok(())
}

/// Reads into `buf` until it is full or the file ends; how much was read.
fn read_up_to(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut read = 0;
    while read < buf.len() {
        match file.read(&mut buf[read..])? {
            0 => break,
            n => read += n,
        }
    }
    Ok(read)
}

#[cfg(test)]
mod tests;
