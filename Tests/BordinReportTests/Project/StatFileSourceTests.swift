import Foundation
import XCTest

@testable import BordinReport

/// SPSS, Stata and SAS data sources (issue 22) and the labels they bring (DESIGN.md §4).
final class StatFileSourceTests: XCTestCase {
  func project(_ name: String = #function) throws -> TestProject {
    let p = TestProject(name)
    for f in ["therapy.sav", "therapy.zsav", "therapy.dta", "therapy.por", "therapy.sas7bdat", "therapy.csv"] {
      try FileManager.default.copyItem(at: fixtures.appendingPathComponent("readstat/\(f)"), to: p.root.appendingPathComponent(f))
    }
    return p
  }

  let report = """
  ---
  data:
    t: therapy.sav
  ---

  ```{regress #m}
  data: t
  formula: bond_t ~ format + sessions
  ```

  ```{table #tab-m}
  of: m
  ```

  ```{describe #d}
  data: t
  vars: [bond_t, sessions]
  by: format
  ```

  ```{table #tab-d}
  of: d
  ```

  ```{plot #fig}
  type: means
  data: t
  x: severity
  y: bond_t
  group: format
  ```

  `{m.coef[formatgroup].estimate | 3}`
  """

  /// Terms from labels, the lowest code the reference (individual, though "group" sorts first);
  /// raw names in results.json; the same fit as the CSV twin with format recoded.
  func testRegressOnAnSPSSFileUsesLabelsAndCodeOrder() throws {
    let p = try project()
    guard case .success(let r) = p.render(report) else { return XCTFail("\(p.render(report))") }
    XCTAssertTrue(r.html.contains("<th scope=\"row\">Treatment format: group</th>"), r.html)
    XCTAssertTrue(r.html.contains("<th scope=\"row\">Sessions attended</th>"))
    XCTAssertTrue(r.html.contains("Therapist-rated bond, mid-treatment: individual"))
    XCTAssertTrue(r.resultsJSON.contains("\"term\": \"formatgroup\""))
    XCTAssertFalse(r.resultsJSON.contains("Treatment format: group"))
    // Legend and axis titles from the labels; categories in code order.
    XCTAssertTrue(r.html.contains(">individual<") && r.html.contains(">group<"))
    XCTAssertTrue(r.html.contains("Baseline severity"))
    XCTAssertTrue(r.html.contains("Therapist-rated bond, mid-treatment"))
    // The CSV twin, format coded 2 = group: the same estimate.
    let twin = report.replacingOccurrences(of: "t: therapy.sav", with: "t: therapy.csv")
      .replacingOccurrences(of: "formula: bond_t ~ format + sessions", with: "formula: bond_t ~ I(format == 2) + sessions")
      .replacingOccurrences(of: "m.coef[formatgroup]", with: "m.coef[\"I(format == 2)\"]")
    guard case .success(let c) = p.render(twin.replacingOccurrences(of: "by: format\n", with: "")) else { return XCTFail() }
    func estimate(_ json: String, _ term: String) -> String? {
      guard let r = json.range(of: "\"term\": \"\(term)\",\n") else { return nil }
      return json[r.upperBound...].split(separator: "\n").first.map { $0.trimmingCharacters(in: .whitespaces) }
    }
    func number(_ s: String?) -> Double { Double(s?.dropFirst("\"estimate\": ".count).dropLast() ?? "") ?? .nan }
    // R: coef(lm(bond_t ~ format + sessions, as_factor(read_sav("therapy.sav")))), levels individual, group.
    XCTAssertEqual(number(estimate(r.resultsJSON, "formatgroup")), 1.5512820512820531, accuracy: 1e-10)
    XCTAssertEqual(number(estimate(r.resultsJSON, "sessions")), 0.35256410256410237, accuracy: 1e-10)
    XCTAssertEqual(number(estimate(c.resultsJSON, "I(format == 2)")), 1.5512820512820531, accuracy: 1e-10)
  }

