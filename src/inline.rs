//! Inline markdown for short text fields (quiz prompts and feedback, glossary
//! definitions): emphasis, code, links; raw HTML is escaped, never passed on.

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

/// Renders `text` as inline HTML: paragraphs are unwrapped (a blank line
/// becomes `<br>`), raw HTML is escaped, and `javascript:` links are dropped.
pub fn render_inline(text: &str) -> String {
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION;
    let mut first_paragraph = true;
    let events = Parser::new_ext(text, options).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Paragraph) => {
            if first_paragraph {
                first_paragraph = false;
                None
            } else {
                Some(Event::Html("<br>".into()))
            }
        }
        Event::End(TagEnd::Paragraph) => None,
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if is_unsafe_url(&dest_url) => Some(Event::Start(Tag::Link {
            link_type,
            dest_url: "#".into(),
            title,
            id,
        })),
        other => Some(other),
    });
    let mut out = String::with_capacity(text.len() + 16);
    html::push_html(&mut out, events);
    out.trim_end().to_string()
}

/// True for URLs that would run script when followed.
pub fn is_unsafe_url(url: &str) -> bool {
    let lowered: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_lowercase();
    lowered.starts_with("javascript:")
        || lowered.starts_with("vbscript:")
        || lowered.starts_with("data:text/html")
}

/// Plain text of inline markdown (for `title` attributes, JSON and exports).
pub fn plain_text(text: &str) -> String {
    let mut out = String::new();
    for event in Parser::new(text) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph) => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_raw_html_and_unwraps_paragraphs() {
        assert_eq!(
            render_inline("a *b* <script>x</script>"),
            "a <em>b</em> &lt;script&gt;x&lt;/script&gt;"
        );
        assert_eq!(
            render_inline("[x](javascript:alert(1))"),
            "<a href=\"#\">x</a>"
        );
        assert_eq!(plain_text("a *b* `c`"), "a b c");
    }
}
