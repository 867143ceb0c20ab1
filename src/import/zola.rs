//! Reading a Zola site (the folder holding `config.toml` or `zola.toml`):
//! the title, description, base URL and language from the config;
//! `content/` sections as parts (their `_index.md` as the part's intro,
//! `content/_index.md` as the home page's), pages (and page bundles, a
//! folder with `index.md`) as articles, in the order the section's
//! `sort_by` gives; TOML (`+++`) or YAML front matter turned into ours;
//! `@/` links and old site addresses rewritten to the new files (by
//! [`super::rewrite`]); heading ids kept as Zola's slugifier made them.
//!
//! Shortcodes (`{{ name(…) }}`, `{% name(…) %}…{% end %}`) cannot be carried
//! over: each becomes an HTML comment (a block shortcode's text stays), so
//! the page builds and the author sees where it was, and each is reported.
//! Escaped shortcodes (`{{/* … */}}`) become the text Zola showed. Templates,
//! themes, Sass, `[extra]`, taxonomies and translations go into the report.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::meta::{self, text};
use super::{
    read_text, slug_for, title_from_name, AnchorRule, Book, Failure, LineMap, LinkRules, Node,
    Page, Report, Source,
};
use crate::diagnostic::{line_col, Code, Diagnostics};

/// How Zola turned names into paths (`slugify.paths`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PathRule {
    On,
    Safe,
    Off,
}

fn slugify_path(s: &str, rule: PathRule) -> String {
    match rule {
        PathRule::On => slug::slugify(s),
        PathRule::Safe => s
            .trim_end_matches([' ', '.'])
            .chars()
            .filter(|c| !"<>:\"/\\|?*".contains(*c))
            .collect(),
        PathRule::Off => s.to_string(),
    }
}

/// Reads the Zola site at `src`.
pub(crate) fn read(src: &Source, report: &mut Report) -> Result<Book, Failure> {
    let config_path = ["zola.toml", "config.toml"]
        .iter()
        .map(|n| src.root.join(n))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            Failure::usage(
                format!(
                    "{} has no config.toml or zola.toml: it is not a Zola site",
                    src.shown.display()
                ),
                "give the folder that holds config.toml, or import a plain folder with `trellis import markdown`",
            )
        })?;
    let content = src.root.join("content");
    if !content.is_dir() {
        return Err(Failure::usage(
            format!("{} has no content folder", src.shown.display()),
            "give the Zola site's folder: the one holding config.toml and content/",
        ));
    }
    let shown_config = src.show(&config_path);
    let config_text =
        read_text(src, &config_path).map_err(|d| Failure::Source(Diagnostics(vec![d])))?;
    let config = meta::parse_toml(&config_text, &shown_config, 0)
        .map_err(|d| Failure::Source(Diagnostics(vec![d])))?;
    report_config(&config_text, &config, &shown_config, report);
    for (folder, what) in [
        (
            "templates",
            "the site's HTML templates are not carried over",
        ),
        ("themes", "the site's themes are not carried over"),
        ("sass", "the site's Sass styles are not carried over"),
    ] {
        let dir = src.root.join(folder);
        if dir.is_dir() {
            report.add(
                src.show(&dir),
                0,
                what,
                "Trellis pages use its own themes: see docs/themes.md to change how they look",
            );
        }
    }

    let get = |key: &str| config.get(key).and_then(text);
    let slugify = config.get("slugify").and_then(Value::as_object);
    let rule = |key: &str| {
        slugify
            .and_then(|s| s.get(key))
            .and_then(Value::as_str)
            .unwrap_or("on")
            .to_string()
    };
    let anchors = match rule("anchors").as_str() {
        "safe" | "off" => AnchorRule::ZolaSafe,
        _ => AnchorRule::ZolaOn,
    };
    let paths = match rule("paths").as_str() {
        "safe" => PathRule::Safe,
        "off" => PathRule::Off,
        _ => PathRule::On,
    };
    let languages: Vec<String> = config
        .get("languages")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();

    let mut reader = Reader {
        src,
        paths,
        languages,
        report,
        errors: Diagnostics::new(),
        seen: Default::default(),
        links: LinkRules {
            content_root: Some(content.clone()),
            html_pages: false,
            files_root: content.clone(),
            site_paths: Default::default(),
        },
        statics: Vec::new(),
    };
    let root = reader.section(&content, &[]);
    if !reader.errors.is_empty() {
        return Err(Failure::Source(reader.errors));
    }
    let static_dir = src.root.join("static");
    for entry in walkdir::WalkDir::new(&static_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_file() {
            if let Ok(rel) = entry.path().strip_prefix(&static_dir) {
                reader
                    .statics
                    .push((entry.path().to_path_buf(), rel.to_path_buf()));
            }
        }
    }
    let title = root
        .intro
        .as_ref()
        .and_then(|p| (!p.title.is_empty()).then(|| p.title.clone()))
        .or_else(|| get("title"))
        .unwrap_or_else(|| "Imported site".into());
    let mut home = root.intro;
    if let Some(home) = home.as_mut() {
        home.title = get("title").unwrap_or_else(|| title.clone());
        if home.summary.is_none() {
            home.summary = get("description");
        }
    }
    Ok(Book {
        title: get("title").unwrap_or(title),
        description: get("description"),
        language: get("default_language"),
        authors: get("author").into_iter().collect(),
        base_url: get("base_url").filter(|u| u.starts_with("http")),
        home,
        nodes: root.nodes,
        statics: reader.statics,
        links: reader.links,
        anchors,
        html_addresses: false,
    })
}

