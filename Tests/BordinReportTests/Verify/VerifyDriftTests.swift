import Foundation
import XCTest

@testable import BordinReport

/// A report whose printed numbers are the same under every OpenBLAS kernel: OLS (closed form),
/// a REML meta-analysis and a random-intercept LMM (optimised).
let kernelReport = """
---
title: Kernels
params:
  site: north
data:
  ss: ss.csv
  studies: studies.csv
---

```{regress #ols}
data: ss
formula: Reaction ~ Days
```

```{meta #pooled}
data: studies
yi: yi
vi: vi
method: REML
```

```{meta #fixed}
data: studies
yi: yi
vi: vi
method: FE
```

```{lmm #mixed}
data: ss
formula: Reaction ~ Days + (1 | Subject)
```

OLS: `{ols.coef[Days] | apa}`, R² = `{ols.r2}`. Pooled `{pooled.estimate}`, τ² = `{pooled.tau2 | 4}`, `{pooled | apa}`.
Fixed: `{fixed.estimate | 3}`. Mixed: `{mixed.fixed[Days] | apa}`, σ = `{mixed.sigma}` at `{params.site}`.

"""

let kernelStudies = """
study,yi,vi
A,0.21,0.012
B,0.35,0.020
C,0.12,0.031
D,0.44,0.015
E,0.05,0.022
F,0.30,0.018
G,0.18,0.040
H,0.52,0.026

"""

/// Writes the kernel report's project (with bordin.yml) and returns it.
func kernelProject(_ name: String) throws -> TestProject {
  let p = TestProject(name)
  p.write("ss.csv", try String(contentsOf: fixtures.appendingPathComponent("data/sleepstudy.csv"), encoding: .utf8))
  p.write("studies.csv", kernelStudies)
  p.write("r.md", kernelReport)
  return p
}

/// verify's three classes: a recorded value that drifts within its class's tolerance still
/// verifies (exit 0, largest drift named), beyond it is a difference.
final class VerifyDriftTests: XCTestCase {
  func rendered() throws -> (TestProject, URL) {
    let p = try kernelProject(name)
    let r = try Renderer.render(file: p.root.appendingPathComponent("r.md"), displayPath: "r.md")
    let html = p.root.appendingPathComponent("out/r.html")
    try Output.writePair(html: r.html, to: html, record: r.resultsJSON, to: p.root.appendingPathComponent("out/r.results.json"))
    return (p, html)
  }

  /// The record beside `html` with the number at `path` (keys and indices) multiplied by `1 + rel`.
  func perturb(_ html: URL, _ path: [String], by rel: Double) throws {
    let url = html.deletingPathExtension().appendingPathExtension("results.json")
    func change(_ v: ResultValue, _ rest: ArraySlice<String>) -> ResultValue {
      guard let k = rest.first else {
        guard let d = v.double else { XCTFail("\(path) is not a number"); return v }
        return .number(d * (1 + rel))
      }
      switch v {
      case .object(let f): return .object(f.map { $0.0 == k ? ($0.0, change($0.1, rest.dropFirst())) : $0 })
      case .array(let a): let i = Int(k)!; var a = a; a[i] = change(a[i], rest.dropFirst()); return .array(a)
      default: XCTFail("no \(k) in \(path)"); return v
      }
    }
    let tree = try RecordJSON.parse(Array(try Data(contentsOf: url)))
    let changed = change(tree, path[...])
    XCTAssertNotEqual(changed, tree)
    try Data(JSONWriter.string(changed).utf8).write(to: url)
  }

  let closed = ["directives", "ols", "result", "coef", "1", "estimate"]
  let closedMeta = ["directives", "fixed", "result", "estimate"]
  let optimised = ["directives", "pooled", "result", "tau2"]
  let optimisedLMM = ["directives", "mixed", "result", "fixed", "1", "se"]

  func testUntouchedIsIdentical() throws {
    let (_, html) = try rendered()
    let o = Verifier.verify(html: html)
    XCTAssertEqual(o.verdict, .identical, "\(o.differences)")
    XCTAssertEqual(o.summary, "verified: identical")
  }

