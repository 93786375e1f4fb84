import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Size limits on every file Bordin reads, checked before the work: the file is stat'ed first
/// (a 3 GiB data file is refused at once, without reading it), only regular files are read (a
/// FIFO or a device could block or never end), and the read itself stops at the limit (a file
/// that grows meanwhile is still refused).
enum FileLimits {
  /// Largest data file (CSV, TSV or SQLite database).
  static let maxDataBytes = 512 * 1024 * 1024
  /// Largest report source.
  static let maxReportBytes = 64 * 1024 * 1024
  /// Largest bibliography (.bib) file.
  static let maxBibliographyBytes = 64 * 1024 * 1024
  /// Largest `bordin.yml` (project settings).
  static let maxSettingsBytes = 1024 * 1024
  /// Largest `--params-from` CSV.
  static let maxParamsBytes = 64 * 1024 * 1024

  enum ReadError: Error, Equatable {
    case missing
    /// Not a regular file (a folder, FIFO, socket or device).
    case notRegular
    /// Larger than the limit: the size in bytes (at least limit + 1).
    case tooLarge(Int)
    case unreadable
  }

  /// The contents of the regular file at `path`, at most `limit` bytes.
  static func read(_ path: String, limit: Int) throws(ReadError) -> Data {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused by fstat below.
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    if fd < 0 { throw errno == ENOENT || errno == ENOTDIR ? .missing : .unreadable }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else { throw .unreadable }
    guard (st.st_mode & S_IFMT) == S_IFREG else { throw .notRegular }
    guard Int(st.st_size) <= limit else { throw .tooLarge(Int(st.st_size)) }
    var out = Data(count: Int(st.st_size))
    var got = 0
    let ok: Bool = out.withUnsafeMutableBytes { buf in
      while got < buf.count {
        let n = Glibc.read(fd, buf.baseAddress! + got, buf.count - got)
        if n < 0 { if errno == EINTR || errno == EAGAIN { continue }; return false }
        if n == 0 { break }
        got += n
      }
      return true
    }
    guard ok else { throw .unreadable }
    if got < out.count { out.removeSubrange(got...) }
    // The file may have grown since fstat: one more byte means it is now over the limit.
    var probe: UInt8 = 0
    if got == Int(st.st_size), Glibc.read(fd, &probe, 1) == 1 {
      if got + 1 > limit { throw .tooLarge(got + 1) }
      var rest = Data([probe])
      var chunk = [UInt8](repeating: 0, count: 65536)
      while true {
        let n = Glibc.read(fd, &chunk, min(chunk.count, limit - got - rest.count + 1))
        if n <= 0 { break }
        rest.append(contentsOf: chunk[0..<n])
        if got + rest.count > limit { throw .tooLarge(got + rest.count) }
      }
      out.append(rest)
    }
    return out
  }

  /// The size of `bytes` in MiB for messages, e.g. "3072 MiB".
  static func mib(_ bytes: Int) -> String {
    bytes >= 1_048_576 ? "\(bytes / 1_048_576) MiB" : "\(bytes) bytes"
  }

  /// A sentence for a failed read of `what` (e.g. "data file 'big.csv'") with `limit`.
  static func message(_ e: ReadError, _ what: String, limit: Int) -> (code: String, message: String, remedy: String?) {
    switch e {
    case .missing: return ("missing-file", "\(what) does not exist", nil)
    case .notRegular: return ("not-a-file", "\(what) is not a regular file (a folder, pipe or device)", "give the path of an ordinary file")
    case .tooLarge(let n):
      return ("file-too-large", "\(what) is \(mib(n)); the limit is \(mib(limit))", "split the file or select the rows and columns the report needs")
    case .unreadable: return ("unreadable-file", "\(what) cannot be read", "check the file's permissions")
    }
  }
}
