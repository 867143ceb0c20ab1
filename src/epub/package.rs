//! The package document (`package.opf`): the book's metadata, every file
//! of the book (the manifest) and the reading order (the spine); and the
//! `META-INF/container.xml` that points reading systems at it.
//!
//! The metadata says what is true of every book Trellis makes: the
//! title, language, authors and description from `handbook.yaml`; an
//! identifier derived from the handbook's address and title (the same for
//! every edition, so a reading system knows it for the same book); a
//! modification date from the latest review date of its articles (so the
//! same handbook gives the same bytes); and the accessibility metadata of
//! EPUB Accessibility 1.1: how it can be read (as text; with images, also
//! by sight, and their text alternatives suffice), what helps (contents,
//! landmarks, headings, reading order, text that can be restyled,
//! alternative text), no hazards (nothing flashes, moves or plays), a
//! summary in words (the book's language: the theme's `epub_summary…`
//! strings), and its conformance claim (WCAG 2.2 AA).

use std::fmt::Write as _;

use super::media::Image;
use super::xhtml::esc;
use super::{cover, nav, style, Document, FRONT_FILE};
use crate::config::Config;
use crate::site::Site;
use crate::theme_strings::Words;

/// The package document's file name, beside the content documents.
pub const FILE: &str = "package.opf";

/// `META-INF/container.xml`: where the package document is.
pub const CONTAINER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n  <rootfiles>\n    <rootfile full-path=\"EPUB/package.opf\" media-type=\"application/oebps-package+xml\"/>\n  </rootfiles>\n</container>\n";

/// The conformance claim, in the words EPUB Accessibility 1.1 gives it.
pub const CONFORMS_TO: &str = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA";

/// What the package document lists.
pub struct Package<'a> {
    /// `handbook.yaml`.
    pub config: &'a Config,
    /// `dcterms:modified` (`2026-12-07T00:00:00Z`).
    pub modified: String,
    /// The content documents in reading order, cover and navigation apart.
    pub documents: &'a [Document],
    /// The images.
    pub images: &'a [Image],
    /// The book has a glossary.
    pub glossary: bool,
    /// The book has practice questions (and so an answer key).
    pub practice: bool,
    /// The theme's words in the book's language, for the summary.
    pub words: &'a Words,
}

/// The modification date of `site`'s book: its articles' latest review
/// date, at midnight UTC (1 January 2000 when none has one). A date the
/// handbook holds, so the book's bytes do not change with the day it is made.
pub fn modified(site: &Site) -> String {
    site.handbook
        .articles
        .iter()
        .filter_map(|a| a.meta.reviewed.as_ref())
        .map(|d| d.0)
        .max()
        .map(|d| format!("{}T00:00:00Z", d.format("%Y-%m-%d")))
        .unwrap_or_else(|| "2000-01-01T00:00:00Z".to_string())
}

/// A manifest id for a file name (`article-3.xhtml` -> `article-3`).
fn item_id(file: &str) -> String {
    let stem = file.rsplit('/').next().unwrap_or(file);
    let stem = stem.strip_suffix(".xhtml").unwrap_or(stem);
    let id: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("f-{id}")
}

