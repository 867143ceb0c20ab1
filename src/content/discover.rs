//! Content discovery: walks `content/`, reads every markdown file and builds
//! the [`Handbook`] model (parts, articles, assets, quiz files) in order.
//!
//! Reading and front-matter parsing run in parallel; the tree is then built in
//! one thread so that order and error output are deterministic.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use super::model::{Article, Asset, Entry, Handbook, Part, PartId};
use super::translations::{self, Named, Naming, SetAside};
use crate::config::Config;
use crate::diagnostic::{line_col, Code, Diagnostic, Diagnostics};
use crate::frontmatter::{self, ArticleMeta, PartMeta};
use crate::read_ahead::ReadAhead;
use crate::slug::{slugify, split_number_prefix};

/// Site paths that Trellis's own pages use; a part may not take them.
pub const RESERVED_SLUGS: &[&str] = &["glossary", "quizzes", "search", "print", "static"];

/// What discovery needs to know besides the files.
#[derive(Debug, Clone, Default)]
pub struct DiscoverOptions {
    /// Include drafts.
    pub drafts: bool,
    /// Files already read, taken rather than read again.
    pub read_ahead: ReadAhead,
}

/// A markdown file after reading and front-matter parsing.
pub(super) struct ParsedMarkdown {
    pub(super) path: PathBuf,
    pub(super) kind: MarkdownKind,
    pub(super) body: String,
    pub(super) body_line_offset: usize,
}

/// A part's intro or an article.
pub(super) enum MarkdownKind {
    Index(PartMeta),
    Article(ArticleMeta),
}

/// The glossary's file name, in `content/`.
pub const GLOSSARY_FILE: &str = "glossary.yaml";
/// The references' file name, in `content/`.
pub const REFERENCES_FILE: &str = "references.yaml";

/// `content/<name>` under `root` if it is a file: where [`discover`] finds
/// the glossary and the references, for reading them before it has run.
pub fn content_file(root: &Path, name: &str) -> Option<PathBuf> {
    Some(root.join("content").join(name)).filter(|p| p.is_file())
}

/// Reads `content/` under `root` into a [`Handbook`], with every problem found.
/// Files with errors are left out (and listed in `broken_files`) so later
/// steps can still check the rest; `Err` means there is nothing to go on with.
pub fn discover(
    root: &Path,
    config: Config,
    options: DiscoverOptions,
) -> Result<(Handbook, Diagnostics), Diagnostics> {
    let content_dir = root.join("content");
    let mut diags = Diagnostics::new();
    if !content_dir.is_dir() {
        diags.push(
            Code::ReadFailed
                .error(&content_dir, 0, 0, "there is no `content` folder")
                .with_help("create `content/` beside handbook.yaml and put articles (*.md) in it"),
        );
        return Err(diags);
    }

    let naming = Naming::new(&config);
    let mut set_aside = SetAside::default();
    let mut translated: Vec<Named> = Vec::new();
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut markdown: Vec<PathBuf> = Vec::new();
    let mut quiz_files = Vec::new();
    let mut other_files = Vec::new();
    let walker = WalkDir::new(&content_dir)
        .follow_links(true)
        .sort_by_file_name();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                diags.push(walk_error(&err, &content_dir));
                continue;
            }
        };
        let path = entry.path().to_path_buf();
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') && entry.depth() > 0 {
            continue; // hidden files and folders: editors' swap files, .DS_Store
        }
        if entry.file_type().is_dir() {
            dirs.push(path);
        } else if entry.depth() == 1 && (name == GLOSSARY_FILE || name == REFERENCES_FILE) {
            // Read by `Site::load` through `content_file`, beside this walk.
        } else if let Some(t) = (entry.depth() == 1)
            .then(|| naming.translation(&path, &name, ".yaml"))
            .flatten()
            .filter(|t| t.source.file_name().is_some_and(|n| n == GLOSSARY_FILE))
        {
            set_aside.glossaries.push(t);
        } else if let Some(t) = naming.translation(&path, &name, ".quiz.yaml") {
            set_aside.quizzes.push(t);
        } else if name.ends_with(".quiz.yaml") || name.ends_with(".quiz.yml") {
            quiz_files.push(path);
        } else if let Some(t) = naming.translation(&path, &name, ".md") {
            translated.push(t);
        } else if name.ends_with(".md") {
            markdown.push(path);
        } else if !name.ends_with('~') {
            other_files.push(path);
        }
    }

    let translated_paths: Vec<PathBuf> = translated.iter().map(|t| t.file.clone()).collect();
    let parsed: Vec<Result<ParsedMarkdown, Diagnostic>> = crate::waiting_on_disk(|| {
        markdown
            .par_iter()
            .chain(&translated_paths)
            .with_max_len(crate::PAR_LEAF)
            .map(|p| read_markdown(p, &options.read_ahead))
            .collect()
    });
    let mut files = Vec::new();
    let mut broken_files = Vec::new();
    let mut names = translated.into_iter();
    for (i, (result, path)) in parsed
        .into_iter()
        .zip(markdown.iter().chain(&translated_paths))
        .enumerate()
    {
        let named = if i >= markdown.len() {
            names.next()
        } else {
            None
        };
        match (result, named) {
            (Ok(f), Some(named)) => set_aside.markdown.push((f, named)),
            (Ok(f), None) => files.push(f),
            (Err(d), _) => {
                diags.push(d);
                broken_files.push(path.clone());
            }
        }
    }

    let mut builder = TreeBuilder::new(&content_dir, options);
    builder.add_dirs(&dirs, &files);
    builder.add_files(files, &mut diags);
    builder.order();
    let (parts, articles) = builder.finish(&mut diags);

    let mut handbook = Handbook {
        root: root.to_path_buf(),
        content_dir: content_dir.clone(),
        config,
        parts,
        articles,
        assets: Vec::new(),
        quiz_files,
        broken_files,
        translations: BTreeMap::new(),
        localized: None,
    };
    translations::attach(&mut handbook, set_aside, &mut diags);
    attach_quizzes(&mut handbook);
    handbook.assets = assets(&handbook, &other_files);
    check_unique_urls(&handbook, &mut diags);
    Ok((handbook, diags))
}

