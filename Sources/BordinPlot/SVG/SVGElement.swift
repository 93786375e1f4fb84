/// A node of an SVG document: an element or a run of character data.
public enum SVGNode: Sendable, Equatable {
  /// A nested element.
  case element(SVGElement)
  /// Character data, stored unescaped and escaped when rendered.
  case text(String)
}

/// One attribute of an ``SVGElement``: a name chosen by code and a value that may come from data.
public struct SVGAttribute: Sendable, Equatable {
  /// The attribute name, e.g. `viewBox`. Must be an XML name (checked with a precondition).
  public let name: String
  /// The unescaped value; escaped when rendered.
  public var value: String
}

/// A deterministic SVG element tree and its serialiser.
///
/// Attributes keep their insertion order (setting an existing attribute replaces its value in
/// place), numbers go through ``SVGNumber/format(_:)``, and all text and attribute values are
/// escaped with ``XMLEscaping`` when rendered, so a tree built from hostile labels still
/// renders as inert text.
///
/// ```swift
/// var g = SVGElement("g", ["class": "points"])
/// g.append(SVGElement("circle").with("cx", 10).with("cy", 20).with("r", 2.5))
/// g.rendered()
/// // <g class="points">
/// //   <circle cx="10" cy="20" r="2.5"/>
/// // </g>
/// ```
///
/// Rendering is indented two spaces per level with one element per line, except that an
/// element containing character data is written on one line (whitespace there is content).
public struct SVGElement: Sendable, Equatable {
  /// The element name, e.g. `circle`.
  public let name: String
  /// Attributes in insertion order.
  public private(set) var attributes: [SVGAttribute]
  /// Child nodes in document order.
  public var children: [SVGNode]

  /// Creates an element.
  ///
  /// - Parameters:
  ///   - name: An XML name chosen by code (never data).
  ///   - attributes: String-valued attributes, in order.
  ///   - children: Child nodes.
  public init(_ name: String, _ attributes: KeyValuePairs<String, String> = [:], children: [SVGNode] = []) {
    precondition(SVGElement.isXMLName(name), "SVGElement: invalid element name '\(name)'")
    self.name = name
    self.attributes = []
    self.children = children
    for (key, value) in attributes { set(key, value) }
  }

  /// The value of attribute `name`, or nil.
  public subscript(attribute name: String) -> String? {
    attributes.first { $0.name == name }?.value
  }

  /// Sets attribute `name` to a string; an existing attribute keeps its position.
  public mutating func set(_ name: String, _ value: String) {
    precondition(SVGElement.isXMLName(name), "SVGElement: invalid attribute name '\(name)'")
    if let index = attributes.firstIndex(where: { $0.name == name }) {
      attributes[index].value = value
    } else {
      attributes.append(SVGAttribute(name: name, value: value))
    }
  }

  /// Sets attribute `name` to a number formatted by ``SVGNumber/format(_:)``.
  public mutating func set(_ name: String, _ value: Double) {
    set(name, SVGNumber.format(value))
  }

  /// Returns a copy with attribute `name` set to a string.
  public func with(_ name: String, _ value: String) -> SVGElement {
    var copy = self
    copy.set(name, value)
    return copy
  }

  /// Returns a copy with attribute `name` set to a formatted number.
  public func with(_ name: String, _ value: Double) -> SVGElement {
    var copy = self
    copy.set(name, value)
    return copy
  }

  /// Appends a child element.
  public mutating func append(_ child: SVGElement) {
    children.append(.element(child))
  }

  /// Appends character data (escaped when rendered).
  public mutating func appendText(_ text: String) {
    children.append(.text(text))
  }

  /// Serialises the element and its descendants, ending with a newline.
  ///
  /// - Returns: UTF-8-ready XML text; identical trees give identical strings.
  public func rendered() -> String {
    var out = ""
    write(into: &out, depth: 0)
    return out
  }

  private func write(into out: inout String, depth: Int) {
    out += String(repeating: "  ", count: depth)
    writeInline(into: &out, breakChildren: true, depth: depth)
    out += "\n"
  }

  /// Writes the element; when `breakChildren` and every child is an element, children go on
  /// their own indented lines, otherwise everything stays on one line.
  private func writeInline(into out: inout String, breakChildren: Bool, depth: Int) {
    out += "<" + name
    for attribute in attributes {
      out += " " + attribute.name + "=\"" + XMLEscaping.attribute(attribute.value) + "\""
    }
    if children.isEmpty {
      out += "/>"
      return
    }
    out += ">"
    let elementsOnly = children.allSatisfy { if case .element = $0 { true } else { false } }
    if breakChildren && elementsOnly {
      out += "\n"
      for case .element(let child) in children {
        child.write(into: &out, depth: depth + 1)
      }
      out += String(repeating: "  ", count: depth)
    } else {
      for child in children {
        switch child {
        case .text(let text): out += XMLEscaping.text(text)
        case .element(let element): element.writeInline(into: &out, breakChildren: false, depth: 0)
        }
      }
    }
    out += "</" + name + ">"
  }

  /// Whether `name` is an ASCII XML name: a letter or `_`, then letters, digits, `_ - . :`.
  static func isXMLName(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, isNameStart(first) else { return false }
    return name.unicodeScalars.allSatisfy { isNameStart($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "." }
  }

  private static func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_" || scalar == ":"
  }
}
