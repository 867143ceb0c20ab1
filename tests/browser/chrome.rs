//! Headless Chromium driven through ChromeDriver (WebDriver) with
//! fantoccini: one browser per test function, shared by that test's pages.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};

use super::gate::{self, BrowserTools};
use super::server::RecordingProxy;

pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type Result<T> = std::result::Result<T, Error>;

/// The axe-core tags a page must pass.
pub const AXE_TAGS: &[&str] = &["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/// Installed in every document before its own scripts run: records script
/// errors, failed loads of scripts/images/styles, unhandled rejections and
/// `console.error` calls, for [`Browser::page_errors`].
const ERROR_RECORDER: &str = r#"(() => {
  const problems = [];
  Object.defineProperty(window, '__trellisProblems', { value: problems });
  addEventListener('error', (e) => {
    const t = e.target;
    if (t && t !== window && t.localName) {
      problems.push('failed to load <' + t.localName + '> ' + (t.currentSrc || t.src || t.href || ''));
    } else {
      problems.push('script error: ' + e.message + ' (' + e.filename + ':' + e.lineno + ')');
    }
  }, true);
  // Pages are served with `Content-Security-Policy: default-src 'self'`:
  // an inline script or style, or a request elsewhere, is a violation.
  addEventListener('securitypolicyviolation', (e) => {
    problems.push('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline code'));
  });
  addEventListener('unhandledrejection', (e) => {
    const r = e.reason;
    problems.push('unhandled promise rejection: ' + ((r && r.stack) || r));
  });
  const consoleError = console.error;
  console.error = function (...args) {
    problems.push('console.error: ' + args.map(String).join(' '));
    return consoleError.apply(this, args);
  };
})();"#;

pub struct Browser {
    pub client: Client,
    pub proxy: RecordingProxy,
    axe_source: String,
    driver: Child,
    driver_port: u16,
    session_id: Option<String>,
    profile: PathBuf,
}

/// One axe-core violation: a rule and the elements that break it.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    pub rule: String,
    pub impact: String,
    pub help: String,
    pub help_url: String,
    /// (CSS selector, the element's HTML)
    pub nodes: Vec<(String, String)>,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "axe {} ({}): {} <{}>",
            self.rule, self.impact, self.help, self.help_url
        )?;
        for (target, html) in &self.nodes {
            let html: String = html.chars().take(160).collect();
            write!(f, "\n        at {target}: {html}")?;
        }
        Ok(())
    }
}

/// Runs `check` in a fresh Chromium named `name`, closes the browser, and
/// fails the test if the check broke or found problems. `what` says what
/// was checked, for the failure message. Every browser test but those that
/// report something other than a list of problems goes through here, so
/// the browser is closed the same way before any assertion.
pub async fn expect_no_problems(
    tools: &BrowserTools,
    name: &str,
    what: &str,
    check: impl AsyncFnOnce(&Browser) -> Result<Vec<String>>,
) {
    let browser = Browser::launch(tools, name)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let result = check(&browser).await;
    browser.close().await;
    let problems = result.unwrap_or_else(|e| panic!("the check of {what} broke: {e}"));
    assert!(problems.is_empty(), "{what}:\n{}", problems.join("\n"));
}

