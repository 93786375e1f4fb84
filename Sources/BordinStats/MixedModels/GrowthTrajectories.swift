import BordinData

/// Model-implied mean trajectories of a growth model (an ``LMMResult`` with a time variable):
/// what `growth` reports as `trajectories[]` and a trajectories plot draws.
public enum GrowthTrajectories {
  /// One predicted mean: predictor and its level, time, prediction, SE and interval.
  public struct Point: Sendable, Equatable {
    public var predictor: String
    public var level: String
    public var time: Double
    public var fit: Double
    public var se: Double
    public var ciLower: Double
    public var ciUpper: Double
  }

  /// Model-implied mean trajectories for every level of every predictor: at each observed time,
  /// the fixed-effect prediction ŷ = x'β̂ with SE √(x'V̂x) and a Wald interval at the fit's level,
  /// for each level of a factor predictor and for M − 1 SD, M and M + 1 SD of a numeric one,
  /// the other predictors held at their reference (first level, or mean of the rows used).
  public static func points(_ fit: LMMResult, table: Table, time: String, predictors: [String]) -> [Point] {
    let rows = fit.rowsUsed
    let timeValues = table[time]?.doubles ?? []
    let times = Array(Set(rows.map { timeValues[$0] }.filter { $0.isFinite })).sorted()
    guard !times.isEmpty else { return [] }
    // Reference settings: factors at their first level, numbers at their mean.
    var reference: [String: Column] = [:]
    var levels: [String: [(label: String, column: (Int) -> Column)]] = [:]
    for p in predictors {
      guard let c = table[p] else { continue }
      let used = c.select(rows)
      if let d = used.doubles, c.isNumeric {
        let v = d.filter { !$0.isNaN }
        let mean = v.reduce(0, +) / Double(max(v.count, 1))
        let sd = (v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(v.count - 1, 1))).squareRoot()
        reference[p] = .numeric([mean])
        levels[p] = [("M − 1 SD", { .numeric(Array(repeating: mean - sd, count: $0)) }), ("M", { .numeric(Array(repeating: mean, count: $0)) }),
                     ("M + 1 SD", { .numeric(Array(repeating: mean + sd, count: $0)) })]
      } else {
        let lv = table.rows(rows).factorLevels(p)  // code order for a value-labelled column
        reference[p] = .text([lv.first])
        levels[p] = lv.map { l in (l, { .text(Array(repeating: l, count: $0)) }) }
      }
    }
    var out: [Point] = []
    let targets = predictors.isEmpty ? [""] : predictors
    for p in targets {
      for (label, make) in levels[p] ?? [("all", { _ in .numeric([]) })] {
        var pairs: [(String, Column)] = [(time, .numeric(times))]
        for q in predictors {
          if q == p { pairs.append((q, make(times.count))) } else if let r = reference[q] {
            pairs.append((q, r.select(Array(repeating: 0, count: times.count))))
          }
        }
        guard let preds = try? fit.predict(Table(pairs), level: fit.level) else { continue }
        for (t, pr) in zip(times, preds) {
          out.append(Point(predictor: p, level: label, time: t, fit: pr.fit, se: pr.se, ciLower: pr.ciLower, ciUpper: pr.ciUpper))
        }
      }
    }
    return out
  }
}
