import BordinData
import BordinStats
import XCTest

/// shared/reference/riclpm-4wave.json: a 4-wave RI-CLPM (Hamaker et al. 2015) under FIML.
final class RICLPM4WaveTests: XCTestCase {
  func testEveryParameterAndFitIndex() throws {
    let ref = try SEMReferenceCase("riclpm-4wave")
    let r = try SEM.fit(model: ref.model, data: ref.data)
    let errors = ref.assertMatches(r)
    print("RICLPM4WaveTests observed errors: \(errors.summary)")
  }
}
