import BordinTestSupport
import Foundation
import XCTest

@testable import BordinReport

/// `se: robust` and the MLR fit fields of DESIGN §3 in a report, against lavaan 0.6-14
/// (`sem(..., missing = "ml", se = "robust")` gives exactly MLR's Huber–White SEs and the ML test;
/// the MLR fixture of Tests/Fixtures/r/sem-robust.R).
final class SEMRobustDirectiveTests: XCTestCase {
  let model = "  symptoms2 ~ a*alliance1\n  alliance3 ~ b*symptoms2 + c*alliance1\n  symptoms3 ~ symptoms2\n  ab := a*b\n  total := c + a*b\n"

  func project() throws -> TestProject {
    let p = TestProject(name)
    p.write("p3.csv", try String(contentsOf: fixtures.appendingPathComponent("data/panel-3wave.csv"), encoding: .utf8))
    return p
  }

  func record(_ options: String) throws -> [String: Any] {
    let report = "---\ndata:\n  d: p3.csv\n---\n\n```{sem #m}\ndata: d\nmodel: |\n" + model + options + "```\n\nThe model `{m.fit.chisq | 2}`.\n"
    let r = try project().render(report).get()
    let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.resultsJSON.utf8)) as? [String: Any])
    let directives = try XCTUnwrap(json["directives"] as? [String: Any])
    let m = try XCTUnwrap(directives["m"] as? [String: Any])
    return try XCTUnwrap(m["result"] as? [String: Any])
  }

  func lavaan() throws -> (ses: [String: Double], robust: [String: Any], fit: [String: Any]) {
    let ref = try Fixtures.reference("sem-mediation-mlr-fiml")
    let results = try XCTUnwrap(ref["results"] as? [String: Any])
    var ses: [String: Double] = [:]
    for case let p as [String: Any] in try XCTUnwrap(results["parameters"] as? [Any]) {
      if let se = (p["se"] as? NSNumber)?.doubleValue { ses["\(p["lhs"]!) \(p["op"]!) \(p["rhs"]!)"] = se }
    }
    return (ses, try XCTUnwrap(results["robust"] as? [String: Any]), try XCTUnwrap(results["fit"] as? [String: Any]))
  }

  func parameters(_ v: [String: Any]) throws -> [String: [String: Any]] {
    var out: [String: [String: Any]] = [:]
    for case let p as [String: Any] in try XCTUnwrap(v["parameters"] as? [Any]) { out["\(p["lhs"]!) \(p["op"]!) \(p["rhs"]!)"] = p }
    return out
  }

  func testRobustSEsWithTheMLTest() throws {
    let v = try record("se: robust\n")
    let ref = try lavaan()
    let ps = try parameters(v)
    XCTAssertGreaterThan(ref.ses.count, 10)
    for (key, se) in ref.ses {
      let mine = try XCTUnwrap((ps[key]?["se"] as? NSNumber)?.doubleValue, key)
      assertClose(mine, se, rel: Tolerance.optimisedEstimate, key)
    }
    let fit = try XCTUnwrap(v["fit"] as? [String: Any])
    assertClose(try XCTUnwrap((fit["chisq"] as? NSNumber)?.doubleValue), try XCTUnwrap((ref.fit["chisq"] as? NSNumber)?.doubleValue), rel: Tolerance.optimisedEstimate, "ML χ²")
    XCTAssertNil(fit["chisq_scaled"], "se: robust keeps the ML test")
    XCTAssertNil(fit["robust"])
    // The standard SEs differ: the option is honoured.
    let standard = try parameters(try record(""))
    let a = try XCTUnwrap((standard["symptoms2 ~ alliance1"]?["se"] as? NSNumber)?.doubleValue)
    XCTAssertGreaterThan(abs(a - ref.ses["symptoms2 ~ alliance1"]!) / a, 1e-3)
    XCTAssertEqual(v["se"] as? String, "robust")
    // The table says how the SEs were computed.
    let report = "---\ndata:\n  d: p3.csv\n---\n\n```{sem #m}\ndata: d\nmodel: |\n" + model + "se: robust\n```\n\n```{table #tbl-m}\nof: m\n```\n"
    let html = try project().html(report)
    XCTAssertTrue(html.contains("SEs are Huber–White (robust); the test is the ML χ<sup>2</sup>."), html)
    XCTAssertFalse(html.contains("scaled χ"), "no scaled test under se: robust")
  }

  func testMLRFitFieldsHaveDesignNames() throws {
    let fit = try XCTUnwrap(try record("estimator: MLR\n")["fit"] as? [String: Any])
    let ref = try lavaan().robust
    for (mine, theirs) in [("chisq_scaled", "chisq_scaled"), ("p_scaled", "pvalue_scaled"), ("scaling_factor", "chisq_scaling_factor"),
                           ("cfi_robust", "cfi_robust"), ("tli_robust", "tli_robust"), ("rmsea_robust", "rmsea_robust")] {
      let v = try XCTUnwrap((fit[mine] as? NSNumber)?.doubleValue, mine)
      assertClose(v, try XCTUnwrap((ref[theirs] as? NSNumber)?.doubleValue, theirs), rel: Tolerance.optimisedEstimate, mine)
    }
    XCTAssertEqual((fit["df_scaled"] as? NSNumber)?.doubleValue, (fit["df"] as? NSNumber)?.doubleValue)
  }

  func testRobustSEsNeedFIML() throws {
    let report = "---\ndata:\n  d: p3.csv\n---\n\n```{sem #m}\ndata: d\nmodel: |\n" + model + "missing: listwise\nse: robust\n```\n"
    let e = try project().errors(report).first
    XCTAssertEqual(e?.code, "option-value")
    XCTAssertTrue(e?.message.contains("'se: robust' is available with FIML only") ?? false, e?.message ?? "")
    XCTAssertEqual(e?.line, 15, "at 'se: robust'")
  }
}
