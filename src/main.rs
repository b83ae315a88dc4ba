//! The `paycore` binary.

fn main() -> std::process::ExitCode {
    paycore::cli::main()
}
