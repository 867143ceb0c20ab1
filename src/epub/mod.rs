//! `trellis export epub`: the handbook as one accessible EPUB 3 book.
//!
//! [`make`] turns a loaded [`Site`] into the bytes of a `.epub` file:
//!
//! | in reading order | document | made by |
//! |---|---|---|
//! | the cover (a generated SVG with the title) | `cover.xhtml`, `cover.svg` | [`cover`] |
//! | title, "not a substitute for care", crisis help | `front.xhtml` | [`content`] |
//! | the table of contents and landmarks | `nav.xhtml` | [`nav`] |
//! | the home page's introduction | `intro.xhtml` | [`content`] |
//! | each part, then its articles (each with its references), each article's quiz after it | `part-<p>.xhtml`, `article-<n>.xhtml`, `quiz-<n>.xhtml` | [`content`], [`quiz`] |
//! | stand-alone quizzes | `quiz-<n>.xhtml` | [`quiz`] |
//! | the glossary | `glossary.xhtml` | [`content`] |
//! | the answer key | `answers.xhtml` | [`quiz`] |
//!
//! with the package document and its accessibility metadata ([`package`]),
//! the stylesheet from the theme ([`style`]), the images ([`media`]) and the
//! zip ([`zip`]). Articles come from the print view's HTML (every link to
//! another page already a `#fragment`, see [`crate::markdown::print_anchor`]),
//! made well-formed XHTML by [`xhtml`] with its links sent to the right
//! document by [`links`]. Quizzes are the worksheets' views
//! ([`crate::render::worksheets`]): choices lettered in the order the quiz
//! page shows them without JavaScript.
//!
//! Every word the book says itself (headings, labels, hints, landmarks, the
//! cover's text alternative, the accessibility summary) is a theme string
//! in the book's language (`Site::words`, which falls back as the pages'
//! words do), put into XHTML by [`words`]. In a translation's book, the
//! text not yet translated is marked with its language, under the pages'
//! notice ([`language`]).
//!
//! The same site gives the same bytes: files in a fixed order, fixed dates,
//! and a modification date taken from the articles' review dates.

pub mod content;
pub mod cover;
pub mod language;
pub mod links;
pub mod media;
pub mod nav;
pub mod package;
pub mod quiz;
pub mod style;
pub mod words;
pub mod xhtml;
pub mod zip;

use crate::config::Config;
use crate::content::Entry;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::markdown::print_anchor;
pub use crate::site::Ebook;
use crate::site::Site;

use links::Anchors;
use xhtml::{esc, Found};

/// The folder of the book's files inside the zip.
pub const CONTENT_DIR: &str = "EPUB";

/// The file name of the book: the slug of the handbook's title and `.epub`
/// (`trust-in-therapy.epub`), what `export epub` writes by default and where
/// `build` puts it in the site.
pub fn file_name(config: &Config) -> String {
    let slug = crate::slug::slugify(&config.title);
    let slug = if slug.is_empty() {
        "handbook".to_string()
    } else {
        slug
    };
    format!("{slug}.epub")
}

/// One XHTML content document.
#[derive(Debug, Clone)]
pub struct Document {
    /// Its file name beside the package document (`article-3.xhtml`).
    pub file: String,
    /// Its `<title>`.
    pub title: String,
    /// `epub:type` of its `<body>` (`frontmatter`, `bodymatter`, `backmatter`).
    pub matter: &'static str,
    /// What goes inside `<body>`, well-formed XHTML.
    pub body: String,
    /// What its converted HTML held (inline SVG, MathML).
    pub found: Found,
}

impl Document {
    /// The whole XHTML file, in the book's language `lang`.
    pub fn xhtml(&self, lang: &str) -> String {
        page(lang, &self.title, self.matter, &self.body)
    }
}

/// An XHTML content document: `body` inside the book's head and stylesheet.
pub fn page(lang: &str, title: &str, matter: &str, body: &str) -> String {
    let lang = esc(lang);
    let matter = if matter.is_empty() {
        String::new()
    } else {
        format!(" epub:type=\"{matter}\"")
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"{lang}\" xml:lang=\"{lang}\">\n<head>\n<meta charset=\"UTF-8\"/>\n<title>{}</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"{}\"/>\n</head>\n<body{matter}>\n{body}\n</body>\n</html>\n",
        esc(title),
        style::FILE
    )
}

/// Where each part of the handbook is in the book: the documents' file
/// names, in one place.
pub struct Plan {
    /// Each quiz's article (index into `Site::quizzes` -> article), to put
    /// the quiz after its article.
    quiz_of_article: Vec<Option<usize>>,
}

