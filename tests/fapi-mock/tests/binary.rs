//! The `fapi-mock` binary: the listening line, options, and a request through it.

mod common;

use std::net::SocketAddr;
use std::process::Stdio;

use common::Client;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::Command;

const EXE: &str = env!("CARGO_BIN_EXE_fapi-mock");

type Lines = tokio::io::Lines<BufReader<tokio::process::ChildStdout>>;

/// Starts the binary with `args`; answers it, where it listens, and the rest of its output.
async fn start(args: &[&str]) -> (tokio::process::Child, SocketAddr, Lines) {
    let mut child = Command::new(EXE)
        .args(args)
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn fapi-mock");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let line = lines.next_line().await.unwrap().expect("a line");
    let url = line
        .strip_prefix("fapi-mock listening on http://")
        .unwrap_or_else(|| panic!("unexpected line {line:?}"));
    let addr: SocketAddr = url.parse().expect("ip:port");
    assert!(addr.ip().is_loopback());
    assert_ne!(addr.port(), 0);
    (child, addr, lines)
}

#[tokio::test]
async fn prints_the_listening_line_and_serves() {
    let (mut child, addr, mut lines) =
        start(&["--addr", "127.0.0.1:0", "--dialect", "seed", "--control"]).await;

    let mut c = Client::new(addr);
    let put = c.req("PUT", "/v1/client").await.json();
    assert!(put["response"]["sign_in_attempt"].is_null(), "seed dialect");
    assert_eq!(
        c.req("POST", "/__mock/reset").await.status,
        204,
        "control on"
    );

    child.start_kill().expect("kill");
    let _ = child.wait().await;
    // Exactly one line was printed.
    assert_eq!(lines.next_line().await.unwrap(), None);
}

#[tokio::test]
async fn development_instance_behind_a_proxy_path() {
    let (_child, addr, _lines) =
        start(&["--instance", "development", "--proxy-path", "/__clerk"]).await;
    let mut c = Client::new(addr);
    c.req("GET", "/v1/client")
        .await
        .assert_error(401, "dev_browser_unauthenticated");
    let dev = c.req("POST", "/__clerk/v1/dev_browser").await;
    assert_eq!(dev.status, 200);
    c.dev_browser = Some(dev.json()["id"].as_str().unwrap().to_owned());
    assert!(c.current().await.is_null());
}

#[tokio::test]
async fn bad_arguments_and_help() {
    let bad = Command::new(EXE)
        .args(["--dialect", "ancient"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .await
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown dialect"));

    let mut help = Command::new(EXE)
        .arg("--help")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut text = String::new();
    help.stdout
        .take()
        .unwrap()
        .read_to_string(&mut text)
        .await
        .unwrap();
    assert!(help.wait().await.unwrap().success());
    for flag in ["--allow-origin", "--instance", "--proxy-path"] {
        assert!(text.contains(flag), "{flag}");
    }
}