fn walk_error(err: &walkdir::Error, content_dir: &Path) -> Diagnostic {
    let path = err.path().unwrap_or(content_dir).to_path_buf();
    if let Some(ancestor) = err.loop_ancestor() {
        return Code::ReadFailed
            .error(
                &path,
                0,
                0,
                format!(
                    "symbolic link loop: it points back to {}",
                    ancestor.display()
                ),
            )
            .with_help("remove the link or point it somewhere outside its own folder");
    }
    let why = err
        .io_error()
        .map_or_else(|| err.to_string(), |e| e.to_string());
    let help = if path.is_symlink() {
        "this symbolic link cannot be followed (it points at itself, at a loop or at nothing); fix or remove it"
    } else {
        "check that the file exists and that you may read it"
    };
    Code::ReadFailed
        .error(&path, 0, 0, format!("cannot read this: {why}"))
        .with_help(help)
}

/// The largest markdown file Trellis reads: far beyond any article (a long
/// book chapter is well under 1 MB), small enough to build quickly.
pub const MAX_MARKDOWN_BYTES: u64 = 10 * 1024 * 1024;

/// Reads one markdown file and parses its front matter.
fn read_markdown(path: &Path, read_ahead: &ReadAhead) -> Result<ParsedMarkdown, Diagnostic> {
    use std::io::Read;
    let cannot_read = |e: std::io::Error| {
        Code::ReadFailed
            .error(path, 0, 0, format!("cannot read this file: {e}"))
            .with_help("check that you may read it")
    };
    let too_big = |len: u64| {
        Code::TooLarge
            .error(
                path,
                1,
                1,
                format!(
                    "this file is {:.1} MB; a markdown file may be at most {} MB",
                    len as f64 / (1024.0 * 1024.0),
                    MAX_MARKDOWN_BYTES / (1024 * 1024)
                ),
            )
            .with_help("split it into several articles, and put large data in files linked from it")
    };
    let bytes = match read_ahead.take(path) {
        Some(bytes) => bytes,
        None => {
            let mut file = std::fs::File::open(path).map_err(cannot_read)?;
            let len = file.metadata().map_err(cannot_read)?.len();
            if len > MAX_MARKDOWN_BYTES {
                return Err(too_big(len));
            }
            let mut bytes = Vec::with_capacity(len as usize);
            (&mut file)
                .take(MAX_MARKDOWN_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(cannot_read)?;
            bytes
        }
    };
    if bytes.len() as u64 > MAX_MARKDOWN_BYTES {
        return Err(too_big(bytes.len() as u64)); // it grew while being read
    }
    let text = crate::text_file::decode(
        bytes,
        path,
        "save it as UTF-8 text, or give it another extension if it is not markdown",
    )?;
    if let Some(nul) = text.find('\0') {
        let (line, col) = line_col(&text, nul);
        return Err(Code::NotText
            .error(
                path,
                line,
                col,
                "this is not a text file (it holds NUL bytes)",
            )
            .with_help("markdown files must be plain text"));
    }
    // `_index.md`, or a translation of one (`_index.es.md`).
    let is_index = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n == "_index.md" || (n.starts_with("_index.") && n.ends_with(".md")));
    if !is_index && text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(Code::FrontMatter.error(path, 1, 1, "this file is empty").with_help(
            "start the file with `---`, then `title: ...` and `summary: ...`, then `---`, then the article",
        ));
    }
    let split = frontmatter::split(&text, path)?;
    let kind = if is_index {
        MarkdownKind::Index(frontmatter::parse::<PartMeta>(&split, path)?)
    } else {
        if !split.present {
            return Err(Code::FrontMatter
                .error(path, 1, 1, "this article has no front matter")
                .with_help(
                    "start the file with `---`, then `title: ...` and `summary: ...`, then `---`",
                ));
        }
        let meta = frontmatter::parse::<ArticleMeta>(&split, path)?;
        check_article_meta(&meta, &split, path)?;
        MarkdownKind::Article(meta)
    };
    // The body is the end of the text: the text's own buffer keeps it (the
    // body moved to its start), not a new block. So every source is a block
    // read in one go, not one made among the front matter's long-lived
    // values, and dropping the sources once the site is rendered frees whole
    // pages of memory for the pages to come.
    let body_start = text.len() - split.body.len();
    let body_line_offset = split.body_line_offset;
    let mut body = text;
    body.drain(..body_start);
    Ok(ParsedMarkdown {
        path: path.to_path_buf(),
        kind,
        body,
        body_line_offset,
    })
}

