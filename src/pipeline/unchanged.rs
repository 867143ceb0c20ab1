//! Speed only: a build whose inputs and output are exactly as the last
//! build left them does no work, and says what that build said.
//!
//! After a build succeeds, a record is kept beside its output
//! (`.public.trellis-build` for `public/`): a digest of everything the build
//! read, taken before it read it ([`Inputs`]), a hash of the output's
//! manifest ([`crate::output::manifest`]), the number of files and the
//! warnings it printed. The next build into that output computes the
//! digest again; when it is the same and the output still holds exactly
//! the files the manifest records, each with the length and time it was
//! written with, the site on disk is the one this build would make, so it
//! ends there, printing the recorded warnings.
//!
//! The digest is of content, not of times: `handbook.yaml` and every file
//! under the source folders ([`crate::config::SOURCE_FOLDERS`]), each read
//! and hashed with its path; which Trellis it is (its version, and its
//! executable's length and time: the executable holds the bundled theme);
//! the handbook's folder (as given and in full) and `--drafts`. Nothing
//! else goes into a page: pages carry no build time. Any difference (a file
//! added, removed or edited anywhere in those folders, or an output file
//! touched) and the build runs in full. Deleting the record only makes the
//! next build run in full. A build during which a source was saved (its
//! length or time no longer what they were when the digest read it) keeps
//! no record: it may have read that file in another state than the digest
//! did, even if the file is back to the digest's bytes by the end.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use super::build::BuildReport;
use crate::config::{CONFIG_FILE, SOURCE_FOLDERS};
use crate::output::manifest::{hash, Manifest};
use crate::parallel::{waiting_on_disk, PAR_LEAF};
use crate::read_ahead::ReadAhead;
use crate::site::LoadOptions;

/// The record's format; a record of another is not read.
const FORMAT: u32 = 1;

/// A digest of everything a build of a handbook reads, and how each file
/// was (its length and time) when it was read for it.
#[derive(Debug, Clone)]
pub struct Inputs {
    digest: u128,
    seen: Vec<(PathBuf, Seen)>,
    /// The articles' and quizzes' bytes as read for the digest, for the load.
    read_ahead: ReadAhead,
}

/// A file's length and modification time, as read.
type Seen = (u64, Option<std::time::SystemTime>);

impl Inputs {
    /// The digest of the handbook `options` load, now; `None` when a file
    /// or folder cannot be read (the build then reports it, and keeps no
    /// record).
    pub fn of(options: &LoadOptions) -> Option<Inputs> {
        let root = crate::output::absolute(&options.root);
        let mut files = vec![root.join(CONFIG_FILE)];
        for folder in SOURCE_FOLDERS {
            let dir = root.join(folder);
            if !dir.exists() {
                continue;
            }
            for entry in walkdir::WalkDir::new(&dir).follow_links(true) {
                let entry = entry.ok()?;
                if !entry.file_type().is_dir() {
                    files.push(entry.into_path());
                }
            }
        }
        files.sort_unstable();
        let content = root.join("content");
        let read: Vec<Option<Read>> = waiting_on_disk(|| {
            files
                .par_iter()
                .with_max_len(PAR_LEAF)
                .map(|file| {
                    let keep = file.starts_with(&content)
                        && file
                            .file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(ReadAhead::keeps);
                    read_file(file, keep)
                })
                .collect()
        });
        let mut digest = Xxh3::new();
        digest.update(&FORMAT.to_le_bytes());
        digest.update(&executable()?.to_le_bytes());
        // The root as given too: the warnings recorded name files by it.
        digest.update(root.as_os_str().as_encoded_bytes());
        digest.update(&[0]);
        digest.update(options.root.as_os_str().as_encoded_bytes());
        digest.update(&[0, u8::from(options.drafts)]);
        let mut seen = Vec::with_capacity(files.len());
        let mut kept = HashMap::new();
        for (file, read) in files.into_iter().zip(read) {
            let read = read?;
            let rel = file.strip_prefix(&root).unwrap_or(&file);
            digest.update(rel.as_os_str().as_encoded_bytes());
            digest.update(&[0]);
            digest.update(&read.hash.to_le_bytes());
            if let Some(bytes) = read.bytes {
                kept.insert(rel.to_path_buf(), bytes);
            }
            seen.push((file, read.seen));
        }
        Some(Inputs {
            digest: digest.digest128(),
            seen,
            read_ahead: ReadAhead::new(&options.root, kept),
        })
    }

