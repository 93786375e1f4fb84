import BordinData
import Foundation

/// What readers see instead of raw names (DESIGN.md §4): table rows, legends and axis titles.
///
/// Sources, later overriding earlier: the variable and value labels of SPSS, Stata and SAS data
/// sources (``ColumnInfo``), a codebook CSV (`labels: data/codebook.csv`, columns `name,label`)
/// and a front-matter map (`labels: { bond_t: Therapist-rated bond, formatgroup: Group format }`).
/// A key is a column name, an R term name, or `column=value` for a level (`anxiety=1: Anxiety
/// disorder`, which also labels the dummy term `anxiety1` and a legend entry `1`). Raw names stay in results.json and in paths: only
/// the HTML uses labels.
///
/// Terms are labelled part by part: an exact entry wins; else `a:b` is "A × B"; a factor dummy
/// `formatgroup` (column `format` + level `group`) is "Treatment format: group" when the column
/// has a label, the level being its value label when the column kept its codes (only the level's
/// label when it repeats the column's: a 0/1 dummy); `(Intercept)` (metafor: `intrcpt`) is
/// "Intercept"; a term
/// nothing labels keeps its R name.
struct Labels {
  /// Column or term → label.
  private(set) var names: [String: String] = [:]
  /// Column → code → value label (from files; codes as text, `1`, `-99`).
  private(set) var values: [String: [String: String]] = [:]
  /// Factor (text and logical) columns of the data sources and their values, to split dummy terms.
  private var levels: [String: Set<String>] = [:]
  /// The names whose labels were shown, so that a front-matter label naming nothing shown can be reported.
  /// Locked: the directives of one evaluation level run in parallel and share it.
  private final class Usage: @unchecked Sendable {
    private let lock = NSLock()
    private var names = Set<String>()
    func insert(_ name: String) { lock.lock(); names.insert(name); lock.unlock() }
    func formUnion(_ other: Set<String>) { lock.lock(); names.formUnion(other); lock.unlock() }
    func contains(_ name: String) -> Bool { lock.lock(); defer { lock.unlock() }; return names.contains(name) }
    var snapshot: Set<String> { lock.lock(); defer { lock.unlock() }; return names }
  }
  private var usage = Usage()

  init() {}

  /// Labels from the variable and value labels of `tables`, then `entries` (codebook, then map).
  init(tables: [Table], entries: [(String, String)]) {
    for t in tables {
      for (column, c) in zip(t.names, t.columns) where !c.isNumeric {
        let distinct = Set((0..<t.rowCount).compactMap { c.string(at: $0) })
        if distinct.count <= 1000 { levels[column, default: []].formUnion(distinct) }
      }
      for (column, info) in t.info.sorted(by: { $0.key < $1.key }) {
        if let l = info.label { names[column] = l }
        if !info.valueLabels.isEmpty {
          values[column] = Dictionary(info.valueLabels.map { ($0.code, $0.label) }, uniquingKeysWith: { a, _ in a })
        }
      }
    }
    apply(entries)
  }

  /// Adds `entries` over the labels there are; `column=value` labels a level of a column
  /// (`anxiety=1: Anxiety disorder`).
  private mutating func apply(_ entries: [(String, String)]) {
    for (k, v) in entries {
      if let eq = k.firstIndex(of: "="), eq != k.startIndex {
        values[String(k[..<eq]), default: [:]][String(k[k.index(after: eq)...])] = v
      } else {
        names[k] = v
      }
    }
  }

  /// These labels with a directive's own `labels:` over them. The copy records what it shows
  /// apart (``wasShown(_:)`` answers for the directive); ``record(shownBy:except:)`` passes it back.
  func overriding(_ entries: [(String, String)]) -> Labels {
    var copy = self
    copy.usage = Usage()
    copy.apply(entries)
    return copy
  }

  /// Marks as shown what `other` (an ``overriding(_:)`` copy) showed, except the names in
  /// `keys` (the directive's own labels, which the report's do not supply there).
  func record(shownBy other: Labels, except keys: Set<String>) {
    usage.formUnion(other.usage.snapshot.subtracting(keys))
  }

