//! Internal links: which source file becomes which page, which anchors each
//! page has, and how to write a relative URL from one page to another.
//!
//! Every internal URL Trellis writes is relative and names `index.html`
//! explicitly, so the site works under any sub-path and from `file://`.
//!
//! A page's anchors are its headings' ids, which rendering gives; rendering
//! in turn resolves links. So a link's `#fragment` is checked after every
//! page is rendered: [`LinkIndex::resolve_later`] hands back an
//! [`AnchorCheck`], and [`LinkIndex::anchor_errors`] runs the checks once
//! the anchors are in.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::suggest;

/// Source files and their pages, built once per build and shared read-only.
#[derive(Debug, Default, Clone)]
pub struct LinkIndex {
    /// Source `.md` file (normalized) -> site-relative page folder.
    pages: HashMap<PathBuf, String>,
    /// Page folder -> heading ids on that page.
    anchors: HashMap<String, HashSet<String>>,
    /// Asset source file (normalized) -> site-relative output file.
    assets: HashMap<PathBuf, String>,
}

/// The check a link to `page` with `fragment` needs (none without one).
fn anchor_check(
    page: &str,
    fragment: &Option<String>,
    what: impl FnOnce() -> String,
) -> Option<AnchorCheck> {
    fragment.as_ref().map(|f| AnchorCheck {
        page: page.to_string(),
        fragment: f.clone(),
        what: what(),
    })
}

/// The page URL recorded for files that failed to load.
const BROKEN: &str = "\u{0}broken";

/// What a link in markdown points at, once resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Another host, `mailto:`, `tel:` …: left as written.
    External(String),
    /// A page or file of this site, as a site-relative path (folder URLs end in `/`) plus fragment.
    Internal {
        /// Site-relative path.
        path: String,
        /// The part after `#`.
        fragment: Option<String>,
    },
}

/// A link's `#fragment` that must be the id of a heading on a page of this
/// handbook (see the module's documentation for why it waits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorCheck {
    /// The linked page's URL.
    pub page: String,
    /// The id the link asks for.
    pub fragment: String,
    /// How an error names the page: "this page", or the path as written.
    pub what: String,
}

impl AnchorCheck {
    /// The check, to report as `at` (its message is put before the check's).
    pub fn at(self, at: Diagnostic) -> PendingAnchor {
        PendingAnchor { check: self, at }
    }
}

/// Why a link does not resolve; shown as the rest of a sentence about the
/// link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// A link within the page, written in a file that is no page.
    NotAPage,
    /// The file it names is missing or no page: "links to `x`, which …".
    Target(String),
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::NotAPage => f.write_str("this file is not a page"),
            LinkError::Target(message) => f.write_str(message),
        }
    }
}

/// An [`AnchorCheck`] and where to report it if it fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingAnchor {
    /// What to check.
    pub check: AnchorCheck,
    /// The error to give: file, line, column, help, and the start of the
    /// message (the check's explanation follows it).
    pub at: Diagnostic,
}

impl LinkIndex {
    /// A hash of the pages and files it knows, not of the anchors: what a
    /// page's links resolve against while it is rendered (the anchors are
    /// checked after).
    pub fn fingerprint(&self) -> u128 {
        let mut pages: Vec<_> = self.pages.iter().collect();
        let mut assets: Vec<_> = self.assets.iter().collect();
        pages.sort_unstable();
        assets.sort_unstable();
        let mut hash = xxhash_rust::xxh3::Xxh3::new();
        for (source, dest) in pages
            .into_iter()
            .chain(std::iter::once((&PathBuf::new(), &String::new())))
            .chain(assets)
        {
            hash.update(source.as_os_str().as_encoded_bytes());
            hash.update(&[0]);
            hash.update(dest.as_bytes());
            hash.update(&[0]);
        }
        hash.digest128()
    }

    /// Registers a page built from `source`.
    pub fn add_page(&mut self, source: &Path, url: &str) {
        self.pages.insert(normalize(source), url.to_string());
    }

    /// Registers a file that failed to load: links to it resolve (its own
    /// error is already reported) and its anchors are not checked.
    pub fn add_broken_page(&mut self, source: &Path) {
        self.pages.insert(normalize(source), BROKEN.to_string());
    }

    /// Registers the heading ids of the page at `url` (added to those it has).
    pub fn add_anchors(&mut self, url: &str, ids: impl IntoIterator<Item = String>) {
        self.anchors.entry(url.to_string()).or_default().extend(ids);
    }

    /// Registers an asset copied to `dest`.
    pub fn add_asset(&mut self, source: &Path, dest: &Path) {
        let dest = dest.to_string_lossy().replace('\\', "/");
        self.assets.insert(normalize(source), dest);
    }

    /// The page built from `source`, if any.
    pub fn page_of(&self, source: &Path) -> Option<&str> {
        self.pages.get(&normalize(source)).map(String::as_str)
    }

