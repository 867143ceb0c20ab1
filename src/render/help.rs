//! The crisis help page (`/help/`): every region's emergency number and
//! crisis lines from `crisis:` in `handbook.yaml`, help for readers
//! elsewhere and for those worried about someone else. Every page's crisis
//! banner links it, so it is reachable without JavaScript; the banner itself
//! shows the reader's likely region first (`crisis.js`, in the browser only).
//! No page without `crisis:`.

use serde_json::json;

use super::context::{common, Place};
use super::PageJob;
use crate::site::Site;

/// The help page's site-relative folder.
pub const HELP_URL: &str = "help/";

/// The help page, when the handbook has crisis signposting.
pub fn pages(site: &Site) -> Vec<PageJob> {
    if site.handbook.config.crisis.is_none() {
        return Vec::new();
    }
    let mut ctx = common(
        site,
        Place {
            url: HELP_URL,
            part: None,
            article: None,
            near: None,
        },
    );
    ctx.insert(
        "page",
        &json!({"kind": "help", "title": site.words.get("help_title")}),
    );
    vec![PageJob::new(HELP_URL, "help.html", ctx)]
}

/// Its URL for the sitemap (none without crisis signposting).
pub fn urls(site: &Site) -> Vec<String> {
    if site.handbook.config.crisis.is_none() {
        return Vec::new();
    }
    vec![HELP_URL.to_string()]
}
