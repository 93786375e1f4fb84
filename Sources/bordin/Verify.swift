import ArgumentParser
import BordinReport
import Foundation

struct Verify: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Check that a rendered report follows from its sources: re-hash inputs, re-render, list every difference.")

  @Argument(help: "A rendered report (NAME.html, with NAME.results.json beside it).")
  var html: String

  func run() throws {
    let outcome = Verifier.verify(html: URL(fileURLWithPath: html))
    for d in outcome.differences { print("difference: \(d)") }
    if outcome.agrees {
      print("\(html): verified — every input, the template and every computed value agree")
    } else {
      printError("\(html): \(outcome.differences.count) difference\(outcome.differences.count == 1 ? "" : "s")")
      throw ExitCode(1)
    }
  }
}
