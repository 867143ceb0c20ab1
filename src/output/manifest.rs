//! What the last build left in its output, file by file: each file's
//! length, a hash of its bytes and the time it was written. It exists only
//! for speed: with it, a build over its own site tells which files already
//! hold the bytes it makes without reading them back (reading back every
//! page was most of a repeated build's file work).
//!
//! It is kept beside the output (`.public.trellis-manifest` for `public/`)
//! and is safe to delete: without it, or for a file it does not know, the
//! old file is read and compared as before. It vouches for a file only while
//! the file on disk still has the length and modification time recorded when
//! Trellis wrote it, so an output file changed by hand (or a build stopped
//! half-way) is read again rather than trusted.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// One file of the output as Trellis wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Its length in bytes.
    pub len: u64,
    /// [`hash`] of its bytes.
    pub hash: u128,
    /// Its modification time, in nanoseconds since the Unix epoch.
    pub modified: i128,
}

impl Entry {
    /// The entry for `bytes` (hashed as `hash`), written as `meta` says.
    pub fn of(hash: u128, meta: &fs::Metadata) -> Option<Entry> {
        Some(Entry {
            len: meta.len(),
            hash,
            modified: modified(meta)?,
        })
    }

    /// Whether the file `meta` describes is still as written: a file of
    /// the same length and time.
    fn is_as_written(&self, meta: &fs::Metadata) -> bool {
        meta.is_file() && meta.len() == self.len && modified(meta) == Some(self.modified)
    }
}

/// The hash the manifest keeps of a file's bytes (XXH3, 128 bits).
pub fn hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// A file's modification time in nanoseconds since the Unix epoch.
fn modified(meta: &fs::Metadata) -> Option<i128> {
    let time = meta.modified().ok()?;
    let since = time.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(since.as_nanos() as i128)
}

/// What the manifest says of a file the new site has.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The file on disk is the one recorded, with these very bytes.
    Same(Entry),
    /// The file on disk is the one recorded, with other bytes.
    Differs,
    /// The manifest cannot tell: read the file.
    Unknown,
}

/// The files of an output as the last build wrote them.
#[derive(Debug, Default)]
pub struct Manifest {
    entries: HashMap<PathBuf, Entry>,
}

impl Manifest {
    /// Where the manifest of the output `target` is kept.
    pub fn path(target: &Path) -> PathBuf {
        super::beside(target, "manifest")
    }

    /// The manifest of `target`, if there is a readable one.
    pub fn read(target: &Path) -> Option<Manifest> {
        Some(Manifest::parse(
            &fs::read_to_string(Manifest::path(target)).ok()?,
        ))
    }

    /// A manifest from its text (lines it cannot read are skipped).
    pub fn parse(text: &str) -> Manifest {
        Manifest {
            entries: text.lines().filter_map(parse_line).collect(),
        }
    }

    /// What the manifest says of the site file `rel`, at `path` on disk,
    /// whose new bytes are `len` long and hash to `hash`.
    pub fn verdict(&self, path: &Path, rel: &Path, len: u64, hash: u128) -> Verdict {
        let Some(entry) = self.entries.get(rel) else {
            return Verdict::Unknown;
        };
        let as_written = fs::metadata(path).is_ok_and(|meta| entry.is_as_written(&meta));
        match (as_written, entry.len == len && entry.hash == hash) {
            (true, true) => Verdict::Same(*entry),
            (true, false) => Verdict::Differs,
            (false, _) => Verdict::Unknown,
        }
    }

    /// Whether `target` holds exactly the files recorded, each as written
    /// (same length and time), and no other (Trellis's marker aside).
    pub fn describes(&self, target: &Path) -> bool {
        let mut seen = 0;
        for entry in walkdir::WalkDir::new(target).min_depth(1) {
            let Ok(entry) = entry else { return false };
            if entry.file_type().is_dir() {
                continue;
            }
            let rel = entry.path().strip_prefix(target).unwrap_or(entry.path());
            if rel == Path::new(super::MARKER) {
                continue;
            }
            let Some(recorded) = self.entries.get(rel) else {
                return false;
            };
            if !entry
                .metadata()
                .is_ok_and(|meta| recorded.is_as_written(&meta))
            {
                return false;
            }
            seen += 1;
        }
        seen == self.entries.len()
    }

