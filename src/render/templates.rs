//! The Tera environment: the theme's templates, with the handbook's own
//! `templates/` replacing any of the same name, and template errors turned
//! into diagnostics that name the template file and line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::fallen_words;
use crate::diagnostic::{Code, Diagnostic};
use crate::text_file;
use crate::theme::Theme;
use crate::theme_strings::{Lookup, Strings};
use tera::{ErrorKind, Kwargs, State, Tera, TeraResult, Value};

/// A loaded template set and where each template came from.
pub struct Templates {
    /// The Tera environment.
    pub tera: Tera,
    files: BTreeMap<String, PathBuf>,
    /// The theme's words, for the scripts' own file.
    strings: Strings,
    language: String,
}

impl Templates {
    /// Loads the theme's templates, then the handbook's `templates/` over them,
    /// with the theme's words in the pages' language as `t`
    /// ([`crate::theme_strings`]) and the `link` function.
    pub fn load(lookup: &Lookup<'_>) -> Result<Templates, Vec<Diagnostic>> {
        let (root, theme) = (lookup.root, lookup.theme);
        let read_error = |e: std::io::Error, path: &Path| {
            vec![Code::ReadFailed.error(path, 0, 0, format!("cannot read the templates: {e}"))]
        };
        let mut files: BTreeMap<String, (PathBuf, Vec<u8>)> = BTreeMap::new();
        for f in theme.files("templates").map_err(|e| read_error(e, root))? {
            files.insert(f.rel, (f.shown_as, f.bytes));
        }
        let own = Theme::folder(root);
        for f in own.files("templates").map_err(|e| read_error(e, root))? {
            files.insert(f.rel, (f.shown_as, f.bytes));
        }
        let mut sources = Vec::with_capacity(files.len());
        let mut errors = Vec::new();
        let mut paths = BTreeMap::new();
        for (name, (path, bytes)) in files {
            match text_file::decode(bytes, &path, text_file::SAVE_AS_UTF8) {
                Ok(text) => sources.push((name.clone(), text)),
                Err(d) => errors.push(d),
            }
            paths.insert(name, path);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let strings = Strings::load(lookup).map_err(|d| vec![d])?;
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".htm", ".xml"]);
        tera.set_escape_fn(crate::escape::html_to_writer);
        tera.global_context().insert("t", &marked_words(&strings));
        tera.register_function("link", link);
        let mut templates = Templates {
            tera,
            files: paths,
            strings,
            language: lookup.language.to_string(),
        };
        if let Err(e) = templates.tera.add_raw_templates(sources) {
            return Err(vec![templates.diagnostic(&e)]);
        }
        Ok(templates)
    }

    /// The templates for `hb`'s pages, with the words of their language.
    pub fn for_handbook(
        theme: &Theme,
        hb: &crate::content::Handbook,
    ) -> Result<Templates, Vec<Diagnostic>> {
        Templates::load(&Lookup::for_handbook(theme, hb))
    }

    /// `static/strings.<lang>.js`: the theme's words for its scripts, as
    /// `window.trellisStrings` (the pages load it before the scripts that
    /// use it, through `trellisText` in `theme.js`).
    pub fn strings_script(&self) -> (PathBuf, Vec<u8>) {
        let json = serde_json::to_string(&self.strings.map).unwrap_or_else(|_| "{}".into());
        let path = PathBuf::from(format!("static/strings.{}.js", self.language));
        (
            path,
            format!("window.trellisStrings = {json};\n").into_bytes(),
        )
    }

    /// Whether a template of that name exists.
    pub fn has(&self, name: &str) -> bool {
        self.files.contains_key(name)
    }

    /// Renders `name` with `context`, or a diagnostic pointing into the
    /// template; the words that fell back to another language marked with
    /// it where they are text ([`fallen_words`]).
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, Diagnostic> {
        let html = self
            .tera
            .render(name, context)
            .map_err(|e| self.diagnostic(&e))?;
        if self.strings.fallen.is_empty() || !fallen_words::has_marks(&html) {
            return Ok(html);
        }
        Ok(fallen_words::resolve(&html, &self.language))
    }

    /// A Tera error as a diagnostic at the template's file and line.
    pub fn diagnostic(&self, err: &tera::Error) -> Diagnostic {
        let (file, line, col, message) = match err.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let span = report.span();
                (
                    report.filename().to_string(),
                    span.start_line,
                    span.start_col + 1,
                    report.message().to_string(),
                )
            }
            ErrorKind::TemplateNotFound(name) => {
                (name.clone(), 0, 0, format!("template `{name}` not found"))
            }
            ErrorKind::MissingParent { current, parent } => (
                current.clone(),
                1,
                1,
                format!("extends `{parent}`, which is not a template of this theme"),
            ),
            _ => located_in_report(&err.to_string()),
        };
        let path =
            self.files.get(&file).cloned().unwrap_or_else(|| {
                PathBuf::from(if file.is_empty() { "templates" } else { &file })
            });
        let mut message = message;
        let mut source = std::error::Error::source(err);
        while let Some(s) = source {
            message.push_str(": ");
            message.push_str(&s.to_string());
            source = s.source();
        }
        Code::TemplateError
            .error(path, line, col, format!("template error: {message}"))
            .with_help("fix the template; see docs/themes.md for the variables each page gets")
    }
}

/// The words as templates get them (`t`): each that fell back to another
/// language marked with it ([`fallen_words::mark`]), the others as they are.
fn marked_words(strings: &Strings) -> BTreeMap<String, String> {
    let mut words = strings.map.clone();
    for (key, lang) in &strings.fallen {
        if let Some(word) = words.get_mut(key) {
            *word = fallen_words::mark(word, lang);
        }
    }
    words
}

/// `link(href=…, text=…)`: an escaped `<a>` for a theme string's `{link}`,
/// so that a sentence with a link in it is one string to translate
/// (`{{ t.footer_help | replace(from="{link}", to=link(href=urls.help, text=t.footer_help_link)) }}`).
fn link(kwargs: Kwargs, _: &State) -> TeraResult<Value> {
    let href = kwargs.must_get::<&str>("href")?;
    let text = kwargs.must_get::<&str>("text")?;
    // The language of the page it leads to, when not the page's own.
    let hreflang = kwargs
        .get::<&str>("hreflang")?
        .filter(|l| !l.is_empty())
        .map(|l| format!(" hreflang=\"{}\"", crate::escape::html(l)))
        .unwrap_or_default();
    Ok(Value::safe_string(&format!(
        "<a href=\"{}\"{hreflang}>{}</a>",
        crate::escape::html(href),
        crate::escape::html(text)
    )))
}

/// Some Tera errors carry their place only in the report text
/// (`--> search.html:5:10`); take file, line and column from there.
fn located_in_report(report: &str) -> (String, usize, usize, String) {
    let message = report
        .lines()
        .next()
        .unwrap_or(report)
        .trim_start_matches("error: ")
        .to_string();
    let place = report
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))
        .and_then(|p| {
            let mut parts = p.rsplitn(3, ':');
            let col = parts.next()?.trim().parse::<usize>().ok()?;
            let line = parts.next()?.trim().parse::<usize>().ok()?;
            Some((parts.next()?.to_string(), line, col))
        });
    match place {
        Some((file, line, col)) => (file, line, col, message),
        None => (String::new(), 0, 0, message),
    }
}
