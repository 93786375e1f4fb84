import Foundation

/// Stops OpenBLAS's worker threads when OpenBLAS is the BLAS this process loaded.
///
/// OpenBLAS starts one thread per core when it is loaded, and an idle worker spins on
/// `sched_yield` for about 2²⁸ cycles before it sleeps. Bordin's matrices are small (the largest
/// dense blocks are a few dozen rows), so those threads never help, and on a two-core machine a
/// spinning worker takes a core from the render itself (perf: 28% of a benchmark report's
/// samples in `sched_yield`). `OPENBLAS_NUM_THREADS` would stop them being started, but it is
/// read before `main`; so this sets one thread and shuts the server down. The symbols are looked
/// up at run time: with reference BLAS, or when the user has set `OPENBLAS_NUM_THREADS`,
/// nothing is done.
enum BLASThreads {
  static func useOne() {
    guard ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] == nil,
      let handle = dlopen(nil, RTLD_NOW),
      let setThreads = dlsym(handle, "openblas_set_num_threads"),
      let shutdown = dlsym(handle, "blas_thread_shutdown_")
    else { return }
    typealias SetThreads = @convention(c) (Int32) -> Void
    typealias Shutdown = @convention(c) () -> Int32
    unsafeBitCast(setThreads, to: SetThreads.self)(1)
    _ = unsafeBitCast(shutdown, to: Shutdown.self)()
  }
}
