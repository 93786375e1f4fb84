import Foundation

/// A program Bordin runs to write a manuscript format (DESIGN.md §8: pandoc, rsvg-convert,
/// headless Chromium), found on `PATH`; when it is missing the diagnostic gives the install
/// command.
struct ExternalTool: Sendable {
  /// What fails when a run fails: the message of a located diagnostic.
  struct Failure: Error, Equatable {
    var code: String
    var message: String
    var remedy: String?
  }

  /// The names tried, in order (`chromium`, `chromium-browser`, …).
  var names: [String]
  /// What the tool is for, in a message ("Word output (--to docx)").
  var purpose: String
  /// How to install it.
  var install: String

  static let pandoc = ExternalTool(names: ["pandoc"], purpose: "Word output (--to docx)",
                                   install: "apt-get install pandoc librsvg2-bin (Debian/Ubuntu), brew install pandoc librsvg (macOS)")
  static let rsvgConvert = ExternalTool(names: ["rsvg-convert"], purpose: "drawing the figures of Word output (--to docx)",
                                        install: "apt-get install pandoc librsvg2-bin (Debian/Ubuntu), brew install pandoc librsvg (macOS)")
  static let chromium = ExternalTool(names: ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"],
                                     purpose: "PDF output (--to pdf)",
                                     install: "apt-get install chromium (Debian/Ubuntu), or install Google Chrome")

  /// The executable's path, or nil when none of ``names`` is on `PATH`.
  func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
    let dirs = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    for n in names {
      for d in dirs where FileManager.default.isExecutableFile(atPath: "\(d)/\(n)") { return "\(d)/\(n)" }
    }
    return nil
  }

  /// The executable, or the missing-tool failure naming the install command.
  func require(environment: [String: String] = ProcessInfo.processInfo.environment) throws(Failure) -> String {
    guard let path = locate(environment: environment) else {
      throw Failure(code: "missing-tool", message: "\(purpose) needs \(names[0]), which is not on PATH",
                    remedy: "install it: \(install)")
    }
    return path
  }

  /// Runs the tool with `arguments` (and `stdin`), extra `environment` entries, in `directory`;
  /// its standard output. Killed after `timeout` seconds.
  func run(_ arguments: [String], stdin: [UInt8]? = nil, environment extra: [String: String] = [:],
           directory: URL? = nil, timeout: Double = 300) throws(Failure) -> [UInt8] {
    let path = try require()
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in extra { env[k] = v }
    p.environment = env
    if let directory { p.currentDirectoryURL = directory }
    let out = Pipe(), err = Pipe(), input = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = stdin == nil ? FileHandle.nullDevice : input
    do { try p.run() } catch {
      throw Failure(code: "tool-failed", message: "cannot run \(path): \(error)", remedy: "install it: \(install)")
    }
    let timer = DispatchWorkItem { if p.isRunning { p.terminate() } }
    DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
    if let stdin {
      let h = input.fileHandleForWriting
      DispatchQueue.global().async { h.write(Data(stdin)); try? h.close() }
    }
    // Drain standard error on another thread so neither pipe can fill and stall the tool.
    nonisolated(unsafe) var errBytes = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async { errBytes = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    p.waitUntilExit()
    timer.cancel()
    guard p.terminationReason == .exit, p.terminationStatus == 0 else {
      let why = p.terminationReason == .uncaughtSignal ? "was stopped (signal \(p.terminationStatus); time limit \(Int(timeout)) s)" : "exited with status \(p.terminationStatus)"
      let tail = String(decoding: errBytes.suffix(600), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      throw Failure(code: "tool-failed", message: "\(names[0]) \(why)" + (tail.isEmpty ? "" : ": \(tail)"),
                    remedy: "run the command by hand to see why: \(path) \(arguments.joined(separator: " "))")
    }
    return [UInt8](data)
  }
}
