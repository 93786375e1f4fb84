import BordinData
import Foundation

extension Renderer {
  /// `text` with every `{path}` / `{path | format}` replaced by its value as plain text; a
  /// path that does not resolve is left as written.
  static func substitute(_ text: String, resolver: InlineResolver) -> String {
    guard text.contains("{") else { return text }
    var out = ""
    var rest = Substring(text)
    while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
      out += rest[..<open]
      let inner = String(rest[rest.index(after: open)..<close])
      if let path = try? InlinePath.parse(inner), let html = try? resolver.html(path) {
        out += ComputedValues.unescape(ComputedValues.stripTags(html))
      } else {
        out += rest[open...close]
      }
      rest = rest[rest.index(after: close)...]
    }
    return out + rest
  }
}
