import ArgumentParser
import BordinReport

@main
struct Bordin: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "bordin", abstract: "Render Markdown analysis reports to HTML.")
}
