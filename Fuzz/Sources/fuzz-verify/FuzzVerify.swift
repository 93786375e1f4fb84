import BordinReport

/// libFuzzer entry: arbitrary bytes as a `results.json` and a page (split at the first NUL
/// byte; without one, the same bytes are both), through verify's reader and pair checks
/// (`Verifier.inspect`: parsing, field types, render ids, params, the template line diff).
/// Traps on a crash, a hang, or a broken invariant (a difference marked `internal:`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVerify(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let record: [UInt8], html: [UInt8]
  if let nul = bytes.firstIndex(of: 0) {
    record = Array(bytes[..<nul])
    html = Array(bytes[(nul + 1)...])
  } else {
    record = bytes
    html = bytes
  }
  let outcome = Verifier.inspect(html: html, record: record)
  if let bug = outcome.differences.first(where: { $0.hasPrefix("internal:") }) { fatalError(bug) }
  _ = outcome.summary
  return 0
}
