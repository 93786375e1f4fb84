import Foundation

/// `bordin verify`: checks that a rendered report still follows from its sources.
///
/// It reads the provenance recorded beside the HTML (`NAME.results.json`) and in the page's
/// `<meta>` tags, re-hashes the template and every input, re-renders in memory with the
/// recorded template text and params, and compares the result with the files value by value.
/// Every difference is listed: a changed data file (by name and hash), a changed template (by
/// line), a number edited in the HTML (by `data-ref`, with both values), a changed param.
public enum Verifier {
  public struct Outcome: Sendable {
    public var differences: [String]
    public var notes: [String]
    public var agrees: Bool { differences.isEmpty }
  }

  public static func verify(html htmlURL: URL) -> Outcome {
    var diffs: [String] = []
    var notes: [String] = []
    guard let htmlData = FileManager.default.contents(atPath: htmlURL.path), let html = String(validating: htmlData, as: UTF8.self) else {
      return Outcome(differences: ["cannot read '\(htmlURL.path)'"], notes: [])
    }
    let jsonURL = htmlURL.deletingPathExtension().appendingPathExtension("results.json")
    guard let jsonData = FileManager.default.contents(atPath: jsonURL.path),
          let record = try? JSONSerialization.jsonObject(with: jsonData) as? [String: Any],
          let source = record["source"] as? [String: Any], let sourcePath = source["path"] as? String,
          let sourceSHA = source["sha256"] as? String, let sourceText = source["text"] as? String else {
      return Outcome(differences: ["no readable provenance record '\(jsonURL.lastPathComponent)' beside the HTML"], notes: [])
    }
    let version = (record["bordin"] as? [String: Any])?["version"] as? String ?? "?"
    if version != bordinVersion {
      diffs.append("rendered by Bordin \(version); this is Bordin \(bordinVersion), so values may differ for that reason alone")
    }
    let params = (record["params"] as? [String: Any]).map { p in
      // JSONSerialization loses key order; the report's own order is restored below from the HTML.
      p.compactMap { k, v in (v as? String).map { (k, $0) } }.sorted { $0.0 < $1.0 }
    } ?? []

    // Params recorded in the page itself must agree with the record.
    let pageParams = metaValues(html, name: "bordin-param").compactMap { kv -> (String, String)? in
      guard let i = kv.firstIndex(of: "=") else { return nil }
      return (String(kv[..<i]), String(kv[kv.index(after: i)...]))
    }
    for (k, v) in pageParams {
      let rec = params.first { $0.0 == k }?.1
      if rec != v { diffs.append("param '\(k)': the HTML records '\(v)', the provenance record '\(rec ?? "(none)")'") }
    }
    for (k, v) in params where !pageParams.contains(where: { $0.0 == k }) {
      diffs.append("param '\(k)' = '\(v)' is in the provenance record but not in the HTML")
    }
    if let pageSHA = metaValues(html, name: "bordin-source-sha256").first, pageSHA != sourceSHA {
      diffs.append("the HTML and its provenance record name different templates (SHA-256 \(pageSHA.prefix(12))… vs \(sourceSHA.prefix(12))…)")
    }

    // Find the project root: the nearest folder upward (from the HTML, then the current folder) holding the source.
    let starts = [htmlURL.deletingLastPathComponent().standardizedFileURL, URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
    var root: URL?
    for s in starts where root == nil {
      var d = s
      while true {
        if FileManager.default.fileExists(atPath: d.appendingPathComponent(sourcePath).path) { root = d; break }
        let up = d.deletingLastPathComponent()
        if up.path == d.path { break }
        d = up
      }
    }
    guard let root else {
      return Outcome(differences: diffs + ["the template '\(sourcePath)' cannot be found above '\(htmlURL.deletingLastPathComponent().path)' or the current folder"], notes: notes)
    }
    let sourceURL = root.appendingPathComponent(sourcePath)
    notes.append("template \(sourcePath) found in \(root.path)")

    // The template.
    if let now = FileManager.default.contents(atPath: sourceURL.path) {
      let sha = sha256Hex(now)
      if sha != sourceSHA {
        diffs.append("template \(sourcePath) changed: SHA-256 was \(sourceSHA.prefix(12))…, is \(sha.prefix(12))…")
        diffs += lineChanges(old: sourceText, new: String(decoding: now, as: UTF8.self), file: sourcePath)
      }
    } else {
      diffs.append("template \(sourcePath) is missing")
    }

    // Inputs.
    for input in record["inputs"] as? [[String: Any]] ?? [] {
      guard let name = input["name"] as? String, let path = input["path"] as? String, let sha = input["sha256"] as? String else { continue }
      guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) else {
        diffs.append("data '\(name)' (\(path)) is missing")
        continue
      }
      let now = sha256Hex(data)
      if now != sha { diffs.append("data '\(name)' (\(path)) changed: SHA-256 was \(sha.prefix(12))…, is \(now.prefix(12))…") }
    }

    // Re-render with the recorded template text and params, in the report's own param order.
    let ordered = pageParams.isEmpty ? params : pageParams.map { (k, _) in (k, params.first { $0.0 == k }?.1 ?? "") }
    let fragment = !html.hasPrefix("<!DOCTYPE")
    do {
      let fresh = try Renderer.render(source: Data(sourceText.utf8), file: sourceURL, displayPath: sourcePath,
                                      options: RenderOptions(params: ordered, fragment: fragment))
      if fresh.html != html {
        let a = ComputedValues.extract(html), b = ComputedValues.extract(fresh.html)
        var valueDiffs = 0
        for (x, y) in zip(a, b) where x.ref != y.ref || x.text != y.text {
          valueDiffs += 1
          if x.ref == y.ref {
            diffs.append("value \(x.ref) (HTML line \(x.line)): the HTML shows '\(x.text)', the data give '\(y.text)'")
          } else {
            diffs.append("HTML line \(x.line): value '\(x.ref)' stands where '\(y.ref)' should")
          }
        }
        if a.count != b.count { diffs.append("the HTML has \(a.count) computed values; a fresh render has \(b.count)") }
        if valueDiffs == 0, a.count == b.count {
          let line = firstDifferentLine(html, fresh.html)
          diffs.append("the HTML differs from a fresh render outside the computed values (first at line \(line))")
        }
      }
      if let stored = String(validating: jsonData, as: UTF8.self), stored != fresh.resultsJSON {
        let changed = jsonDifferences(stored, fresh.resultsJSON)
        diffs.append("the provenance record differs from a fresh render" + (changed.isEmpty ? "" : " at: " + changed.prefix(10).joined(separator: ", ")))
      }
    } catch {
      diffs.append("the recorded template no longer renders: " + error.diagnostics.map(\.description).joined(separator: "; "))
    }
    return Outcome(differences: diffs, notes: notes)
  }

