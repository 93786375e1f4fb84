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

  @OptionGroup var params: ParamOptions

  func validate() throws {
    guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("'\(path)' does not exist; give a report file or a folder of reports") }
  }

  func run() throws {
    let server = PreviewServer(target: URL(fileURLWithPath: path), params: params.pairs)
    let bound: UInt16
    do { bound = try server.bind(port: port) } catch {
      printError("bordin: cannot listen on 127.0.0.1:\(port): the port is in use or not allowed; try another --port (0 picks a free one)")
      throw ExitCode(2)
    }
    let page = isDirectory(path) ? "" : URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent + ".html"
    // Always printed and flushed, to a terminal or a pipe alike: the server blocks from here on.
    // In folder mode "/" is the folder's index of reports.
    say("Previewing \(path) at http://127.0.0.1:\(bound)/\(page) (Ctrl-C to stop)")
    server.serve()
  }
}
