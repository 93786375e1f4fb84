import ArgumentParser
import BordinReport
import Foundation

struct SimulateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "simulate",
    abstract: "Write a simulated study design: data CSVs, parameters.csv and README.md.",
    discussion: "Designs: \(Simulate.designs.joined(separator: ", ")). The same design and seed give byte-identical files on every machine.")

  @Argument(help: "The design: \(Simulate.designs.joined(separator: ", ")).")
  var design: String

  @Option(help: "The random seed (an unsigned 64-bit integer).")
  var seed: UInt64

  @Option(help: "The folder to write into (created if needed).")
  var out: String

  func validate() throws {
    if !Simulate.designs.contains(design) {
      throw ValidationError(Simulate.unknownDesign(design).description)
    }
    try OutputPaths.checkFolder(out, option: "--out")
  }

  func run() throws {
    let folder = out.hasSuffix("/") && out.count > 1 ? String(out.dropLast()) : out
    let written: [URL]
    do { written = try Simulate.run(design: design, seed: seed, out: URL(fileURLWithPath: out)) } catch let e where e is CocoaError || e is POSIXError {
      throw OutputPaths.writeFailed(out, e)
    }
    for url in written { say(folder + "/" + url.lastPathComponent) }
  }
}
