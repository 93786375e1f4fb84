import BordinData
import BordinStats

/// The declared type of a directive option; checked before anything is computed.
enum OptionType: Sendable, Equatable {
  case string
  case number
  case integer
  case bool
  /// One of a closed set of words.
  case choice([String])
  /// A column of the directive's data.
  case column
  /// A list of columns (a single name is accepted as a one-element list).
  case columns
  /// A dataset: a `data:` name from the front matter or the label of a `data` directive.
  case dataset
  /// The label of another directive whose result is used.
  case result
  /// An R model formula.
  case formula
  /// An expression of the data language.
  case expression
  /// A list of words.
  case strings
  /// A mapping with free keys (checked by the directive itself).
  case mapping

  var help: String {
    switch self {
    case .string: return "text"
    case .number: return "number"
    case .integer: return "whole number"
    case .bool: return "true or false"
    case .choice(let c): return "one of " + c.joined(separator: ", ")
    case .column: return "column name"
    case .columns: return "list of column names"
    case .dataset: return "dataset name or data label"
    case .result: return "directive label"
    case .formula: return "R formula"
    case .expression: return "expression"
    case .strings: return "list of words"
    case .mapping: return "mapping"
    }
  }
}

/// One option of a directive: name, type, whether required, default, and help.
struct OptionSpec: Sendable {
  var name: String
  var type: OptionType
  var required: Bool = false
  var defaultValue: String? = nil
  var help: String
}

/// One result field of a directive, for `bordin directives` and the docs.
struct FieldSpec: Sendable {
  var name: String
  var help: String
}

/// What a directive kind is, beyond its options, declared once on its definition (instead of
/// comparing kind names where the pipeline needs to know).
struct DirectiveTraits: OptionSet, Sendable {
  let rawValue: Int
  /// Its result is a pure function of its options and inputs, so it may be served from the
  /// result cache (``ResultCache``).
  static let cacheable = DirectiveTraits(rawValue: 1 << 0)
  /// A table or figure of another result or of data (`table`, `plot`): it has no values of its
  /// own, and provenance links back to the block itself rather than to a first inline use.
  static let presentation = DirectiveTraits(rawValue: 1 << 1)
  /// Draws a figure: it may show values an estimator refuses (|x| > 1e150), and a result it
  /// draws is computed afresh rather than read from the cache (the fitted model is not cached).
  static let figure = DirectiveTraits(rawValue: 1 << 2)
  /// Produces a dataset that other directives read by its label (`data`).
  static let dataset = DirectiveTraits(rawValue: 1 << 3)
}

/// A directive kind: its options, its result fields, how to run it and what it is.
///
/// The definition is the single source of truth: `bordin directives` prints it, and option
/// readers (``OptionReader/choice(_:)``, ``OptionReader/bool(_:)``, ``OptionReader/number(_:range:)``)
/// take their allowed values and defaults from it, so the reference can never drift from the code.
struct DirectiveDefinition: Sendable {
  var name: String
  var summary: String
  var options: [OptionSpec]
  var fields: [FieldSpec]
  /// Runs a validated invocation. Throws ``DirectiveFailure`` after recording diagnostics.
  var run: @Sendable (Invocation, Evaluation) throws(DirectiveFailure) -> DirectiveOutput
  var traits: DirectiveTraits = []
  /// The APA fragment of one of its result objects (`{label.path | apa}`), given the object and
  /// the whole result; nil falls back to the generic fragment chosen by the fields present.
  var apa: (@Sendable (_ object: ResultValue, _ root: ResultValue) -> String?)? = nil
  /// Labels this kind reads beyond the common `data`, `from`, `of` and `truth` options (e.g.
  /// `compare`'s `models`), for dependency order.
  var references: (@Sendable (Invocation) -> [(name: String, at: SourceLocation)])? = nil

  /// The declaration of option `name` (common options included).
  func option(_ name: String) -> OptionSpec? {
    options.first { $0.name == name } ?? Self.commonOptions.first { $0.name == name }
  }

