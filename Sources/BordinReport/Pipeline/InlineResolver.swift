import BordinData
import Foundation

/// Inline values: a code span `{PATH}` or `{PATH | FORMAT}` replaced by a formatted result.
///
/// PATH is a label followed by `.field` and `[key]` steps (DESIGN.md §2). A `[key]` step on a
/// list selects the element whose `term`, `type`, `name`, `var` or `lhs op rhs` equals the key
/// (pairs of variables also match `"x,y"`), or the element at a 0-based index.
struct InlinePath: Equatable {
  enum Step: Equatable { case field(String), key(String), index(Int) }
  var root: String
  var steps: [Step]
  var format: String?
  /// The path as written, used for `data-ref`.
  var text: String

  struct SyntaxError: Error { var message: String; var offset: Int }

  /// Parses the inside of `{…}`.
  static func parse(_ s: String) throws(SyntaxError) -> InlinePath {
    var body = s
    var format: String?
    if let bar = s.lastIndex(of: "|"), !s[bar...].contains("]"), !s[bar...].contains("\"") {
      body = String(s[..<bar])
      format = String(s[s.index(after: bar)...]).trimmingWhitespace()
      if format!.isEmpty { throw SyntaxError(message: "empty format after '|'", offset: s.distance(from: s.startIndex, to: bar)) }
    }
    let chars = Array(body.trimmingWhitespace())
    var i = 0
    func ident() -> String {
      var out = ""
      while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" || chars[i] == "-" { out.append(chars[i]); i += 1 }
      return out
    }
    let root = ident()
    guard !root.isEmpty else { throw SyntaxError(message: "a value path starts with a label", offset: 0) }
    var steps: [Step] = []
    while i < chars.count {
      if chars[i] == "." {
        i += 1
        let f = ident()
        guard !f.isEmpty else { throw SyntaxError(message: "expected a field name after '.'", offset: i) }
        steps.append(.field(f))
      } else if chars[i] == "[" {
        i += 1
        var key = ""
        if i < chars.count, chars[i] == "\"" || chars[i] == "'" {
          let q = chars[i]
          i += 1
          while i < chars.count, chars[i] != q { key.append(chars[i]); i += 1 }
          guard i < chars.count else { throw SyntaxError(message: "unterminated quoted key", offset: i) }
          i += 1
          steps.append(.key(key))
        } else {
          while i < chars.count, chars[i] != "]" { key.append(chars[i]); i += 1 }
          key = key.trimmingWhitespace()
          if let n = Int(key) { steps.append(.index(n)) } else { steps.append(.key(key)) }
        }
        guard i < chars.count, chars[i] == "]" else { throw SyntaxError(message: "expected ']'", offset: i) }
        i += 1
      } else {
        throw SyntaxError(message: "unexpected '\(chars[i])' in value path", offset: i)
      }
    }
    return InlinePath(root: root, steps: steps, format: format, text: String(chars))
  }
}

/// Resolves inline paths against results and formats them as HTML.
struct InlineResolver {
  let ev: Evaluation
  let params: [(String, String)]
  let datasets: [String: LoadedDataset]
  /// Renders a bibliography key as a citation (`cite`, `citep`) or a reference (`reference`);
  /// nil when the key or the bibliography is missing.
  var citation: (String, String) -> String? = { _, _ in nil }

  struct Failure: Error { var message: String; var remedy: String? }

  /// The HTML for `path`: `<span class="bordin-value" data-ref="PATH">` holding the formatted
  /// value; `id` marks the first use of a label (the provenance entry links back to it). The
  /// value is not a link: its block gets one provenance link (``target(_:)``) instead.
  func html(_ path: InlinePath, id: String? = nil) throws(Failure) -> String {
    let text = try render(path)
    let idAttr = id.map { " id=\"\(escapeHTML($0))\"" } ?? ""
    return "<span class=\"bordin-value\"\(idAttr) data-ref=\"\(escapeHTML(path.text))\">\(text)</span>"
  }

