import Foundation

/// The text of a document a reviewer receives, for `check --statistics`: Markdown as it is,
/// `.txt` as plain text (as from a PDF), HTML (tags removed later by ``StatisticsText``), PDF through poppler's
/// `pdftotext` (run as a program; a missing one is a diagnostic with the install command), and
/// Word `.docx` read directly: a docx is a ZIP archive whose `word/document.xml` is usually
/// deflate-compressed, so this reads the ZIP central directory and inflates the entry with
/// ``Inflate`` (no zip API in Foundation on Linux; no external tool to install). Each Word
/// paragraph becomes one line, so findings report paragraph numbers as lines.
public enum DocumentText {
  public struct Failure: Error, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var description: String { "error[\(code)]: \(message)" }
  }

  /// The extensions `check --statistics` reads in a folder.
  public static let extensions: Set<String> = ["md", "markdown", "txt", "html", "htm", "xhtml", "pdf", "docx"]

  /// The documents named by `paths`: files as given, folders searched (not recursively) for
  /// ``extensions`` in name order; a missing path is a `missing-file` failure for that path.
  public static func sources(_ paths: [String]) -> [(path: String, failure: Failure?)] {
    var out: [(String, Failure?)] = []
    for p in paths {
      var isDir: ObjCBool = false
      guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else {
        out.append((p, Failure(code: "missing-file", message: "'\(p)' does not exist")))
        continue
      }
      if isDir.boolValue {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: p)) ?? []).filter {
          !$0.hasPrefix(".") && extensions.contains(($0 as NSString).pathExtension.lowercased())
        }.sorted()
        out += names.map { ((p as NSString).appendingPathComponent($0), nil) }
      } else {
        out.append((p, nil))
      }
    }
    return out
  }

  public static func read(path: String, environment: [String: String] = ProcessInfo.processInfo.environment)
    throws(Failure) -> (text: String, kind: StatisticsCheck.Kind)
  {
    let lower = path.lowercased()
    guard let data = FileManager.default.contents(atPath: path) else {
      throw Failure(code: "unreadable", message: "cannot read '\(path)'; check the path and its permissions")
    }
    if lower.hasSuffix(".pdf") { return (try pdfText(path: path, environment: environment), .plain) }
    if lower.hasSuffix(".docx") {
      let xml: [UInt8]
      do { xml = try zipEntry([UInt8](data), name: "word/document.xml") } catch {
        throw Failure(code: "bad-docx", message: "'\(path)' is not a readable .docx: \(error.message)")
      }
      return (wordText(xml), .plain)
    }
    guard let text = String(validating: data, as: UTF8.self) else {
      throw Failure(code: "not-utf8", message: "'\(path)' is not UTF-8 text; convert it (iconv -t UTF-8) or give a .pdf, .docx, .html or .md")
    }
    if lower.hasSuffix(".txt") { return (text, .plain) }
    return (text, lower.hasSuffix(".html") || lower.hasSuffix(".htm") || lower.hasSuffix(".xhtml") ? .html : .markdown)
  }

  /// The install hint printed when `pdftotext` is missing.
  public static let pdftotextHint = "reading a PDF needs pdftotext (poppler); install it: apt-get install poppler-utils (Debian/Ubuntu), brew install poppler (macOS)"

  /// Runs `pdftotext -q -enc UTF-8 FILE -` found on PATH.
  static func pdfText(path: String, environment: [String: String]) throws(Failure) -> String {
    let dirs = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    guard let tool = dirs.map({ "\($0)/pdftotext" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
      throw Failure(code: "missing-tool", message: pdftotextHint)
    }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: tool)
    p.arguments = ["-q", "-enc", "UTF-8", path, "-"]
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    do { try p.run() } catch {
      throw Failure(code: "missing-tool", message: "cannot run \(tool): \(error); " + pdftotextHint)
    }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    _ = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else {
      throw Failure(code: "bad-pdf", message: "pdftotext could not read '\(path)' (exit \(p.terminationStatus)); is it a PDF with a text layer?")
    }
    return String(decoding: data, as: UTF8.self)
  }

  // MARK: - ZIP

  /// The bytes of entry `name` of a ZIP archive (PKWARE APPNOTE §4.3: end of central directory,
  /// central directory headers, local header), stored or deflated.
  static func zipEntry(_ z: [UInt8], name: String) throws(Inflate.Failure) -> [UInt8] {
    func u16(_ i: Int) throws(Inflate.Failure) -> Int {
      guard i >= 0, i + 2 <= z.count else { throw Inflate.Failure(message: "truncated archive") }
      return Int(z[i]) | Int(z[i + 1]) << 8
    }
    func u32(_ i: Int) throws(Inflate.Failure) -> Int { let a = try u16(i), b = try u16(i + 2); return a | b << 16 }
    // End of central directory: the last 0x06054b50 within 64 KiB + 22 bytes of the end.
    var eocd = -1
    var i = z.count - 22
    while i >= max(0, z.count - 65_557) {
      if z[i] == 0x50, z[i + 1] == 0x4B, z[i + 2] == 0x05, z[i + 3] == 0x06 { eocd = i; break }
      i -= 1
    }
    guard eocd >= 0 else { throw Inflate.Failure(message: "no ZIP end-of-directory record") }
    let entries = try u16(eocd + 10)
    var at = try u32(eocd + 16)
    let want = Array(name.utf8)
    for _ in 0..<entries {
      guard try u32(at) == 0x0201_4B50 else { throw Inflate.Failure(message: "bad central directory") }
      let method = try u16(at + 10), csize = try u32(at + 20), usize = try u32(at + 24)
      let n = try u16(at + 28), e = try u16(at + 30), c = try u16(at + 32), local = try u32(at + 42)
      guard at + 46 + n <= z.count else { throw Inflate.Failure(message: "truncated archive") }
      if Array(z[(at + 46)..<(at + 46 + n)]) == want {
        guard try u32(local) == 0x0403_4B50 else { throw Inflate.Failure(message: "bad local header") }
        let start = local + 30 + (try u16(local + 26)) + (try u16(local + 28))
        guard start + csize <= z.count else { throw Inflate.Failure(message: "entry runs past the end") }
        let raw = Array(z[start..<(start + csize)])
        switch method {
        case 0: return raw
        case 8: return try Inflate.decompress(raw, limit: max(usize, 1) * 2 + (1 << 20))
        default: throw Inflate.Failure(message: "compression method \(method) is not supported (only stored and deflate)")
        }
      }
      at += 46 + n + e + c
    }
    throw Inflate.Failure(message: "no \(name) in the archive")
  }

  // MARK: - WordprocessingML

  /// The text of `word/document.xml`: the contents of `<w:t>` runs and of `<m:t>` equation
  /// runs (OMML, as Word's equation editor writes χ² and 𝑡), one line per `<w:p>`
  /// paragraph, `<w:tab/>` as a space, `<w:br/>` as a line break; field codes (`w:instrText`)
  /// and deleted text (`w:delText`) left out.
  static func wordText(_ xml: [UInt8]) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(xml.count / 4)
    var i = 0
    var inText = false
    while i < xml.count {
      let b = xml[i]
      if b == UInt8(ascii: "<") {
        var j = i + 1
        while j < xml.count, xml[j] != UInt8(ascii: ">") { j += 1 }
        let tag = String(decoding: xml[(i + 1)..<min(j, xml.count)], as: UTF8.self)
        let name = tag.split(whereSeparator: { $0 == " " || $0 == "/" || $0 == "\t" || $0 == "\n" }).first.map(String.init) ?? ""
        if tag.hasPrefix("/") {
          if tag == "/w:p" { out.append(UInt8(ascii: "\n")) }
          if tag == "/w:t" || tag == "/m:t" { inText = false }
        } else if name == "w:t" || name == "m:t" {
          inText = !tag.hasSuffix("/")
        } else if name == "w:tab" {
          out.append(UInt8(ascii: " "))
        } else if name == "w:br" || name == "w:cr" {
          out.append(UInt8(ascii: "\n"))
        }
        i = j + 1
        continue
      }
      if inText {
        if b == UInt8(ascii: "&") {
          var j = i + 1
          while j < xml.count, j - i < 12, xml[j] != UInt8(ascii: ";") { j += 1 }
          let ent = String(decoding: xml[(i + 1)..<min(j, xml.count)], as: UTF8.self)
          var scalar: Unicode.Scalar?
          switch ent {
          case "lt": scalar = "<"
          case "gt": scalar = ">"
          case "amp": scalar = "&"
          case "quot": scalar = "\""
          case "apos": scalar = "'"
          default:
            if ent.hasPrefix("#x") { scalar = UInt32(ent.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init) }
            else if ent.hasPrefix("#") { scalar = UInt32(ent.dropFirst()).flatMap(Unicode.Scalar.init) }
          }
          if let s = scalar, j < xml.count {
            out.append(contentsOf: Array(String(Character(s)).utf8))
            i = j + 1
            continue
          }
        }
        out.append(b)
      }
      i += 1
    }
    return String(decoding: out, as: UTF8.self)
  }
}
