import Foundation
import XCTest

@testable import BordinReport

/// `each` and `include` (DESIGN.md §2 "Child documents"): children share the page's figure and
/// table numbering, its provenance (each child's directives with the row's key) and its cache;
/// every refusal is a located diagnostic with a remedy.
final class ChildDocumentTests: XCTestCase {
  static let articles = "id,title\naa,First article\nbb,Second article\ncc,Third article\n"
  static let effects = """
    art,yi,vi
    aa,0.1,0.01
    aa,0.2,0.02
    aa,0.3,0.01
    bb,0.5,0.01
    bb,0.4,0.02
    bb,0.6,0.03
    cc,0.2,0.01
    cc,0.25,0.02
    dd,0.3,0.01
    dd,0.1,0.02

    """
  static let child = """
    ## `{row.title}`

    ```{data #studies}
    from: effects
    filter: art == "{row.id}"
    ```

    ```{meta #pooled}
    data: studies
    yi: yi
    vi: vi
    ```

    ```{describe #sizes}
    data: studies
    vars: [yi]
    ```

    Pooled `{pooled.estimate | 3}` over `{pooled.k}` effects (@fig-forest, @tbl-effects).

    ```{table #tbl-effects}
    of: pooled
    show: studies
    ```

    ```{plot #fig-forest}
    type: forest
    of: pooled
    ```

    """

  func report(intro: String = "", template: String = "child.md", extra: String = "") -> String {
    """
    ---
    title: Children
    data:
      articles: articles.csv
      effects: effects.csv
    ---
    \(intro)

    ```{each #articles}
    data: articles
    key: id
    template: \(template)
    \(extra)```

    The second article's forest plot is @fig-bb-forest.

    """
  }

  func project(_ name: String = #function, child: String = child) -> TestProject {
    let p = TestProject(name)
    p.write("articles.csv", Self.articles)
    p.write("effects.csv", Self.effects)
    p.write("child.md", child)
    return p
  }

  func testChildrenShareFigureAndTableNumbering() throws {
    let p = project()
    let parentFigure = """
      ```{plot #fig-intro}
      type: scatter
      data: effects
      x: yi
      y: vi
      ```
      """
    let html = p.html(report(intro: parentFigure))
    // The report's own figure is Figure 1; the three children's forest plots 2, 3, 4; their tables 1, 2, 3.
    for (label, n) in [("fig-intro", 1), ("fig-aa-forest", 2), ("fig-bb-forest", 3), ("fig-cc-forest", 4)] {
      XCTAssertTrue(html.contains("id=\"\(label)\""), label)
      XCTAssertTrue(html.contains("href=\"#\(label)\">Figure&nbsp;\(n)</a>") || label == "fig-intro", label)
    }
    for (label, n) in [("tbl-aa-effects", 1), ("tbl-bb-effects", 2), ("tbl-cc-effects", 3)] {
      XCTAssertTrue(html.contains("href=\"#\(label)\">Table&nbsp;\(n)</a>"), label)
    }
    // Each child's `row.title` and its own pooled estimate.
    XCTAssertTrue(html.contains(">First article</span></h2>"), "the row title is the heading (a value span, not a link)")
    XCTAssertEqual(ComputedValues.text(html, "aa-pooled.k"), "3")
    XCTAssertEqual(ComputedValues.text(html, "cc-pooled.k"), "2")
    XCTAssertNotEqual(ComputedValues.text(html, "aa-pooled.estimate"), ComputedValues.text(html, "bb-pooled.estimate"))
  }

