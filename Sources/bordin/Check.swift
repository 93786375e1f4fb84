import ArgumentParser
import BordinReport
import Foundation

struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Parse and validate reports, print diagnostics, write nothing.")

  @Argument(help: "Report files or folders of reports.")
  var paths: [String]

  @OptionGroup var params: ParamOptions

  @Flag(name: .long, help: "Check APA-style statistics typed in documents (Markdown, text, HTML, PDF, .docx; folders: those files in them): recompute p from the statistic and df.")
  var statistics = false

  @Option(name: .long, help: "With --statistics: output as text (file:line:col diagnostics), tsv or json (one row per result).")
  var format: String = "text"

  func validate() throws {
    guard ["text", "tsv", "json"].contains(format) else {
      throw ValidationError("--format takes text, tsv or json; got '\(format)'")
    }
    if format != "text", !statistics { throw ValidationError("--format \(format) applies to --statistics only") }
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
        let r = try Renderer.render(file: file, displayPath: display, options: RenderOptions(params: params.pairs))
        for w in r.warnings { printError(w.description) }
        // Sentences that read wrongly once the values are in ("*p* = < .001").
        let source = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        for w in RenderedTextLint.warnings(html: r.html, source: source, file: display) { printError(w.description) }
        say("\(display): ok")
      } catch {
        printError(error.description)
        failed = true
      }
    }
    if failed { throw ExitCode(1) }
  }

  func checkStatistics() throws {
    var errors = 0
    var failed = false
    var rows: [String] = []
    if format == "tsv" { print(StatisticsCheck.tsvHeader) }
    for (path, missing) in DocumentText.sources(paths) {
      if let missing {
        printError("\(path): \(missing.description)")
        failed = true
        continue
      }
      let doc: (text: String, kind: StatisticsCheck.Kind)
      do { doc = try DocumentText.read(path: path) } catch {
        printError("\(path): \(error.description)")
        failed = true
        continue
      }
      let isReport = doc.kind == .markdown && (doc.text.hasPrefix("---") || doc.text.contains("```{"))
      let findings = StatisticsCheck.scan(doc.text, kind: doc.kind)
      errors += findings.filter(\.isError).count
      switch format {
      case "tsv": for f in findings {  // tabs separate the fields; every field is escaped on its own
          print(StatisticsCheck.tsvRow(f, file: path).split(separator: "\t", omittingEmptySubsequences: false).map { escapeControls(String($0)) }.joined(separator: "\t"))
        }
      case "json": rows += findings.map { StatisticsCheck.jsonObject($0, file: path) }
      default:
        for f in findings { say(StatisticsCheck.describe(f, file: path, bordinReport: isReport), keepNewlines: true) }
        say(StatisticsCheck.summary(findings, file: path))
      }
    }
    if format == "json" { print(rows.isEmpty ? "[]" : "[\n  " + rows.joined(separator: ",\n  ") + "\n]") }
    if failed || errors > 0 { throw ExitCode(1) }
  }
}
