import Foundation
import XCTest

@testable import BordinReport

/// The pipeline end to end: front matter, data directives, dependency order, inline values,
/// params, fragments and the results record.
final class PipelineTests: XCTestCase {
  let longCSV = """
  patient,session,alliance,symptoms
  p1,2,4,10
  p1,1,3,12
  p1,3,5,7
  p2,1,2,20
  p2,2,2,18
  p2,3,3,15

  """

  func testDataDirectiveCentersAndLagsWithinPatients() throws {
    let p = TestProject()
    p.write("long.csv", longCSV)
    let src = """
    ---
    data:
      long: long.csv
    ---

    ```{data #prep}
    from: long
    by: patient
    order: session
    center: alliance
    lead: symptoms
    ```

    ```{data #model-data}
    from: prep
    filter: "!is_na(symptoms_lead)"
    ```

    ```{regress #m}
    data: model-data
    formula: symptoms_lead ~ alliance_within
    ```

    Rows: `{model-data.rows}` of `{data.long.rows}`; within effect `{m.coef[alliance_within].estimate | 3}`.
    """
    guard case .success(let r) = p.render(src) else { return XCTFail("\(p.render(src))") }
    // p1 sessions 1,2,3: symptoms 12,10,7 → leads 10,7,NA; p2: 20,18,15 → 18,15,NA: 4 rows remain.
    XCTAssertEqual(ComputedValues.text(r.html, "model-data.rows"), "4")
    XCTAssertEqual(ComputedValues.text(r.html, "data.long.rows"), "6")
    let json = try JSONSerialization.jsonObject(with: Data(r.resultsJSON.utf8)) as! [String: Any]
    let dirs = json["directives"] as! [String: Any]
    let prep = (dirs["prep"] as! [String: Any])["result"] as! [String: Any]
    XCTAssertEqual(prep["names"] as? [String], ["patient", "session", "alliance", "symptoms", "alliance_between", "alliance_within", "symptoms_lead"])
    let md = dirs["model-data"] as! [String: Any]
    XCTAssertEqual(md["rows_dropped"] as? Int, 2)
    XCTAssertEqual(md["dropped_reason"] as? String, "filter: !is_na(symptoms_lead)")
    XCTAssertEqual((dirs["m"] as! [String: Any])["rows_used"] as? Int, 4)
  }

  func testEvaluationFollowsDependenciesNotSourceOrder() {
    let p = TestProject()
    p.write("d.csv", smallCSV)
    let src = "---\ndata:\n  d: d.csv\n---\n\n```{describe #s}\ndata: later\nvars: z\n```\n\n```{data #later}\nfrom: d\nderive:\n  z: x * 2\n```\n\nMean `{s.vars[z].mean | 3}`.\n"
    let h = p.html(src)
    // x = 1.5, 2.5, 3, 4.25, 5, 6 → mean 3.708333; z = 2x → 7.417
    XCTAssertEqual(ComputedValues.text(h, "s.vars[z].mean"), "7.417")
  }

  func testParamsOverrideAndFragment() {
    let p = TestProject()
    let src = "---\ntitle: T\nparams:\n  month: 2022-12\n---\n\nMonth `{params.month}`.\n"
    guard case .success(let a) = p.render(src) else { return XCTFail() }
    XCTAssertEqual(ComputedValues.text(a.html, "params.month"), "2022-12")
    guard case .success(let b) = p.render(src, options: RenderOptions(params: [("month", "2023-01")], fragment: true)) else { return XCTFail() }
    XCTAssertEqual(b.html, "<p>Month <span class=\"bordin-value\" data-ref=\"params.month\">2023-01</span>. <a class=\"bordin-src\" href=\"#provenance\" aria-label=\"source of the values in this paragraph\">source</a></p>\n")
    XCTAssertTrue(b.resultsJSON.contains("\"month\": \"2023-01\""))
  }

  func testInlineFormats() {
    let p = TestProject()
    p.write("d.csv", smallCSV)
    let src = "---\ndata:\n  d: d.csv\n---\n\n```{correlate #c}\ndata: d\nvars: [x, y]\n```\n\n`{c.r}` `{c.r | 3}` `{c.p}` `{c.p | p}` `{c.ci}` `{c.r | %}` `{c.n | int}` `{c.pairs[\"x,y\"].r}` `{c.pairs[\"y, x\"].df}` `{c | apa}`\n"
    let h = p.html(src)
    XCTAssertEqual(ComputedValues.extract(h).map(\.text), [
      "1.00", ".998", "< .001", "< .001", "[.98, 1.00]", "99.8%", "6", "1.00", "4", "r(4) = 1.00, 95% CI [.98, 1.00], p < .001",
    ])
  }

  func testFigureAndTableNumbersFollowOrderOfAppearance() {
    let p = TestProject()
    p.write("d.csv", smallCSV)
    let src = "---\ndata:\n  d: d.csv\n---\n\nSee @tbl-b, @fig-a and @tbl-a.\n\n```{table #tbl-a}\ndata: d\n```\n\n```{plot #fig-a}\ntype: scatter\ndata: d\nx: x\ny: y\n```\n\n```{table #tbl-b}\ndata: d\ncolumns: [id, x]\n```\n"
    let h = p.html(src)
    XCTAssertTrue(h.contains("See <a class=\"bordin-xref\" href=\"#tbl-b\">Table&nbsp;2</a>, <a class=\"bordin-xref\" href=\"#fig-a\">Figure&nbsp;1</a> and <a class=\"bordin-xref\" href=\"#tbl-a\">Table&nbsp;1</a>."), h)
  }

  func testResultsJSONHasUniqueKeysAndIsDeterministic() {
    let p = TestProject()
    p.write("d.csv", smallCSV)
    let src = "---\ndata:\n  d: d.csv\n---\n\n```{data #e}\nfrom: d\n```\n\n```{regress #m}\ndata: e\nformula: y ~ x + group\n```\n"
    guard case .success(let a) = p.render(src), case .success(let b) = p.render(src) else { return XCTFail() }
    XCTAssertEqual(a.resultsJSON, b.resultsJSON)
    XCTAssertEqual(a.resultsJSON.components(separatedBy: "\"result\":").count, 3)
    XCTAssertTrue(a.resultsJSON.contains("\"term\": \"groupb\""))
  }
}
