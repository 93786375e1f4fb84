// Cross-lagged panel models (CLPM) and random-intercept CLPMs, generated as lavaan syntax and
// fitted by ``SEM``: the `clpm` directive's engine.
//
// Implementation goals, in priority order: (1) exactly the models of the reference cases
// (shared/reference/clpm-3wave.json, riclpm-4wave.json), written line by line so that
// lavaan's parameter order, and thus the output order, is the same; (2) the generated syntax is
// part of the result, so that a reader can rerun it in lavaan.
//
// CLPM for x and y observed at waves 1…T (columns x1…xT, y1…yT):
//   x_t ~ x_{t−1} + y_{t−1};  y_t ~ y_{t−1} + x_{t−1};  x_t ~~ y_t; x_t ~~ x_t; y_t ~~ y_t  (t ≥ 2)
//   x_1 ~~ y_1; x_1 ~~ x_1; y_1 ~~ y_1
// RI-CLPM (Hamaker, Kuiper & Grasman 2015; the syntax of Mulder & Hamaker 2021): stable
// between-person differences are random intercepts RIx =~ 1*x1 + … + 1*xT (and RIy); the
// within-person deviations wx_t =~ 1*x_t carry the autoregressive and cross-lagged structure;
// observed residual variances are fixed at 0, RIx ~~ RIy is free, and the random intercepts are
// uncorrelated with the first-wave within-person variables.
// With equal lags, the four lag parameters carry labels (a_x, a_y for the autoregressions,
// c_xy for x_{t−1} → y_t, c_yx for y_{t−1} → x_t) and so are constrained equal across waves.
//
// References: Hamaker, E. L., Kuiper, R. M., & Grasman, R. P. P. P. (2015). A critique of the
// cross-lagged panel model. *Psychological Methods*, 20, 102–116. Mulder, J. D., & Hamaker,
// E. L. (2021). Three extensions of the random intercept cross-lagged panel model. *Structural
// Equation Modeling*, 28, 638–648.

import BordinData

/// A fitted (RI-)CLPM: the generated lavaan syntax and the SEM result.
public struct CrossLaggedPanelResult: Sendable, Equatable {
  /// The lavaan syntax that was fitted, one formula per line.
  public var syntax: String
  public var model: SEMResult
}

/// Cross-lagged panel models from column stems.
public enum CrossLaggedPanel {
  /// The lavaan syntax of a CLPM or RI-CLPM for columns `x + wave` and `y + wave`.
  ///
  /// - Parameters:
  ///   - x, y: column stems (e.g. "alliance", "symptoms").
  ///   - waves: wave suffixes in time order (e.g. ["1", "2", "3"]).
  ///   - randomIntercepts: the RI-CLPM instead of the CLPM.
  ///   - equalLags: constrain autoregressive and cross-lagged paths equal across waves.
  /// - Throws: `StatsError` `bad-waves` (fewer than 2 waves, or 3 for the RI-CLPM; repeated
  ///   waves), `bad-stems` (x = y or empty).
  public static func syntax(
    x: String, y: String, waves: [String], randomIntercepts: Bool = false, equalLags: Bool = false
  ) throws -> String {
    guard !x.isEmpty, !y.isEmpty, x != y else {
      throw StatsError(
        code: "bad-stems", message: "the two processes need different, non-empty column stems (x: '\(x)', y: '\(y)')",
        remedy: "Give e.g. 'x: alliance' and 'y: symptoms'.")
    }
    let minimum = randomIntercepts ? 3 : 2
    guard waves.count >= minimum else {
      throw StatsError(
        code: "bad-waves",
        message: "a\(randomIntercepts ? " random-intercept" : "") cross-lagged panel model needs at "
          + "least \(minimum) waves; got \(waves.count)",
        remedy: randomIntercepts
          ? "With two waves the RI-CLPM is not identified; use the CLPM." : "Give at least two waves.")
    }
    guard Set(waves).count == waves.count else {
      throw StatsError(code: "bad-waves", message: "waves repeat: \(waves.joined(separator: ", "))")
    }
    let ax = equalLags ? "a_x*" : ""
    let ay = equalLags ? "a_y*" : ""
    let cxy = equalLags ? "c_xy*" : ""
    let cyx = equalLags ? "c_yx*" : ""
    var lines: [String] = []
    if !randomIntercepts {
      for t in 1..<waves.count {
        let (x0, y0, x1, y1) = (x + waves[t - 1], y + waves[t - 1], x + waves[t], y + waves[t])
        lines += [
          "\(x1) ~ \(ax)\(x0) + \(cyx)\(y0)", "\(y1) ~ \(ay)\(y0) + \(cxy)\(x0)",
          "\(x1) ~~ \(y1)", "\(x1) ~~ \(x1)", "\(y1) ~~ \(y1)",
        ]
      }
      let (x0, y0) = (x + waves[0], y + waves[0])
      lines += ["\(x0) ~~ \(y0)", "\(x0) ~~ \(x0)", "\(y0) ~~ \(y0)"]
    } else {
      lines.append("RIx =~ " + waves.map { "1*\(x)\($0)" }.joined(separator: " + "))
      lines.append("RIy =~ " + waves.map { "1*\(y)\($0)" }.joined(separator: " + "))
      for w in waves { lines.append("wx\(w) =~ 1*\(x)\(w)") }
      for w in waves { lines.append("wy\(w) =~ 1*\(y)\(w)") }
      for w in waves { lines.append("\(x)\(w) ~~ 0*\(x)\(w)") }
      for w in waves { lines.append("\(y)\(w) ~~ 0*\(y)\(w)") }
      for t in 1..<waves.count {
        let (x0, y0, x1, y1) = ("wx" + waves[t - 1], "wy" + waves[t - 1], "wx" + waves[t], "wy" + waves[t])
        lines += [
          "\(x1) ~ \(ax)\(x0) + \(cyx)\(y0)", "\(y1) ~ \(ay)\(y0) + \(cxy)\(x0)",
          "\(x1) ~~ \(y1)", "\(x1) ~~ \(x1)", "\(y1) ~~ \(y1)",
        ]
      }
      let (x0, y0) = ("wx" + waves[0], "wy" + waves[0])
      lines += [
        "\(x0) ~~ \(y0)", "\(x0) ~~ \(x0)", "\(y0) ~~ \(y0)",
        "RIx ~~ RIx", "RIy ~~ RIy", "RIx ~~ RIy",
        "RIx ~~ 0*\(x0)", "RIx ~~ 0*\(y0)", "RIy ~~ 0*\(x0)", "RIy ~~ 0*\(y0)",
      ]
    }
    return lines.joined(separator: "\n")
  }

