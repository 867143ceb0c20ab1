//! Reading a content file as text. A file that is not UTF-8 is reported at
//! the line and column of its first bad byte, with what to do, rather than
//! as a bare I/O error at the top of the file: the markdown files, the
//! glossary, the references, the quizzes, `handbook.yaml`, a theme's
//! `theme.yaml` and its templates all come through here.

use std::path::Path;

use crate::diagnostic::{line_col, Code, Diagnostic};
use crate::read_ahead::ReadAhead;

/// What to do about a file that is not UTF-8 (a YAML file, a template).
pub const SAVE_AS_UTF8: &str =
    "save it as UTF-8 text: most editors offer the encoding when saving (\"Save as\" or \"Encoding\")";

/// Reads `path` as UTF-8 text. `what` names the file when it cannot be read
/// at all ("the glossary"); `help` says what to do when it is not UTF-8.
pub fn read(path: &Path, what: &str, help: &str) -> Result<String, Diagnostic> {
    read_with(&ReadAhead::default(), path, what, help)
}

/// [`read`], taking the file's bytes from `read_ahead` when they are there.
pub fn read_with(
    read_ahead: &ReadAhead,
    path: &Path,
    what: &str,
    help: &str,
) -> Result<String, Diagnostic> {
    let bytes = read_ahead
        .read(path)
        .map_err(|e| Code::ReadFailed.error(path, 0, 0, format!("cannot read {what}: {e}")))?;
    decode(bytes, path, help)
}

/// `bytes`, read from `path`, as text; otherwise an error at the first byte
/// that is not UTF-8, with `help`, which says the file is no text at all
/// when it also holds NUL bytes (an image or a document saved under the
/// wrong name).
pub fn decode(bytes: Vec<u8>, path: &Path, help: &str) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|err| {
        let valid = err.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&err.as_bytes()[..valid]);
        let (line, col) = line_col(&text, valid);
        let message = if err.as_bytes().contains(&0) {
            "this is not a text file (it holds binary data)"
        } else {
            "this file is not valid UTF-8 text"
        };
        Code::NotText
            .error(path, line, col, message)
            .with_help(help)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_bad_byte_is_pointed_at() {
        let path = Path::new("content/glossary.yaml");
        let d = decode(
            b"- term: A\n  definition: caf\xe9\n".to_vec(),
            path,
            SAVE_AS_UTF8,
        )
        .expect_err("Latin-1 is not UTF-8");
        assert_eq!((d.code, d.line, d.column), (Code::NotText, 2, 18));
        assert_eq!(d.message, "this file is not valid UTF-8 text");
        assert_eq!(d.help.as_deref(), Some(SAVE_AS_UTF8));

        let d = decode(b"\x89PNG\r\n\x1a\n\0\0".to_vec(), path, SAVE_AS_UTF8).expect_err("binary");
        assert_eq!((d.code, d.line, d.column), (Code::NotText, 1, 1));
        assert_eq!(d.message, "this is not a text file (it holds binary data)");

        assert_eq!(
            decode("café ✓".into(), path, SAVE_AS_UTF8).unwrap(),
            "café ✓"
        );
    }

    #[test]
    fn a_missing_file_is_named() {
        let d = read(Path::new("no/such/file.yaml"), "the glossary", SAVE_AS_UTF8)
            .expect_err("missing");
        assert_eq!(d.code, Code::ReadFailed);
        assert!(
            d.message.starts_with("cannot read the glossary: "),
            "{}",
            d.message
        );
    }
}
