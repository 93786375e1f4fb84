import BordinData
import BordinStats

/// The output of a study-design simulator: the data files, the true values of the generating
/// parameters, and a Markdown description of the design and its equations.
///
/// `bordin simulate` writes each file as CSV, the parameters as `parameters.csv`, and the
/// description (with the files' SHA-256) as `README.md`.
public struct SimulatedStudy: Sendable {
  /// The design's name (`prac`, `coping-power`, `sessions`).
  public var design: String
  /// The seed the data were generated from.
  public var seed: UInt64
  /// Data files in writing order: a file name (`long.csv`) and its table.
  public var files: [(name: String, table: Table)]
  /// The true values of the generating model: a name (as used in the design's README), the
  /// value, and what it means (scale and model).
  public var parameters: [(name: String, value: Double, description: String)]
  /// Markdown: the design, every generating equation, the analyses the parameters belong to,
  /// and the table of true parameters.
  public var readme: String

  public init(
    design: String, seed: UInt64, files: [(name: String, table: Table)],
    parameters: [(name: String, value: Double, description: String)], readme: String
  ) {
    self.design = design
    self.seed = seed
    self.files = files
    // −0 (e.g. −2·0) is written "0" in CSV; keep the value the file reads back to.
    self.parameters = parameters.map { ($0.name, $0.value == 0 ? 0 : $0.value, $0.description) }
    self.readme = readme
  }

  /// The table called `name`, if any.
  public func table(_ name: String) -> Table? { files.first { $0.name == name }?.table }

  /// The true value of the parameter called `name`, if any.
  public func parameter(_ name: String) -> Double? { parameters.first { $0.name == name }?.value }
}