/// Reports what in the config Trellis does not carry over, at its line.
fn report_config(text: &str, config: &Map<String, Value>, shown: &str, report: &mut Report) {
    let mut table = String::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        let line_no = i + 1;
        if t.starts_with('[') {
            table = t
                .trim_start_matches('[')
                .trim_end_matches(']')
                .replace(['"', '\'', ' '], "");
            let segments: Vec<&str> = table.split('.').collect();
            match segments.as_slice() {
                ["extra"] => report.add(
                    shown,
                    line_no,
                    "`[extra]` settings (read by the templates) are not carried over",
                    "put what readers need from them into the pages, or into handbook.yaml's `subtitle` and `description`",
                ),
                ["languages", lang] => report.add(
                    shown,
                    line_no,
                    format!("the `{lang}` translation is not carried over"),
                    "import it as a handbook of its own, or add its pages by hand",
                ),
                _ => {}
            }
            continue;
        }
        if !table.is_empty() {
            continue;
        }
        let key = t.split('=').next().unwrap_or("").trim();
        match key {
            "theme" => report.add(
                shown,
                line_no,
                format!(
                    "the theme `{}` is not carried over",
                    config.get("theme").and_then(text_value).unwrap_or_default()
                ),
                "Trellis pages use its own themes: see docs/themes.md to change how they look",
            ),
            "taxonomies" => report.add(
                shown,
                line_no,
                "taxonomy pages (lists of pages by term) are not made",
                "pages keep their `tags:`; link related pages from the text if readers need the lists",
            ),
            _ => {}
        }
    }
}

fn text_value(v: &Value) -> Option<String> {
    text(v)
}

/// A section as read: its intro and entries.
struct Section {
    intro: Option<Page>,
    nodes: Vec<Node>,
    weight: Option<i64>,
}

/// An entry of a section with what orders it.
struct Sortable {
    node: Node,
    name: String,
    weight: Option<i64>,
    date: Option<String>,
    is_section: bool,
}

struct Reader<'a> {
    src: &'a Source,
    paths: PathRule,
    languages: Vec<String>,
    report: &'a mut Report,
    errors: Diagnostics,
    /// Folders read (resolved), so that a link back up is not followed forever.
    seen: std::collections::HashSet<PathBuf>,
    links: LinkRules,
    statics: Vec<(PathBuf, PathBuf)>,
}

