import Foundation
import XCTest

@testable import BordinReport

/// Issue 16's reproducers, one test per cause found when Bordin was measured against
/// statcheck 1.4. p values from R 4.2 (`2*pt(-|t|, df)`, `2*pnorm(-|z|)`, `pchisq(x, df, lower.tail
/// = FALSE)`, `pf(…)`, r as t = r·√(df/(1−r²))). Each asserts what was wrong before the fix.
final class StatisticsCheckReproducerTests: XCTestCase {
  private func one(_ text: String, html: Bool = false, file: StaticString = #filePath, line: UInt = #line) -> StatisticsCheck.Finding? {
    let f = StatisticsCheck.scan(text, html: html)
    XCTAssertEqual(f.count, 1, "\(text): \(f.map(\.text))", file: file, line: line)
    return f.first
  }

  /// 1. `.20` was read with 0 decimals (the empty piece before the point was dropped), so the
  ///    rounding interval covered every p.
  func testValuesWithoutLeadingZeroKeepTheirDecimals() throws {
    let r = try XCTUnwrap(one("r(50) = .20, p = .03"))
    XCTAssertFalse(r.consistent)
    XCTAssertTrue(r.decisionError)
    XCTAssertEqual(r.recomputedP, 0.15515112, accuracy: 1e-7)
    let z = try XCTUnwrap(one("z = .85, p = .20"))
    XCTAssertFalse(z.consistent)
    XCTAssertFalse(z.decisionError)
    XCTAssertEqual(z.recomputedP, 0.39532509, accuracy: 1e-7)
  }

  /// 2. Test symbols: capital Z, Qb/Qw/Q-within/Q-between, x2, Greek capital chi, Pandoc χ^2^.
  func testTestSymbols() throws {
    XCTAssertEqual(try XCTUnwrap(one("Z = 2.50, p = .012")).recomputedP, 0.012419331, accuracy: 1e-8)
    for s in ["Qb(1) = 5.00, p = .025", "Qw(1) = 5.00, p = .025", "Q-within(1) = 5.00, p = .025", "Q-between(1) = 5.00, p = .025",
              "x2(1) = 5.00, p = .025", "Χ2(1) = 5.00, p = .025", "*χ*^2^(1) = 5.00, *p* = .025", "χ²(1) = 5.00, p = .025"] {
      let f = try XCTUnwrap(one(s))
      XCTAssertTrue(f.consistent, s)
      XCTAssertEqual(f.recomputedP, 0.025347319, accuracy: 1e-8, s)
    }
    XCTAssertTrue(StatisticsCheck.scan("Qs(2) = 2.2, p = .03; T(28) = 2.20, p = .03; Z(28) = 2.20, p = .03; t(2,28) = 2.20, p = .03").isEmpty)
  }

  /// 3. A sample size with a thousands separator inside the df parentheses.
  func testSampleSizeWithThousandsSeparator() throws {
    let f = try XCTUnwrap(one("χ2(1, N = 2,500) = 5.00, p = .40"))
    XCTAssertTrue(f.decisionError)
  }

  /// 4. The statistic: `<`, `< 1`, a thousands separator, an en dash as minus.
  func testStatisticForms() throws {
    let lt = try XCTUnwrap(one("t(30) < 1.00, p = .01"))
    XCTAssertFalse(lt.consistent)  // t < 1 means p > .325
    XCTAssertTrue(lt.decisionError)
    XCTAssertEqual(lt.recomputedP, 0.32530862, accuracy: 1e-7)
    XCTAssertTrue(try XCTUnwrap(one("F(1, 40) < 1, ns")).consistent)
    let big = try XCTUnwrap(one("F(1, 500) = 1,200.0, p = .40"))
    XCTAssertTrue(big.decisionError)
    XCTAssertLessThan(big.recomputedP, 1e-100)
    let dash = try XCTUnwrap(one("t(30) = –2.50, p = .018"))
    XCTAssertTrue(dash.consistent)
    XCTAssertEqual(dash.recomputedP, 0.018115649, accuracy: 1e-8)
  }

