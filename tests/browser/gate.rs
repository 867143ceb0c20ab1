//! Whether the browser tests run: the `TRELLIS_BROWSER_TESTS` gate and the
//! tools they need (Chromium, ChromeDriver, axe-core, the Nu Html Checker).
//!
//! - unset (or `auto`): a test whose tools are missing says why and passes.
//! - `required`: a missing tool fails the test, naming it and how to get it.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The repository root (the crate's manifest directory).
pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `target/` (or wherever cargo puts its build output).
pub fn target_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).to_path_buf()
}

/// A scratch directory of this test run under `target/tmp/`, created empty.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("browser")
        .join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create a scratch directory under target/tmp");
    dir
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Auto,
    Required,
}

pub fn mode() -> Mode {
    match std::env::var("TRELLIS_BROWSER_TESTS").as_deref() {
        Err(_) | Ok("") | Ok("auto") => Mode::Auto,
        Ok("required") => Mode::Required,
        Ok(other) => panic!(
            "TRELLIS_BROWSER_TESTS={other:?} is not understood: leave it unset (browser tests \
             skip when their tools are missing) or set it to `required` (a missing tool fails)"
        ),
    }
}

/// Tools a browser test needs.
#[derive(Clone, Debug)]
pub struct BrowserTools {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
    /// `node_modules/axe-core/axe.min.js`, read once.
    pub axe_source: String,
}

/// Tools the HTML validity test needs.
#[derive(Clone, Debug)]
pub struct VnuTools {
    pub java: PathBuf,
    pub jar: PathBuf,
}

const HOW_TO_INSTALL: &str = "`.ci/run` installs them: `apt-get install chromium chromium-driver` \
     and `npm ci --ignore-scripts` at the repository root";

/// The browser tools, or `None` (after saying why) when the test should skip.
pub fn browser_tools(test: &str) -> Option<BrowserTools> {
    let chromium = tool_path("TRELLIS_CHROMIUM", "/usr/bin/chromium");
    let chromedriver = tool_path("TRELLIS_CHROMEDRIVER", "/usr/bin/chromedriver");
    let axe = repo_root().join("node_modules/axe-core/axe.min.js");
    let mut missing = Vec::new();
    if !chromium.is_file() {
        missing.push(format!("Chromium ({})", chromium.display()));
    }
    if !chromedriver.is_file() {
        missing.push(format!("ChromeDriver ({})", chromedriver.display()));
    }
    if !axe.is_file() {
        missing.push(format!("axe-core ({})", axe.display()));
    }
    if !missing.is_empty() {
        return skip_or_fail(test, &missing);
    }
    let axe_source =
        std::fs::read_to_string(&axe).unwrap_or_else(|e| panic!("reading {}: {e}", axe.display()));
    Some(BrowserTools {
        chromium,
        chromedriver,
        axe_source,
    })
}

/// Java and the Nu Html Checker's jar, or `None` (after saying why) to skip.
pub fn vnu_tools(test: &str) -> Option<VnuTools> {
    let jar = repo_root().join("node_modules/vnu-jar/build/dist/vnu.jar");
    let java = std::env::var_os("JAVA_HOME")
        .map(|home| PathBuf::from(home).join("bin/java"))
        .filter(|p| p.is_file())
        .or_else(|| find_in_path("java"));
    let mut missing = Vec::new();
    if java.is_none() {
        missing.push("Java (`java` on PATH; Debian: default-jre-headless)".to_string());
    }
    if !jar.is_file() {
        missing.push(format!("the Nu Html Checker ({})", jar.display()));
    }
    if !missing.is_empty() {
        return skip_or_fail(test, &missing);
    }
    Some(VnuTools {
        java: java.expect("checked above"),
        jar,
    })
}

fn skip_or_fail<T>(test: &str, missing: &[String]) -> Option<T> {
    let what = missing.join(", ");
    match mode() {
        Mode::Required => panic!(
            "TRELLIS_BROWSER_TESTS=required, but {test} cannot run: missing {what}. {HOW_TO_INSTALL}."
        ),
        Mode::Auto => {
            say(&format!(
                "skipping {test}: missing {what}. {HOW_TO_INSTALL}; \
                 TRELLIS_BROWSER_TESTS=required makes this a failure."
            ));
            None
        }
    }
}

/// Print a line that shows even though the test harness captures output
/// (the `eprintln!` macro is captured; a direct write to stderr is not).
pub fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

fn tool_path(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default))
}

fn find_in_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}
