//! `fapi-mock`: runs the mock Frontend API; see `fapi-mock --help`.

use std::io::Write as _;
use std::process::ExitCode;

use fapi_mock::cli::{self, Command};

#[tokio::main]
async fn main() -> ExitCode {
    let (addr, config) = match cli::parse(std::env::args().skip(1)) {
        Ok(Command::Serve { addr, config }) => (addr, config),
        Ok(Command::Help) => {
            print!("{}", cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("fapi-mock: {message}\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("fapi-mock: cannot listen on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let local = listener.local_addr().unwrap_or(addr);
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "fapi-mock listening on http://{local}");
    let _ = stdout.flush();
    if let Err(e) = axum::serve(listener, fapi_mock::app(config)).await {
        eprintln!("fapi-mock: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
