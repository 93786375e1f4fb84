import XCTest

@testable import BordinPlot

final class SVGElementTests: XCTestCase {
  func testAttributesKeepInsertionOrderAndReplaceInPlace() {
    var element = SVGElement("rect", ["y": "1", "x": "2"])
    element.set("width", 10)
    element.set("y", 3.5)
    XCTAssertEqual(element.rendered(), #"<rect y="3.5" x="2" width="10"/>"# + "\n")
    XCTAssertEqual(element[attribute: "y"], "3.5")
    XCTAssertNil(element[attribute: "fill"])
  }

  func testNestedElementsAreIndentedAndTextStaysInline() {
    var group = SVGElement("g", ["class": "axis"])
    group.append(SVGElement("path", ["d": "M0 0H10"]))
    var text = SVGElement("text").with("x", 5).with("y", 12)
    text.appendText("Session")
    group.append(text)
    XCTAssertEqual(
      group.rendered(),
      """
      <g class="axis">
        <path d="M0 0H10"/>
        <text x="5" y="12">Session</text>
      </g>

      """)
  }

  func testMixedContentIsWrittenOnOneLine() {
    var text = SVGElement("text")
    text.appendText("R")
    var sup = SVGElement("tspan", ["baseline-shift": "super"])
    sup.appendText("2")
    text.append(sup)
    XCTAssertEqual(text.rendered(), #"<text>R<tspan baseline-shift="super">2</tspan></text>"# + "\n")
  }

  func testXMLNameCheck() {
    XCTAssertTrue(SVGElement.isXMLName("aria-labelledby"))
    XCTAssertTrue(SVGElement.isXMLName("xlink:href"))
    XCTAssertFalse(SVGElement.isXMLName("1x"))
    XCTAssertFalse(SVGElement.isXMLName("on load"))
    XCTAssertFalse(SVGElement.isXMLName(""))
  }

  func testFigureIDsAreDerivedFromThePrefix() {
    XCTAssertEqual(FigureIDs(prefix: "fig-alliance").title, "fig-alliance-title")
    XCTAssertEqual(FigureIDs(prefix: "fig-alliance").description, "fig-alliance-desc")
    XCTAssertEqual(FigureIDs(prefix: "fig-alliance").id("clip"), "fig-alliance-clip")
    XCTAssertEqual(FigureIDs(prefix: #"a" b<c"#).prefix, "a--b-c")
    XCTAssertEqual(FigureIDs(prefix: "2024").prefix, "p-2024")
    XCTAssertEqual(FigureIDs(prefix: "").prefix, "plot")
    XCTAssertEqual(FigureIDs(prefix: "été").prefix, "p--t-")
  }
}
