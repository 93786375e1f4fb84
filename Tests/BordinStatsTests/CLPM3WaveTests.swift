import BordinData
import BordinStats
import XCTest

/// shared/reference/clpm-3wave.json: a 3-wave CLPM under FIML (lavaan 0.6-14).
final class CLPM3WaveTests: XCTestCase {
  func testEveryParameterAndFitIndex() throws {
    let ref = try SEMReferenceCase("clpm-3wave")
    let r = try SEM.fit(model: ref.model, data: ref.data)
    let errors = ref.assertMatches(r)
    print("CLPM3WaveTests observed errors: \(errors.summary)")
  }
}
