//! Output safety under signals: a build stopped by SIGTERM or SIGINT
//! at any moment leaves the previous site or the new one, whole, never a mix,
//! and nothing beside it that could trouble the next build; what a build
//! killed outright (SIGKILL) leaves, the next one removes.
//!
//! One generated handbook of 3,000 articles is built once, then rebuilt with
//! a new site title (so every page changes) and signalled at four moments:
//! while loading, as the staging folder appears, in the middle of writing
//! pages, and right after the swap. After each, every page of the output must
//! carry one and the same title.

#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::temp_dir;

const ARTICLES: usize = 3_000;
const PER_PART: usize = 100;

fn handbook(root: &Path) {
    for p in 0..ARTICLES / PER_PART {
        let dir = root.join(format!("content/part-{p:02}"));
        fs::create_dir_all(&dir).unwrap();
        for a in 0..PER_PART {
            fs::write(
                dir.join(format!("a{a:03}.md")),
                format!("---\ntitle: Article {p} {a}\nsummary: Generated.\n---\n## Heading\n\nText {a}.\n"),
            )
            .unwrap();
        }
    }
    set_version(root, 0);
}

/// Gives the site the title `Build vN.`, which every page shows.
fn set_version(root: &Path, n: usize) {
    fs::write(root.join("handbook.yaml"), format!("title: Build v{n}.\n")).unwrap();
}