  func testProvenanceRecordsEachChildsDirectivesWithTheRowKey() throws {
    let p = project()
    let r = try p.render(report()).get()
    let json = try JSONSerialization.jsonObject(with: Data(r.resultsJSON.utf8)) as! [String: Any]
    let directives = json["directives"] as! [String: Any]
    XCTAssertEqual(directives.count, 15)  // 5 directives × 3 rows
    for key in ["aa", "bb", "cc"] {
      let meta = directives["\(key)-pooled"] as! [String: Any]
      let child = meta["child"] as! [String: Any]
      XCTAssertEqual(child["key"] as? String, key)
      XCTAssertEqual(child["template"] as? String, "child.md")
      XCTAssertEqual(child["directive"] as? String, "articles")
      XCTAssertEqual(meta["source_line"] as? Int, 8, "the line in child.md, not in the expanded source")
      let options = (directives["\(key)-studies"] as! [String: Any])["options"] as! [String: Any]
      XCTAssertEqual(options["filter"] as? String, "art == \"\(key)\"")
    }
    let templates = json["templates"] as! [[String: Any]]
    XCTAssertEqual(templates.map { $0["path"] as? String }, ["child.md"])
    XCTAssertEqual(templates.first?["sha256"] as? String, sha256Hex(Data(Self.child.utf8)))
  }

  func testCacheServesEachChildAndMissesOnlyTheChangedOne() throws {
    let p = project()
    let options = RenderOptions(cache: true)
    let first = try p.render(report(), options: options).get()
    XCTAssertEqual(first.cacheHits, 0)
    // describe in every child is cached (meta is drawn by the forest plot, so it is computed).
    let second = try p.render(report(), options: options).get()
    XCTAssertEqual(second.cacheHits, 3)
    XCTAssertEqual(second.html, first.html)
    // A fourth row: its child is computed, the other three are served.
    p.write("articles.csv", Self.articles + "dd,Fourth article\n")
    let third = try p.render(report(), options: options).get()
    XCTAssertEqual(third.cacheHits, 3)
    XCTAssertEqual(ComputedValues.text(third.html, "dd-pooled.k"), "2")
    XCTAssertEqual(try p.render(report(), options: options).get().cacheHits, 4)
    // Changed data: every child that reads it is computed again.
    p.write("effects.csv", Self.effects.replacingOccurrences(of: "cc,0.25,0.02", with: "cc,0.35,0.02"))
    let changed = try p.render(report(), options: options).get()
    XCTAssertEqual(changed.cacheHits, 0)
    XCTAssertNotEqual(ComputedValues.text(changed.html, "cc-pooled.estimate"), ComputedValues.text(first.html, "cc-pooled.estimate"))
  }

  func testCacheKeysDifferPerChild() throws {
    // Three children with the same template: three different cache entries (their filters differ).
    let p = project()
    _ = try p.render(report(), options: RenderOptions(cache: true)).get()
    let entries = try FileManager.default.contentsOfDirectory(atPath: p.root.appendingPathComponent(".bordin-cache").path)
    XCTAssertEqual(entries.filter { !$0.hasPrefix(".") }.count, 3, "\(entries)")
  }

  func testIncludeInsertsOnceWithoutPrefixAndNests() throws {
    let p = project(child: "")
    p.write("part.md", """
      ```{meta #pooled}
      data: effects
      yi: yi
      vi: vi
      ```

      ```{include}
      template: inner.md
      ```
      """)
    p.write("inner.md", "Pooled over `{pooled.k}` effects.\n")
    let html = p.html("""
      ---
      data:
        effects: effects.csv
      ---
      ```{include}
      template: part.md
      ```

      The estimate was `{pooled.estimate | 2}`.
      """)
    XCTAssertEqual(ComputedValues.text(html, "pooled.k"), "10")
    XCTAssertNotNil(ComputedValues.text(html, "pooled.estimate"))
  }

  func testRowValuesChooseAnIncludedTemplate() throws {
    let p = project(child: """
      ```{include}
      template: kind-{row.kind}.md
      ```
      """)
    p.write("articles.csv", "id,kind\naa,one\nbb,two\n")
    p.write("kind-one.md", "```{meta #pooled}\ndata: effects\nyi: yi\nvi: vi\n```\n\nOne: `{pooled.k}`.\n")
    p.write("kind-two.md", "Two: `{row.id}`.\n")
    let html = p.html(report().replacingOccurrences(of: "The second article's forest plot is @fig-bb-forest.", with: ""))
    XCTAssertEqual(ComputedValues.text(html, "aa-pooled.k"), "10")
    XCTAssertEqual(ComputedValues.text(html, "data.row-bb.id"), "bb")
  }