    /// Whether the page at `url` has a heading (or other anchor) `id`.
    pub fn has_anchor(&self, url: &str, id: &str) -> bool {
        self.anchors.get(url).is_some_and(|ids| ids.contains(id))
    }

    /// Whether `ids` hold every anchor registered for `url` (and maybe more).
    pub fn anchors_kept_by(&self, url: &str, ids: &[String]) -> bool {
        let ids: HashSet<&str> = ids.iter().map(String::as_str).collect();
        self.anchors
            .get(url)
            .is_none_or(|known| known.iter().all(|id| ids.contains(id.as_str())))
    }

    /// Registers `ids` as the page's anchors, in place of those it had;
    /// returns those.
    pub fn replace_anchors(
        &mut self,
        url: &str,
        ids: impl IntoIterator<Item = String>,
    ) -> HashSet<String> {
        self.anchors
            .insert(url.to_string(), ids.into_iter().collect())
            .unwrap_or_default()
    }

    /// Resolves `dest` as written in `from` (a source file) into a [`Target`],
    /// or explains what is wrong with it; a `#fragment` is checked against
    /// the anchors registered now.
    pub fn resolve(&self, from: &Path, dest: &str) -> Result<Target, String> {
        let (target, anchor) = self.resolve_later(from, dest).map_err(|e| e.to_string())?;
        match anchor {
            Some(check) => self.check_anchor(&check).map(|()| target),
            None => Ok(target),
        }
    }

    /// [`LinkIndex::resolve`], but the `#fragment` of a link to a page of
    /// the handbook comes back as an [`AnchorCheck`] to run later.
    pub fn resolve_later(
        &self,
        from: &Path,
        dest: &str,
    ) -> Result<(Target, Option<AnchorCheck>), LinkError> {
        if is_external(dest) {
            return Ok((Target::External(dest.to_string()), None));
        }
        let (path_part, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f.to_string())),
            None => (dest, None),
        };
        let path_part = percent_decode(path_part.split('?').next().unwrap_or(""));
        if path_part.is_empty() {
            // A link within the same page.
            let page = self.page_of(from).ok_or(LinkError::NotAPage)?;
            let check = anchor_check(page, &fragment, || "this page".to_string());
            let target = Target::Internal {
                path: page.to_string(),
                fragment,
            };
            return Ok((target, check));
        }
        if let Some(site_path) = path_part.strip_prefix('/') {
            let target = Target::Internal {
                path: site_path.to_string(),
                fragment,
            };
            return Ok((target, None));
        }
        let base = from.parent().unwrap_or(Path::new(""));
        let target = normalize(&base.join(&path_part));
        if path_part.ends_with(".md") {
            let Some(page) = self.pages.get(&target) else {
                return Err(LinkError::Target(match self.nearest_page(from, &target) {
                    Some(h) => format!(
                        "links to `{path_part}`, which is not a page of this handbook (did you mean `{h}`?)"
                    ),
                    None => format!("links to `{path_part}`, which is not a page of this handbook"),
                }));
            };
            let check = anchor_check(page, &fragment, || format!("`{path_part}`"));
            let target = Target::Internal {
                path: page.clone(),
                fragment,
            };
            return Ok((target, check));
        }
        if let Some(asset) = self.assets.get(&target) {
            let target = Target::Internal {
                path: asset.clone(),
                fragment,
            };
            return Ok((target, None));
        }
        Err(LinkError::Target(format!(
            "links to `{path_part}`, which does not exist in content/"
        )))
    }

    /// The errors of `pending` checks against the anchors registered now.
    pub fn anchor_errors<'p>(
        &self,
        pending: impl IntoIterator<Item = &'p PendingAnchor>,
    ) -> Vec<Diagnostic> {
        pending
            .into_iter()
            .filter_map(|p| {
                let message = self.check_anchor(&p.check).err()?;
                let mut error = p.at.clone();
                error.message.push_str(&message);
                Some(error)
            })
            .collect()
    }

    /// Whether the check's page has its anchor; if not, what to tell the author.
    pub fn check_anchor(&self, check: &AnchorCheck) -> Result<(), String> {
        let AnchorCheck {
            page,
            fragment,
            what,
        } = check;
        if page == BROKEN || self.has_anchor(page, fragment) {
            return Ok(());
        }
        let ids: Vec<&str> = self
            .anchors
            .get(page)
            .map(|s| s.iter().map(String::as_str).collect())
            .unwrap_or_default();
        Err(match suggest::did_you_mean(fragment, ids) {
            Some(s) => {
                format!("{what} has no heading with id `#{fragment}` (did you mean `#{s}`?)")
            }
            None => format!("{what} has no heading with id `#{fragment}`"),
        })
    }

    /// A page in the same folder whose name is close to the missing one.
    fn nearest_page(&self, from: &Path, target: &Path) -> Option<String> {
        let dir = target.parent()?;
        let stem = target.file_stem()?.to_string_lossy().to_string();
        let from = normalize(from);
        let stems: Vec<String> = self
            .pages
            .keys()
            .filter(|p| p.parent() == Some(dir) && **p != from)
            .filter_map(|p| p.file_stem().map(|n| n.to_string_lossy().to_string()))
            .collect();
        suggest::did_you_mean(&stem, stems.iter().map(String::as_str)).map(|s| format!("{s}.md"))
    }
}

