//! What a reader would meet on a page: things that did not load, links that
//! lead nowhere, requests to other hosts, script errors, and (for keyboard
//! users) focus stops without a visible indicator or a missing skip link.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use fantoccini::key::Key;
use serde_json::Value;
use url::Url;

use super::chrome::{Browser, Result};

/// How the page was opened.
#[derive(Clone, Debug)]
pub enum Origin {
    /// From the test's static server, e.g. `http://127.0.0.1:PORT/`.
    Http(Url),
    /// Straight from disk.
    File,
}

/// Every element-level resource and link on the page, resolved by the browser.
const INVENTORY: &str = r#"
  const resources = [];
  const add = (what, url, loaded) => resources.push({ what, url, loaded });
  for (const el of document.querySelectorAll('link[href]')) {
    const rel = (el.getAttribute('rel') || '').toLowerCase();
    if (/\b(stylesheet|icon|preload|modulepreload|manifest|prefetch|apple-touch-icon)\b/.test(rel)) {
      add('<link rel="' + rel + '">', el.href, rel.includes('stylesheet') ? !!el.sheet : null);
    }
  }
  for (const el of document.querySelectorAll('script[src]')) add('<script>', el.src, null);
  for (const el of document.querySelectorAll('img[src], source[src], video[src], audio[src], track[src], iframe[src], embed[src], input[type=image][src]')) {
    const loaded = el.localName === 'img' ? (el.complete && el.naturalWidth > 0) : null;
    add('<' + el.localName + '>', el.src, loaded);
  }
  for (const el of document.querySelectorAll('video[poster]')) add('<video poster>', el.poster, null);
  for (const el of document.querySelectorAll('object[data]')) add('<object>', el.data, null);
  for (const el of document.querySelectorAll('img[srcset], source[srcset]')) {
    for (const part of el.getAttribute('srcset').split(',')) {
      const u = part.trim().split(/\s+/)[0];
      if (u) add('<' + el.localName + ' srcset>', new URL(u, document.baseURI).href, null);
    }
  }
  const links = [];
  for (const a of document.querySelectorAll('a[href], area[href]')) {
    const text = (a.innerText || a.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 50);
    links.push({ text, url: a.href });
  }
  return { resources, links };
"#;

/// Problems with the page now open in `browser`, which was opened from
/// `origin` and lives in the built site `output`. `requests` are the URLs
/// the page requested (from [`Browser::take_requests`]).
pub async fn page_problems(
    browser: &Browser,
    output: &Path,
    origin: &Origin,
    requests: &[String],
) -> Result<Vec<String>> {
    let mut problems = BTreeSet::new();
    let mut pages = PageCache::default();
    // Outside URLs already reported: their failure to load is no news.
    let mut outside = BTreeSet::new();
    let inventory = browser.eval(INVENTORY, vec![]).await?;

    for request in requests {
        let Ok(url) = Url::parse(request) else {
            continue;
        };
        match classify(&url, origin) {
            Place::Outside(host) => {
                problems.insert(format!(
                    "requests {request}: a page must load nothing from another host ({host})"
                ));
                outside.insert(request.clone());
            }
            Place::Local(path) => {
                let automatic_favicon = url.path() == "/favicon.ico";
                if let Err(why) = resolve(&path, output, origin) {
                    if !automatic_favicon {
                        problems.insert(format!("requests {request}, which {why}"));
                    }
                }
            }
            Place::Other => {}
        }
    }

    for resource in inventory["resources"].as_array().into_iter().flatten() {
        let what = resource["what"].as_str().unwrap_or("?");
        let raw = resource["url"].as_str().unwrap_or("");
        if outside.contains(raw) {
            continue;
        }
        let Ok(url) = Url::parse(raw) else {
            problems.insert(format!("{what} has an invalid URL {raw:?}"));
            continue;
        };
        match classify(&url, origin) {
            Place::Outside(host) => {
                problems.insert(format!(
                    "{what} {raw} is on another host ({host}); pages load nothing from other hosts"
                ));
                outside.insert(raw.to_string());
            }
            Place::Local(path) => {
                if let Err(why) = resolve(&path, output, origin) {
                    problems.insert(format!("{what} {raw} {why}"));
                } else if resource["loaded"] == Value::Bool(false) {
                    problems.insert(format!("{what} {raw} did not load"));
                }
            }
            Place::Other => {
                if resource["loaded"] == Value::Bool(false) {
                    problems.insert(format!("{what} {raw} did not load"));
                }
            }
        }
    }

    for link in inventory["links"].as_array().into_iter().flatten() {
        let text = link["text"].as_str().unwrap_or("");
        let raw = link["url"].as_str().unwrap_or("");
        let Ok(url) = Url::parse(raw) else {
            problems.insert(format!("link {text:?} has an invalid URL {raw:?}"));
            continue;
        };
        let Place::Local(path) = classify(&url, origin) else {
            continue; // other hosts, mailto:, tel:, …
        };
        match resolve(&path, output, origin) {
            Err(why) => {
                problems.insert(format!("link {text:?} to {raw} {why}"));
            }
            Ok(file) => {
                if let Some(fragment) = url.fragment() {
                    let id = super::server::percent_decode(fragment);
                    if !id.is_empty() && id != "top" && !pages.has_id(&file, &id) {
                        problems.insert(format!(
                            "link {text:?} to {raw}: {} has no element with id {id:?}",
                            shown(&file, output)
                        ));
                    }
                }
            }
        }
    }

    for error in browser.page_errors().await? {
        if !outside.iter().any(|url| error.contains(url.as_str())) {
            problems.insert(error);
        }
    }
    Ok(problems.into_iter().collect())
}