  func testDriftWithinToleranceVerifies() throws {
    for (path, rel, cls) in [(closed, 1e-12, DriftClass.closedForm), (closedMeta, -1e-12, .closedForm), (optimised, 1e-9, .optimised), (optimisedLMM, -1e-9, .optimised)] {
      let (_, html) = try rendered()
      try perturb(html, path, by: rel)
      let o = Verifier.verify(html: html)
      XCTAssertEqual(o.verdict, .withinTolerance, "\(path): \(o.differences)")
      XCTAssertTrue(o.agrees)
      let at = path.dropFirst().reduce("directives") { p, k in Int(k) != nil ? "\(p)[\(k)]" : "\(p).\(k)" }
      XCTAssertEqual(o.largestDrift?.path, at)
      XCTAssertEqual(o.largestDrift?.drift, cls)
      XCTAssertEqual(o.largestDrift!.relative, abs(rel), accuracy: abs(rel) * 1e-3)
      XCTAssertTrue(o.summary.hasPrefix("verified: within floating-point tolerance (largest drift \(shortExp(abs(rel))) relative at \(at), \(cls.rawValue)"), o.summary)
    }
  }

  func testDriftBeyondToleranceIsDifferent() throws {
    // 1e-6 is beyond both classes; 1e-9 is beyond the closed-form class only.
    for (path, rel) in [(closed, 1e-6), (closedMeta, 1e-9), (optimised, 1e-6), (optimisedLMM, -1e-6)] {
      let (_, html) = try rendered()
      try perturb(html, path, by: rel)
      let o = Verifier.verify(html: html)
      XCTAssertEqual(o.verdict, .different, "\(path)")
      let at = path.dropFirst().reduce("directives") { p, k in Int(k) != nil ? "\(p)[\(k)]" : "\(p).\(k)" }
      XCTAssertTrue(o.differences.contains { $0.hasPrefix("the provenance record differs from a fresh render at \(at): recorded ") && $0.contains("relative drift") }, "\(o.differences)")
      XCTAssertTrue(o.summary.hasPrefix("NOT verified: "), o.summary)
    }
  }

  /// Within tolerance the page is checked against the recorded values: an edited number is
  /// still caught, exactly.
  func testEditedNumberIsCaughtWhenValuesDrift() throws {
    let (_, html) = try rendered()
    try perturb(html, optimised, by: 1e-9)
    let shown = try XCTUnwrap(ComputedValues.text(try String(contentsOf: html, encoding: .utf8), "fixed.estimate"))
    try editFile(html, "data-ref=\"fixed.estimate\">\(shown)<", "data-ref=\"fixed.estimate\">0.999<")
    let o = Verifier.verify(html: html)
    XCTAssertEqual(o.verdict, .different)
    XCTAssertTrue(o.differences.contains { $0.hasPrefix("value fixed.estimate (HTML line") && $0.hasSuffix("the HTML shows '0.999', the data give '\(shown)'") }, "\(o.differences)")
  }

  /// The page must print the recorded values: a recorded value moved (within tolerance) across a
  /// rounding boundary no longer matches the page.
  func testPrintedNumbersAreTheRecordedValuesFormatting() throws {
    let (_, html) = try rendered()
    let url = html.deletingPathExtension().appendingPathExtension("results.json")
    let tree = try RecordJSON.parse(Array(try Data(contentsOf: url)))
    let replayed = try Renderer.render(file: url.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("r.md"),
                                       displayPath: "r.md", options: { var o = RenderOptions(); o.replay = Verifier.recordedResults(tree); return o }())
    let page = try String(contentsOf: html, encoding: .utf8)
    XCTAssertEqual(replayed.html, page)
    // Replay a value 1% away: the printed number changes, so replay really prints the record.
    var results = Verifier.recordedResults(tree)
    results["fixed"] = results["fixed"]!.withNumbers(of: .object([("estimate", .number(results["fixed"]!["estimate"]!.double! * 1.01))]))
    let moved = try Renderer.render(file: url.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("r.md"),
                                    displayPath: "r.md", options: { var o = RenderOptions(); o.replay = results; return o }())
    XCTAssertNotEqual(ComputedValues.text(moved.html, "fixed.estimate"), ComputedValues.text(page, "fixed.estimate"))
  }

  /// The platform record is never a difference, and is printed when it differs.
  func testAnotherPlatformIsPrintedNotADifference() throws {
    let (_, html) = try rendered()
    let url = html.deletingPathExtension().appendingPathExtension("results.json")
    let s = try String(contentsOf: url, encoding: .utf8)
    try Data(s.replacingOccurrences(of: "\"blas_kernel\": \"\(Platform.current.blasKernel)\"", with: "\"blas_kernel\": \"Zen9\"")
      .replacingOccurrences(of: "\"architecture\": \"\(Platform.current.architecture)\"", with: "\"architecture\": \"riscv64\"").utf8).write(to: url)
    let o = Verifier.verify(html: html)
    XCTAssertEqual(o.verdict, .identical, "\(o.differences)")
    XCTAssertTrue(o.summary.hasPrefix("verified: identical (recorded on riscv64 "), o.summary)
    XCTAssertTrue(o.summary.contains(", here \(Platform.current.summary))"), o.summary)
  }

