import XCTest
@testable import BordinPlot

final class BordinPlotSmokeTests: XCTestCase {
  func testModuleLoads() {}
}
