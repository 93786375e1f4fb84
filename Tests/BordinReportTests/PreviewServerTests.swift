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
}
