import ArgumentParser
import BordinReport
import Foundation

struct Verify: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Check that a rendered report follows from its sources: re-hash inputs, re-render, list every difference.",
    discussion: """
      The verdict is one of three: identical; within floating-point tolerance (another CPU or BLAS \
      kernel moved full-precision values by less than 1e-10 relative for closed forms, 1e-7 for \
      optimised quantities, 1e-6 for Satterthwaite df, which come from numerical derivatives; exit 0, \
      the largest drift is printed); or NOT verified (exit 1, every \
      difference listed). Printed numbers must always be exactly the recorded values' formatting.
      """)

  @Argument(help: "A rendered report (NAME.html, with NAME.results.json beside it).")
  var html: String

  func run() throws {
    let outcome = Verifier.verify(html: URL(fileURLWithPath: html))
    say("\(html): \(outcome.summary)")
    for d in outcome.differences { say("difference: \(d)", keepNewlines: true) }
    for n in outcome.outputs { say("note: \(n)") }
    if !outcome.agrees { throw ExitCode(1) }
  }
}