  /// Waves 1…`count` ("1", "2", …).
  public static func syntax(
    x: String, y: String, waves count: Int, randomIntercepts: Bool = false, equalLags: Bool = false
  ) throws -> String {
    try syntax(
      x: x, y: y, waves: count > 0 ? (1...count).map(String.init) : [],
      randomIntercepts: randomIntercepts, equalLags: equalLags)
  }

  /// Generates and fits a (RI-)CLPM; see ``syntax(x:y:waves:randomIntercepts:equalLags:)`` and
  /// ``SEM/fit(model:data:options:)``. With `group`, the multigroup model of
  /// ``SEM/fit(model:data:group:equal:options:)`` (lavaan `sem(..., group = , group.equal = )`):
  /// one CLPM per level of the column, the classes of `equal` (e.g. `.regressions`: every
  /// autoregressive and cross-lagged path) equal across groups.
  /// - Throws: as those, and `name-clash` when a column of the data has the name of a
  ///   generated latent variable (RIx, RIy, wx1, …).
  public static func fit(
    data: Table, x: String, y: String, waves: [String], randomIntercepts: Bool = false,
    equalLags: Bool = false, group: String? = nil, equal: [SEMGroupEqual] = [], options: SEMOptions = SEMOptions()
  ) throws -> CrossLaggedPanelResult {
    let text = try syntax(x: x, y: y, waves: waves, randomIntercepts: randomIntercepts, equalLags: equalLags)
    if randomIntercepts {
      let generated = ["RIx", "RIy"] + waves.flatMap { ["wx\($0)", "wy\($0)"] }
      if let clash = generated.first(where: data.contains) {
        throw StatsError(
          code: "name-clash",
          message: "the data has a column '\(clash)', the name of a latent variable of the RI-CLPM",
          remedy: "Rename that column in a 'data' directive.")
      }
    }
    let result = try group.map { try SEM.fit(model: text, data: data, group: $0, equal: equal, options: options) }
      ?? SEM.fit(model: text, data: data, options: options)
    return CrossLaggedPanelResult(syntax: text, model: result)
  }

  /// ``fit(data:x:y:waves:randomIntercepts:equalLags:options:)`` with waves 1…`count`.
  public static func fit(
    data: Table, x: String, y: String, waves count: Int, randomIntercepts: Bool = false,
    equalLags: Bool = false, options: SEMOptions = SEMOptions()
  ) throws -> CrossLaggedPanelResult {
    try fit(
      data: data, x: x, y: y, waves: count > 0 ? (1...count).map(String.init) : [],
      randomIntercepts: randomIntercepts, equalLags: equalLags, options: options)
  }
}
