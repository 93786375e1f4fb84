import BordinData
import BordinStats
import Crypto
import Foundation

/// A dependency-aware, signed cache of directive results (`.bordin-cache/` in the project root).
///
/// **Key.** A directive's key is the SHA-256 of the Bordin version, its kind and every option
/// (with YAML's plain/quoted distinction), the params, and the keys of everything it reads: a
/// front-matter data source contributes its file's SHA-256, its query and a fingerprint of the
/// *resolved* table (names, column types and every cell, so `na:` or any other source option
/// that changes a value changes the key), a `data` directive or a result its own key — so a
/// changed data file, source option, directive option, upstream result or param can never
/// serve a stale result (the failure of Quarto's `freeze`).
///
/// **Trust.** A cache may arrive inside a stranger's project, so an entry is only used when it
/// carries a valid HMAC-SHA256 under a key kept outside the project, per user
/// (`$XDG_CACHE_HOME/bordin/cache-key`, else `~/.cache/bordin/cache-key`, created 0600 on first
/// use). The MAC covers the entry's cache key and its bytes, so an edited entry, an entry
/// signed by another user, or an entry copied under another key name is recomputed (and
/// overwritten). When the key cannot be read or created the cache is not used, and the render
/// says so once.
///
/// Entries hold the result at full precision with exact types, so a cached render is
/// byte-identical to an uncached one. Directives whose fitted model a later plot draws
/// (trajectories, surface, path) are not cached: the model itself is not stored.
struct ResultCache {
  let folder: URL
  let key: SymmetricKey

  init(folder: URL, key: SymmetricKey) {
    self.folder = folder
    self.key = key
  }


  /// The build that computes: the running executable's size and modification time. Part of
  /// every key, so that a rebuilt binary of the same version (whose estimators may have changed)
  /// never serves results an older build computed. Read once per process.
  static let buildIdentity: String = {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first ?? ""
    guard let a = try? FileManager.default.attributesOfItem(atPath: exe),
      let size = (a[.size] as? NSNumber)?.int64Value, let date = a[.modificationDate] as? Date
    else { return "unknown-build" }
    return "build:\(size):\(Int64((date.timeIntervalSince1970 * 1000).rounded()))"
  }()

  // MARK: The user's signing key

