import BordinData

/// Option readers whose allowed values and defaults come from the directive's definition
/// (``DirectiveDefinition/options``), the single source of truth that `bordin directives` prints.
///
/// Reading an option the definition does not declare, or one declared without the default
/// these readers need, is a programming error caught by the directive tests
/// (`DirectiveDefinitionTests` checks every declared default against its type).
extension OptionReader {
  /// The declaration of option `name` in this directive's definition.
  func declared(_ name: String) -> OptionSpec {
    guard let spec = directiveDefinition(inv.kind)?.option(name) else {
      preconditionFailure("\(inv.kind) reads option '\(name)', which its definition does not declare")
    }
    return spec
  }

  private func declaredDefault(_ name: String) -> String {
    guard let d = declared(name).defaultValue else {
      preconditionFailure("\(inv.kind) option '\(name)' is declared without a default")
    }
    return d
  }

  /// A `.choice` option: one of its declared words, else its declared default.
  func choice(_ name: String) throws(DirectiveFailure) -> String {
    guard case .choice(let allowed) = declared(name).type else {
      preconditionFailure("\(inv.kind) option '\(name)' is not declared as a choice")
    }
    return try choice(name, allowed, default: declaredDefault(name))
  }

  /// A `.bool` option, else its declared default.
  func bool(_ name: String) throws(DirectiveFailure) -> Bool {
    try bool(name, default: declaredDefault(name) == "true")
  }

  /// A `.number` option, else its declared default; inside `range` when one is given.
  func number(_ name: String, range: ClosedRange<Double>? = nil) throws(DirectiveFailure) -> Double {
    guard let d = Double(declaredDefault(name)) else { preconditionFailure("\(inv.kind) option '\(name)': default is not a number") }
    guard let range else { return try number(name, default: d) }
    return try number(name, default: d, range: range)
  }

  /// An `.integer` option inside `range`, else its declared default.
  func integer(_ name: String, range: ClosedRange<Int>) throws(DirectiveFailure) -> Int {
    guard let d = Int(declaredDefault(name)) else { preconditionFailure("\(inv.kind) option '\(name)': default is not a whole number") }
    return try integer(name, default: d, range: range)
  }
}
