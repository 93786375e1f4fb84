import BordinReport
import Foundation

/// libFuzzer entry: arbitrary bytes as (1) a directive body and (2) a whole report — front
/// matter YAML, directive info strings and bodies, inline value paths, Markdown.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDirective(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Data(UnsafeBufferPointer(start: data, count: size))
  let file = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("bordin-fuzz/report.md")
  let body = String(decoding: bytes, as: UTF8.self)
  for kind in ["describe", "regress", "data", "meta", "table"] {
    _ = try? Renderer.render(source: Data("```{\(kind) #x}\n\(body)\n```\n\nValue `{x.a}`.\n".utf8), file: file, displayPath: "fuzz.md")
  }
  _ = try? Renderer.render(source: bytes, file: file, displayPath: "fuzz.md")
  return 0
}
