import BordinData
import BordinStats
import XCTest

/// SEM.fit against lavaan 0.6-14 fixtures made by Tests/Fixtures/r/sem-literals.R (lavaan's
/// optimum polished by Newton steps with lavaan's own gradient and Hessian).
final class SEMTests: XCTestCase {
  private func check(
    _ name: String, options: SEMOptions = SEMOptions(), file: StaticString = #filePath, line: UInt = #line
  ) throws -> SEMResult {
    let ref = try SEMReferenceCase(name)
    let r = try SEM.fit(model: ref.model, data: ref.data, options: options)
    let errors = ref.assertMatches(r, file: file, line: line)
    print("\(name) observed errors: \(errors.summary)")
    return r
  }

  /// Three-factor CFA, complete data: expected information, no mean structure (lavaan defaults).
  func testHolzingerSwinefordComplete() throws {
    let r = try check("sem-hs1939-complete", options: SEMOptions(missing: .listwise))
    XCTAssertEqual(r.information, .expected)
    XCTAssertFalse(r.meanstructure)
  }

  /// The same CFA with MAR missingness under FIML (observed information): latent variables,
  /// automatic factor covariances.
  func testHolzingerSwinefordFIML() throws {
    let r = try check("sem-hs1939-fiml")
    XCTAssertEqual(r.information, .observed)
    XCTAssertEqual(r.coverage.map(\.proportion)[0], 241.0 / 301, accuracy: 1e-15)
  }

  /// ab := a*b and total := c + a*b with delta-method standard errors.
  func testMediationDefinedParameters() throws {
    let r = try check("sem-mediation-fiml")
    let ab = try XCTUnwrap(r.parameter("ab", ":="))
    XCTAssertEqual(ab.rhs, "a*b")
    XCTAssertFalse(ab.free)
  }

  /// Lags equal across waves through shared labels: one parameter per label.
  func testCLPMEqualLags() throws {
    let r = try check("sem-clpm-3wave-equal")
    XCTAssertEqual(r.parameter("alliance2", "~", "alliance1")?.est, r.parameter("alliance3", "~", "alliance2")?.est)
  }

  /// Listwise deletion: complete rows only, no mean structure, expected information.
  func testCLPMListwise() throws {
    _ = try check("sem-clpm-3wave-listwise", options: SEMOptions(missing: .listwise))
  }

  /// A 4-wave CLPM on lavaan's Demo.growth (N = 400) under FIML.
  func testCLPMDemoGrowthFIML() throws {
    _ = try check("sem-clpm-demogrowth-fiml")
  }
}
