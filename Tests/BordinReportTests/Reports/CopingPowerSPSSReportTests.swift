import Foundation
import XCTest

@testable import BordinData
@testable import BordinReport

/// reports/coping-power-spss.md reads data/coping-power/children.sav (made by
/// data/coping-power/make-spss.R from children.csv): the file holds the CSV's values, the tables
/// and the figure show the labels, and the regression matches R on the same file.
final class CopingPowerSPSSReportTests: XCTestCase {
  let sav = repositoryRoot.appendingPathComponent("data/coping-power/children.sav")

  func render() throws -> RenderedReport {
    try Renderer.render(file: repositoryRoot.appendingPathComponent("reports/coping-power-spss.md"), displayPath: "reports/coping-power-spss.md")
  }

  /// The .sav equals children.csv: numbers, the -99 codes missing, the labelled codes their labels.
  func testTheSPSSFileHoldsTheCSVValues() throws {
    let bytes = try Data(contentsOf: sav)
    let file = try ReadStatReader.read([UInt8](bytes), format: .sav)
    let csv = try CSVReader.read([UInt8](try Data(contentsOf: repositoryRoot.appendingPathComponent("data/coping-power/children.csv"))), options: CSVOptions())
    XCTAssertEqual(file.table.names, csv.names)
    XCTAssertEqual(file.table.rowCount, 360)
    for (n, c) in zip(csv.names, csv.columns) {
      let s = try XCTUnwrap(file.table[n])
      if n == "black", case .numeric(let v) = c {
        XCTAssertEqual(s, .text(v.map { $0 == 1 ? "yes" : "no" }), n)
      } else if case .numeric(let v) = c, case .numeric(let w) = s {
        XCTAssertTrue(zip(v, w).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }, n)
      } else {
        XCTAssertEqual(s, c, n)
      }
    }
    XCTAssertEqual(file.table.info["format"]?.levels, ["individual", "group"])
    let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("data/README.md"), encoding: .utf8)
    let line = readme.split(separator: "\n").first { $0.contains("`coping-power/children.sav`") }
    XCTAssertTrue(line?.contains(sha256Hex(bytes)) ?? false, "SHA-256 of data/coping-power/children.sav differs from data/README.md")
  }

  func testRendersWithLabelsAndRValues() throws {
    let r = try render()
    XCTAssertTrue(r.warnings.isEmpty, "\(r.warnings)")
    let h = r.html
    for row in ["Externalizing problems, before (BASC T)", "Treatment format: group", "Sex: girl", "Therapist-rated bond, mid-treatment",
                "Therapist-rated bond, end of treatment: individual"] {
      XCTAssertTrue(h.contains("<th scope=\"row\">\(row)</th>"), row)
    }
    // Individual (code 1) first: in the describe table and on the plot's axis.
    let a = try XCTUnwrap(h.range(of: "Child-rated bond, mid-treatment: individual")), b = try XCTUnwrap(h.range(of: "Child-rated bond, mid-treatment: group"))
    XCTAssertLessThan(a.lowerBound, b.lowerBound)
    XCTAssertTrue(h.contains(">Treatment format</text>") && h.contains(">Externalizing problems, one year after (BASC T)</text>"))
    XCTAssertTrue(h.contains(">boy</text>") && h.contains(">girl</text>"))
    XCTAssertTrue(h.contains("kids: SPSS (.sav), read with ReadStat 1."))
    XCTAssertTrue(h.contains("user-missing values set to missing: bond_child_mid 14 (user-missing -99)"))
    // Self-contained and accessible, cross-references resolved.
    XCTAssertFalse(h.contains("<script"))
    XCTAssertTrue(h.contains("<caption><span class=\"bordin-number\">Table 1</span>"))
    XCTAssertTrue(h.contains("<figure class=\"bordin-figure\" id=\"fig-ext\">") && h.contains("role=\"img\"") && h.contains("<desc id="))
    XCTAssertTrue(h.contains("href=\"#tbl-desc\">Table&nbsp;1</a>") && h.contains("href=\"#tbl-ext\">Table&nbsp;2</a>") && h.contains("href=\"#fig-ext\">Figure&nbsp;1</a>"), h)
    // Raw names in results.json; the fit is R's: lm(ext_post ~ ext_pre + format + sex + bond_therapist_mid,
    // zap_missing(read_sav(...)) with format and sex as_factor), n = 339.
    let obj = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.resultsJSON.utf8)) as? [String: Any])
    let ext = try XCTUnwrap(((obj["directives"] as? [String: Any])?["ext"] as? [String: Any])?["result"] as? [String: Any])
    let coef = try XCTUnwrap(ext["coef"] as? [[String: Any]])
    let R: [String: Double] = ["(Intercept)": 27.6367599642463411, "ext_pre": 0.5857984919095810, "formatgroup": 1.3783555019313072,
                               "sexgirl": -0.5045771144898481, "bond_therapist_mid": -2.4991940221656770]
    XCTAssertEqual(Set(coef.compactMap { $0["term"] as? String }), Set(R.keys))
    for c in coef {
      let t = try XCTUnwrap(c["term"] as? String)
      XCTAssertEqual(try XCTUnwrap(c["estimate"] as? Double), R[t]!, accuracy: 1e-8, t)
    }
    let fg = try XCTUnwrap(coef.first { $0["term"] as? String == "formatgroup" })
    XCTAssertEqual(try XCTUnwrap(fg["ci_lb"] as? Double), -0.19553908927188313, accuracy: 1e-8)
    XCTAssertEqual(try XCTUnwrap(fg["ci_ub"] as? Double), 2.95225009313449771, accuracy: 1e-8)
    XCTAssertEqual(ext["n"] as? Int, 339)
    let input = try XCTUnwrap((obj["inputs"] as? [[String: Any]])?.first)
    XCTAssertEqual(input["format"] as? String, "sav")
    XCTAssertEqual(input["sha256"] as? String, sha256Hex(try Data(contentsOf: sav)))
    XCTAssertEqual((input["dropped"] as? [[String: Any]])?.count, 6)
  }

  func testRendersTwiceToIdenticalBytes() throws {
    let a = try render(), b = try render()
    XCTAssertEqual(a.html, b.html)
    XCTAssertEqual(a.resultsJSON, b.resultsJSON)
  }
}