  /// The id of the provenance entry a value comes from: the directive's (`prov-LABEL`), the
  /// appendix for params, the inputs table for data sources.
  func target(_ path: InlinePath) -> String {
    path.root == "params" ? "provenance" : path.root == "data" && ev.output("data") == nil ? "inputs" : "prov-" + path.root
  }

  private func render(_ path: InlinePath) throws(Failure) -> String {
    if path.root == "params" {
      guard case .field(let name)? = path.steps.first, path.steps.count == 1 else {
        throw Failure(message: "write params.NAME", remedy: nil)
      }
      guard let v = params.first(where: { $0.0 == name }) else {
        throw Failure(message: "no param '\(name)'\(didYouMeanSuffix(name, params.map(\.0)))", remedy: "declare it under 'params:' in the front matter")
      }
      return escapeHTML(v.1)
    }
    if path.root == "data", ev.output("data") == nil {
      guard path.steps.count == 2, case .field(let name) = path.steps[0], case .field(let what) = path.steps[1] else {
        throw Failure(message: "write data.NAME.rows, data.NAME.columns or data.NAME.COLUMN (the first row's value)", remedy: nil)
      }
      let table: Table
      if let d = datasets[name] { table = d.table } else if let t = ev.output(name)?.dataset { table = t } else {
        throw Failure(message: "no dataset '\(name)'\(didYouMeanSuffix(name, Array(datasets.keys).sorted()))", remedy: nil)
      }
      switch what {
      case "rows": return Format.integer(Double(table.rowCount))
      case "columns": return Format.integer(Double(table.columnCount))
      default:
        guard let c = table[what] else {
          throw Failure(message: "dataset '\(name)' has no column '\(what)'\(didYouMeanSuffix(what, table.names))",
                        remedy: "data.NAME.rows, data.NAME.columns, or a column name for the first row's value")
        }
        guard table.rowCount > 0 else { throw Failure(message: "dataset '\(name)' has no rows, so '\(what)' has no value", remedy: "check the data source's query and params") }
        guard let v = c.string(at: 0) else { return "NA" }
        if let f = path.format, ["cite", "citep", "reference"].contains(f) {
          guard let h = citation(v, f) else {
            throw Failure(message: "'\(v)' is not a key of the bibliography", remedy: "declare 'bibliography:' in the front matter and add an entry '\(v)'")
          }
          return h
        }
        if case .numeric(let d) = c {
          if path.format == "p=" { return APA.p(d[0]) }
          return escapeHTML(try formatNumber(d[0], path.format, kind: Format.kind(of: what, in: nil)))
        }
        return escapeHTML(v)
      }
    }
    if let t = ev.output(path.root)?.dataset, path.steps.count == 1, case .field(let f) = path.steps[0], f == "rows" || f == "columns" {
      return Format.integer(Double(f == "rows" ? t.rowCount : t.columnCount))
    }
    let found = try lookup(path)
    if case .interval(let iv, let f) = found { return escapeHTML(try format(iv, path.format, field: f)) }
    guard case .value(let value, let parent, let lastField, let root) = found else { return "" }
    switch value {
    case .object:
      if let f = path.format, f != "apa", f != "ci" { throw Failure(message: "format '\(f)' applies to a number; '\(path.text)' is an object", remedy: "use '| apa' or pick a field") }
      if path.format == "ci", let iv = interval(value, "ci", root: root) { return escapeHTML(try format(iv, "ci", field: "ci")) }
      return APA.fragment(value, root: root, kind: ev.kinds[path.root] ?? "")
    case .int(let i) where path.format == nil:
      return escapeHTML(Format.integer(Double(i)))  // counts, df and other whole numbers of the result
    case .number, .int:
      let x = value.double ?? .nan
      if path.format == "p=" { return APA.p(x) }
      // A whole-number minimum or maximum (a 1–27 scale) has no decimals, as in the describe table.
      if path.format == nil, lastField == "min" || lastField == "max", x.isFinite, x == x.rounded() { return escapeHTML(Format.integer(x)) }
      return escapeHTML(try formatNumber(x, path.format, kind: Format.kind(of: lastField, in: parent)))
    case .string(let s): return escapeHTML(s)
    case .bool(let b): return b ? "true" : "false"
    case .null: return "NA"
    case .array(let items): return escapeHTML(items.compactMap { $0.string ?? $0.double.map { Format.fixed($0, 2) } }.joined(separator: ", "))
    }
  }

