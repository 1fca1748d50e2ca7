//! A small HTTP/1.1 test client over hyper with a one-cookie jar (`__client`).
#![allow(dead_code)]

use std::net::SocketAddr;

use bytes::Bytes;
use fapi_mock::{Config, Dialect, Running};
use http_body_util::{BodyExt, Full};
use hyper::header::{HeaderMap, HeaderName};
use hyper_util::rt::TokioIo;
use serde_json::Value;

pub mod schema;

pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// An answer, read whole.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The single `Set-Cookie` header, if any.
    pub fn set_cookie(&self) -> Option<&str> {
        self.header("set-cookie")
    }

    /// Asserts a Clerk-format error with this status and code.
    pub fn assert_error(&self, status: u16, code: &str) -> Value {
        assert_eq!(self.status, status, "{}", self.text());
        let body = self.json();
        assert_eq!(body["errors"][0]["code"], code, "{body}");
        assert!(body["errors"][0]["message"].is_string());
        assert!(body["errors"][0]["long_message"].is_string());
        assert!(body["errors"][0]["meta"].is_object());
        assert!(body["meta"].is_object());
        let trace = body["clerk_trace_id"].as_str().expect("trace id");
        assert_eq!(trace.len(), 32);
        assert_eq!(self.header("x-clerk-trace-id"), Some(trace));
        body
    }
}

/// A browser-like client: keeps the `__client` cookie, optionally sends an `Origin`; with
/// `dev_browser` it adds `__clerk_db_jwt=` to every query, with `native` `_is_native=1` and
/// the `authorization` header (neither is updated from answers: tests do that).
pub struct Client {
    pub addr: SocketAddr,
    pub cookie: Option<String>,
    pub origin: Option<String>,
    pub dev_browser: Option<String>,
    pub native: bool,
    pub authorization: Option<String>,
}

impl Client {
    pub fn new(addr: SocketAddr) -> Self {
        Self {
            addr,
            cookie: None,
            origin: None,
            dev_browser: None,
            native: false,
            authorization: None,
        }
    }

    /// `path` with the dev browser JWT and the native flag added to its query.
    fn with_query(&self, path: &str) -> String {
        let mut extra = Vec::new();
        if let Some(jwt) = &self.dev_browser {
            extra.push(format!("__clerk_db_jwt={jwt}"));
        }
        if self.native {
            extra.push("_is_native=1".to_owned());
        }
        if extra.is_empty() {
            return path.to_owned();
        }
        let sep = if path.contains('?') { '&' } else { '?' };
        format!("{path}{sep}{}", extra.join("&"))
    }

    /// Sends a request; a transport failure (dropped connection) is an `Err`.
    pub async fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<Resp, Error> {
        let stream = tokio::net::TcpStream::connect(self.addr).await?;
        let (mut sender, conn) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        let mut request = hyper::Request::builder()
            .method(method)
            .uri(self.with_query(path))
            .header("host", self.addr.to_string());
        if let Some(token) = &self.authorization {
            request = request.header("authorization", token.as_str());
        }
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", format!("__client={cookie}"));
        }
        if let Some(origin) = &self.origin {
            request = request.header("origin", origin.as_str());
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request.body(Full::new(Bytes::copy_from_slice(body)))?;
        let response = sender.send_request(request).await?;
        let (parts, body) = response.into_parts();
        let body = body.collect().await?.to_bytes();
        let resp = Resp {
            status: parts.status.as_u16(),
            headers: parts.headers,
            body,
        };
        if let Some(set) = resp.set_cookie() {
            let value = set
                .strip_prefix("__client=")
                .and_then(|rest| rest.split(';').next())
                .unwrap_or_default();
            self.cookie = if set.contains("Max-Age=0") || value.is_empty() {
                None
            } else {
                Some(value.to_owned())
            };
        }
        Ok(resp)
    }

    pub async fn req(&mut self, method: &str, path: &str) -> Resp {
        self.send(method, path, &[], b"").await.expect("transport")
    }

