import XCTest
@testable import BordinStats

final class BordinStatsSmokeTests: XCTestCase {
  func testModuleLoads() {}
}