impl Plan {
    /// The plan of `site`'s book.
    pub fn new(site: &Site) -> Plan {
        let mut quiz_of_article = vec![None; site.handbook.articles.len()];
        for (q, quiz) in site.quizzes.iter().enumerate() {
            if let Some(slot) = quiz.article.and_then(|a| quiz_of_article.get_mut(a)) {
                *slot = Some(q);
            }
        }
        Plan { quiz_of_article }
    }

    /// Part `p`'s document.
    pub fn part_file(p: usize) -> String {
        format!("part-{p}.xhtml")
    }

    /// Article `a`'s document.
    pub fn article_file(a: usize) -> String {
        format!("article-{}.xhtml", a + 1)
    }

    /// Quiz `q`'s document (`q` indexes `Site::quizzes`).
    pub fn quiz_file(q: usize) -> String {
        format!("quiz-{}.xhtml", q + 1)
    }

    /// The quiz of article `a`, if it has one.
    pub fn quiz_of(&self, a: usize) -> Option<usize> {
        self.quiz_of_article.get(a).copied().flatten()
    }
}

/// The front matter's document.
pub const FRONT_FILE: &str = "front.xhtml";
/// The home page's introduction.
pub const INTRO_FILE: &str = "intro.xhtml";
/// The glossary.
pub const GLOSSARY_FILE: &str = "glossary.xhtml";
/// The answer key.
pub const ANSWERS_FILE: &str = "answers.xhtml";

/// Every id a link from another document may name, with its document: the
/// sections and headings of parts and articles (as the print view names
/// them) and the glossary's terms.
fn anchors(site: &Site, has_intro: bool) -> Anchors {
    let hb = &site.handbook;
    let mut anchors = Anchors::default();
    let home = if has_intro { INTRO_FILE } else { FRONT_FILE };
    let mut page = |url: &str, file: &str, rendered: Option<&crate::markdown::Rendered>| {
        let anchor = print_anchor(url);
        if let Some(r) = rendered {
            for h in &r.headings {
                anchors.add(format!("{anchor}-{}", h.id), file);
            }
        }
        anchors.add(anchor, file);
    };
    page("", home, site.intros.first());
    for p in 1..hb.parts.len() {
        page(&hb.parts[p].url, &Plan::part_file(p), site.intros.get(p));
    }
    for (a, art) in hb.articles.iter().enumerate() {
        page(&art.url, &Plan::article_file(a), site.articles.get(a));
    }
    for t in &site.glossary.terms {
        anchors.add(format!("glossary-{}", t.slug), GLOSSARY_FILE);
    }
    anchors
}

/// The documents of the book in reading order (cover and navigation apart).
fn documents(site: &Site, plan: &Plan, anchors: &Anchors, images: &media::Images) -> Vec<Document> {
    let hb = &site.handbook;
    let books = content::Books {
        site,
        anchors,
        images,
        web: web_base(&hb.config),
    };
    let sheets = crate::render::worksheets::worksheets(site);
    let mut docs = vec![content::front(&books)];
    if let Some(intro) = content::intro(&books) {
        docs.push(intro);
    }
    fn walk(
        books: &content::Books<'_>,
        plan: &Plan,
        sheets: &crate::render::worksheets::WorksheetsPage,
        part: usize,
        docs: &mut Vec<Document>,
    ) {
        let hb = &books.site.handbook;
        for entry in &hb.parts[part].entries {
            match *entry {
                Entry::Part(p) => {
                    docs.push(content::part(books, p));
                    walk(books, plan, sheets, p, docs);
                }
                Entry::Article(a) => {
                    let q = plan.quiz_of(a);
                    docs.push(content::article(books, a, q));
                    if let Some(q) = q {
                        if let Some(sheet) = sheets.quizzes.get(q) {
                            docs.push(quiz::practice(books, q, sheet));
                        }
                    }
                }
            }
        }
    }
    walk(&books, plan, &sheets, 0, &mut docs);
    for (q, quiz) in site.quizzes.iter().enumerate() {
        if quiz.article.is_none() {
            if let Some(sheet) = sheets.quizzes.get(q) {
                docs.push(quiz::practice(&books, q, sheet));
            }
        }
    }
    if !site.glossary.is_empty() {
        docs.push(content::glossary(&books));
    }
    if !sheets.quizzes.is_empty() {
        docs.push(quiz::answer_key(&books, &sheets));
    }
    docs
}

/// `base_url` with one trailing slash when it is a web address, for links
/// to files of the site the book does not hold.
fn web_base(config: &Config) -> Option<String> {
    let base = config.base_url_with_slash();
    (base.starts_with("https://") || base.starts_with("http://")).then_some(base)
}

