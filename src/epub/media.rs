//! The images of the book: found in the articles' and part intros'
//! markdown (`![alt](path)` and raw `<img>`), checked where they are
//! written, and read from disk.
//!
//! An image goes into the book only if it is a file of the handbook's
//! `content/` (an asset copied beside its page) in a format every EPUB
//! reading system shows (PNG, JPEG, GIF, SVG, WebP), and only with a text
//! alternative: a markdown image needs its alt text; a raw `<img>` needs an
//! `alt` attribute (`alt=""` says, on purpose, that it is decorative). Each
//! problem is an error at the image's `file:line:col`, all reported at once,
//! and the book is not written. Images are stored as `images/img-<n>.<ext>`,
//! numbered in the order they are first used.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::diagnostic::{line_col, Code, Diagnostic};
use crate::links::{is_external, Target};
use crate::markdown;
use crate::site::Site;

/// One image file of the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// Its path in the book, relative to the package document (`images/img-1.png`).
    pub href: String,
    /// Its media type (`image/png`).
    pub media_type: &'static str,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// The images of the book, and how the print view's `src` names each.
#[derive(Debug, Default, Clone)]
pub struct Images {
    /// In the order they are first used.
    pub files: Vec<Image>,
    /// The site path of each image (as the print view's `../<path>` names
    /// it, percent-decoded) -> index into `files`.
    by_site_path: HashMap<String, usize>,
}

impl Images {
    /// The book path of the image that the print view's HTML calls `src`.
    pub fn href(&self, src: &str) -> Option<&str> {
        let path = percent_decode(src.split(['#', '?']).next().unwrap_or(""));
        let path = path.strip_prefix("../").unwrap_or(&path);
        self.by_site_path
            .get(path)
            .and_then(|&i| self.files.get(i))
            .map(|f| f.href.as_str())
    }
}

/// The media type of an image file a reading system must show, by extension.
pub fn media_type(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        _ => return None,
    })
}

/// One image as written in markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Written {
    /// Byte offset in the markdown.
    at: usize,
    /// The address as written.
    src: String,
    /// Its text alternative: the alt text, or `None` for raw `<img>` without `alt`.
    alt: Option<String>,
    /// From markdown (`![…](…)`) rather than raw HTML.
    markdown: bool,
}

/// Finds, checks and reads every image of the site's articles and intros.
pub fn collect(site: &Site) -> Result<Images, Vec<Diagnostic>> {
    let hb = &site.handbook;
    let assets: HashMap<String, &PathBuf> = hb
        .assets
        .iter()
        .map(|a| (a.dest.to_string_lossy().replace('\\', "/"), &a.source))
        .collect();
    let mut images = Images::default();
    let mut errors = Vec::new();
    let intros = hb.parts.iter().filter_map(|p| {
        p.index_file
            .as_ref()
            .map(|f| (f, &p.intro, p.intro_line_offset))
    });
    let articles = hb
        .articles
        .iter()
        .map(|a| (&a.source, &a.body, a.body_line_offset));
    // The home intro and part intros come before the articles in the book.
    for (file, body, offset) in intros.chain(articles) {
        for image in scan(body) {
            let (line, col) = line_col(body, image.at);
            let error = |message: String, help: &str| {
                Code::EpubImage
                    .error(file, line + offset, col, message)
                    .with_help(help.to_string())
            };
            if is_external(&image.src) {
                errors.push(error(
                    format!(
                        "the e-book cannot show `{}`: it is on another site",
                        image.src
                    ),
                    "download the image into content/, beside the article, and link it by its path",
                ));
                continue;
            }
            if image.markdown && image.alt.as_deref().is_some_and(|a| a.trim().is_empty()) {
                errors.push(error(
                    format!("image `{}` has no alt text", image.src),
                    "say what the image shows between the brackets: ![a chart of …](path); the e-book promises a text alternative for every image",
                ));
            } else if image.alt.is_none() {
                errors.push(error(
                    format!("image `{}` has no `alt` attribute", image.src),
                    "add alt=\"what it shows\", or alt=\"\" if it is only decoration",
                ));
            }
            let path = match site.links.resolve_later(file, &image.src) {
                Ok((Target::Internal { path, .. }, _)) => path,
                // Already reported by the build (a broken link), or another site.
                _ => continue,
            };
            let Some(&source) = assets.get(&path) else {
                errors.push(error(
                    format!(
                        "the e-book can only hold images kept in content/, not `{}`",
                        image.src
                    ),
                    "move the image into content/, beside the article, and link it by its path",
                ));
                continue;
            };
            if images.by_site_path.contains_key(&path) {
                continue;
            }
            let Some(media_type) = media_type(source) else {
                errors.push(error(
                    format!("the e-book cannot hold `{}`: reading systems show PNG, JPEG, GIF, SVG and WebP images", image.src),
                    "save the image as PNG, JPEG, SVG or WebP",
                ));
                continue;
            };
            match std::fs::read(source) {
                Ok(bytes) => {
                    let ext = source
                        .extension()
                        .map(|e| e.to_string_lossy().to_ascii_lowercase())
                        .unwrap_or_default();
                    let n = images.files.len() + 1;
                    images.by_site_path.insert(path, images.files.len());
                    images.files.push(Image {
                        href: format!("images/img-{n}.{ext}"),
                        media_type,
                        bytes,
                    });
                }
                Err(e) => errors.push(error(
                    format!("cannot read image `{}`: {e}", image.src),
                    "check that the file exists and that you may read it",
                )),
            }
        }
    }
    if errors.is_empty() {
        Ok(images)
    } else {
        Err(errors)
    }
}