    /// The articles' and quizzes' bytes as the digest read them, for the
    /// load of the same handbook to take rather than read again.
    pub fn read_ahead(&self) -> ReadAhead {
        self.read_ahead.clone()
    }

    /// Whether every file is still as it was when read for the digest: a
    /// file saved while the build ran may have been read by the build in
    /// another state than the digest's, so that build keeps no record.
    fn still_as_read(&self) -> bool {
        self.seen
            .par_iter()
            .with_max_len(PAR_LEAF)
            .all(|(file, as_read)| {
                fs::metadata(file).is_ok_and(|meta| (meta.len(), meta.modified().ok()) == *as_read)
            })
    }
}

/// One file as the digest read it.
struct Read {
    hash: u128,
    /// Its length and time as read (taken from the file opened, so a
    /// change after it was read shows).
    seen: Seen,
    /// Its bytes, when kept for the load.
    bytes: Option<Vec<u8>>,
}

/// The file at `path` read and hashed, its bytes kept when `keep`.
fn read_file(path: &Path, keep: bool) -> Option<Read> {
    use std::io::Read as _;
    let mut file = fs::File::open(path).ok()?;
    let meta = file.metadata().ok()?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.read_to_end(&mut bytes).ok()?;
    Some(Read {
        hash: hash(&bytes),
        seen: (meta.len(), meta.modified().ok()),
        bytes: keep.then_some(bytes),
    })
}

/// The running Trellis executable, which holds the bundled themes and
/// every rule of rendering: its version, length and time, so a new build
/// of Trellis is a new input. (Its bytes are not read: a debug build is
/// hundreds of megabytes.) The build cache keys its entries by it too.
pub(crate) fn executable() -> Option<u128> {
    static ID: OnceLock<Option<u128>> = OnceLock::new();
    *ID.get_or_init(|| {
        let meta = fs::metadata(std::env::current_exe().ok()?).ok()?;
        let since = meta
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        let id = format!(
            "{} {} {}",
            env!("CARGO_PKG_VERSION"),
            meta.len(),
            since.as_nanos()
        );
        Some(hash(id.as_bytes()))
    })
}

/// What a build into an output said, kept beside the output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    format: u32,
    /// The digest of the inputs, as 32 hexadecimal digits.
    inputs: String,
    /// The hash of the output's manifest, as 32 hexadecimal digits.
    manifest: String,
    /// The files the build wrote (or kept).
    pub files: usize,
    /// What it printed of its warnings (and notes), as printed.
    pub printed: Vec<String>,
    /// How many of them are warnings.
    pub warnings: usize,
}

impl Record {
    /// Where the record of the output `target` is kept.
    pub fn path(target: &Path) -> PathBuf {
        crate::output::beside(target, "build")
    }
}

/// The last build's record, when the output `target` holds what a build
/// of `inputs` makes: the same inputs, and every file the manifest records
/// still as written, with no other.
pub fn last_build(target: &Path, inputs: &Inputs) -> Option<Record> {
    let text = fs::read_to_string(Record::path(target)).ok()?;
    let record: Record = serde_json::from_str(&text).ok()?;
    if record.format != FORMAT || record.inputs != hex(inputs.digest) {
        return None;
    }
    let manifest = fs::read_to_string(Manifest::path(target)).ok()?;
    if record.manifest != hex(hash(manifest.as_bytes())) {
        return None;
    }
    Manifest::parse(&manifest)
        .describes(target)
        .then_some(record)
}

/// Keeps the record of a build of `inputs` that wrote `report` into
/// `target`, unless a file changed while the build ran. A record that
/// cannot be written is only a slower next build.
pub fn remember(target: &Path, inputs: &Inputs, report: &BuildReport) {
    // Any old record goes first: it must not outlive the output it described.
    let path = Record::path(target);
    let _ = fs::remove_file(&path);
    if !inputs.still_as_read() {
        return;
    }
    let Ok(manifest) = fs::read(Manifest::path(target)) else {
        return;
    };
    let record = Record {
        format: FORMAT,
        inputs: hex(inputs.digest),
        manifest: hex(hash(&manifest)),
        files: report.files,
        printed: report.warnings.0.iter().map(ToString::to_string).collect(),
        warnings: report.warnings.warnings().count(),
    };
    if let Ok(json) = serde_json::to_string(&record) {
        let _ = crate::output::replace_file(&path, json.as_bytes());
    }
}

