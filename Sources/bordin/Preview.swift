import ArgumentParser
import BordinReport
import Foundation

struct Preview: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "preview",
    abstract: "Serve a report (or a folder of reports) on 127.0.0.1; re-render on save and reload the page.")

  @Argument(help: "A report file or a folder of reports.")
  var path: String

  @Option(name: .long, help: "Port on 127.0.0.1 (0 picks a free one).")
  var port: UInt16 = 4173

  @Option(name: .long, help: "Override a front-matter param: --param name=value (repeatable).")
  var param: [String] = []

  func run() throws {
    let server = PreviewServer(target: URL(fileURLWithPath: path), params: parsedParams(param))
    let bound = try server.bind(port: port)
    let page = isDirectory(path) ? "" : URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent + ".html"
    // Always printed and flushed, to a terminal or a pipe alike: the server blocks from here on.
    // In folder mode "/" is the folder's index of reports.
    say("Previewing \(path) at http://127.0.0.1:\(bound)/\(page) (Ctrl-C to stop)")
    server.serve()
  }
}
