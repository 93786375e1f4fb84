import Foundation
import XCTest

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// What an XML parser saw in a document: element names and attributes in document order.
struct ParsedXML {
  var elements: [(name: String, attributes: [String: String])] = []
  var text = ""
  var error: String?

  var isWellFormed: Bool { error == nil }
  func elements(named name: String) -> [[String: String]] {
    elements.filter { $0.name == name }.map(\.attributes)
  }
}

/// Parses `xml` with Foundation's XMLParser (a real, non-lenient XML 1.0 parser).
func parseXML(_ xml: String) -> ParsedXML {
  final class Collector: NSObject, XMLParserDelegate {
    var result = ParsedXML()
    func parser(
      _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
      qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
      result.elements.append((elementName, attributeDict))
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) {
      result.text += string
    }
  }
  let parser = XMLParser(data: Data(xml.utf8))
  let collector = Collector()
  parser.delegate = collector
  if !parser.parse() {
    collector.result.error = parser.parserError.map { "\($0)" } ?? "unknown parse error"
  }
  return collector.result
}

/// Fails unless `xml` is a well-formed document whose root is an accessible `<svg>`.
func assertValidSVG(_ xml: String, file: StaticString = #filePath, line: UInt = #line) {
  let parsed = parseXML(xml)
  XCTAssertTrue(parsed.isWellFormed, "not well-formed: \(parsed.error ?? "")\n\(xml)", file: file, line: line)
  guard let root = parsed.elements.first else {
    XCTFail("no root element", file: file, line: line)
    return
  }
  XCTAssertEqual(root.name, "svg", file: file, line: line)
  XCTAssertEqual(root.attributes["role"], "img", file: file, line: line)
  XCTAssertEqual(parsed.elements.dropFirst().first?.name, "title", "title must come first", file: file, line: line)
  XCTAssertEqual(parsed.elements.dropFirst(2).first?.name, "desc", "desc must come second", file: file, line: line)
  let textual: Set = ["id", "class", "aria-labelledby", "aria-describedby", "font-family", "xmlns", "role", "text-anchor"]
  for element in parsed.elements {
    for (name, value) in element.attributes where !textual.contains(name) {
      let lower = value.lowercased()
      XCTAssertFalse(lower.contains("nan") || lower.contains("inf"), "non-finite \(name)=\"\(value)\"", file: file, line: line)
    }
  }
}