  var isEmpty: Bool { names.isEmpty && values.isEmpty }

  /// The label of column `name`, or the name.
  func column(_ name: String) -> String {
    guard let l = names[name] else { return name }
    usage.insert(name)
    return l
  }

  /// Whether `name` has a label of its own (without marking it shown).
  func hasLabel(_ name: String) -> Bool { names[name] != nil }

  /// Whether a table or plot showed the label of `name`.
  func wasShown(_ name: String) -> Bool { usage.contains(name) }

  /// The label of value `value` of column `column` (a value label of a numeric code), or the value.
  func level(_ column: String, _ value: String) -> String {
    guard let l = values[column]?[value] else { return value }
    usage.insert(column + "=" + value)
    return l
  }

  /// The label of R term `term` (`bond_t`, `formatgroup`, `format:bond_t`, `(Intercept)`).
  func term(_ term: String) -> String {
    if let l = names[term] {
      usage.insert(term)
      return l
    }
    if term == "(Intercept)" || term == "intrcpt" { return "Intercept" }  // R's and metafor's name
    let parts = term.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    if parts.count > 1, !term.hasPrefix("(") {
      let labelled = parts.map { self.term($0) }
      return labelled == parts ? term : labelled.joined(separator: " × ")
    }
    if let (c, level) = factorLevel(term) {
      let name = column(c), value = self.level(c, level)
      return value == name ? value : "\(name): \(value)"
    }
    if let power = powerTerm(term) { return power }
    return term
  }

  /// An `I()` term of labelled columns: `I(x^2)` → "X²", `I(x * y)` → "X × Y"; nil when a
  /// factor is not a labelled column or a whole-number power.
  private func powerTerm(_ term: String) -> String? {
    guard term.hasPrefix("I("), term.hasSuffix(")") else { return nil }
    let inner = String(term.dropFirst(2).dropLast().filter { $0 != " " })
    var labelled: [String] = []
    for factor in inner.split(separator: "*", omittingEmptySubsequences: false).map(String.init) {
      let sides = factor.split(separator: "^", omittingEmptySubsequences: false).map(String.init)
      guard sides.count <= 2, hasLabel(sides[0]) else { return nil }
      var text = column(sides[0])
      if sides.count == 2 {
        guard let k = Int(sides[1]), k >= 0 else { return nil }
        text += String(String(k).map { Self.superscripts[Int(String($0))!] })
      }
      labelled.append(text)
    }
    return labelled.joined(separator: " × ")
  }