impl Reader<'_> {
    /// The section in `dir`, whose path in the site is `components`.
    fn section(&mut self, dir: &Path, components: &[String]) -> Section {
        if !self
            .seen
            .insert(std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf()))
        {
            return Section {
                intro: None,
                nodes: Vec::new(),
                weight: None,
            };
        }
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(rd) => rd.flatten().map(|e| e.path()).collect(),
            Err(e) => {
                self.errors.push(Code::ReadFailed.error(
                    self.src.show(dir),
                    1,
                    1,
                    format!("cannot read this folder: {e}"),
                ));
                return Section {
                    intro: None,
                    nodes: Vec::new(),
                    weight: None,
                };
            }
        };
        entries.sort();
        let url_dir = components.join("/");
        let index = dir.join("_index.md");
        let mut sort_by = "none".to_string();
        let mut weight = None;
        let intro = if index.is_file() {
            self.page(&index, components, true)
                .map(|(page, fields, sort)| {
                    sort_by = sort.unwrap_or_else(|| "none".into());
                    weight = fields.weight;
                    page
                })
        } else {
            None
        };
        let mut items: Vec<Sortable> = Vec::new();
        for path in entries {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            if name.starts_with('.') {
                continue;
            }
            if path.is_dir() {
                let mut sub = components.to_vec();
                sub.push(name.clone());
                if path.join("_index.md").is_file()
                    || (!path.join("index.md").is_file() && has_markdown(&path))
                {
                    let section = self.section(&path, &sub);
                    let intro = section.intro.unwrap_or_else(|| Page {
                        dir: path.clone(),
                        shown: self.src.show(&path),
                        title: title_from_name(&name),
                        slug: slug_for(&name, "part"),
                        old_url: Some(format!("{}/", sub.join("/"))),
                        ..Page::default()
                    });
                    if section.nodes.is_empty() && intro.body.trim().is_empty() {
                        continue;
                    }
                    items.push(Sortable {
                        node: Node::Part(intro, section.nodes),
                        name,
                        weight: section.weight,
                        date: None,
                        is_section: true,
                    });
                } else if path.join("index.md").is_file() {
                    // A page bundle: the folder's name is the page's.
                    if let Some((mut page, fields, _)) =
                        self.page(&path.join("index.md"), components, false)
                    {
                        page.bundle = true;
                        self.bundle_files(&path, page.old_url.as_deref().unwrap_or(""));
                        items.push(Sortable {
                            node: Node::Article(page),
                            name,
                            weight: fields.weight,
                            date: fields.date,
                            is_section: false,
                        });
                    }
                } else {
                    self.bundle_files(&path, &format!("{url_dir}/{name}/"));
                }
                continue;
            }
            let Some(stem) = name.strip_suffix(".md") else {
                if !name.ends_with('~') {
                    let rel = PathBuf::from(&url_dir).join(&name);
                    self.statics.push((path.clone(), rel));
                }
                continue;
            };
            if stem == "_index" || (stem == "index" && !components.is_empty()) {
                continue;
            }
            if let Some((_, lang)) = stem.rsplit_once('.') {
                if self.languages.iter().any(|l| l == lang) {
                    self.report.add(
                        self.src.show(&path),
                        0,
                        format!("the `{lang}` translation of this page is not carried over"),
                        "import it as a handbook of its own, or add it by hand",
                    );
                    continue;
                }
            }
            if let Some((page, fields, _)) = self.page(&path, components, false) {
                items.push(Sortable {
                    node: Node::Article(page),
                    name,
                    weight: fields.weight,
                    date: fields.date,
                    is_section: false,
                });
            }
        }
        let (sections, mut pages): (Vec<Sortable>, Vec<Sortable>) =
            items.into_iter().partition(|s| s.is_section);
        let title_of = |s: &Sortable| match &s.node {
            Node::Article(p) | Node::Part(p, _) => p.title.to_lowercase(),
        };
        let slug_of = |s: &Sortable| match &s.node {
            Node::Article(p) | Node::Part(p, _) => p.slug.clone(),
        };
        match sort_by.as_str() {
            "weight" => pages.sort_by_key(|s| (s.weight.is_none(), s.weight, s.name.clone())),
            "date" | "update_date" => pages.sort_by(|a, b| {
                (b.date.is_some(), &b.date, &a.name).cmp(&(a.date.is_some(), &a.date, &b.name))
            }),
            "title" | "title_bytes" => pages.sort_by_key(|s| (title_of(s), s.name.clone())),
            "slug" => pages.sort_by_key(|s| (slug_of(s), s.name.clone())),
            _ => {}
        }
        let mut sections = sections;
        sections.sort_by_key(|s| (s.weight.unwrap_or(0), s.name.clone()));
        let mut all: Vec<Sortable> = pages;
        all.extend(sections);
        // `weight` becomes `order` where the weights alone give this order.
        let weights: Vec<Option<i64>> = all.iter().map(|s| s.weight).collect();
        let weighted = !weights.is_empty()
            && weights.iter().all(Option::is_some)
            && weights.windows(2).all(|w| w[0] < w[1]);
        let nodes = all
            .into_iter()
            .map(|mut s| {
                if weighted {
                    match &mut s.node {
                        Node::Article(p) | Node::Part(p, _) => p.order = s.weight,
                    }
                }
                s.node
            })
            .collect();
        Section {
            intro,
            nodes,
            weight,
        }
    }

    /// Files in a page bundle (or a folder of files) that no page links to
    /// keep their old addresses, in `static/`.
    fn bundle_files(&mut self, dir: &Path, url: &str) {
        for entry in walkdir::WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            let path = entry.path();
            if !entry.file_type().is_file() || path.extension().is_some_and(|e| e == "md") {
                continue;
            }
            if let Ok(rel) = path.strip_prefix(dir) {
                let dest = PathBuf::from(url.trim_matches('/')).join(rel);
                self.statics.push((path.to_path_buf(), dest));
            }
        }
    }

    /// Reads the page (or section intro, `section`) at `path`, in the
    /// section whose path is `components`; also returns its front matter's
    /// keys and, for a section, its `sort_by`.
    fn page(
        &mut self,
        path: &Path,
        components: &[String],
        section: bool,
    ) -> Option<(Page, meta::Fields, Option<String>)> {
        let shown = self.src.show(path);
        let text = match read_text(self.src, path) {
            Ok(t) => t,
            Err(d) => {
                self.errors.push(d);
                return None;
            }
        };
        let split = match meta::split(&text, &shown) {
            Ok(s) => s,
            Err(d) => {
                self.errors.push(d);
                return None;
            }
        };
        let fields = meta::fields(&split, &shown, section, self.report);
        let sort_by = split.map.get("sort_by").and_then(meta::text);
        let dir = path.parent().unwrap_or(&self.src.root).to_path_buf();
        let body = shortcodes(&split.body, &shown, split.body_offset, self.report);
        let (slug, old_url) = if section {
            let name = components.last().cloned().unwrap_or_default();
            (
                slug_for(&name, "part"),
                format!("{}/", components.join("/")),
            )
        } else {
            let file_name = path
                .file_stem()
                .map(|s| s.to_string_lossy().to_string())
                .unwrap_or_default();
            let name = if file_name == "index" {
                dir.file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default()
            } else {
                file_name
            };
            let (date, rest) = date_prefix(&name);
            let zola_slug = match &fields.slug {
                Some(s) => slugify_path(s, self.paths),
                None => slugify_path(rest.unwrap_or(&name), self.paths),
            };
            let _ = date;
            let old = match &fields.path {
                Some(p) => {
                    let p = p.trim().trim_matches('/');
                    format!("{p}/")
                }
                None if components.is_empty() => format!("{zola_slug}/"),
                None => format!("{}/{zola_slug}/", components.join("/")),
            };
            let slug = if !zola_slug.is_empty() && crate::slug::slugify(&zola_slug) == zola_slug {
                zola_slug
            } else {
                slug_for(&zola_slug, &name)
            };
            (slug, old)
        };
        if !section || !components.is_empty() {
            self.links
                .site_paths
                .insert(old_url.clone(), path.to_path_buf());
        } else {
            self.links
                .site_paths
                .insert(String::new(), path.to_path_buf());
        }
        let title = fields
            .title
            .clone()
            .unwrap_or_else(|| title_from_name(&slug));
        let page = Page {
            source: Some(path.to_path_buf()),
            dir,
            shown,
            title,
            summary: fields.summary.clone(),
            slug,
            order: None,
            draft: fields.draft,
            tags: fields.tags.clone(),
            authors: fields.authors.clone(),
            aliases: fields.aliases.clone(),
            body,
            lines: LineMap::Offset(split.body_offset),
            strip_title: false,
            old_url: (!components.is_empty() || !section).then_some(old_url),
            bundle: false,
        };
        Some((page, fields, sort_by))
    }
}

