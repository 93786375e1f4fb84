import ArgumentParser
import BordinReport
import Foundation

struct Render: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Render reports to HTML and results.json.",
    discussion: "Each report NAME.md becomes OUT/NAME.html and OUT/NAME.results.json. A report with errors writes nothing and leaves its previous output intact.")

  @Argument(help: "Report files or folders of reports.")
  var paths: [String]

  @Option(name: .long, help: "Output folder.")
  var out: String = "_out"

  @Option(name: .long, help: "Override a front-matter param: --param name=value (repeatable).")
  var param: [String] = []

  @Flag(name: .long, help: "Write only the body HTML (to paste into a CMS).")
  var fragment = false

  func validate() throws {
    for p in param where !p.contains("=") {
      throw ValidationError("--param takes name=value; got '\(p)'")
    }
  }

  func run() throws {
    let options = RenderOptions(params: parsedParams(param), fragment: fragment)
    let files: [URL]
    do { files = try Output.sources(paths) } catch {
      printError(error.description)
      throw ExitCode(1)
    }
    var failed = false
    let outDir = URL(fileURLWithPath: out)
    for file in files {
      let display = displayPath(file)
      do {
        let r = try Renderer.render(file: file, displayPath: display, options: options)
        for w in r.warnings { printError(w.description) }
        let t = Output.targets(for: file, in: outDir)
        try Output.writeAtomically(r.html, to: t.html)
        try Output.writeAtomically(r.resultsJSON, to: t.json)
        print(displayPath(t.html))
      } catch let e as ReportErrors {
        printError(e.description)
        let n = e.diagnostics.filter { $0.severity == .error }.count
        printError("\(display): \(n) error\(n == 1 ? "" : "s"); nothing written")
        failed = true
      }
    }
    if failed { throw ExitCode(1) }
  }
}

func parsedParams(_ raw: [String]) -> [(String, String)] {
  raw.map { p in
    guard let i = p.firstIndex(of: "=") else { return (p, "") }
    return (String(p[..<i]), String(p[p.index(after: i)...]))
  }
}

/// A path relative to the current folder when inside it.
func displayPath(_ url: URL) -> String {
  let cwd = FileManager.default.currentDirectoryPath + "/"
  let p = url.standardizedFileURL.path
  return p.hasPrefix(cwd) ? String(p.dropFirst(cwd.count)) : p
}
