import BordinData
import Foundation

/// Rendering many reports at once: one report per row of a params file, several in parallel,
/// with output identical to rendering them one by one.
public enum Batch {
  /// One render to do.
  public struct Request: Sendable {
    public var file: URL
    public var displayPath: String
    public var params: [(String, String)]
    /// The output base name (without extension): distinct for every request of a batch.
    public var outputName: String
  }

  /// The requests for `files`: one each, or — with `paramsFrom` — one per row of that CSV,
  /// its columns overriding params, named `NAME-VALUES` (e.g. `prn-monthly-2022-12`).
  public static func requests(files: [URL], display: (URL) -> String, params: [(String, String)],
                              paramsFrom: String?) throws(ReportErrors) -> [Request] {
    var rows: [[(String, String)]] = [[]]
    if let paramsFrom {
      let data: Data
      do { data = try FileLimits.read(paramsFrom, limit: FileLimits.maxParamsBytes) } catch {
        let m = FileLimits.message(error, "'\(paramsFrom)'", limit: FileLimits.maxParamsBytes)
        throw ReportErrors([Diagnostic(file: paramsFrom, line: 1, code: m.code == "unreadable-file" ? "missing-file" : m.code,
                                       message: m.code == "missing-file" ? "cannot read '\(paramsFrom)'" : m.message, remedy: m.remedy)])
      }
      let t: Table
      do { t = try CSVReader.read([UInt8](data), options: CSVOptions(delimiter: CSVReader.options(forPath: paramsFrom).delimiter, naStrings: [])) } catch {
        throw ReportErrors([Diagnostic(file: paramsFrom, line: error.line ?? 1, column: error.column ?? 1, code: error.code,
                                       message: error.message, remedy: error.remedy)])
      }
      guard t.rowCount > 0 else {
        throw ReportErrors([Diagnostic(file: paramsFrom, line: 1, code: "empty-params", message: "'\(paramsFrom)' has no rows",
                                       remedy: "add one row per report to render")])
      }
      rows = (0..<t.rowCount).map { i in t.names.enumerated().map { ($1, t.columns[$0].string(at: i) ?? "") } }
    }
    var out: [Request] = []
    var names = Set<String>()
    for f in files {
      let base = f.deletingPathExtension().lastPathComponent
      for row in rows {
        var p = params
        for (k, v) in row {
          if let i = p.firstIndex(where: { $0.0 == k }) { p[i].1 = v } else { p.append((k, v)) }
        }
        let name = row.isEmpty ? base : base + "-" + row.map { Site.slug($0.1) }.joined(separator: "-")
        guard names.insert(name).inserted else {
          throw ReportErrors([Diagnostic(file: paramsFrom ?? display(f), line: 1, code: "duplicate-output",
                                         message: "two renders would both write '\(name).html'",
                                         remedy: "give every row of the params file distinct values")])
        }
        out.append(Request(file: f, displayPath: display(f), params: p, outputName: name))
      }
    }
    return out
  }

  /// Renders every request with `jobs` workers; results are in request order and do not
  /// depend on `jobs`. `progress` is called (serially) after each render with (done, total).
  public static func render(_ requests: [Request], fragment: Bool, jobs: Int, cache: Bool = false,
                            progress: @Sendable (Int, Int) -> Void = { _, _ in }) -> [Result<RenderedReport, ReportErrors>] {
    MarkdownDocument.prepare()
    let results = ResultBox(count: requests.count)
    let workers = max(1, min(jobs, requests.count))
    DispatchQueue.concurrentPerform(iterations: workers) { w in
      for i in stride(from: w, to: requests.count, by: workers) {
        let r = requests[i]
        let result: Result<RenderedReport, ReportErrors>
        do throws(ReportErrors) {
          result = .success(try Renderer.render(file: r.file, displayPath: r.displayPath,
                                                options: RenderOptions(params: r.params, fragment: fragment, cache: cache)))
        } catch {
          result = .failure(error)
        }
        let done = results.set(i, result)
        progress(done, requests.count)
      }
    }
    return results.values
  }

  private final class ResultBox: @unchecked Sendable {
    private var items: [Result<RenderedReport, ReportErrors>?]
    private var done = 0
    private let lock = NSLock()
    init(count: Int) { items = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<RenderedReport, ReportErrors>) -> Int {
      lock.lock()
      defer { lock.unlock() }
      items[i] = r
      done += 1
      return done
    }
    var values: [Result<RenderedReport, ReportErrors>] { items.map { $0! } }
  }
}
