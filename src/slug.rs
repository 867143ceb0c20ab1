//! Slugs: URL-safe names from titles, headings and file names.

/// Lower-case words joined by hyphens: "Rupture & Repair!" -> "rupture-repair".
/// Letters and digits of any script are kept.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_hyphen && !out.is_empty() {
                out.push('-');
            }
            pending_hyphen = false;
            out.extend(c.to_lowercase());
        } else if c == '\'' || c == '\u{2019}' {
            // "client's" -> "clients", not "client-s".
        } else {
            pending_hyphen = true;
        }
    }
    out
}

/// Splits a file or folder name's order prefix: "01-why-trust" -> (Some(1), "why-trust").
pub fn split_number_prefix(name: &str) -> (Option<i64>, &str) {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 9 {
        return (None, name);
    }
    let rest = &name[digits..];
    match rest.as_bytes().first() {
        Some(b'-' | b'_' | b'.' | b' ') if rest.len() > 1 => {
            (name[..digits].parse().ok(), &rest[1..])
        }
        _ => (None, name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Rupture & Repair!"), "rupture-repair");
        assert_eq!(slugify("The client's view"), "the-clients-view");
        assert_eq!(slugify("  Trust  "), "trust");
        assert_eq!(split_number_prefix("01-why-trust"), (Some(1), "why-trust"));
        assert_eq!(split_number_prefix("2024"), (None, "2024"));
        assert_eq!(split_number_prefix("intro"), (None, "intro"));
    }
}
