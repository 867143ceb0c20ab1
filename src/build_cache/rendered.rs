//! Articles' rendered bodies in the build cache: an article whose key is
//! found is not rendered again.
//!
//! The key is a hash of the article's markdown, file, first body line,
//! address and whether it is shown untranslated, and of its context:
//! every page's and file's address
//! ([`crate::links::LinkIndex::fingerprint`]), the glossary's terms, the
//! references and their style, the theme's words, how terms are linked,
//! and which Trellis it is. That is all `PageMarkdown::render_text` reads. The entry holds every field of
//! [`Rendered`], its problems included, so a cached article warns as a
//! rendered one does.

use std::path::PathBuf;

use xxhash_rust::xxh3::Xxh3;

use super::codec::{Decoder, Encoder};
use super::BuildCache;
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::links::{AnchorCheck, PendingAnchor};
use crate::markdown::{Heading, PrintSplices, Rendered};
use crate::site::{PageMarkdown, Source};

/// Renders articles through the cache: what it holds is read, what it
/// lacks is rendered and added.
pub(crate) struct CachedRender<'a> {
    markdown: &'a PageMarkdown<'a>,
    /// The cache and the hash of the context every article's key
    /// includes; none when the cache is off or which Trellis this is
    /// cannot be told.
    cache: Option<(&'a BuildCache, u128)>,
}

