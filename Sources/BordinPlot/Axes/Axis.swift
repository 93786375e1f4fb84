/// One tick of an axis: a position in data units and the label shown there.
public struct Tick: Sendable, Equatable {
  /// Position in data units.
  public var value: Double
  /// The label (may be empty; escaped when rendered).
  public var label: String

  /// Creates a tick.
  public init(value: Double, label: String) {
    self.value = value
    self.label = label
  }
}

/// Which side of the plotting area an axis is drawn on.
public enum AxisPosition: Sendable, Hashable {
  /// Below the plotting area: the x axis.
  case bottom
  /// Left of the plotting area: the y axis.
  case left
}

/// An axis: its data domain, its ticks and its title.
///
/// Numeric axes come from ``linear(title:covering:tickCount:)``: pretty ticks (R's `pretty()`),
/// a domain extended to the first and last tick, labels with common decimals. Charts with
/// categorical positions (a forest plot's studies) build ``Tick``s themselves.
///
/// The axis is drawn R-style without a box: a line from the first to the last tick, ticks
/// pointing outwards, labels, then the title; see ``element(position:scale:plotArea:theme:)``.
public struct Axis: Sendable, Equatable {
  /// The axis title (escaped when rendered; empty for none).
  public var title: String
  /// The data interval the axis spans.
  public var domain: Interval
  /// The ticks, in any order; ticks outside ``domain`` are not drawn.
  public var ticks: [Tick]

  /// Creates an axis with explicit ticks.
  public init(title: String, domain: Interval, ticks: [Tick]) {
    self.title = title
    self.domain = domain
    self.ticks = ticks
  }

  /// A numeric axis covering the finite values of `values`.
  ///
  /// The domain is the range of the finite values (or [0, 1] when there is none), widened when
  /// it has zero width (see ``Interval/widenedIfEmpty()``) and extended to pretty bounds.
  ///
  /// - Parameters:
  ///   - title: The axis title.
  ///   - values: Data values; NaN and ±infinity are ignored.
  ///   - tickCount: The desired number of intervals between ticks (R's `n`).
  public static func linear(title: String, covering values: [Double], tickCount: Int = 5) -> Axis {
    let domain = (Interval.covering(values) ?? Interval(0, 1)).widenedIfEmpty()
    return linear(title: title, domain: domain, tickCount: tickCount, nice: true)
  }

  /// A numeric axis over `domain`.
  ///
  /// - Parameters:
  ///   - title: The axis title.
  ///   - domain: The data interval; widened when it has zero width.
  ///   - tickCount: The desired number of intervals between ticks (R's `n`).
  ///   - nice: Extend the domain to the first and last pretty tick (otherwise ticks outside the
  ///     domain are dropped).
  public static func linear(title: String, domain: Interval, tickCount: Int = 5, nice: Bool) -> Axis {
    let base = domain.widenedIfEmpty()
    let pretty = base.pretty(count: tickCount)
    let finalDomain = nice ? base.niced(count: tickCount) : base
    let slack = 1e-9 * max(finalDomain.width, Double.leastNormalMagnitude)
    let values = pretty.values.filter { $0 >= finalDomain.lower - slack && $0 <= finalDomain.upper + slack }
    let labels = TickLabels.format(values)
    return Axis(title: title, domain: finalDomain, ticks: zip(values, labels).map { Tick(value: $0, label: $1) })
  }

  /// The ticks that lie within the domain (with a relative slack of 1e-9), in order of value.
  public var visibleTicks: [Tick] {
    let slack = 1e-9 * domain.width
    return ticks.filter { $0.value.isFinite && $0.value >= domain.lower - slack && $0.value <= domain.upper + slack }
      .sorted { $0.value < $1.value }
  }

  /// The axis drawn as an SVG group.
  ///
  /// - Parameters:
  ///   - position: ``AxisPosition/bottom`` (x) or ``AxisPosition/left`` (y).
  ///   - scale: Maps the axis's data values to pixel positions along it.
  ///   - plotArea: The plotting area; the axis sits ``PlotTheme/axisOffset`` outside it.
  ///   - theme: Sizes and ink.
  /// - Returns: `<g class="axis axis-x|axis-y">` with the line and ticks (one path), the tick
  ///   labels and the title.
  public func element(position: AxisPosition, scale: LinearScale, plotArea: Rect, theme: PlotTheme) -> SVGElement {
    let ticks = visibleTicks
    let positions = ticks.map { scale($0.value) }
    let span = positions.isEmpty ? [scale(domain.lower), scale(domain.upper)] : positions
    let from = span.min() ?? 0
    let to = span.max() ?? 0

    var group = SVGElement("g", ["class": position == .bottom ? "axis axis-x" : "axis axis-y"])
    var line = SVGElement("path", ["class": "axis-line"])
    var labels = SVGElement("g", ["class": "tick-labels"])
    labels.set("font-size", theme.tickFontSize)
    labels.set("fill", theme.ink)
    var title = SVGElement("text", ["class": "axis-title"])
    title.set("font-size", theme.fontSize)
    title.set("fill", theme.ink)
    title.set("text-anchor", "middle")

    var d = ""
    switch position {
    case .bottom:
      let y = plotArea.maxY + theme.axisOffset
      d = "M\(fmt(from)) \(fmt(y))H\(fmt(to))"
      for x in positions { d += "M\(fmt(x)) \(fmt(y))v\(fmt(theme.tickLength))" }
      let baseline = y + theme.tickLength + theme.labelGap + theme.tickFontSize * 0.8
      labels.set("text-anchor", "middle")
      for (tick, x) in zip(ticks, positions) where !tick.label.isEmpty {
        labels.append(textElement(tick.label, x: x, y: baseline))
      }
      title.set("x", plotArea.midX)
      title.set("y", baseline + theme.tickFontSize * 0.2 + theme.labelGap + theme.fontSize * 0.8)
    case .left:
      let x = plotArea.minX - theme.axisOffset
      d = "M\(fmt(x)) \(fmt(to))V\(fmt(from))"
      for y in positions { d += "M\(fmt(x)) \(fmt(y))h\(fmt(-theme.tickLength))" }
      let right = x - theme.tickLength - theme.labelGap
      labels.set("text-anchor", "end")
      for (tick, y) in zip(ticks, positions) where !tick.label.isEmpty {
        labels.append(textElement(tick.label, x: right, y: y + theme.tickFontSize * 0.35))
      }
      let widest = ticks.map { TextMetrics.estimatedWidth($0.label, fontSize: theme.tickFontSize) }.max() ?? 0
      let baseline = right - widest - theme.labelGap - theme.fontSize * 0.2
      title.set("transform", "translate(\(fmt(baseline)) \(fmt(plotArea.midY))) rotate(-90)")
    }
    line.set("d", d)
    line.set("fill", "none")
    line.set("stroke", theme.ink)
    line.set("stroke-width", theme.axisWidth)

    group.append(line)
    if !labels.children.isEmpty { group.append(labels) }
    if !self.title.isEmpty {
      title.appendText(self.title)
      group.append(title)
    }
    return group
  }

  private func textElement(_ text: String, x: Double, y: Double) -> SVGElement {
    var element = SVGElement("text")
    element.set("x", x)
    element.set("y", y)
    element.appendText(text)
    return element
  }

  private func fmt(_ value: Double) -> String { SVGNumber.format(value) }
}
