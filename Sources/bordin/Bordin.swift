import ArgumentParser
import BordinReport
import BordinStats
import Foundation

/// The `bordin` command: thin; everything it does lives in BordinReport.
///
/// Exit codes (DESIGN.md §1): 0 success; 1 the report has errors (nothing written);
/// 2 usage error; 3 internal error.
@main
struct Bordin: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bordin",
    abstract: "Render Markdown reports with analysis directives to self-contained HTML.",
    version: bordinVersion,
    subcommands: [Render.self, Check.self, Verify.self, Directives.self, SQLite.self, Preview.self, SimulateCommand.self,
                  DescribeData.self])

  static func main() {
    LinearAlgebra.releaseBLASThreads()
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch let e as ExitCode {
      Foundation.exit(e.rawValue)
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        exit(withError: error)
      } else if code == .validationFailure || error is ValidationError {
        FileHandle.standardError.write(Data((escapeControls(fullMessage(for: error), keepNewlines: true) + "\n").utf8))
        Foundation.exit(2)
      } else {
        FileHandle.standardError.write(Data(escapeControls("bordin: internal error: \(error)", keepNewlines: true).utf8 + [10]))
        Foundation.exit(3)
      }
    }
  }
}

/// Prints to standard error, control characters escaped (the text may come from a report, its
/// data or its file names: it must not drive the terminal).
func printError(_ s: String) {
  FileHandle.standardError.write(Data((escapeControls(s, keepNewlines: true) + "\n").utf8))
}

/// Prints a line to standard output, control characters escaped, and flushes it (so that a
/// pipe or a log sees it at once, e.g. preview's URL before the server blocks).
func say(_ s: String, keepNewlines: Bool = false) {
  print(escapeControls(s, keepNewlines: keepNewlines))
  fflush(nil)  // all output streams (stdout itself is not concurrency-safe to name)
}
