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
//! next build run in full.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use super::build::BuildReport;
use crate::config::{CONFIG_FILE, SOURCE_FOLDERS};
use crate::output::manifest::Manifest;
use crate::parallel::{waiting_on_disk, PAR_LEAF};
use crate::site::LoadOptions;

/// The record's format; a record of another is not read.
const FORMAT: u32 = 1;

/// A digest of everything a build of a handbook reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inputs(u128);

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
        let hashes: Vec<Option<u128>> = waiting_on_disk(|| {
            files
                .par_iter()
                .with_max_len(PAR_LEAF)
                .map(|file| fs::read(file).ok().map(|b| xxhash_rust::xxh3::xxh3_128(&b)))
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
        for (file, hash) in files.iter().zip(hashes) {
            let rel = file.strip_prefix(&root).unwrap_or(file);
            digest.update(rel.as_os_str().as_encoded_bytes());
            digest.update(&[0]);
            digest.update(&hash?.to_le_bytes());
        }
        Some(Inputs(digest.digest128()))
    }
}

/// The running Trellis executable, which holds the bundled themes and
/// every rule of rendering: its version, length and time, so a new build
/// of Trellis is a new input. (Its bytes are not read: a debug build is
/// hundreds of megabytes.)
fn executable() -> Option<u128> {
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
        Some(xxhash_rust::xxh3::xxh3_128(id.as_bytes()))
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
        let manifest = Manifest::path(target);
        let name = manifest.file_name().unwrap_or_default().to_string_lossy();
        manifest.with_file_name(name.replace(".trellis-manifest", ".trellis-build"))
    }
}

/// The last build's record, when the output `target` holds what a build
/// of `inputs` makes: the same inputs, and every file the manifest records
/// still as written, with no other.
pub fn last_build(target: &Path, inputs: Inputs) -> Option<Record> {
    let text = fs::read_to_string(Record::path(target)).ok()?;
    let record: Record = serde_json::from_str(&text).ok()?;
    if record.format != FORMAT || record.inputs != hex(inputs.0) {
        return None;
    }
    let manifest_text = fs::read(Manifest::path(target)).ok()?;
    if record.manifest != hex(xxhash_rust::xxh3::xxh3_128(&manifest_text)) {
        return None;
    }
    Manifest::read(target)?.describes(target).then_some(record)
}

/// Keeps the record of a build of `inputs` that wrote `report` into
/// `target`. A record that cannot be written is only a slower next build.
pub fn remember(target: &Path, inputs: Inputs, report: &BuildReport) {
    // Any old record goes first: it must not outlive the output it described.
    let path = Record::path(target);
    let _ = fs::remove_file(&path);
    let Ok(manifest) = fs::read(Manifest::path(target)) else {
        return;
    };
    let record = Record {
        format: FORMAT,
        inputs: hex(inputs.0),
        manifest: hex(xxhash_rust::xxh3::xxh3_128(&manifest)),
        files: report.files,
        printed: report.warnings.0.iter().map(ToString::to_string).collect(),
        warnings: report.warnings.warnings().count(),
    };
    let Ok(json) = serde_json::to_string(&record) else {
        return;
    };
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let partial = path.with_file_name(format!("{name}.partial-{}", std::process::id()));
    if fs::write(&partial, json).is_err() || fs::rename(&partial, &path).is_err() {
        let _ = fs::remove_file(&partial);
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
        }
    }

    #[test]
    fn the_inputs_change_with_any_file_read_and_with_drafts() {
        let root = handbook("inputs");
        let first = Inputs::of(&options(&root)).unwrap();
        assert_eq!(Inputs::of(&options(&root)), Some(first), "the same files");

        let drafts = LoadOptions {
            drafts: true,
            ..options(&root)
        };
        assert_ne!(Inputs::of(&drafts), Some(first));

        // Same length, other bytes: content, not sizes or times.
        fs::write(
            root.join("content/part/a.md"),
            "---\ntitle: B\n---\nText.\n",
        )
        .unwrap();
        let edited = Inputs::of(&options(&root)).unwrap();
        assert_ne!(edited, first);

        fs::create_dir_all(root.join("i18n")).unwrap();
        fs::write(root.join("i18n/en.yaml"), "").unwrap();
        let added = Inputs::of(&options(&root)).unwrap();
        assert_ne!(added, edited);

        // A file outside the source folders is not read by a build.
        fs::write(root.join("README.md"), "notes").unwrap();
        assert_eq!(Inputs::of(&options(&root)), Some(added));
        fs::remove_dir_all(&root).unwrap();
    }
}
