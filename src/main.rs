// Page parsing allocates many small strings on every core at once; glibc's
// allocator spent about a sixth of a `check` run in malloc, free and arena
// growth (mprotect). mimalloc's per-thread heaps cut that.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    labrun::cli::main()
}
