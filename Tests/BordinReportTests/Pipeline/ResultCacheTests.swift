import Foundation
import XCTest

@testable import BordinReport

/// The result cache never serves a stale result and never changes the output bytes.
final class ResultCacheTests: XCTestCase {
  let source = """
  ---
  params:
    site: north
  data:
    d: d.csv
  ---

  ```{data #e}
  from: d
  derive:
    z: x * 2
  ```

  ```{regress #m}
  data: e
  formula: y ~ z
  ```

  ```{correlate #c}
  data: d
  vars: [x, y]
  ```

  Slope `{m.coef[z].estimate | 4}`, r `{c.r | 3}`, site `{params.site}`.
  """

  func render(_ p: TestProject, _ src: String, cache: Bool = true, params: [(String, String)] = []) throws -> RenderedReport {
    let url = p.write("r.md", src)
    return try Renderer.render(file: url, displayPath: "r.md", options: RenderOptions(params: params, cache: cache))
  }

  func testCachedAndUncachedOutputAreIdentical() throws {
    let p = TestProject()
    p.write("d.csv", smallCSV)
    let plain = try render(p, source, cache: false)
    let first = try render(p, source)
    let second = try render(p, source)
    XCTAssertEqual(first.cacheHits, 0)
    XCTAssertEqual(second.cacheHits, 2)
    XCTAssertEqual(plain.html, second.html)
    XCTAssertEqual(plain.resultsJSON, second.resultsJSON)
  }

  func testInvalidation() throws {
    let p = TestProject()
    p.write("d.csv", smallCSV)
    _ = try render(p, source)
    XCTAssertEqual(try render(p, source).cacheHits, 2)
    // A changed input file: both directives read it (one through the data directive).
    p.write("d.csv", smallCSV.replacingOccurrences(of: "6,b,6,12.3,six", with: "6,b,6,13.3,six"))
    let changed = try render(p, source)
    XCTAssertEqual(changed.cacheHits, 0)
    XCTAssertEqual(changed.html, try render(p, source, cache: false).html)
    // A changed option of one directive.
    XCTAssertEqual(try render(p, source.replacingOccurrences(of: "vars: [x, y]", with: "vars: [y, x]")).cacheHits, 1)
    // A changed upstream result: the data directive's derivation changes what regress reads.
    let upstream = try render(p, source.replacingOccurrences(of: "z: x * 2", with: "z: x * 3"))
    XCTAssertEqual(upstream.cacheHits, 1)
    XCTAssertEqual(upstream.html, try render(p, source.replacingOccurrences(of: "z: x * 3", with: "z: x * 3").replacingOccurrences(of: "z: x * 2", with: "z: x * 3"), cache: false).html)
    // A changed param.
    XCTAssertEqual(try render(p, source, params: [("site", "south")]).cacheHits, 0)
  }

  func testResultValueRoundTripsExactly() throws {
    let v: ResultValue = .object([("a", .number(0.1 + 0.2)), ("b", .int(346)), ("c", .number(346)), ("d", .number(.nan)),
                                  ("e", .array([.string("x"), .null, .bool(true)])), ("f", .number(-5e-324))])
    let back = try JSONDecoder().decode(ResultValue.self, from: JSONEncoder().encode(v))
    XCTAssertEqual(back, v)
    if case .object(let f) = back, case .number = f[2].1 {} else { XCTFail("346.0 must stay a double") }
  }

  /// A rebuilt binary of the same version must not serve results an older build computed:
  /// the key holds the running executable's identity (size and modification time).
  func testKeysHoldTheBuildIdentity() {
    XCTAssertTrue(ResultCache.buildIdentity.hasPrefix("build:"), ResultCache.buildIdentity)
    XCTAssertEqual(ResultCache.buildIdentity.split(separator: ":").count, 3)
  }
}
