/// Labels of model parts that are written from two or three names: SEM parameters and the
/// variance components of mixed models (DESIGN.md §4: raw names stay in results.json).
extension Labels {
  /// A lavaan parameter `lhs op rhs` in words: a regression `y ~ x` is "X → Y" (predictor
  /// first, as the path is drawn), a loading `f =~ x` "F → X", a covariance `a ~~ b` "A ↔ B",
  /// a variance `a ~~ a` "A (variance)", a defined parameter `ab := a*b` its name's label.
  func path(lhs: String, op: String, rhs: String) -> String {
    let l = column(lhs), r = column(rhs)
    switch op {
    case "~": return "\(r) → \(l)"
    case "=~": return "\(l) → \(r)"
    case "~~": return lhs == rhs ? "\(l) (variance)" : "\(l) ↔ \(r)"
    case ":=": return l
    default: return "\(l) \(op) \(r)"
    }
  }

  /// A variance component of group `group` (already shown as the reader should see it): its
  /// term ("Patient: Alliance, within patient"), the correlation of two terms ("Patient:
  /// correlation of Intercept and Alliance, within patient"), or the group alone (the residual).
  func component(group: String, _ var1: String?, _ var2: String?) -> String {
    guard let var1 else { return group }
    guard let var2 else { return "\(group): \(term(var1))" }
    return "\(group): correlation of \(term(var1)) and \(term(var2))"
  }

  /// A level named with its column for a legend: "Child sex = Girl", but only the level's label
  /// when it already names the column ("No personality problems", not "Personality problems =
  /// No personality problems").
  func levelWithColumn(_ column: String, _ value: String) -> String {
    let name = self.column(column), level = self.level(column, value)
    return level.lowercased().contains(name.lowercased()) ? level : "\(name) = \(level)"
  }
}
