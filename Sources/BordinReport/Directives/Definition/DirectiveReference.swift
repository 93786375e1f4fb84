/// The directive reference printed by `bordin directives`, generated from the directive
/// definitions themselves so it cannot drift from the code.
public enum DirectiveReference {
  public static var names: [String] { directiveDefinitions.map(\.name) }

  /// The reference for one directive, or for all when `name` is nil; nil for an unknown name.
  public static func text(_ name: String? = nil) -> String? {
    if let name {
      guard let d = directiveDefinition(name) else { return nil }
      return detail(d)
    }
    let width = directiveDefinitions.map(\.name.count).max() ?? 0
    var s = "Directives (`bordin directives NAME` for options and result fields):\n\n"
    for d in directiveDefinitions {
      s += "  " + d.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + d.summary + "\n"
    }
    return s
  }

  /// A suggestion for a misspelt directive name.
  public static func suggestion(_ name: String) -> String? { didYouMean(name, names) }

  static func detail(_ d: DirectiveDefinition) -> String {
    var s = "\(d.name): \(d.summary)\n\nUsage:\n  ```{\(d.name) #label}\n"
    for o in d.options where o.required { s += "  \(o.name): …\n" }
    s += "  ```\n\nOptions:\n"
    let all = d.options + DirectiveDefinition.commonOptions
    let width = all.map(\.name.count).max() ?? 0
    for o in all {
      var line = "  " + o.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + o.help + " (" + o.type.help
      if o.required { line += "; required" }
      if let dv = o.defaultValue { line += "; default \(dv)" }
      s += line + ")\n"
    }
    if !d.fields.isEmpty {
      s += "\nResult fields:\n"
      let fw = d.fields.map(\.name.count).max() ?? 0
      for f in d.fields { s += "  " + f.name.padding(toLength: fw, withPad: " ", startingAt: 0) + "  " + f.help + "\n" }
    }
    return s
  }
}
