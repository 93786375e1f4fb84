import Yams

/// A YAML value with its source position: the form directive options and front matter take
/// before they are checked against their specifications.
///
/// Scalars stay text until an option's declared type reads them, so `"1.0"` for a string
/// option stays `1.0`. Anchors and aliases are refused (no YAML bombs), and size and depth
/// are capped so a hostile file cannot exhaust memory.
indirect enum YAMLNode: Sendable {
  case scalar(String, plain: Bool, at: SourceLocation)
  case list([YAMLNode], at: SourceLocation)
  case map([(key: String, keyAt: SourceLocation, value: YAMLNode)], at: SourceLocation)

  var location: SourceLocation {
    switch self {
    case .scalar(_, _, let at), .list(_, let at), .map(_, let at): return at
    }
  }

  /// A short description of the node's shape, for messages.
  var shape: String {
    switch self {
    case .scalar(let s, _, _): return "'\(s)'"
    case .list: return "a list"
    case .map: return "a mapping"
    }
  }

  /// The scalar's text if this is a non-null scalar.
  var scalarText: String? {
    if case .scalar(let s, _, _) = self { return s }
    return nil
  }

  /// True for YAML null (`~`, `null`, empty plain scalar).
  var isNull: Bool {
    if case .scalar(let s, let plain, _) = self { return plain && (s.isEmpty || s == "~" || s == "null" || s == "Null" || s == "NULL") }
    return false
  }

  static let maxNodes = 10_000
  static let maxDepth = 64

  struct ParseError: Error {
    var message: String
    var at: SourceLocation
  }

  /// Parses `text` (one YAML document). Lines and columns are shifted by `lineOffset`/`columnOffset`
  /// so they point into the report file. An empty document is an empty mapping.
  static func parse(_ text: String, lineOffset: Int, columnOffset: Int = 0) throws(ParseError) -> YAMLNode {
    let origin = SourceLocation(line: lineOffset + 1, column: 1 + columnOffset)
    let node: Node?
    do {
      // The basic resolver: Bordin reads each scalar's text and style, never Yams's tags, and the
      // default resolver compiles seven regular expressions (ICU) on first use, about 1.2 ms of
      // every process's start-up (issue 24).
      node = try Yams.compose(yaml: text, .basic)
    } catch let e as YamlError {
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
      throw ParseError(message: describe(e), at: location(of: e, lines: lines, lineOffset: lineOffset, columnOffset: columnOffset) ?? origin)
    } catch {
      throw ParseError(message: "\(error)", at: origin)
    }
    guard let node else { return .map([], at: origin) }
    var count = 0
    return try convert(node, depth: 0, count: &count, lineOffset: lineOffset, columnOffset: columnOffset)
  }

  private static func loc(_ m: Mark?, _ lineOffset: Int, _ columnOffset: Int) -> SourceLocation {
    SourceLocation(line: (m?.line ?? 1) + lineOffset, column: (m?.column ?? 1) + columnOffset)
  }

  private static func convert(_ n: Node, depth: Int, count: inout Int, lineOffset: Int, columnOffset: Int) throws(ParseError) -> YAMLNode {
    count += 1
    let at = loc(n.mark, lineOffset, columnOffset)
    guard count <= maxNodes else { throw ParseError(message: "the YAML has more than \(maxNodes) values", at: at) }
    guard depth <= maxDepth else { throw ParseError(message: "the YAML is nested more than \(maxDepth) levels deep", at: at) }
    switch n {
    case .scalar(let s):
      return .scalar(s.string, plain: s.style == .plain, at: at)
    case .sequence(let seq):
      var items: [YAMLNode] = []
      for x in seq { items.append(try convert(x, depth: depth + 1, count: &count, lineOffset: lineOffset, columnOffset: columnOffset)) }
      return .list(items, at: at)
    case .mapping(let m):
      var pairs: [(key: String, keyAt: SourceLocation, value: YAMLNode)] = []
      for (k, v) in m {
        guard case .scalar(let ks) = k else {
          throw ParseError(message: "a mapping key must be plain text", at: loc(k.mark, lineOffset, columnOffset))
        }
        let kat = loc(k.mark, lineOffset, columnOffset)
        if pairs.contains(where: { $0.key == ks.string }) {
          throw ParseError(message: "the key '\(ks.string)' appears twice", at: kat)
        }
        pairs.append((ks.string, kat, try convert(v, depth: depth + 1, count: &count, lineOffset: lineOffset, columnOffset: columnOffset)))
      }
      return .map(pairs, at: at)
    case .alias:
      throw ParseError(message: "YAML aliases (*name) are not allowed here", at: at)
    }
  }

  /// Where the problem is: libyaml's problem mark, or its context mark (e.g. the unclosed `[`)
  /// when the problem was only noticed at the end of the text.
  private static func location(of e: YamlError, lines: Int, lineOffset: Int, columnOffset: Int) -> SourceLocation? {
    switch e {
    case .scanner(let c, _, let m, _), .parser(let c, _, let m, _), .composer(let c, _, let m, _):
      if m.line >= lines, let c { return loc(c.mark, lineOffset, columnOffset) }
      return loc(m, lineOffset, columnOffset)
    default: return nil
    }
  }

  private static func describe(_ e: YamlError) -> String {
    switch e {
    case .scanner(let c, let p, _, _), .parser(let c, let p, _, _), .composer(let c, let p, _, _):
      if let c { return "\(p) (\(c.text))" }
      return p
    case .reader(let p, _, _, _): return p
    case .duplicatedKeysInMapping(let d, _): return "duplicate keys: \(d.joined(separator: ", "))"
    default: return "\(e)"
    }
  }
}
