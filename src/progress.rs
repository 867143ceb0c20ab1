//! A spinner on the terminal for builds that take longer than a second.
//!
//! Short builds print nothing extra; so do builds whose standard error is not
//! a terminal (CI logs, pipes) and `--quiet` ones. The spinner runs on its
//! own thread and names the current step.

use std::io::IsTerminal;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// How long a build runs before the spinner appears.
const DELAY: Duration = Duration::from_secs(1);

/// A running progress display; drop or [`Progress::finish`] it when done.
pub struct Progress {
    steps: Option<Sender<&'static str>>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    /// Starts the display (a no-op when `quiet` or stderr is not a terminal).
    pub fn start(quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress {
                steps: None,
                thread: None,
            };
        }
        let (tx, rx) = mpsc::channel::<&'static str>();
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            let mut step = "Starting";
            let mut bar: Option<ProgressBar> = None;
            loop {
                let wait = if bar.is_some() {
                    Duration::from_millis(100)
                } else {
                    DELAY.saturating_sub(started.elapsed())
                };
                match rx.recv_timeout(wait) {
                    Ok(next) => step = next,
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => break,
                }
                if bar.is_none() && started.elapsed() >= DELAY {
                    let b = ProgressBar::new_spinner();
                    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
                        b.set_style(style);
                    }
                    b.enable_steady_tick(Duration::from_millis(100));
                    bar = Some(b);
                }
                if let Some(b) = &bar {
                    b.set_message(step);
                }
            }
            if let Some(b) = bar {
                b.finish_and_clear();
            }
        });
        Progress {
            steps: Some(tx),
            thread: Some(thread),
        }
    }

    /// Names the step now running.
    pub fn step(&self, name: &'static str) {
        if let Some(tx) = &self.steps {
            let _ = tx.send(name);
        }
    }

    /// Clears the display and waits for it to go.
    pub fn finish(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        self.steps = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop();
    }
}