  /// results.json records the format, ReadStat's version, the SHA-256 and the user-missing values dropped.
  func testProvenanceRecordsFormatVersionAndDroppedUserMissing() throws {
    let p = try project()
    guard case .success(let r) = p.render(report) else { return XCTFail() }
    let bytes = try Data(contentsOf: p.root.appendingPathComponent("therapy.sav"))
    XCTAssertTrue(r.resultsJSON.contains("\"sha256\": \"\(sha256Hex(bytes))\""))
    XCTAssertTrue(r.resultsJSON.contains("\"format\": \"sav\""))
    XCTAssertTrue(r.resultsJSON.contains("\"reader\": \"ReadStat 1."), r.resultsJSON)
    XCTAssertTrue(r.resultsJSON.contains("\"column\": \"bond_t\",\n"), r.resultsJSON)
    XCTAssertTrue(r.resultsJSON.contains("\"reason\": \"user-missing -99\""))
    XCTAssertTrue(r.resultsJSON.contains("\"reason\": \"user-missing -9 thru -1\""))
    XCTAssertTrue(r.html.contains("user-missing values set to missing: bond_t 2 (user-missing -99), sessions 2 (user-missing -9 thru -1)"), r.html)
    // user_missing: keep: the codes are values (n = 12 for bond_t).
    let keep = report.replacingOccurrences(of: "t: therapy.sav", with: "t: { path: therapy.sav, user_missing: keep }")
    guard case .success(let k) = p.render(keep) else { return XCTFail() }
    XCTAssertTrue(k.resultsJSON.contains("\"user_missing\": \"keep\""))
    XCTAssertTrue(k.resultsJSON.contains("\"user_missing_kept\""))
    XCTAssertTrue(k.html.contains("user-missing values kept as values"))
  }

  /// Every format by extension and by `format:`; value_labels: codes keeps numbers.
  func testEveryFormatAndOptions() throws {
    let p = try project()
    let src = "---\ndata:\n  t: SOURCE\n---\n\n`{data.t.rows}` rows.\n"
    for f in ["therapy.sav", "therapy.zsav", "therapy.dta", "therapy.por", "therapy.sas7bdat",
              "{ path: therapy.dta, format: stata }", "{ path: therapy.sav, format: spss, value_labels: codes }"] {
      let h = p.html(src.replacingOccurrences(of: "SOURCE", with: f))
      XCTAssertEqual(ComputedValues.text(h, "data.t.rows"), "12", f)
    }
    // A .sav copy with another extension, read by `format: spss`.
    try FileManager.default.copyItem(at: p.root.appendingPathComponent("therapy.sav"), to: p.root.appendingPathComponent("therapy.dat"))
    XCTAssertEqual(ComputedValues.text(p.html(src.replacingOccurrences(of: "SOURCE", with: "{ path: therapy.dat, format: spss }")), "data.t.rows"), "12")
    // value_labels: codes: regress sees a number.
    let codes = report.replacingOccurrences(of: "t: therapy.sav", with: "t: { path: therapy.sav, value_labels: codes }")
      .replacingOccurrences(of: "m.coef[formatgroup]", with: "m.coef[format]")
    guard case .success(let r) = p.render(codes) else { return XCTFail() }
    XCTAssertTrue(r.resultsJSON.contains("\"term\": \"format\""))
    XCTAssertTrue(r.html.contains("<th scope=\"row\">Treatment format</th>"))
    // The codes' value labels still name the legend's groups.
    XCTAssertTrue(r.html.contains(">individual</text>") && r.html.contains(">group</text>"), r.html)
  }

