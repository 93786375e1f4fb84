import Foundation
import XCTest

@testable import BordinReport

/// `bordin preview`: loopback server, re-render on change, diagnostics in the page.
final class PreviewServerTests: XCTestCase {
  func get(_ port: UInt16, _ path: String) throws -> String {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = port.bigEndian
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    XCTAssertEqual(rc, 0)
    let req = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
    _ = req.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = recv(fd, &buf, buf.count, 0)
      if n <= 0 { break }
      out += buf[0..<n]
    }
    return String(decoding: out, as: UTF8.self)
  }

  func testServesRerendersAndShowsDiagnostics() throws {
    let p = TestProject()
    let file = p.write("r.md", "# Hello\n\nFirst version.\n")
    let server = PreviewServer(target: file)
    let port = try server.bind(port: 0)
    let thread = Thread { server.serve(maxRequests: 5) }
    thread.start()
    defer { server.stop() }
    let first = try get(port, "/")
    XCTAssertTrue(first.hasPrefix("HTTP/1.1 200 OK"))
    XCTAssertTrue(first.contains("First version."))
    XCTAssertTrue(first.contains("/__bordin/version"))
    let v1 = try get(port, "/__bordin/version")
    Thread.sleep(forTimeInterval: 0.05)
    p.write("r.md", "# Hello\n\nSecond version with an error `{nope.x}`.\n")
    let v2 = try get(port, "/__bordin/version")
    XCTAssertNotEqual(v1.components(separatedBy: "\r\n\r\n").last, v2.components(separatedBy: "\r\n\r\n").last)
    let second = try get(port, "/r.html")
    XCTAssertTrue(second.contains("problem(s) in r.md"), second)
    XCTAssertTrue(second.contains("inline-value"))
    XCTAssertTrue(try get(port, "/../etc/passwd").hasPrefix("HTTP/1.1 404"))
  }

  // MARK: - Hardening (issue 15): every socket here is loopback, every loop bounded, every read timed.

  /// A connected loopback client with receive and send timeouts, so a test fails instead of hanging.
  func connectClient(_ port: UInt16, timeout: Int = 3) -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var tv = timeval(tv_sec: timeout, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = port.bigEndian
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    XCTAssertEqual(rc, 0)
    return fd
  }

  func sendText(_ fd: Int32, _ text: String) {
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
  }

  /// Reads until the server closes (or the client's timeout, at most 200 reads).
  func receiveAll(_ fd: Int32) -> String {
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    for _ in 0..<200 {
      let n = recv(fd, &buf, buf.count, 0)
      if n <= 0 { break }
      out += buf[0..<n]
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Sends `request` on a fresh connection and returns the whole response.
  func raw(_ port: UInt16, _ request: String) -> String {
    let fd = connectClient(port)
    defer { close(fd) }
    sendText(fd, request)
    return receiveAll(fd)
  }

  /// A server on a free loopback port, serving `count` connections on a background thread.
  func startServer(_ target: URL, count: Int, readTimeout: Double = 5) throws -> (PreviewServer, UInt16, Thread) {
    let server = PreviewServer(target: target)
    server.readTimeout = readTimeout
    let port = try server.bind(port: 0)
    let thread = Thread { server.serve(maxRequests: count) }
    thread.start()
    return (server, port, thread)
  }

  func testAnIdleConnectionDoesNotBlockOtherClients() throws {
    let p = TestProject()
    let file = p.write("r.md", "# Hello\n\nIdle test.\n")
    let (server, port, _) = try startServer(file, count: 3, readTimeout: 2)
    defer { server.stop() }
    let idle = connectClient(port)
    defer { close(idle) }
    Thread.sleep(forTimeInterval: 0.1)
    let t0 = Date()
    let r = raw(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n")
    XCTAssertTrue(r.hasPrefix("HTTP/1.1 200 OK"), r)
    XCTAssertLessThan(Date().timeIntervalSince(t0), 1.5, "served while another connection was idle")
    // The idle client is cut off after the read timeout with 408.
    let cut = receiveAll(idle)
    XCTAssertTrue(cut.hasPrefix("HTTP/1.1 408"), cut)
    XCTAssertTrue(raw(port, "GET /__bordin/version HTTP/1.1\r\nHost: localhost:\(port)\r\n\r\n").hasPrefix("HTTP/1.1 200"))
  }

  func testOnlyLoopbackHostHeadersAreServed() throws {
    let p = TestProject()
    let file = p.write("r.md", "# Secret\n\nPrivate text.\n")
    let (server, port, _) = try startServer(file, count: 12)
    defer { server.stop() }
    for host in ["evil.example:\(port)", "evil.example", "127.0.0.1:\(port &+ 1)", "127.0.0.1.evil.example:\(port)", ""] {
      let r = raw(port, "GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n")
      XCTAssertTrue(r.hasPrefix("HTTP/1.1 403"), "Host '\(host)': \(r.prefix(40))")
      XCTAssertFalse(r.contains("Private text."))
    }
    XCTAssertTrue(raw(port, "GET / HTTP/1.1\r\n\r\n").hasPrefix("HTTP/1.1 403"), "no Host header")
    for host in ["127.0.0.1:\(port)", "LOCALHOST:\(port)", "[::1]:\(port)"] {
      let r = raw(port, "GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n")
      XCTAssertTrue(r.hasPrefix("HTTP/1.1 200") && r.contains("Private text."), "Host '\(host)': \(r.prefix(40))")
    }
  }

  func testARequestSplitAcrossPacketsIsServedAndAnOversizedOneRefused() throws {
    let p = TestProject()
    let file = p.write("r.md", "# Hello\n\nSplit request.\n")
    let (server, port, _) = try startServer(file, count: 2)
    defer { server.stop() }
    let fd = connectClient(port)
    sendText(fd, "GE")
    Thread.sleep(forTimeInterval: 0.2)
    sendText(fd, "T / HTTP/1.1\r\nHo")
    Thread.sleep(forTimeInterval: 0.2)
    sendText(fd, "st: 127.0.0.1:\(port)\r\n")
    Thread.sleep(forTimeInterval: 0.2)
    sendText(fd, "\r\n")
    let r = receiveAll(fd)
    close(fd)
    XCTAssertTrue(r.hasPrefix("HTTP/1.1 200") && r.contains("Split request."), String(r.prefix(60)))
    let big = raw(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nX-Pad: " + String(repeating: "a", count: 40_000) + "\r\n\r\n")
    XCTAssertTrue(big.hasPrefix("HTTP/1.1 431"), String(big.prefix(60)))
  }

  func testAPollStatsOnlyTheReportsInputs() throws {
    let p = TestProject()
    p.write("d.csv", "x\n1\n2\n")
    p.write("refs.bib", "@book{a, title = {A}, author = {B}, year = {2000}}\n")
    let file = p.write("r.md", "---\ndata:\n  d: d.csv\nbibliography: refs.bib\n---\n\nMean.\n")
    for i in 0..<1000 { p.write("junk/\(i / 100)/f\(i).txt", "x") }
    let server = PreviewServer(target: file)
    let s0 = server.stamp()
    p.write("junk/0/f0.txt", "changed, but not an input")
    p.write("junk/new.txt", "new")
    XCTAssertEqual(server.stamp(), s0, "a file the report does not read must not trigger a reload")
    let t0 = Date()
    for _ in 0..<20 { _ = server.stamp() }
    XCTAssertLessThan(Date().timeIntervalSince(t0) / 20, 0.01, "a poll must not walk the project")
    Thread.sleep(forTimeInterval: 0.02)
    p.write("d.csv", "x\n1\n2\n3\n")
    let s1 = server.stamp()
    XCTAssertNotEqual(s1, s0, "the data file is an input")
    Thread.sleep(forTimeInterval: 0.02)
    p.write("refs.bib", "@book{a, title = {A2}, author = {B}, year = {2000}}\n")
    XCTAssertNotEqual(server.stamp(), s1, "the bibliography is an input")
  }

  func testFolderModeServesAnIndexAtTheAdvertisedURL() throws {
    let p = TestProject()
    p.write("reports/one.md", "# One\n")
    p.write("reports/two.md", "# Two\n")
    let server = PreviewServer(target: p.root.appendingPathComponent("reports"))
    let (status, _, body) = server.response(for: "/")
    XCTAssertEqual(status, 200)
    XCTAssertTrue(body.contains("href=\"/one.html\"") && body.contains("href=\"/two.html\""), body)
    XCTAssertEqual(server.response(for: "/two.html").0, 200)
  }

  func testTheCLIPrintsTheURLToAPipe() throws {
    let binary = bordinBinary
    try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: binary.path), "bordin not built")
    let p = TestProject()
    p.write("r.md", "# Hello\n")
    let proc = Process()
    proc.executableURL = binary
    proc.arguments = ["preview", "r.md", "--port", "0"]
    proc.currentDirectoryURL = p.root
    let out = Pipe()
    proc.standardOutput = out
    proc.standardError = FileHandle.nullDevice
    try proc.run()
    defer {
      if proc.isRunning { kill(proc.processIdentifier, SIGTERM) }
      proc.waitUntilExit()
    }
    let fd = out.fileHandleForReading.fileDescriptor
    var text = ""
    var buf = [UInt8](repeating: 0, count: 4096)
    let deadline = Date().addingTimeInterval(5)
    while !text.contains("\n"), Date() < deadline {
      var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      guard poll(&pfd, 1, 100) > 0 else { continue }
      let n = read(fd, &buf, buf.count)
      if n <= 0 { break }
      text += String(decoding: buf[0..<n], as: UTF8.self)
    }
    XCTAssertTrue(text.hasPrefix("Previewing r.md at http://127.0.0.1:"), "stdout: '\(text)'")
    // The advertised URL answers.
    if let r = text.range(of: #"127\.0\.0\.1:(\d+)/"#, options: .regularExpression),
       let port = UInt16(text[r].dropFirst(10).dropLast()) {
      XCTAssertTrue(raw(port, "GET /r.html HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n").hasPrefix("HTTP/1.1 200"))
    } else {
      XCTFail("no port in '\(text)'")
    }
  }

  func testConnectionsAreBoundedAndATricklingClientIsCutOff() throws {
    let p = TestProject()
    let file = p.write("r.md", "# Hello\n")
    let server = PreviewServer(target: file)
    server.readTimeout = 1
    server.maxConnections = 1
    let port = try server.bind(port: 0)
    let thread = Thread { server.serve(maxRequests: 3) }
    thread.start()
    defer { server.stop() }
    // A client sending one byte every 0.25 s never completes its headers: 408 after ~1 s.
    let slow = connectClient(port)
    defer { close(slow) }
    Thread.sleep(forTimeInterval: 0.1)
    // While it holds the only slot, another client is told 503 at once.
    let t0 = Date()
    XCTAssertTrue(raw(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n").hasPrefix("HTTP/1.1 503"))
    XCTAssertLessThan(Date().timeIntervalSince(t0), 0.9)
    for c in "GET / HTTP/1.1\r\n" { sendText(slow, String(c)); Thread.sleep(forTimeInterval: 0.25); if Date().timeIntervalSince(t0) > 2 { break } }
    let cut = receiveAll(slow)
    XCTAssertTrue(cut.hasPrefix("HTTP/1.1 408"), cut)
    XCTAssertLessThan(Date().timeIntervalSince(t0), 3)
    // The slot is free again.
    Thread.sleep(forTimeInterval: 0.1)
    XCTAssertTrue(raw(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n").hasPrefix("HTTP/1.1 200"))
  }
}