fn check_article_meta(
    meta: &ArticleMeta,
    split: &frontmatter::Split<'_>,
    path: &Path,
) -> Result<(), Diagnostic> {
    let at = split.yaml_line_offset + 1;
    if meta.title.trim().is_empty() {
        return Err(Code::MissingKey
            .error(path, at, 1, "missing required key `title`")
            .with_help("add `title: ...` to the front matter"));
    }
    if meta.summary.as_deref().is_none_or(|s| s.trim().is_empty()) {
        return Err(Code::MissingKey.error(path, at, 1, "missing required key `summary`")
            .with_help("add `summary: ...`, one or two plain sentences used in listings and search results"));
    }
    if let Some(slug) = &meta.slug {
        if slug.is_empty() || slugify(slug) != *slug {
            return Err(Code::InvalidValue
                .error(path, at, 1, format!("`slug: {slug}` is not a valid slug"))
                .with_help(format!(
                    "use lower-case letters, digits and hyphens, e.g. `{}`",
                    slugify(slug)
                )));
        }
    }
    for alias in &meta.aliases {
        if let Err(why) = alias_url(alias) {
            let line = crate::yaml::key_line(split.yaml, 1, usize::MAX, "aliases")
                .map_or(at, |l| l + split.yaml_line_offset);
            return Err(Code::InvalidValue.error(path, line, 1, format!("alias `{alias}` {why}"))
                .with_help("write the old address as a path inside the site, e.g. `aliases: [old-part/old-name]`"));
        }
    }
    Ok(())
}

/// Reads article `path` again, as discovery would: its front matter, its
/// body and the lines before the body; `None` when it is no longer a valid
/// article (the caller then loads the whole handbook, which says why).
/// `trellis serve` uses this to apply a saved article without walking `content/`.
pub fn reread_article(path: &Path) -> Option<(ArticleMeta, String, usize)> {
    match read_markdown(path, &ReadAhead::default()).ok()? {
        ParsedMarkdown {
            kind: MarkdownKind::Article(meta),
            body,
            body_line_offset,
            ..
        } => Some((meta, body, body_line_offset)),
        ParsedMarkdown { .. } => None,
    }
}

