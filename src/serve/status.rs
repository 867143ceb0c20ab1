//! What the browser is told: the state of the last build, shared between the
//! rebuild thread (which publishes) and every open events stream (which
//! listens), through a `tokio::sync::watch` channel so a slow tab only ever
//! sees the newest state.

use serde::Serialize;
use tokio::sync::watch;

/// The state of the served site.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Status {
    /// Counts the builds that changed the site; a tab whose page is from an
    /// older generation reloads. 0 until the first build succeeds.
    pub generation: u64,
    /// The last build's errors as printed in the terminal, while they last.
    pub error: Option<String>,
    /// The pages this generation changed, as URL paths (`/part/one/`, or
    /// `/search/*` for every page under a folder), when it changed only
    /// pages and their data: a tab showing another page, that saw the
    /// generation before, need not reload. `None`: any page may have
    /// changed (a style sheet, a script, many pages).
    pub pages: Option<Vec<String>>,
}

impl Status {
    /// As JSON, for `/__trellis/status` and the events stream.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_string())
    }
}

/// The sending side: one per server.
#[derive(Debug, Clone)]
pub struct Publisher {
    sender: std::sync::Arc<watch::Sender<Status>>,
}

impl Publisher {
    /// A publisher starting at `status`.
    pub fn new(status: Status) -> Self {
        Publisher {
            sender: std::sync::Arc::new(watch::Sender::new(status)),
        }
    }

    /// The current status.
    pub fn current(&self) -> Status {
        self.sender.borrow().clone()
    }

    /// A receiver for one events stream.
    pub fn subscribe(&self) -> watch::Receiver<Status> {
        self.sender.subscribe()
    }

    /// A build changed the site: tabs reload, any error is cleared.
    pub fn rebuilt(&self) {
        self.rebuilt_pages(None);
    }

    /// A build changed the site, only `pages` if given (see [`Status::pages`]).
    pub fn rebuilt_pages(&self, pages: Option<Vec<String>>) {
        self.sender.send_modify(|s| {
            s.generation += 1;
            s.error = None;
            s.pages = pages;
        });
    }

    /// A build failed with `message`; the last good site stays served.
    pub fn failed(&self, message: String) {
        self.sender.send_modify(|s| s.error = Some(message));
    }

    /// A build succeeded without changing any file. Tabs showing an error
    /// reload (the error is gone); others are left alone.
    pub fn unchanged(&self) {
        let had_error = self.sender.borrow().error.is_some();
        if had_error {
            self.rebuilt();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_clear_with_a_new_generation() {
        let p = Publisher::new(Status::default());
        let mut rx = p.subscribe();
        p.unchanged();
        assert!(!rx.has_changed().unwrap());
        p.rebuilt();
        assert_eq!(rx.borrow_and_update().generation, 1);
        p.failed("content/a.md:1:1: error[broken-link]: x".into());
        assert_eq!(
            p.current().to_json(),
            r#"{"generation":1,"error":"content/a.md:1:1: error[broken-link]: x","pages":null}"#
        );
        p.unchanged();
        assert_eq!(
            p.current(),
            Status {
                generation: 2,
                error: None,
                pages: None
            }
        );
    }
}