    /// Writes the manifest of `target`'s files, `entries`, replacing the
    /// old one whole (written beside it, then renamed).
    pub fn write(target: &Path, entries: &HashMap<PathBuf, Entry>) -> io::Result<()> {
        let mut lines: Vec<String> = entries
            .iter()
            .filter_map(|(rel, e)| {
                let rel = rel.to_str().filter(|r| !r.contains('\n'))?;
                Some(format!("{:032x} {} {} {rel}\n", e.hash, e.len, e.modified))
            })
            .collect();
        lines.sort_unstable();
        super::replace_file(&Manifest::path(target), lines.concat().as_bytes())
    }
}

/// One line of the manifest: `hash len modified path`.
fn parse_line(line: &str) -> Option<(PathBuf, Entry)> {
    let mut fields = line.splitn(4, ' ');
    let hash = u128::from_str_radix(fields.next()?, 16).ok()?;
    let len = fields.next()?.parse().ok()?;
    let modified = fields.next()?.parse().ok()?;
    let rel = fields.next().filter(|r| !r.is_empty())?;
    Some((
        PathBuf::from(rel),
        Entry {
            len,
            hash,
            modified,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_vouched_for_only_while_it_is_as_written() {
        let dir = std::env::temp_dir().join(format!("trellis-manifest-{}", std::process::id()));
        let site = dir.join("public");
        fs::create_dir_all(site.join("a")).unwrap();
        let page = site.join("a/index.html");
        fs::write(&page, "<p>one</p>").unwrap();
        let rel = Path::new("a/index.html");
        let entry = Entry::of(hash(b"<p>one</p>"), &fs::metadata(&page).unwrap()).unwrap();
        Manifest::write(&site, &HashMap::from([(rel.to_path_buf(), entry)])).unwrap();
        let manifest = Manifest::read(&site).unwrap();

        let same = manifest.verdict(&page, rel, 10, hash(b"<p>one</p>"));
        assert_eq!(same, Verdict::Same(entry));
        let other = manifest.verdict(&page, rel, 10, hash(b"<p>two</p>"));
        assert_eq!(other, Verdict::Differs);
        let unknown = manifest.verdict(&site.join("b"), Path::new("b"), 1, 1);
        assert_eq!(unknown, Verdict::Unknown);

        // Changed by hand (another length, or the same length at another
        // time): the manifest no longer vouches for it.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(&page, "<p>six</p>").unwrap();
        let after = manifest.verdict(&page, rel, 10, hash(b"<p>one</p>"));
        assert_eq!(after, Verdict::Unknown);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn it_describes_an_output_only_while_every_file_is_as_written_and_none_is_added() {
        let dir = std::env::temp_dir().join(format!("trellis-describes-{}", std::process::id()));
        let site = dir.join("public");
        fs::create_dir_all(site.join("a")).unwrap();
        fs::write(site.join(crate::output::MARKER), "marker").unwrap();
        let page = site.join("a/index.html");
        fs::write(&page, "<p>one</p>").unwrap();
        let entry = Entry::of(hash(b"<p>one</p>"), &fs::metadata(&page).unwrap()).unwrap();
        let entries = HashMap::from([(PathBuf::from("a/index.html"), entry)]);
        Manifest::write(&site, &entries).unwrap();
        let manifest = Manifest::read(&site).unwrap();
        assert!(manifest.describes(&site));

        fs::write(site.join("mine.txt"), "added by hand").unwrap();
        assert!(!manifest.describes(&site), "a file the build did not write");
        fs::remove_file(site.join("mine.txt")).unwrap();
        assert!(manifest.describes(&site));

        fs::remove_file(&page).unwrap();
        assert!(!manifest.describes(&site), "a file the build wrote is gone");
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(&page, "<p>one</p>").unwrap();
        assert!(
            !manifest.describes(&site),
            "the same bytes, written at another time"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn lines_it_cannot_read_are_skipped() {
        assert!(parse_line("zz 1 2 a.html").is_none());
        assert!(parse_line("00 1 2 ").is_none());
        let (rel, e) = parse_line("0f 3 17 a b/index.html").unwrap();
        assert_eq!(
            (rel.to_str().unwrap(), e.len, e.hash),
            ("a b/index.html", 3, 15)
        );
    }
}