/// An old address from `aliases:` as a site-relative folder (`old/name/`), or why not.
pub fn alias_url(alias: &str) -> Result<String, &'static str> {
    let trimmed = alias.trim().trim_start_matches('/');
    let trimmed = trimmed.strip_suffix("index.html").unwrap_or(trimmed);
    let trimmed = trimmed.trim_end_matches('/');
    if trimmed.is_empty() {
        return Err("is empty or the site's root");
    }
    if trimmed.contains("://")
        || trimmed.contains('\\')
        || trimmed.contains('?')
        || trimmed.contains('#')
    {
        return Err("is not a path inside the site");
    }
    if trimmed
        .split('/')
        .any(|seg| seg.is_empty() || seg == "." || seg == "..")
    {
        return Err("has an empty, `.` or `..` part");
    }
    Ok(format!("{trimmed}/"))
}
struct TreeBuilder<'a> {
    content_dir: &'a Path,
    options: DiscoverOptions,
    parts: Vec<Part>,
    part_keys: Vec<(i64, String)>,
    part_of_dir: HashMap<PathBuf, PartId>,
    articles: Vec<(Article, (i64, String))>,
    excluded_dirs: Vec<PathBuf>,
}

impl<'a> TreeBuilder<'a> {
    fn new(content_dir: &'a Path, options: DiscoverOptions) -> Self {
        let home = Part {
            title: String::new(),
            summary: None,
            slug: String::new(),
            url: String::new(),
            dir: content_dir.to_path_buf(),
            index_file: None,
            intro: String::new(),
            intro_line_offset: 0,
            parent: None,
            entries: Vec::new(),
            depth: 0,
        };
        let mut part_of_dir = HashMap::new();
        part_of_dir.insert(content_dir.to_path_buf(), 0);
        TreeBuilder {
            content_dir,
            options,
            parts: vec![home],
            part_keys: vec![(0, String::new())],
            part_of_dir,
            articles: Vec::new(),
            excluded_dirs: Vec::new(),
        }
    }

    /// A folder is a part when it holds markdown somewhere below it.
    fn add_dirs(&mut self, dirs: &[PathBuf], files: &[ParsedMarkdown]) {
        let index_meta: HashMap<&Path, &PartMeta> = files
            .iter()
            .filter_map(|f| match &f.kind {
                MarkdownKind::Index(m) => f.path.parent().map(|d| (d, m)),
                MarkdownKind::Article(_) => None,
            })
            .collect();
        // Every folder with markdown at or below it: each file's ancestors,
        // climbing only until one is already known: asking every file of
        // every folder grows with files times depth, and was most of
        // discovery's time on large handbooks.
        let mut holds_markdown: HashSet<&Path> = HashSet::new();
        for f in files {
            for dir in f.path.ancestors().skip(1) {
                if !holds_markdown.insert(dir) {
                    break;
                }
            }
        }
        for dir in dirs {
            if dir == self.content_dir || !holds_markdown.contains(dir.as_path()) {
                continue;
            }
            let Some(parent) = dir.parent().and_then(|p| self.part_of_dir.get(p).copied()) else {
                continue; // under an excluded (draft) part or an asset folder
            };
            let meta = index_meta
                .get(dir.as_path())
                .copied()
                .cloned()
                .unwrap_or_default();
            if meta.draft && !self.options.drafts {
                self.excluded_dirs.push(dir.clone());
                continue;
            }
            let name = dir
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let (number, rest) = split_number_prefix(&name);
            let slug = meta.slug.clone().unwrap_or_else(|| slugify(rest));
            let title = meta.title.clone().unwrap_or_else(|| title_from_name(rest));
            let id = self.parts.len();
            let parent_part = &self.parts[parent];
            self.parts.push(Part {
                title: title.clone(),
                summary: meta.summary.clone(),
                slug: slug.clone(),
                url: format!("{}{}/", parent_part.url, slug),
                dir: dir.clone(),
                index_file: None,
                intro: String::new(),
                intro_line_offset: 0,
                parent: Some(parent),
                entries: Vec::new(),
                depth: parent_part.depth + 1,
            });
            self.part_keys.push((
                meta.order.or(number).unwrap_or(i64::MAX),
                title.to_lowercase(),
            ));
            self.parts[parent].entries.push(Entry::Part(id));
            self.part_of_dir.insert(dir.clone(), id);
        }
    }