  /// Values of `<meta name="NAME" content="…">` tags, in order.
  static func metaValues(_ html: String, name: String) -> [String] {
    let needle = "<meta name=\"\(name)\" content=\""
    var out: [String] = []
    var rest = Substring(html)
    while let r = rest.range(of: needle) {
      let after = rest[r.upperBound...]
      guard let end = after.firstIndex(of: "\"") else { break }
      out.append(ComputedValues.unescape(String(after[..<end])))
      rest = after[end...]
    }
    return out
  }

  /// Lines that differ between two versions of the template (a simple aligned comparison).
  static func lineChanges(old: String, new: String, file: String) -> [String] {
    let a = old.components(separatedBy: "\n"), b = new.components(separatedBy: "\n")
    var out: [String] = []
    var i = 0, j = 0
    while i < a.count || j < b.count {
      if i < a.count, j < b.count, a[i] == b[j] { i += 1; j += 1; continue }
      // Resynchronise on the next line that matches within a small window.
      if let k = (j..<min(b.count, j + 50)).first(where: { i < a.count && b[$0] == a[i] }) {
        for n in j..<k { out.append("\(file):\(n + 1): line added: \(b[n])") }
        j = k
      } else if let k = (i..<min(a.count, i + 50)).first(where: { j < b.count && a[$0] == b[j] }) {
        for n in i..<k { out.append("\(file):\(j + 1): line removed: \(a[n])") }
        i = k
      } else {
        if i < a.count, j < b.count { out.append("\(file):\(j + 1): line changed: '\(a[i])' → '\(b[j])'") } else if i < a.count {
          out.append("\(file):\(j + 1): line removed: \(a[i])")
        } else { out.append("\(file):\(j + 1): line added: \(b[j])") }
        i += 1; j += 1
      }
      if out.count >= 20 { out.append("…"); break }
    }
    return out
  }

  static func firstDifferentLine(_ a: String, _ b: String) -> Int {
    let x = a.components(separatedBy: "\n"), y = b.components(separatedBy: "\n")
    return ((0..<min(x.count, y.count)).first { x[$0] != y[$0] } ?? min(x.count, y.count)) + 1
  }

  /// Dotted paths of JSON values that differ.
  static func jsonDifferences(_ a: String, _ b: String) -> [String] {
    guard let x = try? JSONSerialization.jsonObject(with: Data(a.utf8)), let y = try? JSONSerialization.jsonObject(with: Data(b.utf8)) else { return [] }
    var out: [String] = []
    func walk(_ p: String, _ u: Any, _ v: Any) {
      if let du = u as? [String: Any], let dv = v as? [String: Any] {
        for k in Set(du.keys).union(dv.keys).sorted() {
          guard let a = du[k], let b = dv[k] else { out.append(p + "." + k); continue }
          walk(p.isEmpty ? k : p + "." + k, a, b)
        }
      } else if let au = u as? [Any], let av = v as? [Any] {
        if au.count != av.count { out.append(p); return }
        for (i, (a, b)) in zip(au, av).enumerated() { walk("\(p)[\(i)]", a, b) }
      } else if "\(u)" != "\(v)" {
        out.append(p)
      }
    }
    walk("", x, y)
    return out
  }
}
