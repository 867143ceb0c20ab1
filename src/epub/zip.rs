//! The book as a zip in the form EPUB's Open Container Format asks for:
//! `mimetype` first, stored (not compressed) and without extra fields, so a
//! reader can tell the file type from its first bytes; then every other
//! file deflated. The same files give the same bytes: their order is the
//! caller's, their dates fixed (1 January 1980, the zip format's first day)
//! and their permissions fixed.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// The `mimetype` file's content.
pub const MIMETYPE: &str = "application/epub+zip";

/// The zip of `files` (path in the book, bytes), after `mimetype`.
pub fn write(files: &[(String, Vec<u8>)]) -> std::io::Result<Vec<u8>> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let fixed = SimpleFileOptions::DEFAULT
        .last_modified_time(DateTime::DEFAULT)
        .unix_permissions(0o644);
    zip.start_file(
        "mimetype",
        fixed.compression_method(CompressionMethod::Stored),
    )
    .map_err(std::io::Error::other)?;
    zip.write_all(MIMETYPE.as_bytes())?;
    let deflated = fixed
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(9));
    for (path, bytes) in files {
        zip.start_file(path.as_str(), deflated)
            .map_err(std::io::Error::other)?;
        zip.write_all(bytes)?;
    }
    let cursor = zip.finish().map_err(std::io::Error::other)?;
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mimetype_comes_first_and_stored_and_the_bytes_are_the_same_each_time() {
        let files = vec![("EPUB/a.xhtml".to_string(), b"<html/>".repeat(50))];
        let a = write(&files).unwrap();
        assert_eq!(a, write(&files).unwrap());
        // The local header of the first file: name at 30, content right after it.
        assert_eq!(&a[0..4], b"PK\x03\x04");
        assert_eq!(u16::from_le_bytes([a[8], a[9]]), 0, "stored");
        assert_eq!(u16::from_le_bytes([a[28], a[29]]), 0, "no extra field");
        assert_eq!(&a[30..38], b"mimetype");
        assert_eq!(&a[38..58], MIMETYPE.as_bytes());
        let mut archive = zip::ZipArchive::new(Cursor::new(a)).unwrap();
        let mut file = archive.by_name("EPUB/a.xhtml").unwrap();
        assert_eq!(file.compression(), CompressionMethod::Deflated);
        let mut text = String::new();
        std::io::Read::read_to_string(&mut file, &mut text).unwrap();
        assert_eq!(text.len(), 7 * 50);
    }
}
