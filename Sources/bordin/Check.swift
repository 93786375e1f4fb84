import ArgumentParser
import BordinReport
import Foundation

struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Parse and validate reports, print diagnostics, write nothing.")

  @Argument(help: "Report files or folders of reports.")
  var paths: [String]

  @Option(name: .long, help: "Override a front-matter param: --param name=value (repeatable).")
  var param: [String] = []

  @Flag(name: .long, help: "Check APA-style statistics typed in the text (Markdown or HTML): recompute p from the statistic and df.")
  var statistics = false

  func validate() throws {
    for p in param where !p.contains("=") {
      throw ValidationError("--param takes name=value; got '\(p)'")
    }
  }

  func run() throws {
    if statistics { return try checkStatistics() }
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

  func checkStatistics() throws {
    var inconsistent = 0
    for path in paths {
      guard let data = FileManager.default.contents(atPath: path), let text = String(validating: data, as: UTF8.self) else {
        printError("\(path): cannot read as UTF-8 text")
        throw ExitCode(1)
      }
      let isHTML = path.hasSuffix(".html") || path.hasSuffix(".htm")
      let isReport = !isHTML && (text.hasPrefix("---") || text.contains("```{"))
      let findings = StatisticsCheck.scan(text, html: isHTML)
      for f in findings {
        print(StatisticsCheck.describe(f, file: path, bordinReport: isReport))
        if !f.consistent { inconsistent += 1 }
      }
      print("\(path): \(findings.count) typed result\(findings.count == 1 ? "" : "s"), \(findings.filter { !$0.consistent }.count) inconsistent, \(findings.filter(\.decisionError).count) decision error\(findings.filter(\.decisionError).count == 1 ? "" : "s")")
    }
    if inconsistent > 0 { throw ExitCode(1) }
  }
}
