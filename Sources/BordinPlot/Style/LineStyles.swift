/// Dash patterns that tell lines apart without colour (APA figures are often printed in grey).
public enum LineDash: Sendable, Hashable, CaseIterable {
  /// An unbroken line.
  case solid
  /// Medium dashes.
  case dashed
  /// Dots (round-looking at thin widths).
  case dotted
  /// Alternating dash and dot.
  case dashDot
  /// Long dashes.
  case longDash

  /// The `stroke-dasharray` pattern for a line of width `width`, or nil for a solid line.
  ///
  /// Patterns scale with the width so that a thick dotted line still reads as dotted.
  public func pattern(width: Double = 1) -> [Double]? {
    let w = width.isFinite && width > 0 ? max(1, width) : 1
    switch self {
    case .solid: return nil
    case .dashed: return [5 * w, 3 * w]
    case .dotted: return [1.2 * w, 2.2 * w]
    case .dashDot: return [6 * w, 2.5 * w, 1.2 * w, 2.5 * w]
    case .longDash: return [10 * w, 4 * w]
    }
  }
}

/// Colour palettes for groups: greyscale (APA print) or colourblind-safe.
public enum Palette: Sendable, Hashable {
  /// Black and dark greys only; groups are told apart by dash and marker, not colour.
  case greyscale
  /// The Okabe–Ito palette, distinguishable with the common colour-vision deficiencies
  /// (yellow, too light on white, is left out).
  ///
  /// Reference: Okabe, M., & Ito, K. (2008). *Color universal design (CUD): How to make
  /// figures and presentations that are friendly to colorblind people.* J*Fly.
  case okabeIto

  /// The colours, in the order groups take them.
  public var colours: [String] {
    switch self {
    case .greyscale: return ["#000000", "#4d4d4d", "#737373", "#262626", "#8c8c8c"]
    case .okabeIto: return ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
    }
  }

  /// The colour of group `index` (cycling when there are more groups than colours).
  public func colour(_ index: Int) -> String {
    let all = colours
    return all[((index % all.count) + all.count) % all.count]
  }
}

/// How group `index` of a chart is drawn: a dash pattern, a colour and a marker, each cycling
/// independently, so that groups stay distinct in greyscale and for colour-blind readers.
///
/// ```
/// group 0: solid,    colour 0, filled circle
/// group 1: dashed,   colour 1, open square
/// group 2: dotted,   colour 2, filled triangle
/// group 3: dash-dot, colour 3, open diamond
/// group 4: long dash, colour 4, open circle …
/// ```
public struct GroupStyle: Sendable, Equatable {
  /// The line's dash pattern.
  public var dash: LineDash
  /// Stroke (and marker) colour.
  public var colour: String
  /// The marker shape.
  public var marker: MarkerShape
  /// Whether the marker is filled (otherwise white with a coloured outline).
  public var filledMarker: Bool

  /// Creates a group style.
  public init(dash: LineDash, colour: String, marker: MarkerShape, filledMarker: Bool) {
    self.dash = dash
    self.colour = colour
    self.marker = marker
    self.filledMarker = filledMarker
  }

  /// The style of group `index` in `palette`.
  public static func group(_ index: Int, palette: Palette = .greyscale) -> GroupStyle {
    let i = max(0, index)
    let dashes = LineDash.allCases
    let markers: [MarkerShape] = [.circle, .square, .triangle, .diamond]
    return GroupStyle(
      dash: dashes[i % dashes.count], colour: palette.colour(i), marker: markers[i % markers.count],
      filledMarker: (i % 5) % 2 == 0 && i % 5 != 4)
  }

  /// A line of `width` in this style.
  public func line(width: Double) -> ShapeStyle {
    .line(colour, width: width, dash: dash.pattern(width: width))
  }

  /// The marker's stroke and fill.
  public func markerStyle(strokeWidth: Double = 1) -> ShapeStyle {
    ShapeStyle(stroke: colour, strokeWidth: strokeWidth, fill: filledMarker ? colour : "#ffffff")
  }
}
