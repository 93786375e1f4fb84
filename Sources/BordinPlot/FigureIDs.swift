/// The element ids of one figure, all derived from a caller-given prefix.
///
/// Several figures share one HTML page, so ids must be unique per page and identical on every
/// run: they are never random or counter-based but built from the prefix the caller gives
/// (in Bordin, the directive label, e.g. `fig-alliance`), then `-` and a fixed suffix.
///
/// The prefix is made a valid, CSS-friendly id: ASCII letters, digits, `-` and `_` are kept,
/// any other character becomes `-`, a prefix not starting with a letter gets `p-` in front,
/// and an empty prefix becomes `plot`. Directive labels (`[a-z0-9-]+`) pass unchanged, so two
/// distinct labels always give distinct ids.
public struct FigureIDs: Sendable, Equatable {
  /// The sanitised prefix.
  public let prefix: String

  /// Creates the ids for a figure.
  ///
  /// - Parameter prefix: Usually the directive label; any string is accepted.
  public init(prefix: String) {
    var scalars = String.UnicodeScalarView()
    for scalar in prefix.unicodeScalars {
      let keep = scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
        || scalar == "-" || scalar == "_")
      scalars.append(keep ? scalar : "-")
    }
    var cleaned = String(scalars)
    if cleaned.isEmpty {
      cleaned = "plot"
    } else if let first = cleaned.unicodeScalars.first, !first.properties.isAlphabetic {
      cleaned = "p-" + cleaned
    }
    self.prefix = cleaned
  }

  /// The id `PREFIX-suffix`.
  ///
  /// - Parameter suffix: A fixed name chosen by code, e.g. `title` or `clip`.
  public func id(_ suffix: String) -> String {
    prefix + "-" + suffix
  }

  /// The id of the figure's `<title>` element.
  public var title: String { id("title") }

  /// The id of the figure's `<desc>` element.
  public var description: String { id("desc") }
}