  /// Bad sources: a located diagnostic each, never a crash.
  func testCorruptedTooLargeAndMisconfiguredSources() throws {
    let p = try project()
    let src = "---\ndata:\n  t: SOURCE\n---\n\nText.\n"
    // A truncated SPSS file.
    let b = try Data(contentsOf: p.root.appendingPathComponent("therapy.sav"))
    try b.prefix(100).write(to: p.root.appendingPathComponent("cut.sav"))
    var e = p.errors(src.replacingOccurrences(of: "SOURCE", with: "cut.sav"))
    XCTAssertEqual(e.map(\.code), ["bad-data-file"])
    XCTAssertEqual(e.first?.line, 3)
    XCTAssertTrue(e.first?.message.contains("data file 'cut.sav': not a readable SPSS (.sav) file") ?? false, e.description)
    XCTAssertNotNil(e.first?.remedy)
    // A CSV file called .dta.
    p.write("fake.dta", "a,b\n1,2\n")
    e = p.errors(src.replacingOccurrences(of: "SOURCE", with: "fake.dta"))
    XCTAssertEqual(e.map(\.code), ["bad-data-file"])
    // Over the size limit: refused before reading, like CSV.
    let big = p.root.appendingPathComponent("big.sav")
    FileManager.default.createFile(atPath: big.path, contents: b)
    let h = try FileHandle(forWritingTo: big)
    try h.truncate(atOffset: 3 << 30)
    try h.close()
    defer { try? FileManager.default.removeItem(at: big) }
    let t0 = Date()
    e = p.errors(src.replacingOccurrences(of: "SOURCE", with: "big.sav"))
    XCTAssertLessThan(Date().timeIntervalSince(t0), 1.0)
    XCTAssertEqual(e.map(\.code), ["data-too-large"])
    XCTAssertEqual(e.first?.line, 3)
    // Unknown format, options that do not apply.
    e = p.errors(src.replacingOccurrences(of: "SOURCE", with: "{ path: therapy.sav, format: spps }"))
    XCTAssertEqual(e.first?.code, "front-matter")
    XCTAssertTrue(e.first?.message.contains("did you mean 'spss'") ?? false, e.description)
    e = p.errors(src.replacingOccurrences(of: "SOURCE", with: "{ path: therapy.sav, format: [spss] }"))
    XCTAssertTrue(e.first?.message.contains("'format' must be one name") ?? false, e.description)
    // format: csv reads a .sav-named CSV as CSV.
    p.write("csv.sav", "a,b\n1,2\n")
    XCTAssertTrue(p.html("---\ndata:\n  t: { path: csv.sav, format: csv }\n---\n\n`{data.t.rows}`\n").contains(">1<"))
    e = p.errors(src.replacingOccurrences(of: "SOURCE", with: "{ path: therapy.sav, user_missing: maybe }"))
    XCTAssertTrue(e.first?.message.contains("'user_missing' must be 'drop'") ?? false, e.description)
    e = p.errors(src.replacingOccurrences(of: "SOURCE", with: "{ path: therapy.csv, user_missing: keep }"))
    XCTAssertTrue(e.first?.message.contains("apply to SPSS, Stata and SAS files") ?? false, e.description)
    e = p.errors(src.replacingOccurrences(of: "SOURCE", with: "{ path: therapy.sav, na: [\"-99\"] }"))
    XCTAssertTrue(e.first?.message.contains("'na' applies to CSV") ?? false, e.description)
  }

