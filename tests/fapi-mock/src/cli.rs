//! The command line: `fapi-mock [--addr ADDR] [--dialect seed|current]
//! [--instance development|production] [--proxy-path PATH] [--control] [--static DIR]
//! [--allow-origin ORIGIN]...`.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::{proxy_path, Config, Dialect, Instance};

/// Usage text.
pub const USAGE: &str = "\
usage: fapi-mock [--addr ADDR] [--dialect seed|current] [--instance development|production]
                 [--proxy-path PATH] [--control] [--static DIR] [--allow-origin ORIGIN]...

  --addr ADDR            address to listen on (default 127.0.0.1:0, any free port)
  --dialect NAME         `current` (OpenAPI spec, default) or `seed` (2021 document)
  --instance KIND        `production` (the __client cookie, default) or `development`
                         (dev browsers: POST /v1/dev_browser, ?__clerk_db_jwt=)
  --proxy-path PATH      serve the Frontend API under PATH too (e.g. /__clerk)
  --control              serve the /__mock/ test control plane
  --static DIR           serve files from DIR at /
  --allow-origin ORIGIN  allow credentialed CORS from ORIGIN too (loopback origins always are)
  -h, --help             print this help
";

/// What the command line asks for.
#[derive(Debug, Clone)]
pub enum Command {
    /// Run the server.
    Serve {
        /// Listen address.
        addr: SocketAddr,
        /// Server configuration.
        config: Config,
    },
    /// Print the usage and exit.
    Help,
}

/// Parses the arguments (without the program name). `--opt=value` works as well as
/// `--opt value`.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut addr = SocketAddr::from(([127, 0, 0, 1], 0));
    let mut config = Config::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match name.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--addr" => {
                let v = value("--addr")?;
                addr = v.parse().map_err(|_| format!("bad address: {v}"))?;
            }
            "--dialect" => {
                let v = value("--dialect")?;
                config.dialect =
                    Dialect::parse(&v).ok_or_else(|| format!("unknown dialect: {v}"))?;
            }
            "--instance" => {
                let v = value("--instance")?;
                config.instance =
                    Instance::parse(&v).ok_or_else(|| format!("unknown instance: {v}"))?;
            }
            "--proxy-path" => {
                let v = value("--proxy-path")?;
                config.proxy_path =
                    Some(proxy_path::normalize(&v).ok_or_else(|| format!("bad proxy path: {v}"))?);
            }
            "--control" => config.control = true,
            "--static" => config.static_dir = Some(PathBuf::from(value("--static")?)),
            "--allow-origin" => config.allow_origins.push(value("--allow-origin")?),
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    Ok(Command::Serve { addr, config })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn parses_every_option() {
        let Ok(Command::Serve { addr, config }) = parse(args(
            "--addr 127.0.0.1:4000 --dialect=seed --control --static www \
             --allow-origin http://a.test --allow-origin=http://b.test \
             --instance development --proxy-path=/__clerk/",
        )) else {
            panic!("expected serve");
        };
        assert_eq!(addr.port(), 4000);
        assert_eq!(config.dialect, Dialect::Seed);
        assert!(config.control);
        assert_eq!(config.static_dir, Some(PathBuf::from("www")));
        assert_eq!(config.allow_origins, ["http://a.test", "http://b.test"]);
        assert_eq!(config.instance, Instance::Development);
        assert_eq!(config.proxy_path.as_deref(), Some("/__clerk"));
    }

    #[test]
    fn defaults_and_errors() {
        let Ok(Command::Serve { addr, config }) = parse(args("")) else {
            panic!("expected serve");
        };
        assert_eq!(addr.to_string(), "127.0.0.1:0");
        assert_eq!(config.dialect, Dialect::Current);
        assert!(!config.control);
        assert_eq!(config.instance, Instance::Production);
        assert_eq!(config.proxy_path, None);
        assert!(parse(args("--dialect old")).is_err());
        assert!(parse(args("--instance staging")).is_err());
        assert!(parse(args("--proxy-path /")).is_err());
        assert!(parse(args("--addr")).is_err());
        assert!(parse(args("--bogus")).is_err());
        assert!(matches!(parse(args("--help")), Ok(Command::Help)));
    }
}
