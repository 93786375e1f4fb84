import Foundation
import XCTest

@testable import BordinReport
@testable import BordinStats

/// `check --statistics` on a document with 26 typed results whose p-values were recomputed in
/// R 4.2.2 (`2*pt(-|t|, df)`, `pf(F, df1, df2, lower.tail = FALSE)`, `pchisq(…)`,
/// `2*pnorm(-|z|)`): every inconsistency is found, with no false alarms.
final class StatisticsCheckTests: XCTestCase {
  func testTypedResultsDocument() throws {
    let text = try String(contentsOf: fixtures.appendingPathComponent("statcheck/typed-results.md"), encoding: .utf8)
    let f = StatisticsCheck.scan(text)
    XCTAssertEqual(f.count, 25, f.map(\.text).joined(separator: "\n"))
    // line → (consistent, decision error)
    let expected: [Int: (Bool, Bool)] = [
      5: (true, false),    // t(58)=2.10 → p .0401
      6: (false, false),   // p .01 vs .0401 (one-tailed .0200 does not fit either)
      7: (true, false),    // F(2,147)=3.2 → [.0416, .0458] covers .045
      8: (true, false),    // r(98)=.27 → .0066
      9: (true, false),    // χ2(1)=0.41 → .522, rounding range covers .524
      10: (true, false),   // z=2.18 → .0293
      11: (true, false),   // Q(1)=0.41 → .522
      12: (true, false),   // t(30)=1.80 → .0819 two-sided, .041 one-tailed (stated)
      13: (false, true),   // t(30)=1.20 → .2395 (one-tailed .12): not < .05
      14: (false, false),  // F(1,40)=4.10 → .0496 vs .03, both < .05
      15: (false, true),   // F(1,40)=3.90 → .0552 vs .04
      16: (true, false),   // r(48)=−.30 → .0343
      17: (true, false),   // t(100)=2.0 → [.0431, .0540] covers .048
      18: (false, true),   // t(100)=2.00 → [.0477, .0488] vs .06
      19: (true, false),   // z=1.96 → .04999
      20: (true, false),   // χ2(2, N = 120)=7.10 → .0287
      21: (false, false),  // χ2(2)=7.10 → .0287 vs .008
      22: (false, false),  // t(25)=3.10 → .0047 vs < .001 (one-tailed .0024)
      23: (true, false),   // t(25)=4.50 → .00014
      24: (true, false),   // F(3,96)=0.85 → .470
      25: (true, false),   // r(20)=.50 → .0178
      26: (false, true),   // z=2.50 → .0124 vs .10
      27: (true, false),   // t(12)=2.2 → [.0440, .0526] reaches above .05
      28: (true, false),   // Q(5)=12.3 → .0309
      29: (true, false),   // italics
    ]
    XCTAssertEqual(Set(f.map(\.line)), Set(expected.keys))
    for x in f {
      guard let (c, d) = expected[x.line] else { continue }
      XCTAssertEqual(x.consistent, c, "line \(x.line): \(x.text) recomputed \(x.recomputedP)")
      XCTAssertEqual(x.decisionError, d, "line \(x.line): \(x.text)")
    }
    XCTAssertTrue(f.first { $0.line == 12 }!.oneTailed)
    XCTAssertEqual(f.first { $0.line == 5 }!.recomputedP, 0.04008868, accuracy: 1e-8)
  }

  func testWithoutOneTailedMentionTheOneTailedResultIsInconsistent() {
    let f = StatisticsCheck.scan("The test gave t(30) = 1.80, p = .04.")
    XCTAssertEqual(f.count, 1)
    XCTAssertFalse(f[0].consistent)
    XCTAssertTrue(f[0].decisionError)
  }

  func testComputedValuesInHTMLAreNotTyped() throws {
    let p = TestProject()
    p.write("d.csv", smallCSV)
    let h = p.html("---\ndata:\n  d: d.csv\n---\n\n```{correlate #c}\ndata: d\nvars: [x, y]\n```\n\nComputed `{c | apa}`; typed r(4) = .99, p < .001.\n")
    let f = StatisticsCheck.scan(h, html: true)
    XCTAssertEqual(f.count, 1)
    XCTAssertEqual(f.first?.text, "r(4) = .99, p < .001")
  }

  func testDescribeNamesLineAndDecision() {
    let f = StatisticsCheck.scan("\nF(1, 40) = 3.90, p = .04.\n")[0]
    let s = StatisticsCheck.describe(f, file: "x.md", bordinReport: true)
    XCTAssertTrue(s.hasPrefix("x.md:2:1: error[decision-error]: 'F(1, 40) = 3.90, p = .04': p recomputed from the statistic is .055 ([.0551, .0554] over its rounding)"), s)
    XCTAssertTrue(s.contains("not-computed"))
  }
}