    pub async fn form(&mut self, method: &str, path: &str, form: &str) -> Resp {
        self.send(
            method,
            path,
            &[("content-type", "application/x-www-form-urlencoded")],
            form.as_bytes(),
        )
        .await
        .expect("transport")
    }

    pub async fn json(&mut self, method: &str, path: &str, json: &Value) -> Resp {
        self.send(
            method,
            path,
            &[("content-type", "application/json")],
            json.to_string().as_bytes(),
        )
        .await
        .expect("transport")
    }

    pub async fn sign_in(&mut self, identifier: &str, password: &str) -> Resp {
        let form = format!("strategy=password&identifier={identifier}&password={password}");
        self.form("POST", "/v1/client/sign_ins", &form).await
    }

    /// Signs in and answers the new session's id.
    pub async fn signed_in(&mut self, identifier: &str, password: &str) -> String {
        let resp = self.sign_in(identifier, password).await;
        assert_eq!(resp.status, 200, "{}", resp.text());
        resp.json()["response"]["created_session_id"]
            .as_str()
            .expect("created_session_id")
            .to_owned()
    }

    /// `GET /v1/client`'s `response`.
    pub async fn current(&mut self) -> Value {
        let resp = self.req("GET", "/v1/client").await;
        assert_eq!(resp.status, 200);
        resp.json()["response"].clone()
    }
}

/// Runs a server in-process on a free loopback port.
pub async fn server(config: Config) -> Running {
    fapi_mock::spawn(config, SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("spawn")
}

/// A server with the control plane in `dialect`.
pub async fn control_server(dialect: Dialect) -> Running {
    server(Config {
        dialect,
        control: true,
        ..Config::default()
    })
    .await
}

/// Header names present in a response that start with `access-control-`.
pub fn cors_headers(headers: &HeaderMap) -> Vec<String> {
    headers
        .keys()
        .map(HeaderName::as_str)
        .filter(|n| n.starts_with("access-control-"))
        .map(str::to_owned)
        .collect()
}

/// Decodes the claims of a JWT.
pub fn jwt_claims(jwt: &str) -> Value {
    use base64::Engine as _;
    let payload = jwt.split('.').nth(1).expect("payload");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("claims JSON")
}

/// The RS256 verification key of the server's key set, and its `kid`.
pub async fn jwks_key(c: &mut Client) -> (jsonwebtoken::DecodingKey, String) {
    let resp = c.req("GET", "/.well-known/jwks.json").await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    let set = resp.json();
    let key = &set["keys"][0];
    let decoding = jsonwebtoken::DecodingKey::from_rsa_components(
        key["n"].as_str().expect("n"),
        key["e"].as_str().expect("e"),
    )
    .expect("RSA components");
    (decoding, key["kid"].as_str().expect("kid").to_owned())
}

/// Verifies an RS256 token (signature, `exp` and `nbf` with no leeway, `iss`) and answers its
/// claims; asserts its header names `kid`.
pub fn verify_token(
    jwt: &str,
    key: &jsonwebtoken::DecodingKey,
    kid: &str,
    issuer: &str,
) -> Result<Value, jsonwebtoken::errors::Error> {
    use jsonwebtoken::{decode, decode_header, Algorithm, Validation};
    let header = decode_header(jwt)?;
    assert_eq!(header.alg, Algorithm::RS256);
    assert_eq!(header.kid.as_deref(), Some(kid));
    let mut validation = Validation::new(Algorithm::RS256);
    validation.leeway = 0;
    validation.validate_nbf = true;
    validation.set_issuer(&[issuer]);
    validation.set_required_spec_claims(&["exp", "iat", "iss", "nbf", "sub"]);
    decode::<Value>(jwt, key, &validation).map(|data| data.claims)
}

/// `POST /v1/dev_browser`'s JWT.
pub async fn new_dev_browser(c: &mut Client) -> String {
    let resp = c.req("POST", "/v1/dev_browser").await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    resp.json()["id"].as_str().expect("id").to_owned()
}

/// A server with the control plane as a development instance.
pub async fn dev_server() -> Running {
    server(Config {
        control: true,
        instance: fapi_mock::Instance::Development,
        ..Config::default()
    })
    .await
}
