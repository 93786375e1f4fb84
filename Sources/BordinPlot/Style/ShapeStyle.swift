/// Stroke and fill of a drawn shape, written as SVG presentation attributes.
///
/// Only the fields that are set are written, in a fixed order, so output stays deterministic.
public struct ShapeStyle: Sendable, Equatable {
  /// Stroke colour, or nil for none written (inherits).
  public var stroke: String?
  /// Stroke width in user units.
  public var strokeWidth: Double?
  /// Stroke opacity in [0, 1].
  public var strokeOpacity: Double?
  /// Dash pattern in user units, e.g. `[4, 3]`.
  public var dashArray: [Double]?
  /// Fill colour; `"none"` for outlines.
  public var fill: String?
  /// Fill opacity in [0, 1].
  public var fillOpacity: Double?

  /// Creates a style; unset fields are not written.
  public init(
    stroke: String? = nil, strokeWidth: Double? = nil, strokeOpacity: Double? = nil,
    dashArray: [Double]? = nil, fill: String? = nil, fillOpacity: Double? = nil
  ) {
    self.stroke = stroke
    self.strokeWidth = strokeWidth
    self.strokeOpacity = strokeOpacity
    self.dashArray = dashArray
    self.fill = fill
    self.fillOpacity = fillOpacity
  }

  /// An outline: `stroke` of `width`, no fill.
  public static func line(_ stroke: String, width: Double = 1, dash: [Double]? = nil) -> ShapeStyle {
    ShapeStyle(stroke: stroke, strokeWidth: width, dashArray: dash, fill: "none")
  }

  /// A filled area without outline.
  public static func area(_ fill: String, opacity: Double? = nil) -> ShapeStyle {
    ShapeStyle(stroke: "none", fill: fill, fillOpacity: opacity)
  }

  /// Writes the set fields onto `element`. Non-finite numbers are skipped.
  public func apply(to element: inout SVGElement) {
    if let fill { element.set("fill", fill) }
    if let fillOpacity, fillOpacity.isFinite { element.set("fill-opacity", clamp(fillOpacity)) }
    if let stroke { element.set("stroke", stroke) }
    if let strokeWidth, strokeWidth.isFinite { element.set("stroke-width", max(0, strokeWidth)) }
    if let strokeOpacity, strokeOpacity.isFinite { element.set("stroke-opacity", clamp(strokeOpacity)) }
    if let dashArray {
      let finite = dashArray.filter { $0.isFinite && $0 >= 0 }
      if !finite.isEmpty { element.set("stroke-dasharray", finite.map(SVGNumber.format).joined(separator: " ")) }
    }
  }

  private func clamp(_ opacity: Double) -> Double { min(1, max(0, opacity)) }
}