impl Browser {
    /// Start ChromeDriver and a fresh headless Chromium whose every request
    /// to another host goes to a [`RecordingProxy`].
    pub async fn launch(tools: &BrowserTools, name: &str) -> Result<Browser> {
        let proxy = RecordingProxy::start();
        let port = free_port()?;
        let profile = gate::scratch_dir(&format!("chromium-profile-{name}"));
        let mut command = Command::new(&tools.chromedriver);
        command
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            // Its own process group, so Drop can end it and its Chromium together.
            command.process_group(0);
        }
        let driver = command
            .spawn()
            .map_err(|e| format!("starting {}: {e}", tools.chromedriver.display()))?;
        let mut browser_args = vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--no-first-run".into(),
            "--no-default-browser-check".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-quic".into(),
            "--disable-extensions".into(),
            "--disable-dev-shm-usage".into(),
            "--hide-scrollbars".into(),
            "--force-device-scale-factor=1".into(),
            "--lang=en-US".into(),
            "--disable-client-side-phishing-detection".into(),
            "--disable-default-apps".into(),
            "--disable-domain-reliability".into(),
            "--no-pings".into(),
            "--metrics-recording-only".into(),
            "--allow-browser-signin=false".into(),
            "--disable-features=NetworkTimeServiceQuerying,SearchEnginePreconnector,SearchEnginePreconnect2,OptimizationHints,MediaRouter,Translate,AutofillServerCommunication".into(),
            "--window-size=1280,800".into(),
            format!("--user-data-dir={}", profile.display()),
            // Every request to another host goes to the recording proxy;
            // Chromium never proxies loopback, so the test's own server
            // (127.0.0.1) is reached directly.
            format!("--proxy-server={}", proxy.address()),
        ];
        browser_args.push("about:blank".into());
        let capabilities = json!({
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "goog:loggingPrefs": { "performance": "ALL" },
            "timeouts": { "script": 120_000, "pageLoad": 60_000, "implicit": 0 },
            "goog:chromeOptions": {
                "binary": tools.chromium,
                "args": browser_args,
                "perfLoggingPrefs": { "enableNetwork": true, "enablePage": false },
            },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!()
        };
        let webdriver = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(capabilities.clone())
                .connect(&webdriver)
                .await
            {
                Ok(client) => break client,
                Err(e) if started.elapsed() < Duration::from_secs(30) => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => {
                    return Err(format!(
                        "could not start a Chromium session through {} within 30 s: {e}",
                        tools.chromedriver.display()
                    )
                    .into())
                }
            }
        };
        let session_id = client.session_id().await?;
        let browser = Browser {
            client,
            proxy,
            axe_source: tools.axe_source.clone(),
            driver,
            driver_port: port,
            session_id,
            profile,
        };
        browser
            .cdp(
                "Page.addScriptToEvaluateOnNewDocument",
                json!({ "source": ERROR_RECORDER }),
            )
            .await?;
        Ok(browser)
    }

    /// End the session (ChromeDriver closes Chromium) and ChromeDriver.
    pub async fn close(mut self) {
        if self.client.clone().close().await.is_ok() {
            self.session_id = None;
        }
        // Drop ends ChromeDriver and removes the profile.
    }

    /// A Chrome DevTools Protocol command, through ChromeDriver.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Result<Value> {
        Ok(self
            .client
            .issue_cmd(DriverCommand {
                path: "goog/cdp/execute",
                body: json!({ "cmd": cmd, "params": params }),
            })
            .await?)
    }

    /// Every URL the pages in this browser requested (documents, styles,
    /// scripts, images, fonts, fetches, web sockets) since the last call,
    /// from the DevTools network events ChromeDriver keeps in its
    /// performance log. Only the pages' own requests are there, not
    /// Chromium's background traffic.
    pub async fn take_requests(&self) -> Result<Vec<String>> {
        let log = self
            .client
            .issue_cmd(DriverCommand {
                path: "se/log",
                body: json!({ "type": "performance" }),
            })
            .await?;
        let mut urls = Vec::new();
        for entry in log.as_array().cloned().unwrap_or_default() {
            let Some(text) = entry["message"].as_str() else {
                continue;
            };
            let Ok(message) = serde_json::from_str::<Value>(text) else {
                continue;
            };
            let event = &message["message"];
            let url = match event["method"].as_str() {
                Some("Network.requestWillBeSent") => &event["params"]["request"]["url"],
                Some("Network.webSocketCreated") => &event["params"]["url"],
                _ => continue,
            };
            if let Some(url) = url.as_str() {
                urls.push(url.to_string());
            }
        }
        Ok(urls)
    }

    /// Open a URL and wait until it has loaded, its fonts are ready and it
    /// has painted.
    pub async fn open(&self, url: &str) -> Result<()> {
        self.client
            .goto(url)
            .await
            .map_err(|e| format!("opening {url}: {e}"))?;
        self.settle().await
    }

    /// Wait for fonts and two animation frames, then a moment for late requests.
    pub async fn settle(&self) -> Result<()> {
        self.eval(
            "return (document.fonts ? document.fonts.ready : Promise.resolve()).then(() =>
               new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(true)))))",
            vec![],
        )
        .await?;
        tokio::time::sleep(Duration::from_millis(150)).await;
        Ok(())
    }

    /// Run a script (a function body; `arguments` holds `args`; a returned
    /// promise is awaited).
    pub async fn eval(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        Ok(self.client.execute(script, args).await?)
    }

    /// What the error recorder saw in the current document.
    pub async fn page_errors(&self) -> Result<Vec<String>> {
        let v = self
            .eval(
                "return window.__trellisProblems ? window.__trellisProblems.slice() : []",
                vec![],
            )
            .await?;
        Ok(serde_json::from_value(v)?)
    }

    /// Emulate `prefers-color-scheme: dark` (or stop emulating it) for the
    /// pages opened from now on.
    pub async fn set_dark(&self, dark: bool) -> Result<()> {
        let features = if dark {
            json!([{ "name": "prefers-color-scheme", "value": "dark" }])
        } else {
            json!([])
        };
        self.cdp(
            "Emulation.setEmulatedMedia",
            json!({ "features": features }),
        )
        .await?;
        Ok(())
    }

    /// Make the viewport (the page's `innerWidth` × `innerHeight`) exactly
    /// `width` × `height` CSS pixels, as a window of that size would.
    pub async fn set_viewport(&self, width: u32, height: u32) -> Result<()> {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
        )
        .await?;
        let mut seen = Value::Null;
        for _ in 0..50 {
            seen = self
                .eval("return [window.innerWidth, window.innerHeight]", vec![])
                .await?;
            if seen == json!([width, height]) {
                return self.settle().await;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Err(format!("could not make the viewport {width}×{height}: it stays {seen}").into())
    }

    /// Save a screenshot of the viewport as PNG.
    pub async fn screenshot(&self, path: &Path) -> Result<()> {
        let png = self.client.screenshot().await?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, png)?;
        Ok(())
    }

    /// Press and release one key, as a keyboard user would.
    pub async fn press(&self, key: Key) -> Result<()> {
        let key: char = key.into();
        let actions = KeyActions::new("keyboard".to_string())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.client.perform_actions(actions).await?;
        Ok(())
    }

    /// Run axe-core on the current page with [`AXE_TAGS`].
    pub async fn axe(&self) -> Result<Vec<Violation>> {
        let loaded = self
            .eval("return typeof window.axe === 'object'", vec![])
            .await?;
        if loaded != Value::Bool(true) {
            self.eval(&self.axe_source, vec![]).await?;
        }
        let result = self
            .eval(
                r#"return axe.run(document, {
                     runOnly: { type: 'tag', values: arguments[0] },
                     resultTypes: ['violations'],
                   }).then((r) => r.violations.map((v) => ({
                     rule: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
                     nodes: v.nodes.map((n) => [n.target.join(' '), n.html]),
                   })));"#,
                vec![json!(AXE_TAGS)],
            )
            .await?;
        let mut violations = Vec::new();
        for v in result.as_array().cloned().unwrap_or_default() {
            violations.push(Violation {
                rule: str_of(&v["rule"]),
                impact: str_of(&v["impact"]),
                help: str_of(&v["help"]),
                help_url: str_of(&v["helpUrl"]),
                nodes: serde_json::from_value(v["nodes"].clone())?,
            });
        }
        Ok(violations)
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ending the session makes ChromeDriver close Chromium. It is sent
        // here, blocking, so a browser also goes away when a test fails
        // before `close`; after `close` it is a harmless no-op.
        if let Some(session) = &self.session_id {
            let _ = delete_session(self.driver_port, session);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn delete_session(port: u16, session: &str) -> std::io::Result<()> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    write!(
        stream,
        "DELETE /session/{session} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    // Wait for the answer (ChromeDriver answers once Chromium has closed).
    let mut reply = [0u8; 512];
    let _ = stream.read(&mut reply)?;
    Ok(())
}

fn str_of(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// A ChromeDriver command outside the W3C protocol: POST to
/// `/session/{id}/{path}`.
#[derive(Debug)]
struct DriverCommand {
    path: &'static str,
    body: Value,
}

impl WebDriverCompatibleCommand for DriverCommand {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> std::result::Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}
