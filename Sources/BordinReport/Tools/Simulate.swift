import BordinData
import BordinStats
import BordinSimulation
import Foundation

/// `bordin simulate DESIGN --seed N --out DIR`: the study-design simulators (DESIGN.md §1).
///
/// Writes each data file of the design as CSV (``CSVWriter``: shortest round-trip numbers, NA as
/// an empty cell), the true parameters as `parameters.csv` (name, value, description) and
/// `README.md` (the seed, the design, every generating equation, the true parameters, and each
/// file's rows, columns and SHA-256). Every file is written atomically; the same design and
/// seed give byte-identical files on every machine.
public enum Simulate {
  /// The designs, in the order `bordin simulate --help` lists them.
  public static let designs = ["prac", "coping-power", "sessions", "prn"]

  /// An unknown design name.
  public struct UnknownDesign: Error, CustomStringConvertible {
    public var name: String
    public var suggestion: String?
    public var description: String {
      "unknown design '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        + " (designs: \(Simulate.designs.joined(separator: ", ")))"
    }
  }

  /// The error for a name that is not a design, with the closest design as a suggestion.
  public static func unknownDesign(_ name: String) -> UnknownDesign {
    UnknownDesign(name: name, suggestion: didYouMean(name, designs))
  }

  /// The simulated study for `design` and `seed`.
  public static func study(design: String, seed: UInt64) throws -> SimulatedStudy {
    switch design {
    case "prn": return try PRNEffectsSimulator.study(seed: seed)
    case "prac": return PracSimulator(seed: seed).generate()
    case "coping-power": return CopingPowerSimulator(seed: seed).generate()
    case "sessions": return SessionsSimulator(seed: seed).generate()
    default: throw unknownDesign(design)
    }
  }

  /// The files of a study as (name, text): the data CSVs, `parameters.csv`, `README.md`.
  public static func files(_ study: SimulatedStudy) -> [(name: String, text: String)] {
    var out: [(name: String, text: String)] = study.files.map { ($0.name, CSVWriter.write($0.table)) }
    let parameters = Table([
      ("name", .text(study.parameters.map(\.name))),
      ("value", .numeric(study.parameters.map(\.value))),
      ("description", .text(study.parameters.map(\.description))),
    ])
    out.append(("parameters.csv", CSVWriter.write(parameters)))
    var readme = study.readme
    readme += "\n## Files and checksums\n\nGenerated with seed \(study.seed).\n\n"
    readme += "| file | rows | columns | SHA-256 |\n|---|---|---|---|\n"
    let tables = study.files.map(\.table) + [parameters]
    for (file, table) in zip(out, tables) {
      readme += "| `\(file.name)` | \(table.rowCount) | \(table.columnCount) | `\(sha256Hex(Data(file.text.utf8)))` |\n"
    }
    out.append(("README.md", readme))
    return out
  }

  /// Generates `design` with `seed` and writes its files into `out` (created if needed).
  /// - Returns: the written files, in writing order.
  /// - Throws: ``UnknownDesign``, or the file system's error.
  @discardableResult
  public static func run(design: String, seed: UInt64, out: URL) throws -> [URL] {
    let s = try study(design: design, seed: seed)
    var written: [URL] = []
    for f in files(s) {
      let url = out.appendingPathComponent(f.name)
      try Output.writeAtomically(f.text, to: url)
      written.append(url)
    }
    return written
  }
}