impl<'a> CachedRender<'a> {
    /// Rendering with `markdown`'s context, through `cache`.
    pub(crate) fn new(cache: &'a BuildCache, markdown: &'a PageMarkdown<'a>) -> CachedRender<'a> {
        CachedRender {
            markdown,
            cache: cache
                .is_on()
                .then(|| context(markdown))
                .flatten()
                .map(|context| (cache, context)),
        }
    }

    /// Article `a`'s body, `markdown` (held apart from the handbook),
    /// rendered for its page.
    pub(crate) fn article(&self, a: usize, markdown: &str) -> Rendered {
        let render = || {
            self.markdown
                .render_text(Source::Article(a), markdown, false)
        };
        let Some((cache, context)) = self.cache else {
            return render();
        };
        let key = self.key(context, a, markdown);
        if let Some(rendered) = cache.get(key).and_then(|bytes| decode(&bytes)) {
            return rendered;
        }
        let rendered = render();
        if let Some(bytes) = encode(&rendered) {
            cache.put(key, &bytes);
        }
        rendered
    }

    fn key(&self, context: u128, a: usize, markdown: &str) -> u128 {
        let hb = self.markdown.hb;
        let article = &hb.articles[a];
        let untranslated = hb
            .localized
            .as_ref()
            .is_some_and(|l| l.untranslated.contains(&a));
        let mut hash = Xxh3::new();
        hash.update(&context.to_le_bytes());
        hash.update(article.source.as_os_str().as_encoded_bytes());
        hash.update(&[0]);
        hash.update(article.url.as_bytes());
        hash.update(&[0, u8::from(untranslated)]);
        hash.update(&(article.body_line_offset as u64).to_le_bytes());
        hash.update(markdown.as_bytes());
        hash.digest128()
    }
}

/// The hash of everything but the article itself that its render reads.
fn context(markdown: &PageMarkdown<'_>) -> Option<u128> {
    let mut hash = Xxh3::new();
    hash.update(b"rendered 1\0");
    hash.update(&crate::pipeline::unchanged::executable()?.to_le_bytes());
    hash.update(&markdown.links.fingerprint().to_le_bytes());
    let bibliography = markdown.bibliography.map(|b| b.fingerprint());
    hash.update(&bibliography.unwrap_or_default().to_le_bytes());
    let rest = format!(
        "{:?}\0{:?}\0{:?}\0{}",
        markdown.hb.config.glossary.autolink,
        markdown.words,
        markdown.glossary.terms,
        markdown.glossary.is_empty(),
    );
    hash.update(rest.as_bytes());
    Some(hash.digest128())
}

/// The entry for `r`; `None` for one that cannot be written (a file name
/// that is not UTF-8).
fn encode(r: &Rendered) -> Option<Vec<u8>> {
    let mut e = Encoder::with_capacity(r.html.len() + r.references_html.len() + 256);
    e.str(&r.html);
    e.usize(r.headings.len());
    for h in &r.headings {
        e.u8(h.level);
        e.str(&h.id);
        e.str(&h.text);
    }
    e.usize(r.terms_used.len());
    for &t in &r.terms_used {
        e.usize(t);
    }
    e.str(&r.references_html);
    e.usize(r.diagnostics.len());
    for d in &r.diagnostics {
        encode_diagnostic(&mut e, d)?;
    }
    e.usize(r.anchors.len());
    for a in &r.anchors {
        e.str(&a.check.page);
        e.str(&a.check.fragment);
        e.str(&a.check.what);
        encode_diagnostic(&mut e, &a.at)?;
    }
    e.usize(r.word_count);
    r.print.encode(&mut e);
    Some(e.into_bytes())
}

/// The [`Rendered`] `bytes` hold; `None` when they are not a whole entry.
fn decode(bytes: &[u8]) -> Option<Rendered> {
    let mut d = Decoder::new(bytes);
    let rendered = Rendered {
        html: d.string()?,
        headings: d.list(|d| {
            Some(Heading {
                level: d.u8()?,
                id: d.string()?,
                text: d.string()?,
            })
        })?,
        terms_used: d.list(Decoder::usize)?,
        references_html: d.string()?,
        diagnostics: d.list(decode_diagnostic)?,
        anchors: d.list(|d| {
            let check = AnchorCheck {
                page: d.string()?,
                fragment: d.string()?,
                what: d.string()?,
            };
            Some(PendingAnchor {
                check,
                at: decode_diagnostic(d)?,
            })
        })?,
        word_count: d.usize()?,
        print: PrintSplices::decode(&mut d)?,
    };
    d.is_done().then_some(rendered)
}

fn encode_diagnostic(e: &mut Encoder, d: &Diagnostic) -> Option<()> {
    e.u8(match d.severity {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Note => 2,
    });
    e.usize(Code::ALL.iter().position(|&c| c == d.code)?);
    e.str(d.file.to_str()?);
    e.usize(d.line);
    e.usize(d.column);
    e.str(&d.message);
    match &d.help {
        Some(help) => {
            e.u8(1);
            e.str(help);
        }
        None => e.u8(0),
    }
    Some(())
}

fn decode_diagnostic(d: &mut Decoder<'_>) -> Option<Diagnostic> {
    let severity = match d.u8()? {
        0 => Severity::Error,
        1 => Severity::Warning,
        2 => Severity::Note,
        _ => return None,
    };
    let code = *Code::ALL.get(d.usize()?)?;
    Some(Diagnostic {
        severity,
        code,
        file: PathBuf::from(d.str()?),
        line: d.usize()?,
        column: d.usize()?,
        message: d.string()?,
        help: match d.u8()? {
            0 => None,
            1 => Some(d.string()?),
            _ => return None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::{LoadOptions, Site};

    #[test]
    fn a_load_through_the_cache_renders_as_one_without_it() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/glossary");
        let dir = std::env::temp_dir().join(format!("trellis-rendered-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("public");
        let load = |cache: BuildCache| {
            let options = LoadOptions {
                root: root.clone(),
                cache: cache.clone(),
                ..Default::default()
            };
            let site = Site::load(&options).unwrap();
            cache.finish();
            (site, cache.found())
        };
        let (plain, _) = load(BuildCache::default());
        let (first, found) = load(BuildCache::open(&out));
        assert_eq!(found, 0);
        let (second, found) = load(BuildCache::open(&out));
        assert_eq!(found, plain.articles.len());
        assert!(found > 0);
        assert_eq!(first.articles, plain.articles);
        assert_eq!(second.articles, plain.articles);
        assert_eq!(second.warnings.0, plain.warnings.0);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_entry_gives_back_every_field() {
        let mut print = PrintSplices::default();
        let mut e = Encoder::default();
        print.encode(&mut e);
        print = PrintSplices::decode(&mut Decoder::new(&e.into_bytes())).unwrap();
        let at = Code::BrokenLink
            .error("content/a/b.md", 3, 7, "links to `c.md#x`")
            .with_help("check the heading");
        let rendered = Rendered {
            html: "<p>Trust <a href=\"../c/\">c</a></p>".to_string(),
            headings: vec![Heading {
                level: 2,
                id: "why".to_string(),
                text: "Why".to_string(),
            }],
            terms_used: vec![3, 1],
            references_html: "<ol><li>Ref</li></ol>".to_string(),
            diagnostics: vec![Code::UnknownTerm.error(
                "content/a/b.md",
                2,
                1,
                "`x` is not a glossary term",
            )],
            anchors: vec![PendingAnchor {
                check: AnchorCheck {
                    page: "c/".to_string(),
                    fragment: "x".to_string(),
                    what: "`c.md`".to_string(),
                },
                at,
            }],
            word_count: 4,
            print,
        };
        let bytes = encode(&rendered).unwrap();
        assert_eq!(decode(&bytes), Some(rendered));
        assert_eq!(decode(&bytes[..bytes.len() - 1]), None);
    }
}
