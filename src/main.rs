fn main() -> std::process::ExitCode {
    labrun::cli::main()
}