  /// What a result path points at: a value (with its parent object and field name) or a
  /// virtual interval (`…_ci`, `ci`, `pi`).
  enum Found {
    case value(ResultValue, parent: ResultValue?, field: String, root: ResultValue)
    case interval((Double, Double, Format.Kind), field: String)
  }

  /// Follows a result path (`label.field[key]…`) through the label's result.
  func lookup(_ path: InlinePath) throws(Failure) -> Found {
    guard let out = ev.output(path.root) else {
      let labels = ev.invocations.map(\.label)
      if labels.contains(path.root) { throw Failure(message: "'\(path.root)' failed, so its values are not available", remedy: "fix the directive's own error first") }
      throw Failure(message: "no directive is labelled '\(path.root)'\(didYouMeanSuffix(path.root, labels + ["params", "data"]))",
                    remedy: "labels are written {kind #label} on the directive's fence")
    }
    guard let root = out.result else { throw Failure(message: "'\(path.root)' has no values to show", remedy: nil) }
    var value = root
    var parent: ResultValue? = nil
    var lastField = ""
    for (n, step) in path.steps.enumerated() {
      switch step {
      case .field(let f):
        if let v = value[f] {
          parent = value; value = v; lastField = f
        } else if n == path.steps.count - 1, let iv = interval(value, f, root: root) {
          return .interval(iv, field: f)
        } else {
          let names = value.fields?.map(\.0) ?? []
          throw Failure(message: "'\(describe(path, upTo: n))' has no field '\(f)'\(didYouMeanSuffix(f, names))",
                        remedy: names.isEmpty ? nil : "its fields are: \(names.joined(separator: ", "))")
        }
      case .key(let k):
        guard case .array(let items) = value else { throw Failure(message: "'\(describe(path, upTo: n))' is not a list; '[\(k)]' needs one", remedy: nil) }
        // An exact key first: a crosstab cell "b,a" must not match the cell "a,b" by the pair rule.
        guard let hit = items.first(where: { Self.key($0) == k.trimmingWhitespace() }) ?? items.first(where: { Self.matches($0, k) }) else {
          let keys = items.compactMap(Self.key)
          throw Failure(message: "'\(describe(path, upTo: n))' has no element '\(k)'\(didYouMeanSuffix(k, keys))",
                        remedy: keys.isEmpty ? nil : "its keys are: \(keys.map { "\"\($0)\"" }.joined(separator: ", "))")
        }
        parent = value; value = hit
      case .index(let i):
        guard case .array(let items) = value, items.indices.contains(i) else {
          throw Failure(message: "'\(describe(path, upTo: n))' has no element [\(i)]", remedy: "indices start at 0")
        }
        parent = value; value = items[i]
      }
    }
    return .value(value, parent: parent, field: lastField, root: root)
  }

  /// `X_ci` → (X_ci_lb, X_ci_ub); `ci` → (ci_lb, ci_ub).
  private func interval(_ obj: ResultValue, _ f: String, root: ResultValue) -> (Double, Double, Format.Kind)? {
    // `pi` of a correlation meta-analysis is the prediction interval of r.
    if f == "pi", let lb = obj["r_pi_lb"]?.double, let ub = obj["r_pi_ub"]?.double { return (lb, ub, .bounded) }
    let (lbName, ubName, base) = f == "ci" || f == "pi" ? (f + "_lb", f + "_ub", "") : f.hasSuffix("_ci") || f.hasSuffix("_pi")
      ? (f + "_lb", f + "_ub", String(f.dropLast(3))) : ("", "", "")
    guard !lbName.isEmpty, let lb = obj[lbName]?.double, let ub = obj[ubName]?.double else { return nil }
    let kind = base.isEmpty ? Format.kind(of: "ci_lb", in: obj) : Format.kind(of: base, in: obj)
    return (lb, ub, kind)
  }

  private func format(_ iv: (Double, Double, Format.Kind), _ f: String?, field: String) throws(Failure) -> String {
    switch f {
    case nil, "ci", "apa": return Format.interval(iv.0, iv.1, kind: iv.2)
    case let d? where Self.decimals(d) != nil: return "[" + Format.fixed(iv.0, Self.decimals(d)!) + ", " + Format.fixed(iv.1, Self.decimals(d)!) + "]"
    case let d? where Double(d) != nil: throw Self.decimalsFailure(d)
    case "r": return Format.interval(iv.0, iv.1, kind: .bounded)
    default: throw Failure(message: "format '\(f!)' does not apply to an interval", remedy: "use ci, r or a number of decimals")
    }
  }

  private func formatNumber(_ x: Double, _ f: String?, kind: Format.Kind) throws(Failure) -> String {
    switch f {
    case nil, "apa": return Format.auto(x, kind: kind)
    case "p": return Format.p(x)
    case "p=": return APA.p(x)  // "<i>p</i> = .032" / "<i>p</i> &lt; .001": already HTML
    case "r": return Format.fixed(x, 2, leadingZero: false)
    case "%": return Format.percent(x)
    case "int": return Format.integer(x)
    case let d? where Self.decimals(d) != nil:
      return Format.fixed(x, Self.decimals(d)!, leadingZero: kind != .bounded && kind != .pValue)
    case let d? where Double(d) != nil: throw Self.decimalsFailure(d)
    default:
      throw Failure(message: "unknown format '\(f!)'", remedy: "formats: a number of decimals, p, p=, r, ci, %, int, apa")
    }
  }

  /// A format that is a number of decimals, 0 to 15 (`| 3`); nil for anything else.
  static func decimals(_ f: String) -> Int? { Double(f).flatMap { checkedInteger($0, in: 0...15) } }

  static func decimalsFailure(_ f: String) -> Failure {
    Failure(message: "format '\(f)' asks for a number of decimals outside 0 to 15", remedy: "write a whole number of decimals from 0 to 15, e.g. `{label.field | 2}`")
  }

  private func describe(_ p: InlinePath, upTo n: Int) -> String {
    var s = p.root
    for step in p.steps.prefix(n) {
      switch step {
      case .field(let f): s += "." + f
      case .key(let k): s += "[\"\(k)\"]"
      case .index(let i): s += "[\(i)]"
      }
    }
    return s
  }

  static func key(_ v: ResultValue) -> String? {
    for k in ["term", "type", "name", "var", "grp"] { if let s = v[k]?.string { return s } }
    if let c = v["category"]?.string { return v["group"]?.string.map { "\($0),\(c)" } ?? c }  // change categories
    if let l = v["lhs"]?.string, let o = v["op"]?.string, let r = v["rhs"]?.string {
      return (v["group"]?.string.map { "\($0),\(l) \(o) \(r)" }) ?? "\(l) \(o) \(r)"  // multigroup sem: "group,lhs op rhs"
    }
    if let x = v["x"]?.string, let y = v["y"]?.string { return "\(x),\(y)" }
    return nil
  }

  static func matches(_ v: ResultValue, _ k: String) -> Bool {
    let k = k.trimmingWhitespace()
    if let own = key(v), own == k { return true }
    if let l = v["lhs"]?.string, let o = v["op"]?.string, let r = v["rhs"]?.string {
      let g = v["group"]?.string.map { $0.replacingOccurrences(of: " ", with: "") + "," } ?? ""
      return k.replacingOccurrences(of: " ", with: "") == "\(g)\(l)\(o)\(r)"
    }
    if let x = v["x"]?.string, let y = v["y"]?.string {
      let parts = k.split(separator: ",").map { String($0).trimmingWhitespace() }
      return parts == [x, y] || parts == [y, x]
    }
    return false
  }
}