  // MARK: diagnostics

  func diagnostics(_ p: TestProject, _ text: String) -> [Diagnostic] {
    switch p.render(text) {
    case .success: XCTFail("expected errors"); return []
    case .failure(let e): return e.diagnostics
    }
  }

  func testMissingChildFile() {
    let p = project()
    let d = diagnostics(p, report(template: "chlid.md"))
    XCTAssertEqual(d.first?.code, "missing-file", "\(d)")
    XCTAssertEqual(d.first?.file, "report.md")
    XCTAssertEqual(d.first?.line, 12)  // the template: line of the each block
    XCTAssertTrue(d.first?.message.contains("did you mean 'child.md'") ?? false, d.first?.message ?? "")
    XCTAssertNotNil(d.first?.remedy)
  }

  func testChildOutsideTheProject() {
    let p = project()
    for path in ["../outside.md", "/etc/passwd"] {
      let d = diagnostics(p, report(template: path))
      XCTAssertEqual(d.first?.code, "path-outside", "\(path): \(d)")
      XCTAssertEqual(d.first?.line, 12)
      XCTAssertNotNil(d.first?.remedy)
    }
  }

  func testDuplicateOrUnusableKeys() {
    let p = project()
    p.write("articles.csv", "id,title\naa,First\nbb,Second\naa,Again\n")
    var d = diagnostics(p, report())
    XCTAssertEqual(d.first?.code, "each-key-duplicate", "\(d)")
    XCTAssertTrue(d.first?.message.contains("'aa' in rows 1 and 3") ?? false, "\(d)")
    XCTAssertEqual(d.first?.line, 11)  // key: id
    XCTAssertNotNil(d.first?.remedy)
    p.write("articles.csv", "id,title\nAa B,First\n")
    d = diagnostics(p, report())
    XCTAssertEqual(d.first?.code, "each-key", "\(d)")
    p.write("articles.csv", Self.articles)
    d = diagnostics(p, report().replacingOccurrences(of: "key: id", with: "key: ids"))
    XCTAssertEqual(d.first?.code, "unknown-column", "\(d)")
    XCTAssertTrue(d.first?.message.contains("did you mean 'id'") ?? false)
  }

  func testCycleOfIncludes() {
    let p = project(child: "```{include}\ntemplate: other.md\n```\n")
    p.write("other.md", "Text.\n\n```{include}\ntemplate: child.md\n```\n")
    let d = diagnostics(p, report())
    XCTAssertEqual(d.first?.code, "include-cycle", "\(d)")
    XCTAssertEqual(d.first?.file, "other.md")
    XCTAssertEqual(d.first?.line, 4)
    XCTAssertTrue(d.first?.message.contains("child.md → other.md → child.md") ?? false, d.first?.message ?? "")
    // A report that includes itself.
    let selfie = diagnostics(p, "```{include}\ntemplate: report.md\n```\n")
    XCTAssertEqual(selfie.first?.code, "include-cycle", "\(selfie)")
  }

  func testTooDeepNesting() {
    let p = project()
    for i in 0..<12 { p.write("level\(i).md", "Level \(i).\n\n```{include}\ntemplate: level\(i + 1).md\n```\n") }
    p.write("level12.md", "Bottom.\n")
    let d = diagnostics(p, "```{include}\ntemplate: level0.md\n```\n")
    XCTAssertEqual(d.first?.code, "too-deep", "\(d)")
    XCTAssertEqual(d.first?.file, "level7.md")
    XCTAssertNotNil(d.first?.remedy)
  }