fn hex(n: u128) -> String {
    format!("{n:032x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handbook(name: &str) -> PathBuf {
        let root =
            std::env::temp_dir().join(format!("trellis-unchanged-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("content/part")).unwrap();
        fs::write(root.join(CONFIG_FILE), "title: T\n").unwrap();
        fs::write(
            root.join("content/part/a.md"),
            "---\ntitle: A\n---\nText.\n",
        )
        .unwrap();
        root
    }

    fn options(root: &Path) -> LoadOptions {
        LoadOptions {
            root: root.to_path_buf(),
            drafts: false,
            ..Default::default()
        }
    }

    fn digest(options: &LoadOptions) -> u128 {
        Inputs::of(options).unwrap().digest
    }

    #[test]
    fn the_inputs_change_with_any_file_read_and_with_drafts() {
        let root = handbook("inputs");
        let first = digest(&options(&root));
        assert_eq!(digest(&options(&root)), first, "the same files");

        let drafts = LoadOptions {
            drafts: true,
            ..options(&root)
        };
        assert_ne!(digest(&drafts), first);

        // Same length, other bytes: content, not sizes or times.
        fs::write(
            root.join("content/part/a.md"),
            "---\ntitle: B\n---\nText.\n",
        )
        .unwrap();
        let edited = digest(&options(&root));
        assert_ne!(edited, first);

        fs::create_dir_all(root.join("i18n")).unwrap();
        fs::write(root.join("i18n/en.yaml"), "").unwrap();
        let added = digest(&options(&root));
        assert_ne!(added, edited);

        // A file outside the source folders is not read by a build.
        fs::write(root.join("README.md"), "notes").unwrap();
        assert_eq!(digest(&options(&root)), added);
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_file_saved_while_the_build_ran_leaves_no_record() {
        let root = handbook("saved-during");
        let inputs = Inputs::of(&options(&root)).unwrap();
        assert!(inputs.still_as_read());
        // Saved again, even with the bytes the digest read (an edit undone):
        // the build may have read what was between.
        std::thread::sleep(std::time::Duration::from_millis(20));
        let text = fs::read(root.join("content/part/a.md")).unwrap();
        fs::write(root.join("content/part/a.md"), text).unwrap();
        assert_eq!(Inputs::of(&options(&root)).unwrap().digest, inputs.digest);
        assert!(!inputs.still_as_read());

        let out = root.join("public");
        fs::create_dir_all(&out).unwrap();
        Manifest::write(&out, &std::collections::HashMap::new()).unwrap();
        let report = BuildReport {
            files: 0,
            output: out.clone(),
            warnings: crate::diagnostic::Diagnostics::new(),
            timings: Vec::new(),
        };
        remember(&out, &inputs, &report);
        assert!(!Record::path(&out).exists());
        let now = Inputs::of(&options(&root)).unwrap();
        remember(&out, &now, &report);
        assert!(last_build(&out, &now).is_some());
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn the_load_reads_the_articles_and_quizzes_as_the_digest_read_them() {
        let root = handbook("read-ahead");
        let article = "---\ntitle: A\nsummary: S.\n---\nText.\n";
        fs::write(root.join("content/part/a.md"), article).unwrap();
        fs::write(
            root.join("content/part/a.quiz.yaml"),
            "questions:\n  - id: q\n    type: true-false\n    prompt: True?\n    answer: true\n    explanation: It is.\n",
        )
        .unwrap();
        let inputs = Inputs::of(&options(&root)).unwrap();
        // Both saved again after the digest read them, before the load.
        fs::write(
            root.join("content/part/a.md"),
            article.replace("title: A", "title: Later"),
        )
        .unwrap();
        fs::write(root.join("content/part/a.quiz.yaml"), "questions: [").unwrap();
        let options = LoadOptions {
            read_ahead: inputs.read_ahead(),
            ..options(&root)
        };
        let site = crate::site::Site::load(&options).expect("the bytes the digest read");
        assert_eq!(site.handbook.articles[0].meta.title, "A");
        assert_eq!(site.quizzes.len(), 1);
        // Taken once: a second load reads the files as they are now.
        let Err(problems) = crate::site::Site::load(&options) else {
            panic!("the quiz as saved since is broken");
        };
        assert!(problems.0.iter().all(|d| d.file.ends_with("a.quiz.yaml")));
        fs::remove_dir_all(&root).unwrap();
    }
}
