import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `bordin preview`: serves a report (or a folder of reports) on 127.0.0.1, re-rendering when a
/// source or data file changes; the page polls `/__bordin/version` and reloads itself.
/// Diagnostics are shown in the page instead of the report while it has errors.
///
/// A deliberately small HTTP/1.1 server: GET only, one request per connection, loopback only.
public final class PreviewServer: @unchecked Sendable {
  let target: URL
  let params: [(String, String)]
  private var listener: Int32 = -1
  public private(set) var port: UInt16 = 0
  private let lock = NSLock()
  private var cache: [String: (stamp: String, body: String)] = [:]

  public init(target: URL, params: [(String, String)] = []) {
    self.target = target
    self.params = params
  }

  /// Binds 127.0.0.1:`port` (0 picks a free port). Returns the bound port.
  public func bind(port: UInt16) throws -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw PreviewError.socket("socket() failed") }
    var one: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = port.bigEndian
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let ok = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard ok == 0, listen(fd, 16) == 0 else { close(fd); throw PreviewError.socket("cannot listen on 127.0.0.1:\(port)") }
    var bound = sockaddr_in()
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    listener = fd
    self.port = UInt16(bigEndian: bound.sin_port)
    return self.port
  }

  /// Serves `maxRequests` requests (by default, until the process ends).
  public func serve(maxRequests: Int = .max) {
    var served = 0
    while served < maxRequests {
      let client = accept(listener, nil, nil)
      if client < 0 { continue }
      handle(client)
      close(client)
      served += 1
    }
  }

  public func stop() {
    if listener >= 0 { close(listener); listener = -1 }
  }

  enum PreviewError: Error { case socket(String) }

  private func handle(_ fd: Int32) {
    var buf = [UInt8](repeating: 0, count: 8192)
    let n = recv(fd, &buf, buf.count, 0)
    guard n > 0 else { return }
    let request = String(decoding: buf[0..<n], as: UTF8.self)
    let parts = request.split(separator: " ", maxSplits: 2)
    guard parts.count >= 2, parts[0] == "GET" else { return respond(fd, 405, "text/plain", "method not allowed\n") }
    let path = String(parts[1].split(separator: "?").first ?? "/")
    let (status, type, body) = response(for: path)
    respond(fd, status, type, body)
  }

  /// The response for a request path: (status, content type, body).
  public func response(for path: String) -> (Int, String, String) {
    if path == "/__bordin/version" { return (200, "text/plain; charset=utf-8", stamp()) }
    let name = path == "/" ? nil : String(path.dropFirst())
    guard let file = reportFile(name) else { return (404, "text/plain; charset=utf-8", "not found\n") }
    return (200, "text/html; charset=utf-8", page(file))
  }

  private func reportFile(_ name: String?) -> URL? {
    var isDir: ObjCBool = false
    _ = FileManager.default.fileExists(atPath: target.path, isDirectory: &isDir)
    guard isDir.boolValue else { return name == nil || name == target.deletingPathExtension().lastPathComponent + ".html" ? target : nil }
    guard let name else { return nil }
    let md = target.appendingPathComponent(String(name.dropLast(5)) + ".md")
    guard name.hasSuffix(".html"), !name.contains("/"), FileManager.default.fileExists(atPath: md.path) else { return nil }
    return md
  }

  /// A fingerprint of every file under the target's project folder that a render may read.
  func stamp() -> String {
    let root = Project(reportFile: target.hasDirectoryPath ? target.appendingPathComponent("x.md") : target).root
    var parts: [String] = []
    if let e = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.contentModificationDateKey, .fileSizeKey]) {
      for case let u as URL in e {
        let p = u.path
        if p.contains("/.build") || p.contains("/_out") || p.contains("/_site") || p.contains("/.git/") { continue }
        if let v = try? u.resourceValues(forKeys: [.contentModificationDateKey, .fileSizeKey]), let d = v.contentModificationDate {
          parts.append("\(p):\(d.timeIntervalSince1970):\(v.fileSize ?? 0)")
        }
      }
    }
    return sha256Hex(Data(parts.sorted().joined(separator: "\n").utf8))
  }

  private func page(_ file: URL) -> String {
    let s = stamp()
    lock.lock()
    if let c = cache[file.path], c.stamp == s { lock.unlock(); return c.body }
    lock.unlock()
    var html: String
    do {
      html = try Renderer.render(file: file, displayPath: file.lastPathComponent, options: RenderOptions(params: params)).html
    } catch {
      let items = error.diagnostics.map { "<li><pre>\(escapeHTML($0.description))</pre></li>" }.joined(separator: "\n")
      html = Page.fill(["{{lang}}": "en", "{{version}}": bordinVersion, "{{title}}": "Errors — \(escapeHTML(file.lastPathComponent))",
                        "{{css}}": Theme.css + "\n", "{{header}}": "",
                        "{{body}}": "<h1>\(error.diagnostics.count) problem(s) in \(escapeHTML(file.lastPathComponent))</h1>\n<ol class=\"bordin-diagnostics\">\n\(items)\n</ol>\n",
                        "{{appendix}}": ""])
    }
    html = html.replacingOccurrences(of: "</body>", with: Self.reloadScript(s) + "</body>")
    lock.lock()
    cache[file.path] = (s, html)
    lock.unlock()
    return html
  }

  /// Preview only: polls the version endpoint and reloads when the sources change.
  static func reloadScript(_ stamp: String) -> String {
    """
    <script>(function(){var v="\(stamp)";setInterval(function(){fetch("/__bordin/version").then(function(r){return r.text()}).then(function(t){if(t!==v){location.reload()}}).catch(function(){})},1000)})();</script>

    """
  }

  private func respond(_ fd: Int32, _ status: Int, _ type: String, _ body: String) {
    let reason = [200: "OK", 404: "Not Found", 405: "Method Not Allowed"][status] ?? "OK"
    let bytes = Array(body.utf8)
    let head = "HTTP/1.1 \(status) \(reason)\r\nContent-Type: \(type)\r\nContent-Length: \(bytes.count)\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n"
    let all = Array(head.utf8) + bytes
    var sent = 0
    while sent < all.count {
      let k = all[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      if k <= 0 { break }
      sent += k
    }
  }
}