/// The book of `site` as the bytes of an `.epub` file, or every problem
/// that keeps it from being made (an image without alt text or that cannot
/// be read, at its `file:line:col`).
pub fn make(site: &Site) -> Result<Vec<u8>, Diagnostics> {
    let config = &site.handbook.config;
    let images = media::collect(site).map_err(Diagnostics)?;
    let css = style::stylesheet(site).map_err(|d| Diagnostics(vec![d]))?;
    let plan = Plan::new(site);
    let has_intro = content::has_intro(site);
    let anchors = anchors(site, has_intro);
    let docs = documents(site, &plan, &anchors, &images);
    let lang = config.language.as_str();
    let nav = nav::document(site, &plan, &docs);
    let cover = cover::Cover::new(config, &site.words);
    let package = package::Package {
        config,
        modified: package::modified(site),
        documents: &docs,
        images: &images.files,
        glossary: !site.glossary.is_empty(),
        practice: !site.quizzes.is_empty(),
        words: &site.words,
    };
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (
            "META-INF/container.xml".into(),
            package::CONTAINER.as_bytes().to_vec(),
        ),
        (
            format!("{CONTENT_DIR}/{}", package::FILE),
            package.opf().into_bytes(),
        ),
        (format!("{CONTENT_DIR}/{}", nav::FILE), nav.into_bytes()),
        (
            format!("{CONTENT_DIR}/{}", cover::PAGE),
            cover.page(lang).into_bytes(),
        ),
        (
            format!("{CONTENT_DIR}/{}", cover::IMAGE),
            cover.svg().into_bytes(),
        ),
        (format!("{CONTENT_DIR}/{}", style::FILE), css.into_bytes()),
    ];
    for doc in &docs {
        files.push((
            format!("{CONTENT_DIR}/{}", doc.file),
            doc.xhtml(lang).into_bytes(),
        ));
    }
    for image in &images.files {
        files.push((format!("{CONTENT_DIR}/{}", image.href), image.bytes.clone()));
    }
    zip::write(&files).map_err(|e| {
        Diagnostics(vec![Code::WriteFailed.error(
            crate::config::CONFIG_FILE,
            0,
            0,
            format!("cannot make the e-book: {e}"),
        )])
    })
}

impl Site {
    /// The handbook as an EPUB book, when `handbook.yaml` says `epub: true`
    /// (`build` writes it into the site and the home page links it): made
    /// once, on first use, or the errors that keep it from being made.
    pub fn ebook(&self) -> Option<&Result<Ebook, Diagnostics>> {
        self.handbook
            .config
            .epub
            .then(|| self.ebook.get_or_init(|| Ebook::of(self)))
    }
}

impl Ebook {
    /// The book of `site`, named for the site ([`make`] and [`file_name`]).
    pub fn of(site: &Site) -> Result<Ebook, Diagnostics> {
        Ok(Ebook {
            file_name: file_name(&site.handbook.config),
            bytes: make(site)?,
        })
    }

    /// Its size as the home page shows it: `180 kB`, `1.2 MB`.
    pub fn size(&self) -> String {
        size(self.bytes.len())
    }
}

/// A file size in words: kilobytes rounded up under a megabyte, then
/// megabytes to one decimal.
pub fn size(bytes: usize) -> String {
    if bytes < 1_000_000 {
        format!("{} kB", bytes.div_ceil(1000).max(1))
    } else {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    }
}

/// Writes the book to `path`: to a new file beside it, renamed into place
/// once whole, so an existing book is replaced whole or left as it was, and
/// a failure leaves nothing half-written.
pub fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    use std::io::Write as _;
    let error = |e: std::io::Error| {
        Code::WriteFailed.error(path, 0, 0, format!("cannot write the e-book: {e}"))
            .with_help("check that the folder exists and that you may write there, or choose another with --output")
    };
    if path.is_dir() {
        return Err(error(std::io::Error::other("it is a folder")));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "book.epub".to_string());
    let temp = path.with_file_name(format!(".{name}.trellis-new-{}", std::process::id()));
    let written = std::fs::File::create(&temp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    let renamed = written.and_then(|()| std::fs::rename(&temp, path));
    if let Err(e) = renamed {
        let _ = std::fs::remove_file(&temp);
        return Err(error(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_name_is_the_title_s_slug() {
        let config = Config::parse("title: Trust in Therapy\n", std::path::Path::new("h.yaml"))
            .unwrap_or_else(|d| panic!("{:?}", d));
        assert_eq!(file_name(&config), "trust-in-therapy.epub");
        assert_eq!(size(1), "1 kB");
        assert_eq!(size(180_001), "181 kB");
        assert_eq!(size(1_250_000), "1.2 MB");
    }
}
