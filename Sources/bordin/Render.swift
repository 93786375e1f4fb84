import ArgumentParser
import BordinReport
import Foundation

struct Render: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "render",
    abstract: "Render reports to HTML and results.json.",
    discussion: """
      Each report NAME.md becomes OUT/NAME.html and OUT/NAME.results.json. A folder renders \
      every report in it plus a site: index.html, topics/*.html and feed.xml. A report with \
      errors writes nothing and leaves its previous output intact.
      """)

  @Argument(help: "Report files or folders of reports.")
  var paths: [String]

  @Option(name: .long, help: "Output folder.")
  var out: String = "_out"

  @OptionGroup var params: ParamOptions

  @Option(name: .customLong("params-from"), help: "A CSV with one row of params per report to render.")
  var paramsFrom: String?

  @Option(name: .long, help: "Render this many reports in parallel.")
  var jobs: Int = 1

  @Option(name: .customLong("site-title"), help: "The site's title on index and topic pages (default: site.title in bordin.yml, else Reports).")
  var siteTitle: String?

  @Flag(name: .customLong("no-cache"), help: "Recompute every result instead of using .bordin-cache/.")
  var noCache = false

  @Flag(name: .long, help: "Write only the body HTML (to paste into a CMS).")
  var fragment = false

  @Option(name: .long, help: "Also write these formats from the same render: docx (Word, via pandoc), pdf (via headless Chromium); comma-separated, e.g. --to html,docx,pdf. The HTML is always written.")
  var to: [String] = []

  /// The formats `--to` asks for (HTML always among them).
  var formats: [OutputFormat] { (try? OutputFormat.parse(to).get()) ?? [.html] }

  func validate() throws {
    guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1; got \(jobs)") }
    if case .failure(let e) = OutputFormat.parse(to) { throw ValidationError(e.description) }
    if fragment, formats != [.html] { throw ValidationError("--fragment writes body HTML only; it cannot be combined with --to \(to.joined(separator: ","))") }
    try OutputPaths.checkFolder(out, option: "--out")
  }

  func run() throws {
    let outDir = URL(fileURLWithPath: out)
    let requests: [Batch.Request]
    do throws(ReportErrors) {
      let files = try Output.sources(paths)
      requests = try Batch.requests(files: files, display: displayPath, params: params.pairs, paramsFrom: paramsFrom)
      if let build = SiteBuild(paths: paths, paramsFrom: paramsFrom, fragment: fragment) {
        let problems = build.preflight(requests)
        if !problems.isEmpty { throw ReportErrors(problems) }
      }
      // Word and PDF need their programs: checked before anything is rendered.
      let missing = ManuscriptOutputs.missingTools(for: formats, file: requests.first?.displayPath ?? paths[0])
      if !missing.isEmpty { throw ReportErrors(missing) }
    } catch {
      printError(error.description)
      throw ExitCode(1)
    }
    let bar = ProgressBar(enabled: requests.count > 1 && isatty(2) == 1)
    let results = Batch.render(requests, fragment: fragment, jobs: jobs, cache: !noCache, progress: bar.update)
    bar.finish()
    // Site mode: when every report rendered, the site is known before any page is written, so
    // each page is written once, with its navigation (Site.navigated) in its marked regions.
    var site: Site?
    if let build = SiteBuild(paths: paths, paramsFrom: paramsFrom, fragment: fragment) {
      let built = build.site(requests, results, title: siteTitle)
      for w in built.warnings { printError(w) }
      site = built.site
    }
    var failed = false
    for (req, result) in zip(requests, results) {
      switch result {
      case .success(let r):
        for w in r.warnings { printError(w.description) }
        let html = outDir.appendingPathComponent(req.outputName + ".html")
        let json = outDir.appendingPathComponent(req.outputName + ".results.json")
        let page = site?.navigated(file: req.outputName + ".html", html: r.html) ?? r.html
        let extra: [ManuscriptOutputs.Output]
        do throws(ReportErrors) {
          extra = try ManuscriptOutputs.make(formats, report: r, baseName: req.outputName, file: req.displayPath)
        } catch {
          printError(error.description)
          printError("\(req.displayPath): 1 error; nothing written")
          failed = true
          continue
        }
        for o in extra {
          let url = outDir.appendingPathComponent(o.file)
          do { try Output.writeAtomically(o.bytes, to: url) } catch { throw OutputPaths.writeFailed(displayPath(url), error) }
        }
        do {
          try Output.writePair(html: page, to: html, record: r.recording(outputs: extra), to: json)
        } catch {
          throw OutputPaths.writeFailed(displayPath(html), error)
        }
        say(displayPath(html))
        for o in extra { say(displayPath(outDir.appendingPathComponent(o.file))) }
      case .failure(let e):
        printError(e.description)
        let n = e.diagnostics.filter { $0.severity == .error }.count
        printError("\(req.displayPath): \(n) error\(n == 1 ? "" : "s"); nothing written")
        failed = true
      }
    }
    if let site {
      for f in site.files() {
        let url = outDir.appendingPathComponent(f.path)
        do { try Output.writeAtomically(f.text, to: url) } catch { throw OutputPaths.writeFailed(displayPath(url), error) }
        say(displayPath(url))
      }
    }
    if failed { throw ExitCode(1) }
  }
}

/// A one-line progress bar on standard error, shown only on a terminal.
final class ProgressBar: @unchecked Sendable {
  let enabled: Bool
  private let lock = NSLock()
  init(enabled: Bool) { self.enabled = enabled }

  func update(_ done: Int, _ total: Int) {
    guard enabled else { return }
    lock.lock()
    defer { lock.unlock() }
    let width = 30
    let filled = total == 0 ? width : done * width / total
    let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
    FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total)".utf8))
  }

  func finish() {
    if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
  }
}

func isDirectory(_ path: String) -> Bool {
  var d: ObjCBool = false
  return FileManager.default.fileExists(atPath: path, isDirectory: &d) && d.boolValue
}

/// A path relative to the current folder when inside it.
func displayPath(_ url: URL) -> String {
  let cwd = FileManager.default.currentDirectoryPath + "/"
  let p = url.standardizedFileURL.path
  return p.hasPrefix(cwd) ? String(p.dropFirst(cwd.count)) : p
}
