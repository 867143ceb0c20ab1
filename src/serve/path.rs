//! Request paths to files: the one place that decides which file of the site
//! folder a URL names. Anything that could step outside the folder — `..` or
//! `.` segments, encoded slashes or backslashes (`%2f`, `%5c`), NUL bytes,
//! drive prefixes — is refused before the file system is touched, whether
//! written plainly or percent-encoded (`%2e%2e`).

use std::path::PathBuf;

/// Why a request path was refused (the server answers 400 Bad Request).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadPath {
    /// The path does not start with `/`.
    #[error("the path does not start with `/`")]
    NotAbsolute,
    /// A `%` not followed by two hex digits, or bytes that are not UTF-8.
    #[error("the path is not valid percent-encoded UTF-8")]
    Malformed,
    /// A segment that is `.` or `..`, or hides a separator or NUL.
    #[error("the path tries to leave the site folder")]
    Traversal,
}

/// The site-relative file path a request path names (empty for `/`).
///
/// Empty segments (`//`) are skipped; every other segment is percent-decoded
/// and must be an ordinary file name.
pub fn site_path(raw: &str) -> Result<PathBuf, BadPath> {
    let rest = raw.strip_prefix('/').ok_or(BadPath::NotAbsolute)?;
    let mut out = PathBuf::new();
    for segment in rest.split('/') {
        if segment.is_empty() {
            continue;
        }
        let name = decode(segment)?;
        if name == "." || name == ".." || name.contains(['/', '\\', '\0', ':']) {
            return Err(BadPath::Traversal);
        }
        out.push(name);
    }
    Ok(out)
}

/// Percent-decodes one segment as UTF-8.
fn decode(segment: &str) -> Result<String, BadPath> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or(BadPath::Malformed)?;
            let hex = std::str::from_utf8(hex).map_err(|_| BadPath::Malformed)?;
            let byte = u8::from_str_radix(hex, 16).map_err(|_| BadPath::Malformed)?;
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| BadPath::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_paths_map_to_files() {
        assert_eq!(site_path("/"), Ok(PathBuf::new()));
        assert_eq!(
            site_path("/first-part/an-article/"),
            Ok(PathBuf::from("first-part/an-article"))
        );
        assert_eq!(
            site_path("//static///trellis.css"),
            Ok(PathBuf::from("static/trellis.css"))
        );
        assert_eq!(
            site_path("/caf%C3%A9/a%20b.png"),
            Ok(PathBuf::from("café/a b.png"))
        );
        // Double encoding decodes once: a name with a `%` in it, not `..`.
        assert_eq!(site_path("/%252e%252e/x"), Ok(PathBuf::from("%2e%2e/x")));
    }

    #[test]
    fn traversal_is_refused_in_every_spelling() {
        for raw in [
            "/..",
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/./index.html",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/etc/passwd",
            "/.%2e/etc/passwd",
            "/%2e./etc/passwd",
            "/a/..%2f..%2fetc/passwd",
            "/a/..%2F..%2Fetc",
            "/..%5c..%5cwindows",
            "/a%5c..%5c..",
            "/a%00.html",
            "/C:%5cwindows",
        ] {
            assert_eq!(site_path(raw), Err(BadPath::Traversal), "{raw}");
        }
    }

    #[test]
    fn malformed_paths_are_refused() {
        assert_eq!(site_path("index.html"), Err(BadPath::NotAbsolute));
        assert_eq!(site_path("/%zz"), Err(BadPath::Malformed));
        assert_eq!(site_path("/%2"), Err(BadPath::Malformed));
        assert_eq!(site_path("/%ff%fe"), Err(BadPath::Malformed));
    }
}
