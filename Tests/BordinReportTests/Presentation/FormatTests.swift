import XCTest

@testable import BordinReport

/// APA 7 number style (DESIGN.md §2).
final class FormatTests: XCTestCase {
  func testPValues() {
    XCTAssertEqual(Format.p(0.0321), ".032")
    XCTAssertEqual(Format.p(0.0004), "< .001")
    XCTAssertEqual(Format.p(0.001), ".001")
    XCTAssertEqual(Format.p(0.9996), "> .999")
    XCTAssertEqual(Format.p(0.5), ".500")
    XCTAssertEqual(Format.p(.nan), "NA")
  }

  func testBoundedAndGeneral() {
    XCTAssertEqual(Format.auto(0.439651, kind: .bounded), ".44")
    XCTAssertEqual(Format.auto(-0.205174, kind: .bounded), "\u{2212}.21")
    XCTAssertEqual(Format.auto(-2.91365787883351, kind: .general), "\u{2212}2.91")
    XCTAssertEqual(Format.auto(-0.001, kind: .general), "0.00")
    XCTAssertEqual(Format.auto(346, kind: .count), "346")
    XCTAssertEqual(Format.auto(343.342772766324, kind: .count), "343.34")
    XCTAssertEqual(Format.fixed(2.675, 2), "2.67")  // binary 2.67499…, as R's sprintf
    XCTAssertEqual(Format.percent(0.402781698848559), "40.3%")
    XCTAssertEqual(Format.interval(0.350731290349139, 0.520714242394396, kind: .bounded), "[.35, .52]")
    XCTAssertEqual(Format.fixed(-.infinity, 2), "\u{2212}∞")
  }

  func testFieldKinds() {
    XCTAssertEqual(Format.kind(of: "p", in: nil), .pValue)
    XCTAssertEqual(Format.kind(of: "Q_p", in: nil), .pValue)
    XCTAssertEqual(Format.kind(of: "r", in: nil), .bounded)
    XCTAssertEqual(Format.kind(of: "estimate", in: nil), .general)
    XCTAssertEqual(Format.kind(of: "ci_lb", in: .object([("r", 0.3)])), .bounded)
    XCTAssertEqual(Format.kind(of: "ci_lb", in: .object([("estimate", 0.3)])), .general)
  }

  func testInlinePathParsing() throws {
    let p = try InlinePath.parse("growth.fixed[\"months:sexgirl\"].p | 3")
    XCTAssertEqual(p.root, "growth")
    XCTAssertEqual(p.steps, [.field("fixed"), .key("months:sexgirl"), .field("p")])
    XCTAssertEqual(p.format, "3")
    XCTAssertEqual(try InlinePath.parse("m.coef[0]").steps, [.field("coef"), .index(0)])
    XCTAssertEqual(try InlinePath.parse("m.coef[ext_pre].se").steps, [.field("coef"), .key("ext_pre"), .field("se")])
    XCTAssertThrowsError(try InlinePath.parse(".x"))
    XCTAssertThrowsError(try InlinePath.parse("a.b[c"))
    XCTAssertThrowsError(try InlinePath.parse("a | "))
  }

  func testJSONNumbersRoundTrip() {
    for x in [0.1, 7.01040789295861e-18, 0.439651154593828, 1e300, -2.5, 346.0, 5e-324] {
      let s = JSONWriter.number(x)
      XCTAssertEqual(Double(s), x, s)
    }
    XCTAssertEqual(JSONWriter.number(.nan), "null")
    XCTAssertEqual(JSONWriter.quote("a\"<b>\n"), "\"a\\\"\\u003cb>\\n\"")
  }

  func testCrossReferenceSplitting() {
    XCTAssertEqual(CrossReference.split("See @fig-bond, and @tbl-a-1."), [.text("See "), .reference("fig-bond"), .text(", and "), .reference("tbl-a-1"), .text(".")])
    XCTAssertEqual(CrossReference.split("mail me@fig-x.org"), [.text("mail me@fig-x.org")])
  }
}
