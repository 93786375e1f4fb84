/// What a legend entry shows next to its label.
public enum LegendSwatch: Sendable, Equatable {
  /// A short line segment (a group's line).
  case line(ShapeStyle)
  /// A single marker of the given size.
  case marker(MarkerShape, size: Double, ShapeStyle)
  /// A line with a marker in its middle (a means plot's group).
  case lineAndMarker(ShapeStyle, MarkerShape, size: Double, ShapeStyle)
  /// A small filled rectangle (a band or region).
  case area(ShapeStyle)
  /// A line over a filled rectangle (a mean line with its confidence band).
  case lineOverArea(ShapeStyle, ShapeStyle)
}

/// One entry of a ``Legend``.
public struct LegendEntry: Sendable, Equatable {
  /// The label (escaped when rendered).
  public var label: String
  /// The key drawn before the label.
  public var swatch: LegendSwatch

  /// Creates an entry.
  public init(label: String, swatch: LegendSwatch) {
    self.label = label
    self.swatch = swatch
  }
}

/// A legend laid out in rows, left to right, wrapping at a maximum width.
///
/// Charts place their legend in space reserved below the x axis (see
/// ``PlotCanvas/belowXAxis``), so it never covers data:
///
/// ```
/// ───  Control    - - -  Treatment    ·····  Waitlist
/// ```
///
/// Each entry is a 28-unit swatch, a 6-unit gap and the label; entries are 18 units apart and
/// rows 1.5 font sizes apart. Entry widths are estimated with ``TextMetrics``.
public struct Legend: Sendable, Equatable {
  /// The entries, in reading order.
  public var entries: [LegendEntry]

  /// Width of a swatch.
  static let swatchWidth = 28.0
  /// Gap between a swatch and its label.
  static let swatchGap = 6.0
  /// Gap between entries in a row.
  static let entryGap = 18.0

  /// Creates a legend.
  public init(entries: [LegendEntry]) {
    self.entries = entries
  }

  /// The rows of entry indices and their widths when wrapped at `maxWidth`.
  func rows(maxWidth: Double, theme: PlotTheme) -> [(indices: [Int], width: Double)] {
    var rows: [(indices: [Int], width: Double)] = []
    var current: [Int] = []
    var width = 0.0
    for (index, entry) in entries.enumerated() {
      let w = Legend.swatchWidth + Legend.swatchGap + TextMetrics.estimatedWidth(entry.label, fontSize: theme.tickFontSize)
      let needed = current.isEmpty ? w : width + Legend.entryGap + w
      if !current.isEmpty && needed > maxWidth {
        rows.append((current, width))
        current = [index]
        width = w
      } else {
        current.append(index)
        width = needed
      }
    }
    if !current.isEmpty { rows.append((current, width)) }
    return rows
  }

  /// The height of the legend when wrapped at `maxWidth` (0 when it has no entries).
  public func height(maxWidth: Double, theme: PlotTheme) -> Double {
    Double(rows(maxWidth: maxWidth, theme: theme).count) * rowHeight(theme)
  }

  /// The width of the widest row when wrapped at `maxWidth`.
  public func width(maxWidth: Double, theme: PlotTheme) -> Double {
    rows(maxWidth: maxWidth, theme: theme).map(\.width).max() ?? 0
  }

  func rowHeight(_ theme: PlotTheme) -> Double { theme.tickFontSize * 1.5 }

  /// The legend as `<g class="legend">`, its first row's top edge at `y`, each row centred on
  /// `centreX` (rows wrap at `maxWidth`).
  ///
  /// - Parameters:
  ///   - centreX: Horizontal centre of the rows.
  ///   - y: Top edge of the legend.
  ///   - maxWidth: The width at which rows wrap.
  ///   - theme: Font size and ink.
  public func element(centreX: Double, y: Double, maxWidth: Double, theme: PlotTheme) -> SVGElement {
    var group = SVGElement("g", ["class": "legend"])
    group.set("font-size", theme.tickFontSize)
    group.set("fill", theme.ink)
    let rowHeight = rowHeight(theme)
    for (rowIndex, row) in rows(maxWidth: maxWidth, theme: theme).enumerated() {
      var x = centreX - row.width / 2
      let midY = y + (Double(rowIndex) + 0.5) * rowHeight
      for index in row.indices {
        let entry = entries[index]
        var item = SVGElement("g", ["class": "legend-entry"])
        for swatch in Legend.swatchElements(entry.swatch, x: x, midY: midY) { item.append(swatch) }
        let textX = x + Legend.swatchWidth + Legend.swatchGap
        var text = SVGElement("text")
        text.set("x", textX)
        text.set("y", midY + theme.tickFontSize * 0.35)
        text.appendText(entry.label)
        item.append(text)
        group.append(item)
        x = textX + TextMetrics.estimatedWidth(entry.label, fontSize: theme.tickFontSize) + Legend.entryGap
      }
    }
    return group
  }

  static func swatchElements(_ swatch: LegendSwatch, x: Double, midY: Double) -> [SVGElement] {
    func line(_ style: ShapeStyle) -> SVGElement {
      let d = "M" + SVGNumber.format(x) + " " + SVGNumber.format(midY) + "h" + SVGNumber.format(swatchWidth)
      var path = SVGElement("path", ["d": d])
      var lineStyle = style
      if lineStyle.fill == nil { lineStyle.fill = "none" }
      lineStyle.apply(to: &path)
      return path
    }
    func area(_ style: ShapeStyle) -> SVGElement {
      var rect = SVGElement("rect").with("x", x).with("y", midY - 5).with("width", swatchWidth).with("height", 10)
      style.apply(to: &rect)
      return rect
    }
    func marker(_ shape: MarkerShape, _ size: Double, _ style: ShapeStyle) -> SVGElement {
      let s = size.isFinite && size > 0 ? min(size, 8) : 3
      var element = shape.element(x: x + swatchWidth / 2, y: midY, size: s)
      style.apply(to: &element)
      return element
    }
    switch swatch {
    case .line(let style): return [line(style)]
    case .marker(let shape, let size, let style): return [marker(shape, size, style)]
    case .lineAndMarker(let lineStyle, let shape, let size, let style):
      return [line(lineStyle), marker(shape, size, style)]
    case .area(let style): return [area(style)]
    case .lineOverArea(let lineStyle, let areaStyle): return [area(areaStyle), line(lineStyle)]
    }
  }
}
