import BordinData
import XCTest

@testable import BordinStats

/// `tasc_caregiver ~ months + (1 + months | child)` on the simulated PRAC data (data/prac/long.csv):
/// an unbalanced design with a correlated random slope whose REML surface is flat in the slope
/// terms. Report writers saw Satterthwaite df 85.171 here where lmerTest printed 85.286.
///
/// The gap is the optimum, not the derivatives (Tests/Fixtures/r/satterthwaite-prac-caregiver.R):
///
/// | fit | REML criterion | df (months) |
/// |---|---|---|
/// | lme4, default optimiser | 2598.45839229471 | 85.2855 |
/// | lme4, nloptwrap, xtol_rel 1e-14 | 2598.45839218531 | 85.1394 |
/// | Bordin | 2598.45839212865 | 85.1709 |
/// | lmerTest at Bordin's θ | (R's devfun: 2598.45839212865) | 85.17087 |
///
/// A θ change of 1e-5 moves the df by 0.15, so df are compared at the same θ: there they agree
/// to 4e-7, far inside DESIGN.md §9's 1e-3.
final class PracCaregiverSatterthwaiteTests: XCTestCase {
  func testDfMatchLmerTestAtTheSameTheta() throws {
    let data = try Fixtures.csv("../../data/prac/long.csv")
    let r = try MixedModel.fit("tasc_caregiver ~ months + (1 + months | child)", data: data)
    XCTAssertTrue(r.converged)
    // The criterion: R's deviance function at this fit's θ, and no worse than either lme4 fit.
    let crit = try XCTUnwrap(r.remlCriterion)
    XCTAssertEqual(crit, 2598.45839212865, accuracy: 1e-8)
    XCTAssertLessThanOrEqual(crit, 2598.45839218531)
    // lmerTest 3.1-3 (`as_lmerModLT`) at this θ.
    let expected: [(term: String, estimate: Double, se: Double, df: Double)] = [
      ("(Intercept)", 39.82171323076850, 0.3297616920593, 173.0361277240),
      ("months", 0.00473142732866, 0.0318718358673, 85.1708729739),
    ]
    XCTAssertEqual(r.fixed.map(\.term), expected.map(\.term))
    for (f, e) in zip(r.fixed, expected) {
      XCTAssertEqual(f.estimate, e.estimate, accuracy: 1e-9 * max(1, abs(e.estimate)), f.term)
      XCTAssertEqual(f.se, e.se, accuracy: 1e-9, f.term)
      XCTAssertEqual(f.df, e.df, accuracy: 1e-6 * e.df, f.term)
    }
  }
}