  /// 5. p: `n.s.`, Pandoc's `\<`, capital P, an exponent (1.8e-2 was read as 1.8: a false decision error).
  func testPForms() throws {
    XCTAssertTrue(try XCTUnwrap(one("F(1, 30) = 9.00, n.s.")).decisionError)
    let esc = try XCTUnwrap(one(#"t(30) = 2.50, p \< .001"#))
    XCTAssertFalse(esc.consistent)
    XCTAssertFalse(esc.decisionError)
    XCTAssertTrue(try XCTUnwrap(one("t(30) = 1.05, P = .30")).consistent)
    let e = try XCTUnwrap(one("t(30) = 2.50, p = 1.8e-2"))
    XCTAssertTrue(e.consistent)
    XCTAssertFalse(e.decisionError)
    XCTAssertTrue(try XCTUnwrap(one("t(30) = 2.50, p = 1.8e-3")).consistent == false)
  }

  /// 6. Markup: HTML entities, literal `>` and `<` in HTML text, inline LaTeX.
  func testMarkup() throws {
    for h in ["<p><i>t</i>(30) = &minus;2.50, <i>p</i> = .018</p>", "<p>t(30)&thinsp;=&thinsp;&#8722;2.50, p = .018</p>",
              "<p>&chi;<sup>2</sup>(1) = 5.00, p = .025</p>", "<p>&#967;&sup2;(1) = 5.00, p = .025</p>",
              "<p>&#x3C7;<sup>2</sup>(1)&nbsp;=&nbsp;5.00, <em>p</em>&nbsp;=&nbsp;.025</p>"] {
      XCTAssertTrue(try XCTUnwrap(one(h, html: true)).consistent, h)
    }
    let gt = try XCTUnwrap(one("<p>No effect, t(30) = 1.05, p > .05.</p>", html: true))
    XCTAssertTrue(gt.consistent)
    let lt = StatisticsCheck.scan("<p>t(30) = 3.50, p < .01, and <b>F</b>(1, 30) = 9.00, p < .01.</p>", html: true)
    XCTAssertEqual(lt.map(\.text), ["t(30) = 3.50, p < .01", "F(1, 30) = 9.00, p < .01"])
    let latex = try XCTUnwrap(one("$t$(30) = 2.50, $p$ = .30"))
    XCTAssertTrue(latex.decisionError)
    XCTAssertTrue(try XCTUnwrap(one(#"$\chi^2(1) = 5.00$, $p = .025$"#)).consistent)
  }

  /// 7. The decision rule: p = .05 counts as significant.
  func testPEqualAlphaIsSignificant() throws {
    let a = try XCTUnwrap(one("t(30) = 2.50, p = .05"))
    XCTAssertFalse(a.consistent)
    XCTAssertFalse(a.decisionError)
    let b = try XCTUnwrap(one("t(30) = 1.50, p = .05"))
    XCTAssertTrue(b.decisionError)
    XCTAssertEqual(b.recomputedP, 0.14406593, accuracy: 1e-7)
    let c = try XCTUnwrap(one("t(30) = 3.50, p > .01"))
    XCTAssertFalse(c.consistent)
    XCTAssertFalse(c.decisionError)
  }

  /// 8. The one-tailed cue applies to its own sentence and result only.
  func testOneTailedCueIsLocal() {
    let non = StatisticsCheck.scan("A non-directional test gave t(30) = 1.80, p = .04.")
    XCTAssertTrue(non[0].decisionError)
    let two = StatisticsCheck.scan("The one-tailed test gave t(30) = 1.80, p = .04. The replication gave t(30) = 1.80, p = .04.")
    XCTAssertEqual(two.count, 2)
    XCTAssertTrue(two[0].consistent && two[0].oneTailed)
    XCTAssertTrue(two[1].decisionError)
    let same = StatisticsCheck.scan("this test is one-tailed: t(28) = 2.20, p = .02, but this one is not: t(28) = 2.20, p = .04")
    XCTAssertTrue(same[0].oneTailed)
    XCTAssertTrue(same[1].consistent && !same[1].oneTailed)
    for s in ["t(30) = 1.80, p = .04, 1-tailed.", "t(30) = 1.80, p = .04 (one\u{2011}tailed).", "A one sided test, t(30) = 1.80, p = .04.",
              "A directional test, t(30) = 1.80, p = .04."] {
      let f = StatisticsCheck.scan(s)
      XCTAssertEqual(f.count, 1, s)
      XCTAssertTrue(f.first?.oneTailed ?? false, s)
      XCTAssertEqual(f.first?.recomputedP ?? 0, 0.040962534, accuracy: 1e-8)
    }
    XCTAssertFalse(StatisticsCheck.scan("A two-tailed test, t(30) = 1.80, p = .04.")[0].consistent)
  }

  /// 9. Line numbers in CRLF files.
  func testLineNumbersInCRLFFiles() {
    let f = StatisticsCheck.scan("Title\r\n\r\nFirst, t(30) = 2.50, p = .018.\r\nThen t(30) = 2.50, p = .30.\r\n")
    XCTAssertEqual(f.map(\.line), [3, 4])
  }

  /// Results split across lines (PDF text, wrapped Markdown) and several on a line.
  func testWrappedAndRepeatedResults() {
    let f = StatisticsCheck.scan("Both effects were very significant, t(28) = 2.20, p = .04, t(28) = 1.23, p = .04, and\nF(2,\n28) = 2.20, p = .13.")
    XCTAssertEqual(f.map(\.line), [1, 1, 2])
    XCTAssertEqual(f.map(\.consistent), [true, false, true])
  }
}
