//! The Nu Html Checker (vnu.jar), run once over many files: one JVM start.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::gate::VnuTools;

/// One error the checker reported.
#[derive(Debug, Clone)]
pub struct VnuError {
    pub file: PathBuf,
    pub line: u64,
    pub column: u64,
    pub message: String,
    pub extract: String,
}

impl VnuError {
    /// `path:line:column: message`, then the offending markup.
    pub fn show(&self, base: &Path) -> String {
        let file = self.file.strip_prefix(base).unwrap_or(&self.file);
        let extract: String = self
            .extract
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .take(160)
            .collect();
        format!(
            "{}:{}:{}: {}\n        {}",
            file.display(),
            self.line,
            self.column,
            self.message,
            extract
        )
    }
}

/// Check `files` with `--errors-only`; every error (warnings are not asked for).
pub fn check(tools: &VnuTools, files: &[PathBuf]) -> Result<Vec<VnuError>, String> {
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let output = Command::new(&tools.java)
        .arg("-jar")
        .arg(&tools.jar)
        .args(["--errors-only", "--format", "json", "--exit-zero-always"])
        .args(files)
        .output()
        .map_err(|e| {
            format!(
                "running {} -jar {}: {e}",
                tools.java.display(),
                tools.jar.display()
            )
        })?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let report: serde_json::Value = serde_json::from_str(stderr.trim()).map_err(|e| {
        format!(
            "the Nu Html Checker's report is not JSON ({e}); exit status {}; it said:\n{stderr}",
            output.status
        )
    })?;
    let mut errors = Vec::new();
    for message in report["messages"].as_array().into_iter().flatten() {
        let url = message["url"].as_str().unwrap_or("");
        let file = url::Url::parse(url)
            .ok()
            .and_then(|u| u.to_file_path().ok())
            .unwrap_or_else(|| PathBuf::from(url));
        let kind = message["type"].as_str().unwrap_or("");
        let text = message["message"].as_str().unwrap_or("").to_string();
        errors.push(VnuError {
            file,
            line: message["lastLine"].as_u64().unwrap_or(0),
            column: message["firstColumn"]
                .as_u64()
                .or(message["lastColumn"].as_u64())
                .unwrap_or(0),
            message: if kind == "error" {
                text
            } else {
                format!("{kind}: {text}")
            },
            extract: message["extract"].as_str().unwrap_or("").to_string(),
        });
    }
    Ok(errors)
}

/// Every `.html` file under `dir`, sorted.
pub fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}
