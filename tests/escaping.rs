//! Escaping: quiz and glossary text, front matter and the site title
//! holding `<script>`, quotes that would end an attribute, and `javascript:`
//! URLs render inert. The fixture `tests/fixtures/escaping/` puts such text in
//! every field; the tests read every page a reader gets as tags and check that
//! none of it became markup. Raw HTML in article markdown is the one place
//! markup is kept (authors are trusted), and `trellis check` warns about it.

mod common;

use std::path::{Path, PathBuf};

use common::{build, fixture, read, temp_dir};

/// One start tag: its name and attributes (name, value), values unescaped of nothing.
#[derive(Debug)]
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
}

/// The start tags of `html`, read as a browser's tokenizer would in the
/// data state, plus the raw text of every `<script>` element.
fn tags(html: &str) -> (Vec<Tag>, Vec<String>) {
    let bytes = html.as_bytes();
    let mut tags = Vec::new();
    let mut scripts = Vec::new();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<').map(|p| p + i) {
        i = lt + 1;
        if html[i..].starts_with("!--") {
            i = html[i..].find("-->").map_or(html.len(), |p| i + p + 3);
            continue;
        }
        if !bytes.get(i).is_some_and(|b| b.is_ascii_alphabetic()) {
            continue; // an end tag, a doctype, or a bare `<`
        }
        let name_end = html[i..]
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .map_or(html.len(), |p| i + p);
        let name = html[i..name_end].to_ascii_lowercase();
        i = name_end;
        let mut attrs = Vec::new();
        loop {
            while i < html.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= html.len() || bytes[i] == b'>' {
                i += 1;
                break;
            }
            let an_end = html[i..]
                .find(|c: char| c.is_whitespace() || c == '=' || c == '>')
                .map_or(html.len(), |p| i + p);
            let attr = html[i..an_end].to_ascii_lowercase();
            i = an_end;
            let mut value = String::new();
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                let quote = bytes[i];
                if quote == b'"' || quote == b'\'' {
                    let end = html[i + 1..]
                        .find(quote as char)
                        .map_or(html.len(), |p| i + 1 + p);
                    value = html[i + 1..end].to_string();
                    i = end + 1;
                } else {
                    let end = html[i..]
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .map_or(html.len(), |p| i + p);
                    value = html[i..end].to_string();
                    i = end;
                }
            }
            attrs.push((attr, value));
        }
        if name == "script" {
            let end = html[i..].find("</script").map_or(html.len(), |p| i + p);
            scripts.push(html[i..end].to_string());
            i = end;
        }
        tags.push(Tag { name, attrs });
    }
    (tags, scripts)
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect()
}

fn is_script_url(value: &str) -> bool {
    let v: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase()
        .replace("&#106;", "j");
    v.starts_with("javascript:") || v.starts_with("vbscript:") || v.starts_with("data:text/html")
}