  /// Where the signing key lives: `$XDG_CACHE_HOME/bordin/` (when absolute) else `~/.cache/bordin/`.
  static func keyDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
    if let x = environment["XDG_CACHE_HOME"], x.hasPrefix("/") {
      return URL(fileURLWithPath: x).appendingPathComponent("bordin")
    }
    guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
    return URL(fileURLWithPath: home).appendingPathComponent(".cache").appendingPathComponent("bordin")
  }

  struct KeyError: Error, Equatable { var message: String }

  /// The 32-byte signing key in `directory/cache-key`, created (0600, in a 0700 folder) when
  /// absent. A key file that is not a regular 32-byte file is an error, never replaced.
  static func userKey(in directory: URL) throws(KeyError) -> SymmetricKey {
    let fm = FileManager.default
    let file = directory.appendingPathComponent("cache-key")
    if let data = fm.contents(atPath: file.path) {
      guard data.count == 32 else { throw KeyError(message: "'\(file.path)' is not a 32-byte key") }
      return SymmetricKey(data: data)
    }
    do {
      try fm.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      throw KeyError(message: "cannot create '\(directory.path)'")
    }
    let fresh = SymmetricKey(size: .bits256)
    let bytes = fresh.withUnsafeBytes { Array($0) }
    // O_EXCL: two renders starting together never both write; the loser reads the winner's key.
    let fd = open(file.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
    if fd < 0 {
      if let data = fm.contents(atPath: file.path), data.count == 32 { return SymmetricKey(data: data) }
      throw KeyError(message: "cannot create '\(file.path)'")
    }
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, 32) }
    close(fd)
    guard written == 32 else {
      try? fm.removeItem(at: file)
      throw KeyError(message: "cannot write '\(file.path)'")
    }
    return fresh
  }

  private static let warnedLock = NSLock()
  nonisolated(unsafe) private static var warned = false

  /// The cache for `folder` signed with the user's key, or nil (with a warning in `sink`, the
  /// first time in this process) when the key cannot be had.
  static func make(folder: URL, keyDirectory dir: URL? = keyDirectory(), sink: DiagnosticSink) -> ResultCache? {
    do throws(KeyError) {
      guard let dir else { throw KeyError(message: "neither XDG_CACHE_HOME nor HOME is an absolute path") }
      return ResultCache(folder: folder, key: try userKey(in: dir))
    } catch {
      warnedLock.lock()
      let first = !warned
      warned = true
      warnedLock.unlock()
      if first {
        sink.warning(SourceLocation(line: 1, column: 1), "cache-disabled",
                     "the result cache is not used: \(error.message), so results cannot be signed",
                     remedy: "make $XDG_CACHE_HOME/bordin (or ~/.cache/bordin) writable, or pass --no-cache")
      }
      return nil
    }
  }

  // MARK: Keys

  /// Keys for every invocation, in dependency order (`order` is topological).
  static func keys(_ order: [Invocation], datasets: [String: LoadedDataset], params: [(String, String)]) -> [String: String] {
    var keys: [String: String] = [:]
    var fingerprints: [String: String] = [:]
    let paramText = params.sorted { $0.0 < $1.0 }.map { "\(escapeKeyText($0.0))=\(escapeKeyText($0.1))" }.joined(separator: "\u{1}")
    for inv in order {
      var parts = [bordinVersion, buildIdentity, inv.kind, inv.options.map { escapeKeyText($0.key) + ":" + keyText($0.value) }.joined(separator: ","), paramText]
      for r in inv.references.sorted(by: { $0.name < $1.name }) {
        if let d = datasets[r.name] {
          if fingerprints[r.name] == nil { fingerprints[r.name] = tableFingerprint(d.table) }
          parts.append("source:\(escapeKeyText(r.name)):\(d.sha256):\(escapeKeyText(d.query ?? "")):\(escapeKeyText(d.readOptions)):\(fingerprints[r.name]!)")
        }
        if let k = keys[r.name] { parts.append("label:\(escapeKeyText(r.name)):\(k)") }
      }
      keys[inv.label] = sha256Hex(Data(parts.joined(separator: "\u{0}").utf8))
    }
    return keys
  }

  /// An option value as unambiguous text: every scalar tagged plain (`p`) or quoted (`q`).
  static func keyText(_ n: YAMLNode) -> String {
    switch n {
    case .scalar(let s, let plain, _): return (plain ? "p" : "q") + "\"" + escapeKeyText(s) + "\""
    case .list(let xs, _): return "[" + xs.map(keyText).joined(separator: ",") + "]"
    case .map(let kv, _): return "{" + kv.map { "\"" + escapeKeyText($0.key) + "\":" + keyText($0.value) }.joined(separator: ",") + "}"
    }
  }

  private static func escapeKeyText(_ s: String) -> String {
    var out = ""
    for u in s.unicodeScalars {
      switch u {
      case "\\", "\"", ",", ":", "=", "[", "]", "{", "}": out += "\\"; out.unicodeScalars.append(u)
      case _ where u.value < 0x20: out += "\\u\(u.value)."
      default: out.unicodeScalars.append(u)
      }
    }
    return out
  }

  /// SHA-256 of a table's names, column types and cells (doubles by their bit patterns).
  static func tableFingerprint(_ t: Table) -> String {
    var h = SHA256()
    func add(_ s: String) { var n = UInt64(s.utf8.count).littleEndian; withUnsafeBytes(of: &n) { h.update(bufferPointer: $0) }; h.update(data: Data(s.utf8)) }
    add("rows:\(t.rowCount)")
    for (name, col) in zip(t.names, t.columns) {
      add(name)
      switch col {
      case .numeric(let v):
        add("n")
        v.withUnsafeBufferPointer { b in h.update(bufferPointer: UnsafeRawBufferPointer(b)) }
      case .text(let v):
        add("t")
        for x in v { if let x { add("s" + x) } else { add("-") } }
      case .logical(let v):
        add("l")
        add(String(v.map { $0 == nil ? "-" : $0! ? "1" : "0" }))
      }
    }
    return h.finalize().map { String(format: "%02x", $0) }.joined()
  }

  // MARK: Entries

  /// What is stored: the result and its provenance, never HTML. The cached kinds write no HTML
  /// of their own (tables and plots of them are separate, uncached directives; warnings are
  /// rendered from `warnings` on load), so nothing read from disk is ever used as markup.
  private struct Entry: Codable {
    var result: ResultValue?
    var data: String?
    var rowsUsed: Int?
    var rowsDropped: Int?
    var droppedReason: String?
    var method: String?
    var warnings: [StatsWarning]
  }

  /// On disk: the hex HMAC on the first line, the entry's JSON after it.
  private func mac(_ cacheKey: String, _ body: Data) -> HMAC<SHA256>.MAC {
    var m = HMAC<SHA256>(key: key)
    m.update(data: Data("bordin-cache-v1\u{0}\(cacheKey)\u{0}".utf8))
    m.update(data: body)
    return m.finalize()
  }

  /// The entry stored under `cacheKey`, or nil when it is absent, unreadable or not signed by
  /// this user's key (then the directive is recomputed and the entry rewritten).
  func load(_ cacheKey: String) -> DirectiveOutput? {
    guard let file = FileManager.default.contents(atPath: folder.appendingPathComponent(cacheKey + ".json").path),
          let nl = file.firstIndex(of: 10), nl - file.startIndex == 64,
          let tag = Self.hexBytes(file[file.startIndex..<nl]) else { return nil }
    let body = Data(file[(nl + 1)...])
    guard HMAC<SHA256>.isValidAuthenticationCode(tag, authenticating: Self.prefixed(cacheKey, body), using: key),
          let e = try? JSONDecoder().decode(Entry.self, from: body) else { return nil }
    return DirectiveOutput(result: e.result, html: "", data: e.data, rowsUsed: e.rowsUsed, rowsDropped: e.rowsDropped,
                           droppedReason: e.droppedReason, method: e.method, warnings: e.warnings)
  }

  private static func prefixed(_ cacheKey: String, _ body: Data) -> Data {
    Data("bordin-cache-v1\u{0}\(cacheKey)\u{0}".utf8) + body
  }

  private static func hexBytes(_ d: Data) -> [UInt8]? {
    var out: [UInt8] = []
    var hi: UInt8?
    for c in d {
      let v: UInt8
      switch c {
      case 48...57: v = c - 48
      case 97...102: v = c - 87
      default: return nil
      }
      if let h = hi { out.append(h << 4 | v); hi = nil } else { hi = v }
    }
    return hi == nil ? out : nil
  }

  /// Stores `o` under `cacheKey`, signed. An output with HTML of its own is not stored: the
  /// cache holds results, and HTML would have to be trusted as markup when read back.
  func store(_ cacheKey: String, _ o: DirectiveOutput) {
    guard o.html.isEmpty else { return }
    let e = Entry(result: o.result, data: o.data, rowsUsed: o.rowsUsed, rowsDropped: o.rowsDropped,
                  droppedReason: o.droppedReason, method: o.method, warnings: o.warnings)
    guard let body = try? JSONEncoder().encode(e) else { return }
    try? Output.writeAtomically(signed(cacheKey, body), to: folder.appendingPathComponent(cacheKey + ".json"))
  }

  /// The file text for an entry: the hex HMAC of (`cacheKey`, `body`) on the first line, `body` after it.
  func signed(_ cacheKey: String, _ body: Data) -> String {
    mac(cacheKey, body).map { String(format: "%02x", $0) }.joined() + "\n" + String(decoding: body, as: UTF8.self)
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
