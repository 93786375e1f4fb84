import ArgumentParser
import BordinReport
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
    subcommands: [Render.self, Check.self, Verify.self, Directives.self, SQLite.self, Preview.self, SimulateCommand.self])

  static func main() {
    BLASThreads.useOne()
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
        FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
        Foundation.exit(2)
      } else {
        FileHandle.standardError.write(Data("bordin: internal error: \(error)\n".utf8))
        Foundation.exit(3)
      }
    }
  }
}

/// Prints to standard error.
func printError(_ s: String) {
  FileHandle.standardError.write(Data((s + "\n").utf8))
}
