/// Estimated text widths, for laying out margins without font files.
///
/// SVG text is measured by the browser, not by us, so margins are planned from an estimate:
/// per-character advance widths (in em), rounded up into a few classes so as to cover both
/// Helvetica/Arial and the wider DejaVu Sans that Linux renderers substitute for them.
/// The estimate errs wide, so labels are not clipped; a few pixels of slack are the price.
public enum TextMetrics {
  /// The estimated advance width of `text` at `fontSize`.
  ///
  /// - Parameters:
  ///   - text: The text as it will be shown.
  ///   - fontSize: The font size in user units.
  /// - Returns: The width in user units.
  public static func estimatedWidth(_ text: String, fontSize: Double) -> Double {
    var ems = 0.0
    for scalar in text.unicodeScalars {
      ems += advance(scalar)
    }
    return ems * fontSize
  }

  private static func advance(_ scalar: Unicode.Scalar) -> Double {
    switch scalar {
    case "i", "j", "l", ".", ",", ":", ";", "'", "|", "!", "I", "\u{2009}": return 0.3
    case " ", "f", "t", "r", "(", ")", "[", "]", "-": return 0.38
    case "m", "w", "M", "W", "%", "@": return 0.92
    case "\u{2212}", "+", "=", "<", ">", "×", "±": return 0.84
    case "0"..."9", "a"..."z": return 0.64
    case "A"..."Z": return 0.72
    default:
      // East Asian and other wide scripts are about one em; combining marks take none.
      if scalar.properties.generalCategory == .nonspacingMark { return 0 }
      return scalar.value >= 0x1100 ? 1.0 : 0.6
    }
  }
}
