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

extension Table {
  /// The factor levels of column `name` as R would make them: code order for a value-labelled
  /// column read from an SPSS, Stata or SAS file (`info[name].levels`, the levels present),
  /// sorted otherwise (``Column/factorLevels(_:)``). Empty for a missing column.
  public func factorLevels(_ name: String) -> [String] {
    guard let c = self[name] else { return [] }
    let sorted = Column.factorLevels(c)
    guard let order = info[name]?.levels else { return sorted }
    let present = Set(sorted)
    let declared = order.filter { present.contains($0) }
    return declared + sorted.filter { !Set(declared).contains($0) }
  }
}