fn built(name: &str) -> PathBuf {
    let out = temp_dir(name);
    let run = build(&fixture("escaping"), &out, &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    out
}

#[test]
fn quiz_glossary_and_front_matter_text_renders_inert() {
    let out = built("escaping-inert");
    let pages = html_files(&out);
    assert!(pages.len() >= 8, "{pages:?}");
    for page in &pages {
        let rel = page.strip_prefix(&out).unwrap().display().to_string();
        let html = read(page);
        let (tags, scripts) = tags(&html);
        // The article's own raw HTML is kept: authors are trusted.
        let author_page = rel == "payloads/index.html" || rel == "print/index.html";
        for tag in &tags {
            for (name, value) in &tag.attrs {
                assert!(
                    !name.starts_with("on") && name != "autofocus" && name != "x",
                    "{rel}: text became the attribute `{name}` of <{}>",
                    tag.name
                );
                if ["href", "src", "action", "formaction"].contains(&name.as_str()) {
                    assert!(
                        !is_script_url(value),
                        "{rel}: <{} {name}=\"{value}\">",
                        tag.name
                    );
                }
            }
            assert_ne!(tag.name, "img", "{rel}: text became an <img>");
            if tag.name == "script" {
                let kind = tag
                    .attrs
                    .iter()
                    .find(|(n, _)| n == "type")
                    .map(|(_, v)| v.as_str());
                let external = tag.attrs.iter().any(|(n, _)| n == "src");
                let data = matches!(kind, Some("application/json" | "application/ld+json"));
                assert!(
                    external || data || author_page,
                    "{rel}: an inline script: {tag:?}"
                );
            }
        }
        if author_page {
            assert!(scripts.iter().any(|s| s == "alert(\"raw article script\")"));
        }
        // Data islands hold no `<` at all (so neither `</script>` nor `<!--`) and stay JSON.
        for s in scripts.iter().filter(|s| !s.starts_with("alert(\"raw")) {
            if s.is_empty() {
                continue;
            }
            assert!(!s.contains('<'), "{rel}: `<` in a data island: {s}");
            serde_json::from_str::<serde_json::Value>(s)
                .unwrap_or_else(|e| panic!("{rel}: data island is not JSON ({e}): {s}"));
        }
    }
}

#[test]
fn the_text_is_shown_escaped_not_dropped() {
    let out = built("escaping-shown");
    let quiz = read(&out.join("payloads/quiz/index.html"));
    for shown in [
        "Prompt &lt;script&gt;alert(",
        // The raw link an author typed is shown as text.
        "Right &lt;a href=",
        // A quote in a choice stays inside the aria-label attribute.
        "aria-label=\"Move up: First &quot; autofocus onfocus=&quot;alert(",
        "Feedback &lt;img src=x onerror=alert(",
        "<a href=\"#\">js</a>",
        "<a href=\"#\">encoded</a>",
        "<a href=\"#\">click</a>",
    ] {
        assert!(quiz.contains(shown), "quiz page lacks {shown}");
    }
    let standalone = read(&out.join("quizzes/standalone/index.html"));
    assert!(
        standalone.contains("<a href=\"#\">data</a>"),
        "data: URL neutralized"
    );
    assert!(
        standalone.contains("<a href=\"#\">vb</a>"),
        "vbscript: URL neutralized"
    );
    let glossary = read(&out.join("glossary/index.html"));
    for shown in [
        "A definition with &lt;script&gt;alert(",
        "<a href=\"#\">a link</a>",
        "Say &quot;hi&quot;",
    ] {
        assert!(glossary.contains(shown), "glossary page lacks {shown}");
    }
    let article = read(&out.join("payloads/index.html"));
    assert!(
        article.contains("<title>Payloads &lt;/script&gt;&lt;!--&lt;script&gt; &quot;double&quot; &#39;single&#39; · Escaping &lt;b&gt;&quot;quoted&quot;&lt;/b&gt; &amp; &#39;single&#39;</title>"),
        "the title is text"
    );
    // The quiz data and JSON-LD carry the exact text, for scripts and search engines.
    let (_, scripts) = tags(&article);
    let ld: serde_json::Value = scripts
        .iter()
        .find(|s| s.contains("schema.org"))
        .map(|s| serde_json::from_str(s).unwrap())
        .unwrap();
    assert_eq!(
        ld["name"],
        "Payloads </script><!--<script> \"double\" 'single'"
    );
    let (_, scripts) = tags(&quiz);
    let data: serde_json::Value = scripts
        .iter()
        .find(|s| s.contains("\"questions\""))
        .map(|s| serde_json::from_str(s).unwrap())
        .unwrap();
    assert_eq!(
        data["questions"][3]["accept"][0],
        "</script><script>alert('accept')</script>"
    );
}

#[test]
fn check_warns_about_script_in_article_markdown() {
    let run = common::trellis(
        &["check", "--root", fixture("escaping").to_str().unwrap()],
        Path::new(env!("CARGO_MANIFEST_DIR")),
    );
    let line = format!(
        "{}:10:1: warning[script]: raw `<script>` in markdown",
        fixture("escaping").join("content/01-payloads.md").display()
    );
    assert!(run.stdout.contains(&line), "{}\n{}", run.stdout, run.stderr);
    // Nothing else in the fixture is reported as a script: quiz and glossary text is escaped.
    assert_eq!(
        run.stdout.matches("raw `<script>`").count(),
        1,
        "{}",
        run.stdout
    );
}

#[test]
fn the_tag_reader_sees_what_a_browser_sees() {
    let (tags, scripts) = tags(
        "<p title=\"a &quot; onclick=&quot;x\">&lt;img onerror=x&gt;</p><!-- <b> -->\
         <a href='javascript:x' onmouseover=y>t</a><script type=\"application/json\">{}</script>",
    );
    let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["p", "a", "script"]);
    assert_eq!(
        tags[0].attrs,
        [("title".to_string(), "a &quot; onclick=&quot;x".to_string())]
    );
    assert_eq!(
        tags[1].attrs[0],
        ("href".to_string(), "javascript:x".to_string())
    );
    assert_eq!(
        tags[1].attrs[1],
        ("onmouseover".to_string(), "y".to_string())
    );
    assert!(is_script_url(" Java\tScript:x") && is_script_url("&#106;avascript:x"));
    assert_eq!(scripts, ["{}"]);
}
