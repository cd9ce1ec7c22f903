//! The `newslens` command; all of it lives in `newslens::cli` so that tests can drive it.

fn main() -> std::process::ExitCode {
    newslens::cli::main()
}
