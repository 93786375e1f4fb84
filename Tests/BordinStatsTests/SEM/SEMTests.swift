import BordinData
import BordinStats
import BordinTestSupport
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

  /// ab := a*b, total := c + a*b, a ratio of definitions and a function of exp, log, abs, sqrt
  /// and powers, with delta-method standard errors (every row of the fixture).
  func testMediationDefinedParameters() throws {
    let r = try check("sem-mediation-fiml")
    let ab = try XCTUnwrap(r.parameter("ab", ":="))
    XCTAssertEqual(ab.rhs, "a*b")
    XCTAssertFalse(ab.free)
    XCTAssertEqual(r.parameter("odd", ":=")?.rhs, "exp(b)-log(c)+sqrt(c^2)*b^2-(-a)")
  }

  /// The indirect effect against its R literal (lavaan 0.6-14, optimum polished; see
  /// Tests/Fixtures/r/sem-literals.R): est −0.0113227051833182, se 0.0321366259251953 =
  /// √(J V J') with J = (b̂, â) for (a, b), std.all = std(a)·std(b).
  func testIndirectEffectDeltaMethod() throws {
    let ref = try SEMReferenceCase("sem-mediation-fiml")
    let r = try SEM.fit(model: ref.model, data: ref.data)
    let ab = try XCTUnwrap(r.parameter("ab", ":="))
    assertClose(ab.est, -0.0113227051833182, rel: Tolerance.optimisedEstimate, "ab est")
    assertClose(ab.se, 0.0321366259251953, rel: Tolerance.optimisedEstimate, "ab se")
    assertClose(ab.z, -0.352330241814251, rel: Tolerance.optimisedEstimate, "ab z")
    assertClose(ab.p, 0.724590610690882, rel: Tolerance.optimisedEstimate, "ab p")
    assertClose(ab.stdAll, -0.0131178521881095, rel: Tolerance.optimisedEstimate, "ab std_all")
    let a = try XCTUnwrap(r.parameter("symptoms2", "~", "alliance1"))
    let b = try XCTUnwrap(r.parameter("alliance3", "~", "symptoms2"))
    XCTAssertEqual(ab.est, a.est * b.est, accuracy: 1e-15)
    XCTAssertEqual(ab.stdAll, a.stdAll * b.stdAll, accuracy: 1e-15)
    // Not the Sobel product-of-SEs formula without the covariance term, but close to it here.
    let sobel = (b.est * b.est * a.se * a.se + a.est * a.est * b.se * b.se).squareRoot()
    XCTAssertEqual(ab.se, sobel, accuracy: 1e-3 * sobel)
    XCTAssertEqual(ab.ciLower, ab.est - 1.959963984540054 * ab.se, accuracy: 1e-15)
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

  /// Reciprocal paths (I − A not triangular: B = (I − A)⁻¹ by LU).
  func testNonRecursiveModel() throws {
    _ = try check("sem-nonrecursive-fiml")
  }

  /// Exogenous predictors with missing values are modelled (rows kept unless every model
  /// variable is missing: 61 wave-1-only rows are left out); the model is saturated (df = 0,
  /// p NaN as lavaan's NA); the baseline frees the predictors' covariance (EM on that block).
  func testIncompleteExogenousPredictors() throws {
    let r = try check("sem-regression-missing-x-fiml")
    XCTAssertEqual(r.fit.n, 148)
    XCTAssertEqual(r.rowsDropped, 61)
    XCTAssertEqual(r.fit.baselineDf, 2)
  }

  /// A 4-wave CLPM on lavaan's Demo.growth (N = 400) under FIML.
  func testCLPMDemoGrowthFIML() throws {
    _ = try check("sem-clpm-demogrowth-fiml")
  }
}