/// The images of a markdown text, in order.
fn scan(body: &str) -> Vec<Written> {
    let mut found = Vec::new();
    // The markdown image being read: its start, address and alt text so far.
    let mut image: Option<(usize, String, String)> = None;
    for (event, Range { start, .. }) in
        Parser::new_ext(body, markdown::options()).into_offset_iter()
    {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                image = Some((start, dest_url.to_string(), String::new()));
            }
            Event::End(TagEnd::Image) => {
                if let Some((at, src, alt)) = image.take() {
                    found.push(Written {
                        at,
                        src,
                        alt: Some(alt),
                        markdown: true,
                    });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, alt)) = &mut image {
                    alt.push_str(&t);
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                let base = body
                    .get(start..)
                    .and_then(|b| b.find(&*html))
                    .map_or(start, |i| start + i);
                raw_images(&html, base, &mut found);
            }
            _ => {}
        }
    }
    found
}

/// The `<img>` tags of raw HTML that starts at `base` in the markdown.
fn raw_images(html: &str, base: usize, found: &mut Vec<Written>) {
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower
        .get(from..)
        .and_then(|l| l.find("<img"))
        .map(|i| from + i)
    {
        from = at + 4;
        if lower
            .as_bytes()
            .get(at + 4)
            .is_some_and(|b| !b.is_ascii_whitespace() && *b != b'/' && *b != b'>')
        {
            continue; // `<imgx`
        }
        let tag = &html[at..];
        let end = tag.find('>').map_or(tag.len(), |e| e + 1);
        let tag = &tag[..end];
        let src = attribute(tag, "src")
            .map(|s| crate::epub::xhtml::decode(s.trim()))
            .filter(|s| !s.is_empty());
        let alt = attribute(tag, "alt");
        if let Some(src) = src {
            found.push(Written {
                at: base + at,
                src,
                alt,
                markdown: false,
            });
        }
    }
}

/// The value of attribute `name` in one tag (`Some("")` when it has no value).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut from = 0;
    while let Some(at) = lower
        .get(from..)
        .and_then(|l| l.find(name))
        .map(|i| from + i)
    {
        from = at + name.len();
        let before_ok = at > 0 && bytes[at - 1].is_ascii_whitespace();
        let after = bytes.get(at + name.len()).copied();
        let after_ok = matches!(
            after,
            Some(b'=' | b' ' | b'\t' | b'\n' | b'>' | b'/') | None
        );
        if !before_ok || !after_ok {
            continue;
        }
        let rest = tag[at + name.len()..].trim_start();
        let Some(value) = rest.strip_prefix('=') else {
            return Some(String::new());
        };
        let value = value.trim_start();
        return Some(match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or("").to_string(),
            _ => value
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or("")
                .to_string(),
        });
    }
    None
}

/// `%XX` escapes decoded (invalid ones kept as written).
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' {
            if let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            ) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_markdown_and_raw_images_with_their_alt_text() {
        let body = "Intro.\n\n![A *chart*](fig/a.png)\n\n<p><img src=\"b.svg\"> <img alt='' src='c.png'></p>\n\n![](d.png)\n";
        let found = scan(body);
        let srcs: Vec<&str> = found.iter().map(|w| w.src.as_str()).collect();
        assert_eq!(srcs, ["fig/a.png", "b.svg", "c.png", "d.png"]);
        assert_eq!(found[0].alt.as_deref(), Some("A chart"));
        assert_eq!(found[1].alt, None);
        assert_eq!(found[2].alt.as_deref(), Some(""));
        assert_eq!(found[3].alt.as_deref(), Some(""));
        assert!(body[found[1].at..].starts_with("<img src=\"b.svg\""));
        assert!(body[found[3].at..].starts_with("![](d.png)"));
    }

    #[test]
    fn media_types_are_those_reading_systems_show() {
        assert_eq!(media_type(Path::new("a/B.PNG")), Some("image/png"));
        assert_eq!(media_type(Path::new("x.svg")), Some("image/svg+xml"));
        assert_eq!(media_type(Path::new("x.bmp")), None);
        assert_eq!(percent_decode("a%20b%zz"), "a b%zz");
    }
}
