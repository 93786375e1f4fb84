import BordinReport
import Foundation

/// libFuzzer entry: arbitrary bytes as the start of a report — `---` fences with LF, CRLF or
/// lone CR, front-matter YAML (title, date, topics, data, params, bibliography) — split and
/// parsed (``FrontMatterFuzz/check(_:)``), then rendered as a whole report. Checks that nothing
/// traps or hangs, no text is lost, no CR survives and a validated date is a valid Atom date.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrontMatter(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Data(UnsafeBufferPointer(start: data, count: size))
  FrontMatterFuzz.check(String(decoding: bytes, as: UTF8.self))
  let file = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("bordin-fuzz-fm/report.md")
  _ = try? Renderer.render(source: bytes, file: file, displayPath: "fuzz.md")
  return 0
}
