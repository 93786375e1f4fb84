import ArgumentParser
import BordinReport

struct Directives: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "directives",
    abstract: "Reference of every directive, its options and result fields.")

  @Argument(help: "A directive kind, e.g. regress.")
  var name: String?

  func run() throws {
    guard let text = DirectiveReference.text(name) else {
      let hint = name.flatMap(DirectiveReference.suggestion).map { "; did you mean '\($0)'?" } ?? ""
      throw ValidationError("unknown directive '\(name ?? "")'\(hint)")
    }
    print(text, terminator: "")
  }
}