  /// A tiny p-value magnifies its statistic's drift by about z²; on the log scale it is the
  /// statistic's drift again (a p ≈ 1e-10 of a z of 6.5 moves 2e-7 relative when z moves 5e-9;
  /// p-values below 1e-12 count as zero anyway).
  func testPValuesDriftOnTheLogScale() {
    XCTAssertTrue(DriftClass.isPValue(field: "fixed.p"))
    XCTAssertTrue(DriftClass.isPValue(field: "Q_p"))
    XCTAssertTrue(DriftClass.isPValue(field: "fit.p_scaled"))
    XCTAssertFalse(DriftClass.isPValue(field: "fixed.estimate"))
    XCTAssertFalse(DriftClass.isPValue(field: "pi_lb"))
    let z = 6.5, dz = z * 5e-9
    let p1 = 2 * normalUpper(z), p2 = 2 * normalUpper(z + dz)
    XCTAssertGreaterThan(DriftClass.drift(p1, p2), 1e-7)
    XCTAssertLessThan(DriftClass.pValueDrift(p1, p2), 1e-8)
    // Near 1 the two measures agree; a real change stays a change.
    XCTAssertEqual(DriftClass.pValueDrift(0.5, 0.5 * (1 + 1e-6)), 1e-6, accuracy: 1e-9)
    XCTAssertGreaterThan(DriftClass.pValueDrift(0.03, 0.04), 1e-2)
    XCTAssertGreaterThan(DriftClass.pValueDrift(1e-10, 1e-9), 1e-2)
  }

  /// Upper tail of the standard normal, erfc-based (enough for the test above).
  private func normalUpper(_ z: Double) -> Double { 0.5 * erfc(z / 2.0.squareRoot()) }

  func testEveryKindHasAClass() {
    for d in directiveDefinitions {
      XCTAssertTrue(DriftClass.closedKinds.contains(d.name) != DriftClass.optimisedKinds.contains(d.name), "\(d.name) needs exactly one class")
    }
    XCTAssertEqual(DriftClass.of(kind: "regress", method: nil, random: false, field: "coef.se"), .closedForm)
    XCTAssertEqual(DriftClass.of(kind: "meta", method: "DL", random: false, field: "tau2"), .closedForm)
    XCTAssertEqual(DriftClass.of(kind: "meta", method: "DL", random: false, field: "tau2_ci_lb"), .optimised)
    XCTAssertEqual(DriftClass.of(kind: "meta", method: "DL", random: false, field: "trimfill.estimate"), .optimised)
    XCTAssertEqual(DriftClass.of(kind: "meta", method: "DL", random: true, field: "estimate"), .optimised)
    XCTAssertEqual(DriftClass.of(kind: "meta", method: nil, random: false, field: "estimate"), .optimised)
    XCTAssertEqual(DriftClass.of(kind: "reliability", method: nil, random: false, field: "raw_alpha"), .closedForm)
    XCTAssertEqual(DriftClass.of(kind: "reliability", method: nil, random: false, field: "omega_total"), .optimised)
    XCTAssertEqual(DriftClass.of(kind: "lmm", method: nil, random: false, field: "fixed.df"), .numericalDerivative)
    XCTAssertEqual(DriftClass.of(kind: "growth", method: nil, random: false, field: "fixed.df"), .numericalDerivative)
    XCTAssertEqual(DriftClass.of(kind: "lmm", method: nil, random: false, field: "fixed.se"), .optimised)
    XCTAssertEqual(DriftClass.numericalDerivative.tolerance, 1e-6)
    XCTAssertEqual(DriftClass.of(kind: "some-future-kind", method: nil, random: false, field: "x"), .optimised)
    XCTAssertEqual(DriftClass.drift(1e-17, -3e-17), 0)
    XCTAssertEqual(DriftClass.drift(2, 2 * (1 + 1e-9)), 1e-9, accuracy: 1e-15)
    XCTAssertEqual(shortExp(3.24e-9), "3.2e-9")
    XCTAssertEqual(shortExp(9.96e-8), "1e-7")
  }
}
