import Foundation
import XCTest

@testable import BordinReport

/// The typed-results corpus (Tests/Fixtures/statcheck/corpus.md and corpus.html, 402 results:
/// statcheck 1.4's own test sentences, issue 16's reproducers, generated results in
/// psychotherapy-paper phrasing in plain, italic, Pandoc, LaTeX, Unicode and HTML notations) against
/// its ground truth computed in R (Tests/Fixtures/r/statcheck-corpus.R → corpus-truth.tsv): every
/// result found on its line, with its test, its verdict, and the recomputed p and its rounding
/// range equal to R's (pt, pf, pchisq, pnorm) within 1e-6 relative.
final class StatisticsCheckCorpusTests: XCTestCase {
  struct Truth {
    var file: String, line: Int, test: String, verdict: String, p: Double, lo: Double, hi: Double, value: String
  }

  func truth() throws -> [Truth] {
    let text = try String(contentsOf: fixtures.appendingPathComponent("statcheck/corpus-truth.tsv"), encoding: .utf8)
    var rows = text.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    let h = rows.removeFirst()
    func col(_ n: String) -> Int { h.firstIndex(of: n)! }
    return rows.map { r in
      Truth(file: r[col("file")], line: Int(r[col("line")])!, test: r[col("test")], verdict: r[col("verdict")],
            p: Double(r[col("p_recomputed")])!, lo: Double(r[col("p_low")])!, hi: Double(r[col("p_high")])!, value: r[col("value")])
    }
  }

  func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-6 * max(abs(b), 1e-300) || abs(a - b) < 1e-12 }

  func testCorpusAgainstTruthFromR() throws {
    let truth = try truth()
    XCTAssertGreaterThanOrEqual(truth.count, 400)
    var verdicts: [String: Int] = [:]
    for file in ["corpus.md", "corpus.html"] {
      let text = try String(contentsOf: fixtures.appendingPathComponent("statcheck/\(file)"), encoding: .utf8)
      let found = StatisticsCheck.scan(text, html: file.hasSuffix(".html"))
      let expected = truth.filter { $0.file == file }
      XCTAssertEqual(found.count, expected.count, file)
      for (t, f) in zip(expected, found) {
        let where_ = "\(file):\(t.line) '\(f.text)'"
        XCTAssertEqual(f.line, t.line, where_)
        XCTAssertEqual(f.result.test.rawValue, t.test == "chi2" ? "χ2" : t.test, where_)
        XCTAssertEqual(f.verdict.rawValue, t.verdict, where_)
        XCTAssertEqual(abs(f.result.value), abs(Double(t.value)!), accuracy: 1e-12, where_)
        // The recomputed p of a one-tailed verdict is halved in both.
        XCTAssertTrue(close(f.recomputedP, t.p), "\(where_): p \(f.recomputedP) vs R \(t.p)")
        XCTAssertTrue(close(f.pRange.lowerBound, t.lo) && close(f.pRange.upperBound, t.hi),
                      "\(where_): range \(f.pRange) vs R [\(t.lo), \(t.hi)]")
        verdicts[t.verdict, default: 0] += 1
      }
    }
    // Every verdict is exercised.
    for v in ["ok", "ok-one-tailed", "inconsistent", "decision-error", "impossible-value", "reporting-error"] {
      XCTAssertGreaterThanOrEqual(verdicts[v] ?? 0, 3, v)
    }
  }
}