    fn add_files(&mut self, files: Vec<ParsedMarkdown>, diags: &mut Diagnostics) {
        for file in files {
            if self.excluded_dirs.iter().any(|d| file.path.starts_with(d)) {
                continue;
            }
            let Some(dir) = file.path.parent() else {
                continue;
            };
            let Some(&part) = self.part_of_dir.get(dir) else {
                continue;
            };
            match file.kind {
                MarkdownKind::Index(meta) => {
                    let p = &mut self.parts[part];
                    p.index_file = Some(file.path.clone());
                    p.intro = file.body;
                    p.intro_line_offset = file.body_line_offset;
                    if part == 0 {
                        p.title = meta.title.unwrap_or_default();
                        p.summary = meta.summary;
                    }
                }
                MarkdownKind::Article(meta) => {
                    if meta.draft && !self.options.drafts {
                        continue;
                    }
                    let stem = file
                        .path
                        .file_stem()
                        .map(|s| s.to_string_lossy().to_string())
                        .unwrap_or_default();
                    let (number, rest) = split_number_prefix(&stem);
                    let slug = meta.slug.clone().unwrap_or_else(|| slugify(rest));
                    if slug.is_empty() {
                        diags.push(
                            Code::InvalidValue
                                .error(&file.path, 1, 1, "this file name gives an empty slug")
                                .with_help("rename the file or set `slug:` in the front matter"),
                        );
                        continue;
                    }
                    let key = (
                        meta.order.or(number).unwrap_or(i64::MAX),
                        meta.title.to_lowercase(),
                    );
                    let url = format!("{}{}/", self.parts[part].url, slug);
                    self.articles.push((
                        Article {
                            meta,
                            source: file.path,
                            body: file.body,
                            body_line_offset: file.body_line_offset,
                            slug,
                            url,
                            part,
                            quiz_file: None,
                        },
                        key,
                    ));
                }
            }
        }
    }

    /// Sorts each part's entries: `order`, else number prefix, else title.
    fn order(&mut self) {
        for (i, (article, _)) in self.articles.iter().enumerate() {
            self.parts[article.part].entries.push(Entry::Article(i));
        }
        let keys = |e: &Entry| -> (i64, String) {
            match e {
                Entry::Article(a) => self.articles[*a].1.clone(),
                Entry::Part(p) => self.part_keys[*p].clone(),
            }
        };
        let sorted: Vec<Vec<Entry>> = self
            .parts
            .iter()
            .map(|p| {
                let mut entries = p.entries.clone();
                entries.sort_by_cached_key(|e| keys(e));
                entries
            })
            .collect();
        for (part, entries) in self.parts.iter_mut().zip(sorted) {
            part.entries = entries;
        }
    }

    /// Renumbers articles into reading order and drops empty parts' stale ids.
    fn finish(self, _diags: &mut Diagnostics) -> (Vec<Part>, Vec<Article>) {
        let mut reading_order = Vec::with_capacity(self.articles.len());
        collect_reading_order(&self.parts, 0, &mut reading_order);
        let mut new_id = vec![0; self.articles.len()];
        for (new, &old) in reading_order.iter().enumerate() {
            new_id[old] = new;
        }
        let mut parts = self.parts;
        for part in &mut parts {
            for entry in &mut part.entries {
                if let Entry::Article(a) = entry {
                    *a = new_id[*a];
                }
            }
        }
        let mut slots: Vec<Option<Article>> =
            self.articles.into_iter().map(|(a, _)| Some(a)).collect();
        let articles = reading_order
            .iter()
            .filter_map(|&old| slots[old].take())
            .collect();
        (parts, articles)
    }
}

fn collect_reading_order(parts: &[Part], part: PartId, out: &mut Vec<usize>) {
    for entry in &parts[part].entries {
        match *entry {
            Entry::Article(a) => out.push(a),
            Entry::Part(p) => collect_reading_order(parts, p, out),
        }
    }
}

fn title_from_name(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A quiz file `<stem>.quiz.yaml` beside `<stem>.md` belongs to that article.
fn attach_quizzes(handbook: &mut Handbook) {
    let by_stem: HashMap<PathBuf, usize> = handbook
        .articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.source.with_extension(""), i))
        .collect();
    for quiz in &handbook.quiz_files {
        let key = quiz.with_file_name(quiz_stem(quiz));
        if let Some(&a) = by_stem.get(&key) {
            handbook.articles[a].quiz_file = Some(quiz.clone());
        }
    }
}