  /// Front-matter labels (map and codebook file) for a CSV source: rows, dummies, interactions, SEM-style pairs.
  func testFrontMatterLabelsAndCodebook() throws {
    let p = TestProject()
    p.write("d.csv", "y,x,g\n1,2,a\n2,3,b\n3,5,a\n4,4,b\n5,7,a\n6,6,b\n")
    let src = """
    ---
    data:
      d: d.csv
    LABELS
    ---

    ```{regress #m}
    data: d
    formula: y ~ x * g
    ```

    ```{table #t}
    of: m
    ```

    ```{correlate #c}
    data: d
    vars: [y, x]
    ```

    ```{table #tc}
    of: c
    ```
    """
    let h = p.html(src.replacingOccurrences(of: "LABELS", with: "labels:\n  x: Alliance\n  g: Format\n  y: Outcome"))
    XCTAssertTrue(h.contains("<th scope=\"row\">Alliance</th>"), h)
    XCTAssertTrue(h.contains("<th scope=\"row\">Format: b</th>"))
    XCTAssertTrue(h.contains("<th scope=\"row\">Alliance × Format: b</th>"))
    XCTAssertTrue(h.contains("<th scope=\"row\">Outcome – Alliance</th>"))
    // A term's own label wins; a codebook file.
    p.write("codebook.csv", "name,label\nx,Alliance (codebook)\nx:gb,Alliance in groups\n")
    let c = p.html(src.replacingOccurrences(of: "LABELS", with: "labels: codebook.csv"))
    XCTAssertTrue(c.contains("<th scope=\"row\">Alliance (codebook)</th>"), c)
    XCTAssertTrue(c.contains("<th scope=\"row\">Alliance in groups</th>"))
    XCTAssertTrue(c.contains("<th scope=\"row\">gb</th>"))  // g has no label: the R name stays
    // Without labels the R names stay.
    let raw = p.html(src.replacingOccurrences(of: "LABELS\n", with: ""))
    XCTAssertTrue(raw.contains("<th scope=\"row\">x:gb</th>"))
    XCTAssertTrue(raw.contains("<th scope=\"row\">y – x</th>"))
    // Every label was shown: no warning; a label naming nothing shown is a located warning.
    guard case .success(let used) = p.render(src.replacingOccurrences(of: "LABELS", with: "labels:\n  x: Alliance\n  g: Format\n  y: Outcome")) else { return XCTFail() }
    XCTAssertEqual(used.warnings, [])
    guard case .success(let typo) = p.render(src.replacingOccurrences(of: "LABELS", with: "labels:\n  x: Alliance\n  xx: Typo")) else { return XCTFail() }
    XCTAssertEqual(typo.warnings.map(\.code), ["unused-label"])
    XCTAssertEqual(typo.warnings.first?.line, 6)
    XCTAssertTrue(typo.warnings.first?.message.contains("label 'xx'") ?? false)
    // A missing codebook and a label that is not text are located errors.
    var e = p.errors(src.replacingOccurrences(of: "LABELS", with: "labels: nobook.csv"))
    XCTAssertEqual(e.first?.code, "missing-file")
    XCTAssertEqual(e.first?.line, 4)
    p.write("bad.csv", "column,text\nx,A\n")
    e = p.errors(src.replacingOccurrences(of: "LABELS", with: "labels: bad.csv"))
    XCTAssertTrue(e.first?.message.contains("needs the columns 'name' and 'label'") ?? false, e.description)
    e = p.errors(src.replacingOccurrences(of: "LABELS", with: "labels:\n  x: [a, b]"))
    XCTAssertEqual(e.first?.code, "front-matter")
  }

  /// A source's reading options are part of the result cache's key: changing `na:` (CSV) or
  /// `user_missing:` (SPSS) re-runs the directives that read it (before, the cache served the
  /// result computed with the old options).
  func testReadingOptionsInvalidateTheResultCache() throws {
    let p = try project()
    p.write("m.csv", "x\n1\n2\n-99\n3\n")
    func mean(_ source: String) throws -> String? {
      let src = "---\ndata:\n  d: \(source)\n---\n\n```{describe #s}\ndata: d\nvars: VARS\n```\n\n`{s.vars[0].mean | 2}`\n"
      let url = p.write("r.md", src.replacingOccurrences(of: "VARS", with: source.contains("csv") ? "x" : "bond_t"))
      return ComputedValues.text(try Renderer.render(file: url, displayPath: "r.md", options: RenderOptions(cache: true)).html, "s.vars[0].mean")
    }
    XCTAssertEqual(try mean("m.csv"), "−23.25")
    XCTAssertEqual(try mean("{ path: m.csv, na: [\"-99\"] }"), "2.00")
    XCTAssertEqual(try mean("therapy.sav"), "4.90")
    XCTAssertEqual(try mean("{ path: therapy.sav, user_missing: keep }"), "−12.42")
  }

  /// SEM: labels name the table's paths and the path diagram's boxes; results.json keeps the names.
  func testSEMPathsAndDiagramUseLabels() throws {
    let p = TestProject()
    p.write("panel.csv", try String(contentsOf: fixtures.appendingPathComponent("data/panel-3wave.csv"), encoding: .utf8))
    let src = """
    ---
    data:
      panel: panel.csv
    labels:
      alliance1: Alliance, 4 months
      alliance2: Alliance, 8 months
    ---

    ```{sem #m}
    data: panel
    model: |
      alliance2 ~ alliance1
    ```

    ```{table #t}
    of: m
    ```

    ```{plot #fig-p}
    type: path
    of: m
    ```
    """
    guard case .success(let r) = p.render(src) else { return XCTFail("\(p.render(src))") }
    XCTAssertTrue(r.html.contains("<th scope=\"row\">Alliance, 4 months → Alliance, 8 months</th>"), r.html)
    XCTAssertTrue(r.html.contains(">Alliance, 4 months</text>"))
    XCTAssertTrue(r.resultsJSON.contains("\"lhs\": \"alliance2\""))
  }
}
