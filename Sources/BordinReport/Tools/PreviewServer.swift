import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `bordin preview`: serves a report (or a folder of reports) on 127.0.0.1, re-rendering when a
/// source or data file changes; the page polls `/__bordin/version` and reloads itself.
/// Diagnostics are shown in the page instead of the report while it has errors.
///
/// A deliberately small HTTP/1.1 server: GET only, one request per connection, loopback only.
/// Hostile clients cannot stall or trick it:
/// - each connection is served on its own thread, at most ``maxConnections`` at once (more get
///   503), and a request must arrive within ``readTimeout`` seconds and ``maxRequestBytes``
///   bytes (else 408 / 431), however it is split into packets;
/// - the `Host` header must name the loopback interface (`127.0.0.1`, `localhost`, `[::1]`) with
///   the server's port (or no port), else 403: a page on another site that rebinds its DNS name
///   to 127.0.0.1 cannot read the preview;
/// - a poll stats only the report's inputs (the report, its data files, its bibliography and
///   `bordin.yml`), never walks the project.
public final class PreviewServer: @unchecked Sendable {
  let target: URL
  let params: [(String, String)]
  private var listener: Int32 = -1
  public private(set) var port: UInt16 = 0
  private let lock = NSLock()
  private var cache: [String: (stamp: String, body: String)] = [:]
  private var active = 0
  /// Seconds a client may take to send its request headers (idle or trickling).
  public var readTimeout: Double = 5
  /// Largest request head accepted (request line and headers).
  public var maxRequestBytes = 16 * 1024
  /// Connections served at once; further ones get 503 until one ends.
  public var maxConnections = 32

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
    guard ok == 0, listen(fd, 64) == 0 else { close(fd); throw PreviewError.socket("cannot listen on 127.0.0.1:\(port)") }
    var bound = sockaddr_in()
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    listener = fd
    self.port = UInt16(bigEndian: bound.sin_port)
    return self.port
  }

  /// Serves `maxRequests` connections (by default, until the process ends or ``stop()``), each
  /// on its own thread; returns when they have all been answered.
  public func serve(maxRequests: Int = .max) {
    var accepted = 0
    let group = DispatchGroup()
    while accepted < maxRequests {
      let fd = listener
      guard fd >= 0 else { break }
      let client = accept(fd, nil, nil)
      if client < 0 {
        if errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM {
          if errno != EINTR && errno != ECONNABORTED { usleep(10_000) }
          continue
        }
        break  // the listener was closed (stop()) or is unusable
      }
      accepted += 1
      lock.lock()
      let busy = active >= maxConnections
      if !busy { active += 1 }
      lock.unlock()
      if busy {
        setTimeouts(client, 1)
        respond(client, 503, "text/plain; charset=utf-8", "too many connections\n")
        close(client)
        continue
      }
      group.enter()
      let t = Thread { [self] in
        handle(client)
        close(client)
        lock.lock()
        active -= 1
        lock.unlock()
        group.leave()
      }
      t.stackSize = 8 << 20  // as the main thread: a render recurses (deeply nested Markdown, expressions)
      t.start()
    }
    group.wait()
  }

  public func stop() {
    let fd = listener
    listener = -1
    if fd >= 0 {
      shutdown(fd, Int32(SHUT_RDWR))
      close(fd)
    }
  }

  enum PreviewError: Error { case socket(String) }

  private func setTimeouts(_ fd: Int32, _ seconds: Double) {
    var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
  }

  /// What reading a request head gave.
  enum Head: Equatable {
    case complete(String)
    case tooLarge
    case timedOut
    case closed
  }

  /// Reads until the blank line that ends the headers, at most `maxRequestBytes`, within
  /// `readTimeout` seconds in all (a client trickling one byte a second is cut off too).
  func readHead(_ fd: Int32) -> Head {
    setTimeouts(fd, min(readTimeout, 1))
    let deadline = Date().addingTimeInterval(readTimeout)
    var data: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 4096)
    while true {
      if let end = Self.headEnd(data) { return .complete(String(decoding: data[..<end], as: UTF8.self)) }
      if data.count >= maxRequestBytes { return .tooLarge }
      if Date() >= deadline { return .timedOut }
      let n = recv(fd, &buf, min(buf.count, maxRequestBytes - data.count), 0)
      if n > 0 {
        data += buf[0..<n]
      } else if n == 0 {
        return .closed
      } else if errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK {
        return .closed
      }
    }
  }

  /// The index just past `\r\n\r\n` (or `\n\n`), if the headers are complete.
  static func headEnd(_ d: [UInt8]) -> Int? {
    var i = 0
    while i < d.count {
      if d[i] == 10 {
        if i + 1 < d.count, d[i + 1] == 10 { return i + 2 }
        if i + 2 < d.count, d[i + 1] == 13, d[i + 2] == 10 { return i + 3 }
      }
      i += 1
    }
    return nil
  }

  /// True when `host` (a `Host` header value) names the loopback interface with `port` or no port.
  public static func isLoopbackHost(_ host: String, port: UInt16) -> Bool {
    let h = host.lowercased().trimmingCharacters(in: .whitespaces)
    for name in ["127.0.0.1", "localhost", "[::1]"] {
      if h == name || h == "\(name):\(port)" { return true }
    }
    return false
  }

  private func handle(_ fd: Int32) {
    let text: String
    switch readHead(fd) {
    case .complete(let t): text = t
    case .tooLarge: return respond(fd, 431, "text/plain; charset=utf-8", "request header fields too large\n")
    case .timedOut: return respond(fd, 408, "text/plain; charset=utf-8", "request timeout\n")
    case .closed: return
    }
    let lines = text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
    let parts = (lines.first ?? "").split(separator: " ", maxSplits: 2)
    guard parts.count >= 2, parts[0] == "GET" else { return respond(fd, 405, "text/plain; charset=utf-8", "method not allowed\n") }
    let hosts = lines.dropFirst().compactMap { line -> Substring? in
      guard let colon = line.firstIndex(of: ":"), line[..<colon].lowercased() == "host" else { return nil }
      return line[line.index(after: colon)...]
    }
    guard hosts.count == 1, Self.isLoopbackHost(String(hosts[0]), port: port) else {
      return respond(fd, 403, "text/plain; charset=utf-8", "forbidden: the Host header must be 127.0.0.1:\(port) or localhost:\(port)\n")
    }
    let path = String(parts[1].split(separator: "?").first ?? "/")
    let (status, type, body) = response(for: path)
    respond(fd, status, type, body)
  }

  /// The response for a request path: (status, content type, body).
  public func response(for path: String) -> (Int, String, String) {
    if path == "/__bordin/version" { return (200, "text/plain; charset=utf-8", stamp()) }
    if path == "/", isFolder { return (200, "text/html; charset=utf-8", index()) }
    let name = path == "/" ? nil : String(path.dropFirst())
    guard let file = reportFile(name) else { return (404, "text/plain; charset=utf-8", "not found\n") }
    return (200, "text/html; charset=utf-8", page(file))
  }

  private var isFolder: Bool {
    var isDir: ObjCBool = false
    return FileManager.default.fileExists(atPath: target.path, isDirectory: &isDir) && isDir.boolValue
  }

  private func reportFile(_ name: String?) -> URL? {
    guard isFolder else { return name == nil || name == target.deletingPathExtension().lastPathComponent + ".html" ? target : nil }
    guard let name else { return nil }
    let md = target.appendingPathComponent(String(name.dropLast(5)) + ".md")
    guard name.hasSuffix(".html"), !name.contains("/"), !name.hasPrefix("."), FileManager.default.fileExists(atPath: md.path) else { return nil }
    return md
  }

  /// The reports of a folder target (its `*.md` files, not recursive), sorted.
  private func folderReports() -> [URL] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: target.path)) ?? []
    return names.filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }.sorted().map { target.appendingPathComponent($0) }
  }

  /// Folder mode's `/`: a list of the folder's reports, linking to each.
  private func index() -> String {
    let s = stamp()
    let items = folderReports().map { u -> String in
      let page = u.deletingPathExtension().lastPathComponent + ".html"
      return "<li><a href=\"/\(escapeHTML(page))\">\(escapeHTML(u.lastPathComponent))</a></li>"
    }
    let body = "<h1>Reports in \(escapeHTML(target.lastPathComponent))</h1>\n<ul>\n\(items.joined(separator: "\n"))\n</ul>\n"
    let html = Page.fill(["{{lang}}": "en", "{{version}}": bordinVersion, "{{title}}": "Preview — \(escapeHTML(target.lastPathComponent))",
                          "{{css}}": Theme.css + "\n", "{{header}}": "", "{{body}}": body, "{{appendix}}": ""])
    return html.replacingOccurrences(of: "</body>", with: Self.reloadScript(s) + "</body>")
  }

  /// The files a render of `report` reads: the report, `bordin.yml` of its project, the data
  /// sources and the bibliography named in its front matter (paths inside the project that
  /// do not exist yet are watched, so that creating them triggers a reload; paths outside the
  /// project are not).
  static func inputs(of report: URL) -> [URL] {
    let project = Project(reportFile: report)
    var out = [report, project.root.appendingPathComponent("bordin.yml")]
    guard let data = try? FileLimits.read(report.path, limit: FileLimits.maxReportBytes),
          let source = String(validating: data, as: UTF8.self)
    else { return out }
    let text = source.hasPrefix("\u{FEFF}") ? String(source.dropFirst()) : source
    let (yaml, _, lines) = FrontMatter.split(text)
    let sink = DiagnosticSink(file: report.lastPathComponent)
    let fm = FrontMatter.parse(yaml, lines: lines, sink: sink)
    var paths = fm.data.map(\.path)
    if let b = fm.bibliography { paths.append(b.path) }
    for p in paths {
      do { out.append(try project.resolve(p)) } catch .missing {
        out.append(project.reportFolder.appendingPathComponent(p).standardizedFileURL)
      } catch {}  // outside the project: never watched (the render refuses it anyway)
    }
    return out
  }

  /// A fingerprint of the files a render may read: modification time, size and inode of each
  /// input of the report (of every report, in folder mode, plus the folder's listing).
  func stamp() -> String {
    var files: [URL]
    var parts: [String] = []
    if isFolder {
      let reports = folderReports()
      parts.append(reports.map(\.lastPathComponent).joined(separator: "/"))
      files = reports.flatMap { Self.inputs(of: $0) }
    } else {
      files = Self.inputs(of: target)
    }
    for u in files {
      var st = stat()
      if stat(u.path, &st) == 0 {
        parts.append("\(u.path):\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec):\(st.st_size):\(st.st_ino)")
      } else {
        parts.append("\(u.path):missing")
      }
    }
    return sha256Hex(Data(parts.joined(separator: "\n").utf8))
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
    let reasons = [200: "OK", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 408: "Request Timeout",
                   431: "Request Header Fields Too Large", 503: "Service Unavailable"]
    let bytes = Array(body.utf8)
    let head = "HTTP/1.1 \(status) \(reasons[status] ?? "OK")\r\nContent-Type: \(type)\r\nContent-Length: \(bytes.count)\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n"
    let all = Array(head.utf8) + bytes
    var sent = 0
    while sent < all.count {
      let k = all[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
      if k <= 0 { break }
      sent += k
    }
  }
}