/// Non-markdown files are copied to the matching place in the output: a file in
/// a part's folder lands in that part's page folder, so relative links keep working.
fn assets(handbook: &Handbook, files: &[PathBuf]) -> Vec<Asset> {
    let part_urls: HashMap<&Path, &str> = handbook
        .parts
        .iter()
        .map(|p| (p.dir.as_path(), p.url.as_str()))
        .collect();
    let mut out = Vec::new();
    for file in files {
        let Some(dest) = output_path_for(file, &handbook.content_dir, &part_urls) else {
            continue;
        };
        out.push(Asset {
            source: file.clone(),
            dest,
        });
    }
    out
}

/// Maps a file under content/ to its path in the output, by the nearest part folder above it.
pub fn output_path_for(
    file: &Path,
    content_dir: &Path,
    part_urls: &HashMap<&Path, &str>,
) -> Option<PathBuf> {
    let mut dir = file.parent()?;
    let mut rest = vec![file.file_name()?.to_os_string()];
    loop {
        if let Some(url) = part_urls.get(dir) {
            let mut dest = PathBuf::from(url);
            for piece in rest.iter().rev() {
                dest.push(piece);
            }
            return Some(dest);
        }
        if dir == content_dir {
            return None; // inside an excluded (draft) part
        }
        rest.push(dir.file_name()?.to_os_string());
        dir = dir.parent()?;
    }
}

fn check_unique_urls(handbook: &Handbook, diags: &mut Diagnostics) {
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    for reserved in RESERVED_SLUGS {
        seen.insert(
            format!("{reserved}/"),
            PathBuf::from(format!("(Trellis's own /{reserved}/ page)")),
        );
    }
    let pages = handbook
        .parts
        .iter()
        .skip(1)
        .map(|p| {
            (
                p.url.clone(),
                p.index_file.clone().unwrap_or_else(|| p.dir.clone()),
            )
        })
        .chain(
            handbook
                .articles
                .iter()
                .map(|a| (a.url.clone(), a.source.clone())),
        )
        .chain(handbook.articles.iter().flat_map(|a| {
            // Aliases were checked when the file was read.
            a.meta
                .aliases
                .iter()
                .filter_map(|alias| alias_url(alias).ok())
                .map(|url| (url, a.source.clone()))
                .collect::<Vec<_>>()
        }));
    for (url, source) in pages {
        if let Some(first) = seen.get(&url) {
            diags.push(
                Code::DuplicateName.error(
                    &source,
                    1,
                    1,
                    format!(
                        "two pages would be written to /{url}: this one and {}",
                        first.display()
                    ),
                )
                .with_help(
                    "give one of them another file name or a different `slug:` in its front matter",
                ),
            );
        } else {
            seen.insert(url, source);
        }
    }
}

/// The stem a quiz file shares with its article: `01-why.quiz.yaml` -> `01-why`.
pub fn quiz_stem(file: &Path) -> String {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    name.trim_end_matches(".quiz.yaml")
        .trim_end_matches(".quiz.yml")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_with_markdown_at_any_depth_are_parts_and_others_are_not() {
        let root = std::env::temp_dir().join(format!("trellis-discover-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let article = "---\ntitle: T\nsummary: S.\n---\nBody.\n";
        for (file, text) in [
            ("content/01-a/x.md", article),
            ("content/02-b/sub/y.md", article),
            ("content/02-b/sub/deeper/pic.png", "png"),
            ("content/03-images/pic.png", "png"),
            ("content/03-images/more/pic.png", "png"),
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let config = Config::parse("title: T\n", Path::new("handbook.yaml")).unwrap();
        let (hb, diags) = discover(&root, config, DiscoverOptions::default()).unwrap();
        let _ = std::fs::remove_dir_all(&root);
        assert!(diags.0.is_empty(), "{:?}", diags.0);
        let urls: Vec<&str> = hb.parts.iter().map(|p| p.url.as_str()).collect();
        assert_eq!(urls, ["", "a/", "b/", "b/sub/"]);
        // A folder that is not a part keeps its name under the part above it.
        let assets: Vec<_> = hb.assets.iter().map(|a| a.dest.clone()).collect();
        assert_eq!(
            assets,
            [
                PathBuf::from("b/sub/deeper/pic.png"),
                PathBuf::from("03-images/more/pic.png"),
                PathBuf::from("03-images/pic.png"),
            ]
        );
    }
}
