/// Each study's own Wald interval in a meta-analysis, yᵢ ± z₁₋α/₂ · √vᵢ, as metafor's
/// `summary(escalc(...))` and its forest plot give them (before any pooling).
public enum StudyIntervals {
  public static func wald(yi: [Double], vi: [Double], level: Double = 0.95) -> [(lower: Double, upper: Double)] {
    let crit = Distributions.normalQuantile(1 - (1 - level) / 2)
    return zip(yi, vi).map { y, v in
      let se = v.squareRoot()
      return (y - crit * se, y + crit * se)
    }
  }
}
