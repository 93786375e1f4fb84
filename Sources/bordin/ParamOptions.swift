import ArgumentParser

/// `--param name=value`, shared by `render`, `check` and `preview` (one declaration, one check).
struct ParamOptions: ParsableArguments {
  @Option(name: .long, help: "Override a front-matter param: --param name=value (repeatable).")
  var param: [String] = []

  func validate() throws {
    for p in param where !p.contains("=") {
      throw ValidationError("--param takes name=value; got '\(p)'")
    }
  }

  /// The overrides as (name, value) pairs, in the order given.
  var pairs: [(String, String)] {
    param.map { p in
      guard let i = p.firstIndex(of: "=") else { return (p, "") }
      return (String(p[..<i]), String(p[p.index(after: i)...]))
    }
  }
}
