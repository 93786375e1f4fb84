import XCTest

@testable import BordinPlot

final class XMLEscapingTests: XCTestCase {
  func testEscapesTheFiveSpecialCharactersInText() {
    XCTAssertEqual(XMLEscaping.text(#"a & b < c > d " e ' f"#), "a &amp; b &lt; c &gt; d &quot; e &#39; f")
  }

  func testEscapesTheFiveSpecialCharactersInAttributes() {
    XCTAssertEqual(XMLEscaping.attribute(#"" onload="x"#), "&quot; onload=&quot;x")
    XCTAssertEqual(XMLEscaping.attribute("'&<>"), "&#39;&amp;&lt;&gt;")
  }

  func testAmpersandIsEscapedOnceOnly() {
    XCTAssertEqual(XMLEscaping.text("&amp;"), "&amp;amp;")
  }

  func testLineBreaksSurviveInAttributesAndStayInText() {
    XCTAssertEqual(XMLEscaping.attribute("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d")
    XCTAssertEqual(XMLEscaping.text("a\tb\nc"), "a\tb\nc")
  }

  func testControlCharactersNotAllowedInXMLAreDropped() {
    XCTAssertEqual(XMLEscaping.text("a\u{0}b\u{1B}c\u{FFFE}d"), "abcd")
    XCTAssertEqual(XMLEscaping.attribute("\u{7}x"), "x")
  }

  func testPlainAndNonASCIITextIsUnchanged() {
    XCTAssertEqual(XMLEscaping.text("Allianz − Ergebnis, r = .32 (n = 120) 治疗"), "Allianz − Ergebnis, r = .32 (n = 120) 治疗")
  }

  func testElementTreeEscapesTextAndAttributes() {
    var element = SVGElement("text", ["class": #"x" onload="alert(1)"#])
    element.appendText("</svg><script>alert(1)</script>")
    XCTAssertEqual(
      element.rendered(),
      #"<text class="x&quot; onload=&quot;alert(1)">&lt;/svg&gt;&lt;script&gt;alert(1)&lt;/script&gt;</text>"# + "\n")
    let parsed = parseXML(element.rendered())
    XCTAssertTrue(parsed.isWellFormed)
    XCTAssertEqual(parsed.elements.map(\.name), ["text"])
    XCTAssertEqual(parsed.text, "</svg><script>alert(1)</script>")
  }
}