enum Place {
    /// A file of the site, not yet checked: the path inside the output
    /// (http) or on disk (file://).
    Local(PathBuf),
    Outside(String),
    /// data:, blob:, about:, mailto:, tel:, javascript: …
    Other,
}

fn classify(url: &Url, origin: &Origin) -> Place {
    match url.scheme() {
        "http" | "https" | "ws" | "wss" => {
            if let Origin::Http(base) = origin {
                if url.host_str() == base.host_str()
                    && url.port_or_known_default() == base.port_or_known_default()
                {
                    let inside = super::server::percent_decode(url.path());
                    return Place::Local(PathBuf::from(inside.trim_start_matches('/')));
                }
            }
            Place::Outside(url.host_str().unwrap_or("?").to_string())
        }
        "file" => match url.to_file_path() {
            Ok(path) => Place::Local(path),
            Err(()) => Place::Outside(url.to_string()),
        },
        "ftp" => Place::Outside(url.host_str().unwrap_or("?").to_string()),
        _ => Place::Other,
    }
}

/// The file a local URL shows, or why it shows none.
fn resolve(path: &Path, output: &Path, origin: &Origin) -> std::result::Result<PathBuf, String> {
    let file = match origin {
        Origin::Http(_) => output.join(path),
        Origin::File => path.to_path_buf(),
    };
    if let Origin::File = origin {
        let inside = file.canonicalize().ok().zip(output.canonicalize().ok());
        if !inside.is_some_and(|(f, o)| f.starts_with(o)) && file.exists() {
            return Err("is outside the built site".into());
        }
    }
    if file.is_file() {
        return Ok(file);
    }
    if file.is_dir() {
        let index = file.join("index.html");
        return match origin {
            Origin::Http(_) if index.is_file() => Ok(index),
            Origin::Http(_) => Err("is a folder without index.html".into()),
            Origin::File => Err(format!(
                "is a folder: opened from disk (file://) the browser shows a folder listing, \
                 not the page; link to {} instead",
                if index.is_file() {
                    "its index.html"
                } else {
                    "a file"
                }
            )),
        };
    }
    Err("does not exist in the built site".into())
}

fn shown(file: &Path, output: &Path) -> String {
    file.strip_prefix(output)
        .unwrap_or(file)
        .display()
        .to_string()
}

#[derive(Default)]
struct PageCache(HashMap<PathBuf, String>);

impl PageCache {
    fn has_id(&mut self, file: &Path, id: &str) -> bool {
        let html = self
            .0
            .entry(file.to_path_buf())
            .or_insert_with(|| std::fs::read_to_string(file).unwrap_or_default());
        ["id", "name"].iter().any(|attr| {
            [
                format!("{attr}=\"{id}\""),
                format!("{attr}='{id}'"),
                format!("{attr}={id} "),
                format!("{attr}={id}>"),
            ]
            .iter()
            .any(|needle| html.contains(needle.as_str()))
        })
    }
}

