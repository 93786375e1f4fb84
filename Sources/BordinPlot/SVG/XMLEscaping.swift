/// Escaping of character data and attribute values for XML (and so for SVG inlined in HTML).
///
/// Every string that reaches an SVG document from outside the plotting code (data values,
/// axis labels, captions, titles, descriptions, id prefixes) passes through one of these two
/// functions, inside ``SVGElement/rendered()``. Callers never escape by hand.
///
/// Rules, applied to each Unicode scalar:
///
/// ```
/// &  → &amp;     <  → &lt;     >  → &gt;     "  → &quot;     '  → &#39;
/// TAB, LF, CR (attributes only) → &#9; &#10; &#13;   (survive attribute-value normalisation)
/// other C0 controls, U+FFFE, U+FFFF → dropped        (not allowed in XML 1.0, even escaped)
/// ```
///
/// `&#39;` is used instead of `&apos;` because it means the same in XML, HTML 5 and HTML 4.
/// Escaping quotes in text as well as in attributes costs little and makes one function safe
/// in every position.
public enum XMLEscaping {
  /// Escapes `string` for use as character data (element content).
  ///
  /// - Parameter string: Any string, e.g. a label taken from data.
  /// - Returns: The escaped string; markup in `string` becomes inert text.
  public static func text(_ string: String) -> String {
    escape(string, inAttribute: false)
  }

  /// Escapes `string` for use inside a double-quoted attribute value.
  ///
  /// Tabs and line breaks are written as character references so that they survive the
  /// attribute-value normalisation of XML parsers.
  ///
  /// - Parameter string: Any string, e.g. an id derived from a directive label.
  /// - Returns: The escaped string, safe between `"` delimiters.
  public static func attribute(_ string: String) -> String {
    escape(string, inAttribute: true)
  }

  private static func escape(_ string: String, inAttribute: Bool) -> String {
    var needsWork = false
    for scalar in string.unicodeScalars where isSpecial(scalar) {
      needsWork = true
      break
    }
    if !needsWork { return string }

    var out = String.UnicodeScalarView()
    out.reserveCapacity(string.unicodeScalars.count + 16)
    for scalar in string.unicodeScalars {
      switch scalar {
      case "&": out.append(contentsOf: "&amp;".unicodeScalars)
      case "<": out.append(contentsOf: "&lt;".unicodeScalars)
      case ">": out.append(contentsOf: "&gt;".unicodeScalars)
      case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
      case "'": out.append(contentsOf: "&#39;".unicodeScalars)
      case "\t": out.append(contentsOf: (inAttribute ? "&#9;" : "\t").unicodeScalars)
      case "\n": out.append(contentsOf: (inAttribute ? "&#10;" : "\n").unicodeScalars)
      case "\r": out.append(contentsOf: (inAttribute ? "&#13;" : "\r").unicodeScalars)
      default:
        if isAllowedInXML(scalar) { out.append(scalar) }
      }
    }
    return String(out)
  }

  private static func isSpecial(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "&", "<", ">", "\"", "'", "\t", "\n", "\r": return true
    default: return !isAllowedInXML(scalar)
    }
  }

  /// XML 1.0 `Char` production, minus TAB/LF/CR which are handled separately.
  private static func isAllowedInXML(_ scalar: Unicode.Scalar) -> Bool {
    let v = scalar.value
    if v < 0x20 { return false }
    if v == 0xFFFE || v == 0xFFFF { return false }
    return true
  }
}
