import Foundation

/// A dependency-aware cache of directive results (`.bordin-cache/` in the project root).
///
/// A directive's key is the SHA-256 of the Bordin version, its kind and options, the params,
/// and the keys of everything it reads: a front-matter data source contributes its file's
/// SHA-256 (and query, and reading options such as `na`), a `data` directive or a result its own key — so a changed data file,
/// option, upstream result or param can never serve a stale result (the failure of Quarto's
/// `freeze`). Entries hold the result at full precision with exact types, so a cached render
/// is byte-identical to an uncached one. Directives whose fitted model a later plot draws
/// (trajectories, surface, path) are not cached: the model itself is not stored.
struct ResultCache {
  let folder: URL

  /// Kinds worth caching: the ones that fit models. `data`, `table` and `plot` are cheap or draw models.
  static let kinds: Set<String> = ["describe", "correlate", "regress", "ttest", "lmm", "growth", "meta", "sem", "clpm",
                                   "agree", "kappa", "reliability", "discrepancy"]

  /// Keys for every invocation, in dependency order (`order` is topological).
  static func keys(_ order: [Invocation], datasets: [String: LoadedDataset], params: [(String, String)]) -> [String: String] {
    var keys: [String: String] = [:]
    let paramText = params.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: "\u{1}")
    for inv in order {
      var parts = [bordinVersion, inv.kind, JSONWriter.string(Provenance.options(inv.options)), paramText]
      for r in inv.references.sorted(by: { $0.name < $1.name }) {
        if let d = datasets[r.name] { parts.append("source:\(r.name):\(d.sha256):\(d.query ?? ""):\(d.readOptions)") }
        if let k = keys[r.name] { parts.append("label:\(r.name):\(k)") }
      }
      keys[inv.label] = sha256Hex(Data(parts.joined(separator: "\u{0}").utf8))
    }
    return keys
  }

  private struct Entry: Codable {
    var result: ResultValue?
    var html: String
    var data: String?
    var rowsUsed: Int?
    var rowsDropped: Int?
    var droppedReason: String?
    var method: String?
    var warnings: [String]
  }

  func load(_ key: String) -> DirectiveOutput? {
    guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(key + ".json").path),
          let e = try? JSONDecoder().decode(Entry.self, from: data) else { return nil }
    return DirectiveOutput(result: e.result, html: e.html, data: e.data, rowsUsed: e.rowsUsed, rowsDropped: e.rowsDropped,
                           droppedReason: e.droppedReason, method: e.method, warnings: e.warnings)
  }

  func store(_ key: String, _ o: DirectiveOutput) {
    let e = Entry(result: o.result, html: o.html, data: o.data, rowsUsed: o.rowsUsed, rowsDropped: o.rowsDropped,
                  droppedReason: o.droppedReason, method: o.method, warnings: o.warnings)
    guard let data = try? JSONEncoder().encode(e) else { return }
    try? Output.writeAtomically(String(decoding: data, as: UTF8.self), to: folder.appendingPathComponent(key + ".json"))
  }
}

/// Exact-type JSON for the cache: every value tagged, doubles at full precision.
extension ResultValue: Codable {
  private enum Tag: String, Codable { case null = "z", bool = "b", number = "n", int = "i", string = "s", array = "a", object = "o" }
  private enum Keys: String, CodingKey { case t, v, k }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: Keys.self)
    switch self {
    case .null: try c.encode(Tag.null, forKey: .t)
    case .bool(let b): try c.encode(Tag.bool, forKey: .t); try c.encode(b, forKey: .v)
    case .number(let d):
      // Non-finite doubles as text; finite ones as their shortest round-trip text.
      try c.encode(Tag.number, forKey: .t); try c.encode("\(d)", forKey: .v)
    case .int(let i): try c.encode(Tag.int, forKey: .t); try c.encode(i, forKey: .v)
    case .string(let s): try c.encode(Tag.string, forKey: .t); try c.encode(s, forKey: .v)
    case .array(let a): try c.encode(Tag.array, forKey: .t); try c.encode(a, forKey: .v)
    case .object(let f):
      try c.encode(Tag.object, forKey: .t); try c.encode(f.map(\.0), forKey: .k); try c.encode(f.map(\.1), forKey: .v)
    }
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: Keys.self)
    switch try c.decode(Tag.self, forKey: .t) {
    case .null: self = .null
    case .bool: self = .bool(try c.decode(Bool.self, forKey: .v))
    case .number:
      let s = try c.decode(String.self, forKey: .v)
      guard let d = Double(s) else { throw DecodingError.dataCorruptedError(forKey: .v, in: c, debugDescription: "not a number: \(s)") }
      self = .number(d)
    case .int: self = .int(try c.decode(Int.self, forKey: .v))
    case .string: self = .string(try c.decode(String.self, forKey: .v))
    case .array: self = .array(try c.decode([ResultValue].self, forKey: .v))
    case .object:
      let k = try c.decode([String].self, forKey: .k), v = try c.decode([ResultValue].self, forKey: .v)
      self = .object(Array(zip(k, v)))
    }
  }
}
