//! The `paycore` binary.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    paycore::cli::main()
}