  private static let superscripts: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]

  /// A factor dummy `term` split into its labelled factor column and one of its levels: the
  /// levels seen in the data sources, or those given labels (`pp=yes`), which also covers
  /// columns derived in the report.
  private func factorLevel(_ term: String) -> (String, String)? {
    var known = levels
    for (c, codes) in values { known[c, default: []].formUnion(codes.keys) }
    for (c, lv) in known.sorted(by: { ($0.key.count, $0.key) > ($1.key.count, $1.key) })
    where names[c] != nil && term.count > c.count && term.hasPrefix(c) {
      let rest = String(term.dropFirst(c.count))
      if lv.contains(rest) { return (c, rest) }
    }
    return nil
  }

  /// The label of a simulator's parameter name (`recovery` tables): an exact entry wins; else
  /// `head.rest` is "Head: rest" with `rest` labelled as a term or as `kind[inner]`, where
  /// `a ~ b` is "B → A", `a ~~ b` "A ↔ B", `a - b` "A − B" and `a, b` "A, B" (each side a term).
  func parameter(_ name: String) -> String {
    if let l = names[name] {
      usage.insert(name)
      return l
    }
    guard let dot = name.firstIndex(of: "."), !name[..<dot].contains("[") else { return bracketed(name) }
    let head = term(String(name[..<dot]))
    let rest = bracketed(String(name[name.index(after: dot)...]))
    return rest.isEmpty ? head : "\(head): \(rest)"
  }

  /// `kind[inner]` labelled ("fixed" is dropped: the term says it), or a term.
  private func bracketed(_ text: String) -> String {
    guard text.hasSuffix("]"), let open = text.firstIndex(of: "[") else { return term(text) }
    let kind = String(text[..<open])
    let inner = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
    let words = ["fixed": "", "ar": "stability", "cross": "", "rescov": "residual covariance", "sd": "SD", "mean": "mean"]
    let innerLabel: String
    if let r = inner.range(of: " ~~ ") {
      innerLabel = "\(term(String(inner[..<r.lowerBound]))) ↔ \(term(String(inner[r.upperBound...])))"
    } else if let r = inner.range(of: " ~ ") {
      innerLabel = "\(term(String(inner[r.upperBound...]))) → \(term(String(inner[..<r.lowerBound])))"
    } else if let r = inner.range(of: " - ") {
      innerLabel = "\(term(String(inner[..<r.lowerBound]))) − \(term(String(inner[r.upperBound...])))"
    } else if let space = inner.firstIndex(of: " "), !inner.contains(", ") {
      // A variance component, `child (Intercept)` or `child months`: "Child: Intercept".
      innerLabel = "\(column(String(inner[..<space]))): \(term(String(inner[inner.index(after: space)...])))"
    } else {
      innerLabel = inner.components(separatedBy: ", ").map { term($0) }.joined(separator: ", ")
    }
    let word = words[kind] ?? term(kind)
    return word.isEmpty ? innerLabel : "\(word) (\(innerLabel))"
  }

  /// "A – B" for a pair of columns (correlations).
  func pair(_ x: String, _ y: String) -> String { "\(column(x)) – \(column(y))" }

  // MARK: - Reading the front matter's labels

  /// The labels of a report: its data sources' files, then `labels:` (a codebook file and/or a map).
  static func load(_ fm: FrontMatter, datasets: [String: LoadedDataset], project: Project, sink: DiagnosticSink) -> Labels {
    var entries: [(String, String)] = []
    if let (path, at) = fm.labelsFile {
      entries += codebook(path, at: at, project: project, sink: sink)
    }
    entries += fm.labels.map { ($0.name, $0.label) }
    return Labels(tables: fm.data.compactMap { datasets[$0.name]?.table }, entries: entries)
  }

  /// The `name,label` rows of a codebook CSV.
  private static func codebook(_ path: String, at: SourceLocation, project: Project, sink: DiagnosticSink) -> [(String, String)] {
    let url: URL
    do { url = try project.resolve(path) } catch .missing {
      sink.error(at, "missing-file", "labels file '\(path)' does not exist", remedy: "paths are relative to the report's folder")
      return []
    } catch {
      sink.error(at, "path-outside", "labels file '\(path)' must be a relative path inside the project",
                 remedy: "copy the codebook into the project and give its relative path")
      return []
    }
    let data: Data
    do { data = try FileLimits.read(url.path, limit: FileLimits.maxParamsBytes) } catch {
      let m = FileLimits.message(error, "labels file '\(path)'", limit: FileLimits.maxParamsBytes)
      sink.error(at, m.code, m.message, remedy: m.remedy)
      return []
    }
    var options = CSVReader.options(forPath: path)
    options.naStrings = []
    let table: Table
    do { table = try CSVReader.read([UInt8](data), options: options) } catch {
      sink.error(at, error.code, "labels file '\(path)'\(error.line.map { " line \($0)" } ?? ""): \(error.message)", remedy: error.remedy)
      return []
    }
    guard let names = table["name"], let labels = table["label"] else {
      sink.error(at, "front-matter", "labels file '\(path)' needs the columns 'name' and 'label'; it has \(table.names.joined(separator: ", "))",
                 remedy: "write a CSV with a header 'name,label' and one row per column or term")
      return []
    }
    return (0..<table.rowCount).compactMap { i in
      guard let n = names.string(at: i), let l = labels.string(at: i), !n.isEmpty else { return nil }
      return (n, l)
    }
  }
}
