import BordinData
import BordinStats
import XCTest

/// shared/reference/riclpm-4wave.json: a 4-wave random-intercept CLPM (Hamaker, Kuiper &
/// Grasman 2015) under FIML, and the same case with lavaan's optimum polished by Newton steps
/// (riclpm-4wave-tight.json, Tests/Fixtures/r/sem-literals.R).
///
/// The likelihood is flat in the cross-lagged directions, and lavaan stopped its 577 nlminb
/// iterations (relative change 1e-10 in F) 1.5e-10 below the maximum of log L: three estimates
/// near zero are off their optimum by more than 1e-5 relative in the shared reference
/// (wx2~wy1 2.8e-5, wx2~~wy2 1.5e-5, wx3~wy2 3.1e-5, with their z and std_all). Newton steps with
/// lavaan's own gradient and Hessian reach the optimum that Bordin finds (agreement ~1e-11); the
/// R session that made the shared file stopped at a slightly different point than a rerun here
/// does (nlminb's path depends on the BLAS).
final class RICLPM4WaveTests: XCTestCase {
  /// Every value against lavaan's polished optimum at the DESIGN.md §9 tolerances.
  func testPolishedOptimum() throws {
    let ref = try SEMReferenceCase("riclpm-4wave-tight")
    let r = try SEM.fit(model: ref.model, data: ref.data)
    let errors = ref.assertMatches(r)
    print("RICLPM4WaveTests (polished optimum) observed errors: \(errors.summary)")
  }

  /// Every value of the shared reference at the §9 tolerances, each widened by exactly that
  /// value's distance from the polished optimum (lavaan's convergence error in the reference).
  func testEveryParameterAndFitIndex() throws {
    let ref = try SEMReferenceCase("riclpm-4wave")
    let tight = try SEMReferenceCase("riclpm-4wave-tight")
    let r = try SEM.fit(model: ref.model, data: ref.data)
    let errors = ref.assertMatches(r, optimum: tight)
    print("RICLPM4WaveTests (shared reference) observed errors: \(errors.summary)")
    print("RICLPM4WaveTests convergence allowances: \(errors.allowances.joined(separator: "; "))")
    // The allowance is only needed where lavaan's stopping rule left more than 1e-5.
    XCTAssertLessThanOrEqual(errors.allowances.count, 9)
    // Bordin's maximum is not lower than lavaan's.
    let logLik = (ref.fit["logLik"] as! NSNumber).doubleValue
    XCTAssertGreaterThanOrEqual(r.fit.logLik, logLik)
  }

  func testPatternsAndCoverage() throws {
    let ref = try SEMReferenceCase("riclpm-4wave")
    let r = try SEM.fit(model: ref.model, data: ref.data)
    XCTAssertEqual(r.patterns.map(\.count), [161, 99, 71, 69])
    XCTAssertEqual(r.latent, ["RIx", "RIy", "wx1", "wx2", "wx3", "wx4", "wy1", "wy2", "wy3", "wy4"])
    XCTAssertEqual(r.coverage.map(\.proportion), [1, 0.8225, 0.575, 0.4025, 1, 0.8225, 0.575, 0.4025])
  }
}