/// Facts about the focused element.
const FOCUSED: &str = r#"
  const a = document.activeElement;
  if (!a || a === document.body || a === document.documentElement) return null;
  const s = getComputedStyle(a);
  const r = a.getBoundingClientRect();
  let name = '<' + a.localName;
  if (a.id) name += ' id="' + a.id + '"';
  if (a.className && typeof a.className === 'string') name += ' class="' + a.className + '"';
  name += '>';
  const text = (a.innerText || a.value || a.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 50);
  const path = [];
  for (let el = a; el && el.parentElement; el = el.parentElement) {
    path.unshift([...el.parentElement.children].indexOf(el));
  }
  const main = document.querySelector('main');
  let target = null;
  if (a.localName === 'a' && a.hash) {
    try { target = document.getElementById(decodeURIComponent(a.hash.slice(1))); } catch (e) {}
  }
  const transparent = (c) => /^rgba\(.*,\s*0\)$/.test(c) || c === 'transparent';
  return {
    name: name + (text ? ' "' + text + '"' : ''),
    key: path.join('/'),
    tag: a.localName,
    hash: a.localName === 'a' ? a.hash : '',
    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && !transparent(s.outlineColor),
    outlineText: s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor,
    boxShadow: s.boxShadow !== 'none' && s.boxShadow !== '',
    visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
    isMain: a === main,
    inMain: !!(main && main.contains(a)),
    targetIsMain: !!(target && main && (target === main || target.contains(main) || main.contains(target))),
  };
"#;

/// Keyboard use of the page at `url`: the first Tab stop is a skip link
/// that moves focus into `<main>`, and every Tab stop shows a visible focus
/// indicator (an outline or a box-shadow) on a visible element. Returns the
/// number of Tab stops and the problems.
pub async fn keyboard_problems(browser: &Browser, url: &str) -> Result<(usize, Vec<String>)> {
    let mut problems = Vec::new();
    browser.open(url).await?;
    browser.press(Key::Tab).await?;
    let first = browser.eval(FOCUSED, vec![]).await?;
    if first.is_null() {
        problems
            .push("pressing Tab once focuses nothing: the page has no focusable element".into());
        return Ok((0, problems));
    }
    let first_name = first["name"].as_str().unwrap_or("?").to_string();
    if first["tag"] != "a" || first["hash"].as_str().unwrap_or("").is_empty() {
        problems.push(format!(
            "the first Tab stop is {first_name}, not a skip link (an <a href=\"#main\"> to the main content)"
        ));
    } else if first["targetIsMain"] != Value::Bool(true) {
        problems.push(format!(
            "the first Tab stop, {first_name}, links to {}, which is not <main> or in it",
            first["hash"]
        ));
    } else {
        browser.press(Key::Enter).await?;
        browser.settle().await?;
        let after = browser.eval(FOCUSED, vec![]).await?;
        let moved = after["isMain"] == Value::Bool(true) || after["inMain"] == Value::Bool(true);
        if !moved {
            let now = after["name"]
                .as_str()
                .unwrap_or("the page itself (document.body)");
            problems.push(format!(
                "activating the skip link {first_name} with Enter leaves focus on {now}, not in <main> \
                 (give the target tabindex=\"-1\", e.g. <main id=\"main\" tabindex=\"-1\">)"
            ));
        }
    }

    browser.open(url).await?;
    let mut stops = 0;
    let mut first_key = None;
    for _ in 0..400 {
        browser.press(Key::Tab).await?;
        let focused = browser.eval(FOCUSED, vec![]).await?;
        if focused.is_null() {
            break; // past the last stop
        }
        let key = focused["key"].as_str().unwrap_or("").to_string();
        if first_key.as_ref() == Some(&key) {
            break; // wrapped around
        }
        first_key.get_or_insert(key);
        stops += 1;
        let name = focused["name"].as_str().unwrap_or("?");
        if focused["outline"] != Value::Bool(true) && focused["boxShadow"] != Value::Bool(true) {
            problems.push(format!(
                "Tab stop {stops}, {name}, shows no focus indicator (outline: {}; no box-shadow)",
                focused["outlineText"].as_str().unwrap_or("?")
            ));
        }
        if focused["visible"] != Value::Bool(true) {
            problems.push(format!(
                "Tab stop {stops}, {name}, is not visible in the viewport when focused"
            ));
        }
    }
    if stops == 0 {
        problems.push("Tab reaches no element on the page".into());
    }
    Ok((stops, problems))
}