  /// Option names common to every directive.
  static let commonOptions: [OptionSpec] = [
    OptionSpec(name: "caption", type: .string, help: "caption for the table or figure"),
  ]
}

/// Thrown by a directive that could not produce a result; its diagnostics are already recorded.
struct DirectiveFailure: Error {}

/// What a directive produced.
struct DirectiveOutput {
  /// The result fields (an object), or nil for directives without a result (`table`, `plot`).
  var result: ResultValue?
  /// A dataset, for `data` directives.
  var dataset: Table?
  /// HTML that replaces the block in the report.
  var html: String = ""
  /// Provenance: the dataset read, rows used and dropped and why, method and options in effect.
  var data: String?
  var rowsUsed: Int?
  var rowsDropped: Int?
  var droppedReason: String?
  var method: String?
  var warnings: [StatsWarning] = []
  /// The fitted model itself, for directives that draw it (a surface plot of a discrepancy
  /// model, trajectories of a growth model, a path diagram of an SEM); never written out.
  var model: (any Sendable)?
}

/// Every directive kind Bordin knows, in the order `bordin directives` lists them.
let directiveDefinitions: [DirectiveDefinition] = [
  DataDirective.definition,
  DescribeDirective.definition,
  CorrelateDirective.definition,
  RegressDirective.definition,
  GLMDirective.definition,
  CrosstabDirective.definition,
  AnovaDirective.definition,
  ChangeDirective.definition,
  TTestDirective.definition,
  LMMDirective.definition,
  GrowthDirective.definition,
  MetaDirective.definition,
  SEMDirective.definition,
  CLPMDirective.definition,
  AgreeDirective.definition,
  KappaDirective.definition,
  ReliabilityDirective.definition,
  DiscrepancyDirective.definition,
  TableDirective.definition,
  RecoveryDirective.definition,
  CompareDirective.definition,
  PlotDirective.definition,
]

func directiveDefinition(_ name: String) -> DirectiveDefinition? {
  directiveDefinitions.first { $0.name == name }
}

/// The one conversion of a number given by a user (an option, a format, a flag) to `Int`:
/// nil unless `x` is a whole number inside `range`. `Int(x)` on a Double traps for 1e30 or
/// 9223372036854775807 (which rounds to 2⁶³); this never does.
func checkedInteger(_ x: Double, in range: ClosedRange<Int>) -> Int? {
  guard let n = Int(exactly: x), range.contains(n) else { return nil }
  return n
}

extension OptionReader {
  /// A whole-number option inside `range`; anything else is a located `option-value` error
  /// naming the option, the value and the allowed range. Every integer option is read here.
  func integer(_ name: String, default d: Int, range: ClosedRange<Int>) throws(DirectiveFailure) -> Int {
    guard let s = try string(name) else { return d }
    guard let x = Double(s), let n = checkedInteger(x, in: range) else {
      ev.sink.error(inv.location(name), "option-value",
                    "option '\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound); got '\(s)'",
                    remedy: "write '\(name): \(d)' or another whole number in that range")
      throw DirectiveFailure()
    }
    return n
  }

  /// A number option inside `range` (e.g. a plot's width in pixels), else a located error.
  func number(_ name: String, default d: Double, range: ClosedRange<Double>) throws(DirectiveFailure) -> Double {
    let x = try number(name, default: d)
    guard range.contains(x) else {
      ev.sink.error(inv.location(name), "option-value",
                    "option '\(name)' must be from \(formatShortest(range.lowerBound)) to \(formatShortest(range.upperBound)); got \(formatShortest(x))",
                    remedy: "write '\(name): \(formatShortest(d))' or another number in that range")
      throw DirectiveFailure()
    }
    return x
  }
}

/// The sizes a plot's `width` and `height` may have, in pixels.
let plotSizeRange: ClosedRange<Double> = 50...10_000
