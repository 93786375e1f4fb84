import XCTest
@testable import BordinReport

final class BordinReportSmokeTests: XCTestCase {
  func testModuleLoads() {}
}
