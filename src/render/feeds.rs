//! `sitemap.xml`, `atom.xml` and `robots.txt`: the files for machines, with
//! absolute URLs from `base_url` (the only place Trellis writes absolute URLs).
//! Each language's tree has its sitemap and feed; `robots.txt`, which
//! crawlers read only at the site's root, is the default language's alone
//! and names every language's sitemap.

use std::fmt::Write;
use std::path::PathBuf;

use super::context::text as xml;
use super::OutputFile;
use crate::site::Site;

/// The sitemap and feed, and at the site's root `robots.txt`.
pub fn all(site: &Site) -> Vec<OutputFile> {
    let mut files = vec![sitemap(site), atom(site)];
    files.extend(robots(site));
    files
}

fn page_urls(site: &Site) -> Vec<(String, Option<String>)> {
    let hb = &site.handbook;
    let base = hb.config.base_url_with_slash();
    let mut urls = vec![(base.clone(), None)];
    urls.extend(
        hb.parts
            .iter()
            .skip(1)
            .map(|p| (format!("{base}{}", p.url), None)),
    );
    urls.extend(hb.articles.iter().map(|a| {
        (
            format!("{base}{}", a.url),
            a.meta.reviewed.map(|d| d.to_string()),
        )
    }));
    urls.extend(
        extra_urls(site)
            .into_iter()
            .map(|u| (format!("{base}{u}"), None)),
    );
    urls
}

/// Each language of a handbook with `languages:` and the base URL of its
/// tree (the default language at `base_url`, the others under `<lang>/`);
/// empty for a handbook in one language.
fn language_bases(hb: &crate::content::Handbook) -> Vec<(String, String)> {
    let c = &hb.config;
    if c.languages.is_empty() {
        return Vec::new();
    }
    let base = c.base_url_with_slash();
    let (default, root) = match &hb.localized {
        Some(l) => {
            let tree = format!("{}/", c.language);
            let root = base.strip_suffix(&tree).unwrap_or(&base).to_string();
            (l.default_language.as_str(), root)
        }
        None => (c.language.as_str(), base),
    };
    std::iter::once(default)
        .chain(c.languages.keys().map(String::as_str))
        .map(|lang| {
            let tree = if lang == default {
                String::new()
            } else {
                format!("{lang}/")
            };
            (lang.to_string(), format!("{root}{tree}"))
        })
        .collect()
}

/// Site-relative URLs of pages beyond parts and articles.
fn extra_urls(site: &Site) -> Vec<String> {
    let mut urls = super::glossary::urls(site);
    urls.extend(super::quiz::urls(site));
    urls.extend(super::worksheets::urls(site));
    urls.extend(super::help::urls(site));
    urls
}

fn sitemap(site: &Site) -> OutputFile {
    let bases = language_bases(&site.handbook);
    let namespaces = if bases.is_empty() {
        ""
    } else {
        " xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""
    };
    let mut s = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"{namespaces}>\n");
    let base = site.handbook.config.base_url_with_slash();
    for (url, lastmod) in page_urls(site) {
        let _ = write!(s, "  <url><loc>{}</loc>", xml(&url));
        if let Some(d) = lastmod {
            let _ = write!(s, "<lastmod>{d}</lastmod>");
        }
        // The same page in every language, as the pages' own hreflang links.
        let path = url.strip_prefix(&base).unwrap_or("");
        for (lang, lang_base) in &bases {
            let href = xml(&format!("{lang_base}{path}"));
            let _ = write!(
                s,
                "<xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"{href}\"/>"
            );
        }
        s.push_str("</url>\n");
    }
    s.push_str("</urlset>\n");
    OutputFile {
        path: PathBuf::from("sitemap.xml"),
        bytes: s.into_bytes(),
    }
}

fn atom(site: &Site) -> OutputFile {
    let hb = &site.handbook;
    let c = &hb.config;
    let base = c.base_url_with_slash();
    let newest = hb.articles.iter().filter_map(|a| a.meta.reviewed).max();
    let updated = newest.map_or_else(|| "1970-01-01".to_string(), |d| d.to_string());
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(s, "  <title>{}</title>", xml(&c.title));
    if let Some(sub) = &c.subtitle {
        let _ = writeln!(s, "  <subtitle>{}</subtitle>", xml(sub));
    }
    let _ = writeln!(
        s,
        "  <id>{}</id>\n  <link href=\"{}\"/>\n  <link rel=\"self\" href=\"{}atom.xml\"/>",
        xml(&base),
        xml(&base),
        xml(&base)
    );
    let _ = writeln!(s, "  <updated>{updated}T00:00:00Z</updated>");
    let author = c
        .authors
        .first()
        .cloned()
        .unwrap_or_else(|| c.title.clone());
    let _ = writeln!(s, "  <author><name>{}</name></author>", xml(&author));
    for a in &hb.articles {
        let url = format!("{base}{}", a.url);
        let date = a
            .meta
            .reviewed
            .map_or_else(|| updated.clone(), |d| d.to_string());
        let _ = writeln!(
            s,
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link href=\"{}\"/>\n    <updated>{date}T00:00:00Z</updated>\n    <summary>{}</summary>\n  </entry>",
            xml(&a.meta.title),
            xml(&url),
            xml(&url),
            xml(a.meta.summary.as_deref().unwrap_or(""))
        );
    }
    s.push_str("</feed>\n");
    OutputFile {
        path: PathBuf::from("atom.xml"),
        bytes: s.into_bytes(),
    }
}

/// `robots.txt`, with every language's sitemap when `base_url` is an
/// address; none in a further language's tree.
fn robots(site: &Site) -> Option<OutputFile> {
    let hb = &site.handbook;
    if hb.localized.is_some() {
        return None;
    }
    let base = hb.config.base_url_with_slash();
    let mut body = "User-agent: *\nAllow: /\n".to_string();
    if base.starts_with("http") {
        let _ = writeln!(body, "Sitemap: {base}sitemap.xml");
        for language in hb.config.languages.keys() {
            let _ = writeln!(body, "Sitemap: {base}{language}/sitemap.xml");
        }
    }
    Some(OutputFile {
        path: PathBuf::from("robots.txt"),
        bytes: body.into_bytes(),
    })
}
