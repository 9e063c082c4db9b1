//! The `waico` binary: parse the command line, run it, print any error chain, exit.

use std::process::ExitCode;

fn main() -> ExitCode {
    waico::cli::main()
}
