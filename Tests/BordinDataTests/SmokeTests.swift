import XCTest
@testable import BordinData

final class BordinDataSmokeTests: XCTestCase {
  func testModuleLoads() {}
}