  func testErrorsInAChildNameTheChildFileAndLine() {
    let p = project(child: Self.child.replacingOccurrences(of: "yi: yi\nvi: vi", with: "yi: yy\nvi: vi"))
    let d = diagnostics(p, report())
    let columns = d.filter { $0.code == "unknown-column" }
    XCTAssertEqual(columns.count, 3, "\(d)")  // once per row
    XCTAssertTrue(columns.allSatisfy { $0.file == "child.md" && $0.line == 10 }, "\(columns)")
  }

  func testUnknownRowColumnAndOptionsAreRefused() {
    let p = project(child: "```{data #studies}\nfrom: effects\nfilter: art == \"{row.ide}\"\n```\n")
    var d = diagnostics(p, report())
    XCTAssertEqual(d.first?.code, "unknown-column", "\(d)")
    XCTAssertEqual(d.first?.file, "child.md")
    XCTAssertEqual(d.first?.line, 3)
    XCTAssertTrue(d.first?.message.contains("did you mean 'id'") ?? false)
    d = diagnostics(project("opt"), report(extra: "tempalte: x.md\n"))
    XCTAssertEqual(d.first?.code, "unknown-option", "\(d)")
    let fm = project("frontmatter", child: "---\ntitle: x\n---\nText.\n")
    d = diagnostics(fm, report())
    XCTAssertEqual(d.first?.code, "child-front-matter", "\(d)")
  }

  func testEmptyDatasetIsAWarningAndShowsNoChild() throws {
    let p = project()
    p.write("articles.csv", "id,title\n")
    let r = try p.render(report().replacingOccurrences(of: "The second article's forest plot is @fig-bb-forest.", with: "")).get()
    XCTAssertEqual(r.warnings.map(\.code), ["each-empty"])
    XCTAssertEqual(r.warnings.first?.line, 9)
    XCTAssertFalse(r.html.contains("bordin-figure"))
  }

  func testExpansionLeavesReportsWithoutChildrenAlone() {
    let text = "# A\n\nNo children here: `{each}` is just code.\n"
    var datasets: [String: LoadedDataset] = [:]
    let sink = DiagnosticSink(file: "r.md")
    let e = ChildDocuments.expand(text, firstLine: 1, displayPath: "r.md", reportFile: URL(fileURLWithPath: "/tmp/r.md"),
                                  project: Project(root: URL(fileURLWithPath: "/tmp")), datasets: &datasets, sink: sink)
    XCTAssertEqual(e.body, text)
    XCTAssertEqual(e.lineMap?.entries.map(\.line), [1, 2, 3, 4])  // every line its own
    let plain = ChildDocuments.expand("# A\n", firstLine: 1, displayPath: "r.md", reportFile: URL(fileURLWithPath: "/tmp/r.md"),
                                      project: Project(root: URL(fileURLWithPath: "/tmp")), datasets: &datasets, sink: sink)
    XCTAssertNil(plain.lineMap)
    XCTAssertTrue(sink.items.isEmpty)
  }

  func testLabelPrefixes() {
    XCTAssertEqual(ChildDocuments.prefixed("fig-forest", "roest2022"), "fig-roest2022-forest")
    XCTAssertEqual(ChildDocuments.prefixed("tbl-x", "a-b"), "tbl-a-b-x")
    XCTAssertEqual(ChildDocuments.prefixed("pooled", "aa"), "aa-pooled")
    XCTAssertEqual(ChildText.rewriteProse("See @fig-forest and `{pooled.k}`, `{row.title}`, `{params.month}`.",
                                          rename: { ["fig-forest": "fig-aa-forest", "pooled": "aa-pooled"][$0] }, rowDataset: "row-aa"),
                   "See @fig-aa-forest and `{aa-pooled.k}`, `{data.row-aa.title}`, `{params.month}`.")
    XCTAssertEqual(ChildText.replaceToken("pooled", with: "aa-pooled", in: "of: \"pooled\" # pooled-x", from: 0), "of: \"aa-pooled\" # pooled-x")
  }
}
