//! `labrun lsp`: the language server, over stdin and stdout.

use crate::error::Error;

use super::exit;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Talk over stdin and stdout (the only transport; accepted because
    /// editors' generic clients pass it).
    #[arg(long)]
    pub stdio: bool,
}

pub fn exec(_args: &Args, lang: Option<String>) -> Result<u8, Error> {
    crate::lsp::serve_stdio(lang)?;
    Ok(exit::OK)
}