/// Whether a folder holds markdown somewhere below it.
fn has_markdown(dir: &Path) -> bool {
    walkdir::WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .flatten()
        .any(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
}

/// A name's leading date (`2024-01-31-post` or `2024-01-31_post`) and the
/// rest, as Zola reads it.
fn date_prefix(name: &str) -> (Option<&str>, Option<&str>) {
    let b = name.as_bytes();
    let is_date = b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit);
    if !is_date {
        return (None, None);
    }
    let rest = name[10..].trim_start_matches(' ');
    match rest.strip_prefix(['-', '_']) {
        Some(slug) if !slug.is_empty() => (Some(&name[..10]), Some(slug)),
        _ => (Some(&name[..10]), None),
    }
}

/// A shortcode found in a body.
struct Shortcode {
    range: std::ops::Range<usize>,
    name: String,
    /// A block shortcode's `{% end %}`.
    end: Option<std::ops::Range<usize>>,
    escaped: bool,
}

/// `{{ name(args) }}` or `{% name(args) %}` at `open`; returns its end.
fn call_at(body: &str, open: usize, close: &str) -> Option<(usize, String)> {
    let bytes = body.as_bytes();
    let mut i = open + 2;
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    let name_start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
        i += 1;
    }
    if i == name_start || bytes[name_start].is_ascii_digit() {
        return None;
    }
    let name = body[name_start..i].to_string();
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    if bytes.get(i) != Some(&b'(') {
        return None;
    }
    // Arguments up to the matching `)`, quotes respected.
    let mut quote: Option<u8> = None;
    i += 1;
    loop {
        let &b = bytes.get(i)?;
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' || b == b'`' => quote = Some(b),
            None if b == b')' => break,
            None => {}
        }
        i += 1;
    }
    i += 1;
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    body[i..]
        .starts_with(close)
        .then(|| (i + close.len(), name))
}

/// Every shortcode in `body`, in order.
fn find_shortcodes(body: &str) -> Vec<Shortcode> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(open) = body[at..].find(['{']).map(|i| at + i) {
        let rest = &body[open..];
        let escape = [("{{/*", "*/}}"), ("{%/*", "*/%}")]
            .into_iter()
            .find(|(o, _)| rest.starts_with(o));
        if let Some((_, close)) = escape {
            if let Some(end) = rest.find(close) {
                found.push(Shortcode {
                    range: open..open + end + close.len(),
                    name: String::new(),
                    end: None,
                    escaped: true,
                });
                at = open + end + close.len();
                continue;
            }
        }
        if rest.starts_with("{{") {
            if let Some((end, name)) = call_at(body, open, "}}") {
                found.push(Shortcode {
                    range: open..end,
                    name,
                    end: None,
                    escaped: false,
                });
                at = end;
                continue;
            }
        } else if rest.starts_with("{%") {
            if let Some((end, name)) = call_at(body, open, "%}") {
                let close = find_end(body, end);
                let next = close.as_ref().map_or(end, |r| r.end);
                found.push(Shortcode {
                    range: open..end,
                    name,
                    end: close,
                    escaped: false,
                });
                at = next;
                continue;
            }
        }
        at = open + 1;
    }
    found
}

/// The `{% end %}` closing a block shortcode whose opening ends at `from`.
fn find_end(body: &str, from: usize) -> Option<std::ops::Range<usize>> {
    let mut at = from;
    while let Some(open) = body[at..].find("{%").map(|i| at + i) {
        let inner_start = open + 2;
        let close = body[inner_start..].find("%}")? + inner_start;
        if body[inner_start..close].trim() == "end" {
            return Some(open..close + 2);
        }
        at = close + 2;
    }
    None
}

/// The body with shortcodes turned into HTML comments (a block
/// shortcode's text kept) and escaped ones into the text Zola showed; each
/// shortcode is reported at its line (`offset`: lines before the body).
fn shortcodes(body: &str, shown: &str, offset: usize, report: &mut Report) -> String {
    let mut edits = Vec::new();
    for sc in find_shortcodes(body) {
        let whole = &body[sc.range.clone()];
        if sc.escaped {
            let text = whole.replacen("{{/*", "{{", 1).replacen("{%/*", "{%", 1);
            let text = match text.rfind("*/}}") {
                Some(i) => format!("{}}}}}", &text[..i]),
                None => match text.rfind("*/%}") {
                    Some(i) => format!("{}%}}", &text[..i]),
                    None => text,
                },
            };
            edits.push(super::rewrite::Edit {
                range: sc.range.clone(),
                text,
            });
            continue;
        }
        let (line, _) = line_col(body, sc.range.start);
        let line = line + offset;
        edits.push(super::rewrite::Edit {
            range: sc.range.clone(),
            text: comment(&format!("Zola shortcode, not carried over: {whole}")),
        });
        match &sc.end {
            Some(end) => {
                edits.push(super::rewrite::Edit {
                    range: end.clone(),
                    text: comment(&format!("end of the `{}` shortcode", sc.name)),
                });
                report.add(
                    shown,
                    line,
                    format!(
                        "the shortcode `{}` is not carried over: its text is kept, the shortcode's markup is an HTML comment",
                        sc.name
                    ),
                    "turn it into markdown, e.g. a callout (`> [!NOTE]`) for a note or quote",
                );
            }
            None => report.add(
                shown,
                line,
                format!(
                    "the shortcode `{}` is not carried over: it is an HTML comment now",
                    sc.name
                ),
                "write what it showed in markdown: a picture with alt text, a link or a callout",
            ),
        }
    }
    super::rewrite::apply(body, edits)
}

/// `text` as an HTML comment (with nothing in it that would end the comment).
fn comment(text: &str) -> String {
    format!(
        "<!-- {} -->",
        text.replace("--", "- -").replace('>', "&gt;")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_become_comments_and_escapes_text() {
        let mut r = Report::default();
        let body = "Intro {{ youtube(id=\"x\", t=\")\") }} here.\n\n{% note(kind=\"tip\") %}\nKeep **this**.\n{% end %}\n\n`{{/* gist(url=\"u\") */}}` and {{ page.title }}\n";
        let out = shortcodes(body, "c.md", 3, &mut r);
        assert_eq!(
            out,
            "Intro <!-- Zola shortcode, not carried over: {{ youtube(id=\"x\", t=\")\") }} --> here.\n\n<!-- Zola shortcode, not carried over: {% note(kind=\"tip\") %} -->\nKeep **this**.\n<!-- end of the `note` shortcode -->\n\n`{{ gist(url=\"u\") }}` and {{ page.title }}\n"
        );
        let lines: Vec<usize> = r.items.iter().map(|i| i.line).collect();
        assert_eq!(lines, [4, 6]);
    }

    #[test]
    fn dates_and_path_slugs() {
        assert_eq!(
            date_prefix("2024-01-31-hello"),
            (Some("2024-01-31"), Some("hello"))
        );
        assert_eq!(date_prefix("2024-01-31"), (Some("2024-01-31"), None));
        assert_eq!(date_prefix("hello"), (None, None));
        assert_eq!(slugify_path("Héllo World", PathRule::On), "hello-world");
        assert_eq!(slugify_path("a:b.", PathRule::Safe), "ab");
    }
}
