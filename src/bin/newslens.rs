//! The `newslens` command; all of it lives in `newslens::cli` so that tests can drive it.

// Building an index allocates millions of small strings and lists on worker threads and
// frees many of them on the merging thread; glibc's allocator spent a quarter of a 10k
// build in malloc and free. mimalloc's thread-local free lists make that cheap.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    newslens::cli::main()
}
