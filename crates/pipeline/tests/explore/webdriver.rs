//! A small WebDriver client for the browser tests: starts Debian's
//! chromedriver on a free local port, opens one headless Chromium session
//! and speaks the W3C WebDriver protocol to it over plain HTTP (ureq).
//!
//! A missing browser is a failure, never a skip: the test says where it
//! looked and how to install it (`apt-get install chromium chromium-driver`,
//! as `.ci/run` does).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

/// The browser, unless `UCHRONIA_CHROMIUM` names another.
const CHROMIUM: &str = "/usr/bin/chromium";
/// Its driver, unless `UCHRONIA_CHROMEDRIVER` names another.
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A key of the WebDriver keyboard: arrow left and right.
pub const ARROW_LEFT: &str = "\u{E012}";
/// Arrow right.
pub const ARROW_RIGHT: &str = "\u{E014}";
/// The Enter key.
pub const ENTER: &str = "\u{E007}";

fn program(variable: &str, default: &str) -> PathBuf {
    let path = std::env::var_os(variable).map_or_else(|| PathBuf::from(default), PathBuf::from);
    assert!(
        path.is_file(),
        "the browser tests need {} (set {variable} to use another); install Debian's packages with `apt-get install -y chromium chromium-driver`, as .ci/run does",
        path.display()
    );
    path
}

/// A chromedriver process and one browser session; both end on drop.
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a fresh headless Chromium (empty profile, no
    /// background networking) with a window of 1400 x 1800 pixels.
    pub fn start() -> Browser {
        let chromium = program("UCHRONIA_CHROMIUM", CHROMIUM);
        let chromedriver = program("UCHRONIA_CHROMEDRIVER", CHROMEDRIVER);
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free local port")
            .port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromedriver.display()));
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let base = format!("http://127.0.0.1:{port}");
        let profile = tempfile::tempdir().expect("a profile folder");
        let mut browser = Browser {
            driver,
            base,
            session: String::new(),
            agent,
            _profile: profile,
        };
        browser.wait_ready();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1400,1800",
            &format!("--user-data-dir={}", browser._profile.path().display()),
        ];
        let created = browser.call(
            "POST",
            "/session",
            json!({ "capabilities": { "alwaysMatch": {
                "goog:chromeOptions": { "binary": chromium, "args": args }
            } } }),
        );
        browser.session = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_string();
        browser
    }

    fn wait_ready(&self) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if let Ok(mut response) = self.agent.get(format!("{}/status", self.base)).call()
                && let Ok(text) = response.body_mut().read_to_string()
                && text.contains("\"ready\":true")
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("chromedriver did not answer within 20 s");
    }

    /// One WebDriver command; its `value`. A WebDriver error fails the test.
    fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}{path}", self.base);
        let response = match method {
            "POST" => self
                .agent
                .post(&url)
                .header("Content-Type", "application/json")
                .send(body.to_string()),
            "DELETE" => self.agent.delete(&url).call(),
            _ => self.agent.get(&url).call(),
        };
        let mut response = response.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let text = response
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_to_string()
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        let value = value["value"].clone();
        assert!(
            value.get("error").is_none(),
            "{method} {path} failed: {value}"
        );
        value
    }

    fn session(&self, path: &str) -> String {
        format!("/session/{}{path}", self.session)
    }

    /// Loads `url` and waits for it (the page's script runs before load).
    pub fn open(&self, url: &str) {
        self.call("POST", &self.session("/url"), json!({ "url": url }));
    }

    /// Runs `script` (a function body) in the page and returns its value.
    pub fn run(&self, script: &str) -> Value {
        self.call(
            "POST",
            &self.session("/execute/sync"),
            json!({ "script": script, "args": [] }),
        )
    }

    /// The WebDriver id of the element `selector` finds (it must exist).
    fn element(&self, selector: &str) -> String {
        let element = self.call(
            "POST",
            &self.session("/element"),
            json!({ "using": "css selector", "value": selector }),
        );
        element
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {selector}: {element}"))
            .to_string()
    }

    /// Types `keys` into the element `selector` finds (it gets the focus).
    pub fn keys(&self, selector: &str, keys: &str) {
        let id = self.element(selector);
        self.call(
            "POST",
            &self.session(&format!("/element/{id}/value")),
            json!({ "text": keys }),
        );
    }

    /// The accessible name the browser computes for the element `selector`
    /// finds: what a screen reader announces.
    pub fn label(&self, selector: &str) -> String {
        let id = self.element(selector);
        let label = self.call(
            "GET",
            &self.session(&format!("/element/{id}/computedlabel")),
            Value::Null,
        );
        label.as_str().expect("a name").to_string()
    }

    /// A real click on the element `selector` finds: WebDriver scrolls it
    /// into view and fails if something else would receive the click.
    pub fn click(&self, selector: &str) {
        let id = self.element(selector);
        self.call(
            "POST",
            &self.session(&format!("/element/{id}/click")),
            json!({}),
        );
    }

    /// Saves a PNG screenshot of the window to `path`.
    pub fn screenshot(&self, path: &Path) {
        let value = self.call("GET", &self.session("/screenshot"), Value::Null);
        let png = STANDARD
            .decode(value.as_str().expect("base64 text"))
            .expect("a PNG in base64");
        std::fs::write(path, png).expect("screenshot written");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let path = self.session("");
            let _ = self.agent.delete(format!("{}{path}", self.base)).call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
