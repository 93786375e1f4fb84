/// What a statistics file says about a column beyond its values (DESIGN.md §4): the variable
/// label, the value labels and, for a value-labelled column read as a factor, the level order.
///
/// CSV columns have none; SPSS, Stata and SAS columns read by ``ReadStatReader`` carry them.
/// The labels feed the report's tables and plots; raw names stay in results.json.
public struct ColumnInfo: Sendable, Equatable {
  /// One value label: the code as text (`1`, `-99`, `M`) and its label (`individual`).
  public struct ValueLabel: Sendable, Equatable {
    public var code: String
    public var label: String
    public init(code: String, label: String) {
      self.code = code
      self.label = label
    }
  }

  /// The variable label ("Therapist-rated bond, mid-treatment"), if any.
  public var label: String?
  /// Value labels in code order (numeric codes ascending).
  public var valueLabels: [ValueLabel]
  /// For a factor read from a value-labelled column: its levels in code order (as
  /// `haven::as_factor`), the first being the reference level. Nil for other columns, whose
  /// factor levels are sorted.
  public var levels: [String]?

  public init(label: String? = nil, valueLabels: [ValueLabel] = [], levels: [String]? = nil) {
    self.label = label
    self.valueLabels = valueLabels
    self.levels = levels
  }

  /// The label of code `code` (as text), if it has one.
  public func valueLabel(_ code: String) -> String? { valueLabels.first { $0.code == code }?.label }
}
