/// Small helpers shared by the charts: text elements, counted nouns and numbers for alt text.
enum ChartSupport {
  /// A `<text>` element at (`x`, `y`) in user units; attributes not given are inherited.
  static func text(
    _ content: String, x: Double, y: Double, anchor: TextAnchor = .start, className: String? = nil,
    fontSize: Double? = nil, fill: String? = nil, bold: Bool = false
  ) -> SVGElement {
    var element = SVGElement("text")
    if let className { element.set("class", className) }
    element.set("x", x.isFinite ? x : 0)
    element.set("y", y.isFinite ? y : 0)
    if anchor != .start { element.set("text-anchor", anchor.rawValue) }
    if let fontSize { element.set("font-size", fontSize) }
    if let fill { element.set("fill", fill) }
    if bold { element.set("font-weight", "bold") }
    element.appendText(content)
    return element
  }

  /// A group carrying shared text attributes for its `<text>` children.
  static func textGroup(className: String, fontSize: Double, fill: String, anchor: TextAnchor = .start) -> SVGElement {
    var group = SVGElement("g", ["class": className])
    group.set("font-size", fontSize)
    group.set("fill", fill)
    if anchor != .start { group.set("text-anchor", anchor.rawValue) }
    return group
  }

  /// `1 study`, `12 studies`.
  static func count(_ n: Int, _ singular: String, _ plural: String) -> String {
    "\(n) " + (n == 1 ? singular : plural)
  }

  /// A number for alt text: two decimals, typographic minus; "not available" when non-finite.
  static func number(_ value: Double) -> String {
    guard value.isFinite, abs(value) < 1e15 else { return "not available" }
    return TickLabels.fixed(value, decimals: 2)
  }

  /// `estimate [lower, upper]` for alt text, preferring the caller's formatted `text`.
  static func interval(_ text: String, estimate: Double, lower: Double, upper: Double) -> String {
    if !text.isEmpty { return text }
    return number(estimate) + " [" + number(lower) + ", " + number(upper) + "]"
  }

  /// A path `d` string from pixel vertices (`M` then `L`s), optionally closed.
  static func pathData(_ vertices: [(x: Double, y: Double)], closed: Bool = false) -> String {
    var d = ""
    for vertex in vertices where vertex.x.isFinite && vertex.y.isFinite {
      d += (d.isEmpty ? "M" : "L") + SVGNumber.format(vertex.x) + " " + SVGNumber.format(vertex.y)
    }
    if closed && !d.isEmpty { d += "Z" }
    return d
  }

  /// The finite values of `values`.
  static func finite(_ values: [Double]) -> [Double] { values.filter(\.isFinite) }

  /// A width or height: `value` when finite and at least `minimum`, else `fallback`.
  static func size(_ value: Double, minimum: Double, fallback: Double) -> Double {
    value.isFinite ? max(value, minimum) : fallback
  }
}
