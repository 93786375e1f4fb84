import BordinTestSupport
import XCTest

@testable import BordinStats

/// `car::Anova` on carData's Moore (Moore & Krupat 1971; conformity ~ authoritarianism category ×
/// partner's status, unbalanced: 4 to 11 per cell) — the example of Fox & Weisberg (2019, §5.3.4)
/// — and an ANCOVA with the F-scale score, type 2 and 3, against R (Tests/Fixtures/r/anova-references.R).
final class MooreAnovaTests: XCTestCase {
  func testUnbalancedTwoWay() throws {
    try AnovaReference.check("moore-2")
    try AnovaReference.check("moore-3")
  }

  /// ANCOVA: a factor and a covariate; no interaction, so type 2 = type 3 for both terms.
  func testAncova() throws {
    let t2 = try AnovaReference.check("moore-ancova-2")
    let t3 = try AnovaReference.check("moore-ancova-3")
    for t in t2.terms { assertClose(t3.term(t.term)?.ss, t.ss, rel: 1e-10, "\(t.term): additive model ⇒ type 2 = type 3") }
  }
}