impl Target {
    /// The URL to write in a page whose folder is `from_page` (site-relative).
    pub fn href(&self, from_page: &str) -> String {
        match self {
            Target::External(url) => url.clone(),
            Target::Internal { path, fragment } => {
                let mut url = relative_url(from_page, path);
                if let Some(f) = fragment {
                    url.push('#');
                    url.push_str(f);
                }
                url
            }
        }
    }
}

/// True for URLs with a scheme (`https:`, `mailto:`, `tel:`) or protocol-relative ones.
pub fn is_external(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// The relative URL from the page in folder `from` to `to` (both site-relative;
/// folders end in `/` and get `index.html`).
pub fn relative_url(from: &str, to: &str) -> String {
    // Every page's navigation holds hundreds of these: no allocation but the result.
    let (to_dirs, file) = if to.is_empty() || to.ends_with('/') {
        (to, "index.html")
    } else {
        match to.rfind('/') {
            Some(i) => (&to[..i], &to[i + 1..]),
            None => ("", to),
        }
    };
    let common = segments(from)
        .zip(segments(to_dirs))
        .take_while(|(a, b)| a == b)
        .count();
    let ups = segments(from).count() - common;
    let mut url = String::with_capacity(3 * ups + to.len() + file.len() + 1);
    for _ in 0..ups {
        url.push_str("../");
    }
    for part in segments(to_dirs).skip(common) {
        url.push_str(part);
        url.push('/');
    }
    url.push_str(file);
    url
}

/// The non-empty `/`-separated segments of `path`.
fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

/// Removes `.` and `..` without touching the disk.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `%20` and the like decoded (invalid escapes kept as written).
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first, plainer spelling of [`relative_url`], kept to check the faster one.
    fn relative_url_reference(from: &str, to: &str) -> String {
        let from_dirs: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
        let to_is_dir = to.is_empty() || to.ends_with('/');
        let mut to_parts: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
        let file = if to_is_dir {
            "index.html"
        } else {
            to_parts.pop().unwrap_or("index.html")
        };
        let common = from_dirs
            .iter()
            .zip(&to_parts)
            .take_while(|(a, b)| a == b)
            .count();
        let mut url = "../".repeat(from_dirs.len() - common);
        for part in &to_parts[common..] {
            url.push_str(part);
            url.push('/');
        }
        url.push_str(file);
        url
    }

    #[test]
    fn relative_urls_agree_with_the_plain_spelling() {
        let paths = [
            "",
            "a/",
            "a/b/",
            "a/b/c/",
            "a/c/",
            "b/",
            "a/b/x.svg",
            "x.svg",
            "a//b/",
            "/a/b/",
            "a/b",
            "ab/",
            "a/bc/",
            "glossary/",
            "quizzes/q/",
        ];
        for from in paths {
            for to in paths {
                assert_eq!(
                    relative_url(from, to),
                    relative_url_reference(from, to),
                    "{from:?} -> {to:?}"
                );
            }
        }
    }

    #[test]
    fn relative_urls() {
        assert_eq!(relative_url("a/b/", "a/c/"), "../c/index.html");
        assert_eq!(relative_url("", "a/"), "a/index.html");
        assert_eq!(relative_url("a/b/", ""), "../../index.html");
        assert_eq!(relative_url("a/b/", "a/fig/x.svg"), "../fig/x.svg");
        assert_eq!(relative_url("a/", "a/"), "index.html");
    }

    #[test]
    fn resolves_md_links_and_anchors() {
        let mut idx = LinkIndex::default();
        idx.add_page(Path::new("content/p/a.md"), "p/a/");
        idx.add_page(Path::new("content/q/b.md"), "q/b/");
        idx.add_anchors("q/b/", ["repair".to_string()]);
        let t = idx
            .resolve(Path::new("content/p/a.md"), "../q/b.md#repair")
            .unwrap();
        assert_eq!(t.href("p/a/"), "../../q/b/index.html#repair");
        let err = idx
            .resolve(Path::new("content/p/a.md"), "../q/b.md#repare")
            .unwrap_err();
        assert!(err.contains("did you mean `#repair`"), "{err}");
        assert!(idx.resolve(Path::new("content/p/a.md"), "c.md").is_err());
        assert_eq!(
            idx.resolve(Path::new("content/p/a.md"), "https://x.org")
                .unwrap(),
            Target::External("https://x.org".into())
        );
        assert!(is_external("tel:988"));
        assert!(!is_external("a.md"));
    }
}