/// An identifier for the handbook: a UUID from its address and title.
pub fn identifier(config: &Config) -> String {
    let key = format!("{}\n{}", config.base_url_with_slash(), config.title);
    // FNV-1a, 128 bits: stable across versions of Rust and of Trellis.
    let mut hash: u128 = 0x6c62272e07bb014262b821756295c58d;
    for b in key.bytes() {
        hash ^= u128::from(b);
        hash = hash.wrapping_mul(0x0000000001000000000000000000013B);
    }
    // Version 8 (custom), RFC 4122 variant.
    let mut bytes = hash.to_be_bytes();
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

impl Package<'_> {
    /// The accessibility summary: what a reader can rely on, in words.
    pub fn summary(&self) -> String {
        let mut keys = vec!["epub_summary"];
        keys.push(if self.images.is_empty() {
            "epub_summary_no_images"
        } else {
            "epub_summary_images"
        });
        if self.glossary {
            keys.push("epub_summary_glossary");
        }
        if self.practice {
            keys.push("epub_summary_practice");
        }
        keys.push("epub_summary_no_hazards");
        let sentences: Vec<&str> = keys.into_iter().map(|k| self.words.get(k)).collect();
        sentences.join(" ")
    }

    /// The package document.
    pub fn opf(&self) -> String {
        let c = self.config;
        let lang = esc(&c.language);
        let mut m = String::new();
        let _ = writeln!(
            m,
            "    <dc:identifier id=\"book-id\">{}</dc:identifier>",
            identifier(c)
        );
        let _ = writeln!(m, "    <dc:title id=\"title\">{}</dc:title>", esc(&c.title));
        let _ = writeln!(
            m,
            "    <meta refines=\"#title\" property=\"title-type\">main</meta>"
        );
        if let Some(sub) = &c.subtitle {
            let _ = writeln!(m, "    <dc:title id=\"subtitle\">{}</dc:title>", esc(sub));
            let _ = writeln!(
                m,
                "    <meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>"
            );
        }
        let _ = writeln!(m, "    <dc:language>{lang}</dc:language>");
        for (i, author) in c.authors.iter().enumerate() {
            let _ = writeln!(
                m,
                "    <dc:creator id=\"creator-{}\">{}</dc:creator>",
                i + 1,
                esc(author)
            );
        }
        if let Some(d) = &c.description {
            let _ = writeln!(m, "    <dc:description>{}</dc:description>", esc(d));
        }
        let _ = writeln!(
            m,
            "    <meta property=\"dcterms:modified\">{}</meta>",
            esc(&self.modified)
        );
        let images = !self.images.is_empty();
        let mut modes = vec!["textual"];
        if images {
            modes.push("visual");
        }
        for mode in &modes {
            let _ = writeln!(m, "    <meta property=\"schema:accessMode\">{mode}</meta>");
        }
        let _ = writeln!(
            m,
            "    <meta property=\"schema:accessModeSufficient\">textual</meta>"
        );
        if images {
            let _ = writeln!(
                m,
                "    <meta property=\"schema:accessModeSufficient\">textual,visual</meta>"
            );
        }
        let mut features = vec![
            "tableOfContents",
            "structuralNavigation",
            "readingOrder",
            "displayTransformability",
        ];
        if images {
            features.push("alternativeText");
        }
        for feature in features {
            let _ = writeln!(
                m,
                "    <meta property=\"schema:accessibilityFeature\">{feature}</meta>"
            );
        }
        let _ = writeln!(
            m,
            "    <meta property=\"schema:accessibilityHazard\">none</meta>"
        );
        let _ = writeln!(
            m,
            "    <meta property=\"schema:accessibilitySummary\">{}</meta>",
            esc(&self.summary())
        );
        let _ = writeln!(
            m,
            "    <meta property=\"dcterms:conformsTo\">{CONFORMS_TO}</meta>"
        );
        // Who stands behind the claim: those who publish the handbook.
        if !c.authors.is_empty() {
            let _ = writeln!(
                m,
                "    <meta property=\"a11y:certifiedBy\">{}</meta>",
                esc(&c.authors.join(", "))
            );
        }

        let mut manifest = String::new();
        let mut item = |href: &str, media_type: &str, properties: &str| {
            let properties = if properties.is_empty() {
                String::new()
            } else {
                format!(" properties=\"{properties}\"")
            };
            let _ = writeln!(
                manifest,
                "    <item id=\"{}\" href=\"{}\" media-type=\"{media_type}\"{properties}/>",
                item_id(href),
                esc(href)
            );
        };
        const XHTML: &str = "application/xhtml+xml";
        item(cover::PAGE, XHTML, "");
        item(cover::IMAGE, "image/svg+xml", "cover-image");
        item(nav::FILE, XHTML, "nav");
        item(style::FILE, "text/css", "");
        for doc in self.documents {
            let mut properties = Vec::new();
            if doc.found.svg {
                properties.push("svg");
            }
            if doc.found.mathml {
                properties.push("mathml");
            }
            item(&doc.file, XHTML, &properties.join(" "));
        }
        for image in self.images {
            item(&image.href, image.media_type, "");
        }

        let mut spine = String::new();
        let mut itemref = |file: &str| {
            let _ = writeln!(spine, "    <itemref idref=\"{}\"/>", item_id(file));
        };
        itemref(cover::PAGE);
        for doc in self.documents {
            itemref(&doc.file);
            // The contents come right after the front matter.
            if doc.file == FRONT_FILE {
                itemref(nav::FILE);
            }
        }
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"book-id\" xml:lang=\"{lang}\">\n  <metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n{m}  </metadata>\n  <manifest>\n{manifest}  </manifest>\n  <spine>\n{spine}  </spine>\n</package>\n"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_identifier_is_a_stable_uuid() {
        let config = Config::parse(
            "title: T\nbase_url: https://example.org/\n",
            std::path::Path::new("h.yaml"),
        )
        .unwrap_or_else(|d| panic!("{d:?}"));
        let id = identifier(&config);
        assert_eq!(id, identifier(&config));
        assert_eq!(id.len(), "urn:uuid:".len() + 36, "{id}");
        assert_eq!(&id[9 + 14..9 + 15], "8", "{id}");
        assert_eq!(item_id("images/img-1.png"), "f-img-1-png");
        assert_eq!(item_id("article-3.xhtml"), "f-article-3");
    }
}
