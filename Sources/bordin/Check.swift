import ArgumentParser
import BordinReport
import Foundation

struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Parse and validate reports, print diagnostics, write nothing.")

  @Argument(help: "Report files or folders of reports.")
  var paths: [String]

  @Option(name: .long, help: "Override a front-matter param: --param name=value (repeatable).")
  var param: [String] = []

  func validate() throws {
    for p in param where !p.contains("=") {
      throw ValidationError("--param takes name=value; got '\(p)'")
    }
  }

  func run() throws {
    let files: [URL]
    do { files = try Output.sources(paths) } catch {
      printError(error.description)
      throw ExitCode(1)
    }
    var failed = false
    for file in files {
      let display = displayPath(file)
      do {
        let r = try Renderer.render(file: file, displayPath: display, options: RenderOptions(params: parsedParams(param)))
        for w in r.warnings { printError(w.description) }
        print("\(display): ok")
      } catch {
        printError(error.description)
        failed = true
      }
    }
    if failed { throw ExitCode(1) }
  }
}