fn start(root: &Path, out: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_trellis"))
        .args(["build", "--quiet", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// A build that runs to the end and succeeds.
fn build(root: &Path, out: &Path) {
    let run = start(root, out).wait_with_output().unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill -{name}");
}

/// Waits until `cond` holds or the child exits; true if `cond` held.
fn wait_for(child: &mut Child, cond: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if cond() {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_micros(500));
    }
    panic!("the build neither got there nor ended in 120 s");
}

/// The one version every page of `out` shows; panics on a mix or a partial site.
fn site_version(out: &Path) -> usize {
    assert!(
        out.join(".trellis-output").is_file(),
        "no marker in {}",
        out.display()
    );
    let mut versions = std::collections::BTreeSet::new();
    let mut articles = 0;
    for entry in walkdir::WalkDir::new(out) {
        let path = entry.unwrap().into_path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = fs::read_to_string(&path).unwrap();
        let at = html
            .find("Build v")
            .unwrap_or_else(|| panic!("{}", path.display()));
        let n: String = html[at + 7..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        versions.insert(n.parse::<usize>().unwrap());
        if path
            .parent()
            .unwrap()
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("part-")
        {
            articles += 1;
        }
    }
    assert_eq!(
        versions.len(),
        1,
        "a mix of sites in {}: {versions:?}",
        out.display()
    );
    assert_eq!(articles, ARTICLES, "a partial site");
    versions.into_iter().next().unwrap()
}

/// What Trellis left beside the output `out` but its manifest, build
/// record and build cache, which it keeps there on purpose (for the next
/// build).
fn leftovers(out: &Path) -> Vec<PathBuf> {
    let name = out.file_name().unwrap().to_string_lossy().to_string();
    fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let file = p.file_name().unwrap().to_string_lossy();
            file.starts_with(&format!(".{name}.trellis-"))
                && file != format!(".{name}.trellis-manifest")
                && file != format!(".{name}.trellis-build")
                && file != format!(".{name}.trellis-cache")
        })
        .collect()
}

#[test]
fn an_interrupted_build_leaves_the_old_site_or_the_new_one() {
    let root = temp_dir("interrupt");
    let out = temp_dir("interrupt-out");
    handbook(&root);
    build(&root, &out);
    assert_eq!(site_version(&out), 0);

    let mut current = 0;
    let moments = [
        "loading",
        "staging appears",
        "writing pages",
        "after the swap",
    ];
    for (i, moment) in moments.into_iter().enumerate() {
        let next = i + 1;
        set_version(&root, next);
        let mut child = start(&root, &out);
        let staging = out.with_file_name(format!(
            ".{}.trellis-new-{}",
            out.file_name().unwrap().to_string_lossy(),
            child.id()
        ));
        let reached = match moment {
            "loading" => {
                std::thread::sleep(Duration::from_millis(30));
                true
            }
            "staging appears" => wait_for(&mut child, || staging.exists()),
            "writing pages" => wait_for(&mut child, || staging.join("part-15").exists()),
            _ => {
                wait_for(&mut child, || staging.exists())
                    && wait_for(&mut child, || !staging.exists())
            }
        };
        let sig = if i % 2 == 0 { "TERM" } else { "INT" };
        signal(&child, sig);
        let result = child.wait_with_output().unwrap();
        let code = result.status.code();
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        let (interrupted, number) = if sig == "TERM" { (143, 15) } else { (130, 2) };
        // 0: it finished first; 128 + the signal: it cleaned up and stopped;
        // killed by the signal: it came before Trellis's handler was installed.
        assert!(
            code == Some(interrupted) || code == Some(0) || result.status.signal() == Some(number),
            "{moment}: status {:?}: {stderr}",
            result.status
        );
        let version = site_version(&out);
        assert!(
            version == current || version == next,
            "{moment}: version {version}, expected {current} or {next}"
        );
        if code == Some(0) {
            assert_eq!(
                version, next,
                "{moment}: a finished build must show the new site"
            );
        }
        if moment == "after the swap" && reached {
            assert_eq!(version, next, "{moment}: the swap was done");
        }
        assert!(
            leftovers(&out).is_empty(),
            "{moment}: {:?}",
            leftovers(&out)
        );
        println!("SIG{sig} {moment} (reached: {reached}): status {code:?}, site v{version}");
        current = version;
    }

    set_version(&root, 9);
    build(&root, &out);
    assert_eq!(site_version(&out), 9);
    assert!(leftovers(&out).is_empty());
    fs::remove_dir_all(&root).unwrap();
    fs::remove_dir_all(&out).unwrap();
}

/// A build of `root` into `out`, started and waited for until it has
/// written half its pages, and its staging folder.
fn start_half_written(root: &Path, out: &Path) -> (Child, PathBuf) {
    let mut child = start(root, out);
    let staging = out.with_file_name(format!(
        ".{}.trellis-new-{}",
        out.file_name().unwrap().to_string_lossy(),
        child.id()
    ));
    assert!(
        wait_for(&mut child, || staging.join("part-15").exists()),
        "the build ended before it was half written"
    );
    (child, staging)
}

/// A build killed outright (SIGKILL: no handler runs) leaves its staging
/// folder; the next successful build removes it, on Linux, where Trellis can
/// tell that the process that made it is gone.
#[test]
fn what_a_killed_build_leaves_is_removed_by_the_next() {
    let root = temp_dir("killed");
    let out = temp_dir("killed-out");
    handbook(&root);
    build(&root, &out);

    set_version(&root, 1);
    let (mut child, staging) = start_half_written(&root, &out);
    signal(&child, "KILL");
    child.wait().unwrap();
    assert_eq!(site_version(&out), 0, "the old site stays in place");
    assert_eq!(leftovers(&out), vec![staging.clone()]);

    set_version(&root, 2);
    build(&root, &out);
    assert_eq!(site_version(&out), 2);
    if cfg!(target_os = "linux") {
        assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
    }
    fs::remove_dir_all(&root).unwrap();
    fs::remove_dir_all(&out).unwrap();
}

/// A first build into an output, stopped while it writes its pages, leaves
/// no build cache (it keeps one only when it succeeds) and nothing else
/// beside the output.
#[test]
fn an_interrupted_first_build_leaves_no_cache() {
    let root = temp_dir("first");
    let out = temp_dir("first-out");
    handbook(&root);
    let (child, _) = start_half_written(&root, &out);
    signal(&child, "INT");
    let result = child.wait_with_output().unwrap();
    assert_eq!(result.status.code(), Some(130));
    assert!(!out.exists());
    let prefix = format!(".{}.", out.file_name().unwrap().to_string_lossy());
    let beside: Vec<_> = fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(&prefix))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
    fs::remove_dir_all(&root).unwrap();
    let _ = fs::remove_dir_all(&out);
}
