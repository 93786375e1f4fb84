import Foundation

/// The reading half of `bordin verify`: a rendered page and its `results.json`, parsed into
/// typed records with every field checked, without touching anything else on disk.
///
/// Nothing read here is trusted: sizes are limited before reading, only regular files are read,
/// text must be UTF-8, JSON is parsed by the bounded ``RecordJSON`` and every field is checked
/// for its type. ``parse(html:record:)`` works on bytes alone, so it can be fuzzed.
enum VerifyReader {
  /// Largest page or record read, in bytes.
  static let maxHTMLBytes = 256 * 1024 * 1024
  static let maxRecordBytes = 256 * 1024 * 1024
  /// Largest template (recorded `source.text`, or the file on disk) verify re-renders.
  static let maxTemplateBytes = 64 * 1024 * 1024

  /// What `results.json` records, field by field.
  struct Record {
    struct Input { var name: String; var path: String; var sha256: String }
    var version: String
    var renderID: String?
    var platform: Platform?
    var sourcePath: String
    var sourceSHA256: String
    var sourceText: String
    var inputs: [Input]
    /// In the record's order (the report's own order).
    var params: [(String, String)]
    /// The whole record.
    var tree: ResultValue
  }

  /// What the page itself records.
  struct Page {
    var html: String
    var params: [(String, String)]
    var sourceSHA256: String?
    /// The render id the page's `<meta>` claims (nil for a fragment) and the one its content gives.
    var claimedID: String?
    var contentID: String
    var fragment: Bool
    /// What a site page's navigation regions hold that is not navigation (see ``SiteNavigation``).
    var siteProblems: [String] = []
  }

  /// A problem that stops verification: the message names the file and the field.
  struct Failure: Error { var message: String }

  /// Parses a page and its record from bytes.
  static func parse(html: [UInt8], record: [UInt8], recordName: String = "results.json") throws(Failure) -> (Page, Record) {
    (try page(html), try self.record(record, name: recordName))
  }

  static func page(_ bytes: [UInt8]) throws(Failure) -> Page {
    guard bytes.count <= maxHTMLBytes else { throw Failure(message: "the page is \(bytes.count / 1_048_576) MiB; the limit is \(maxHTMLBytes / 1_048_576) MiB") }
    guard let html = String(validating: bytes, as: UTF8.self) else { throw Failure(message: "the page is not valid UTF-8") }
    let params = metaValues(html, name: "bordin-param").map { kv -> (String, String) in
      guard let i = kv.firstIndex(of: "=") else { return (kv, "") }
      return (String(kv[..<i]), String(kv[kv.index(after: i)...]))
    }
    // A site page is compared as rendered: its navigation regions undone (``SiteNavigation``).
    let unmarked = SiteNavigation.unmarked(html)
    let ids = Provenance.renderIDs(of: unmarked.html)
    return Page(html: unmarked.html, params: params, sourceSHA256: metaValues(html, name: "bordin-source-sha256").first,
                claimedID: ids.claimed, contentID: ids.actual, fragment: !html.hasPrefix("<!DOCTYPE"), siteProblems: unmarked.problems)
  }

  static func record(_ bytes: [UInt8], name: String) throws(Failure) -> Record {
    guard bytes.count <= maxRecordBytes else {
      throw Failure(message: "\(name) is \(bytes.count / 1_048_576) MiB; the limit is \(maxRecordBytes / 1_048_576) MiB")
    }
    let tree: ResultValue
    do { tree = try RecordJSON.parse(bytes) } catch {
      throw Failure(message: "\(name) is not valid JSON (byte \(error.offset): \(error.message))")
    }
    func field(_ path: String...) -> ResultValue? {
      var v: ResultValue? = tree
      for k in path { v = v?[k] }
      return v
    }
    func string(_ path: String...) throws(Failure) -> String {
      var v: ResultValue? = tree
      for k in path { v = v?[k] }
      guard let s = v?.string else { throw Failure(message: "\(name): '\(path.joined(separator: "."))' is missing or not a string") }
      return s
    }
    guard tree.fields != nil else { throw Failure(message: "\(name) is not a JSON object") }
    let sourceText = try string("source", "text")
    guard sourceText.utf8.count <= maxTemplateBytes else {
      throw Failure(message: "\(name): the recorded template is \(sourceText.utf8.count / 1_048_576) MiB; the limit is \(maxTemplateBytes / 1_048_576) MiB")
    }
    var inputs: [Record.Input] = []
    switch field("inputs") {
    case nil: break
    case .array(let items)?:
      for (i, item) in items.enumerated() {
        guard let n = item["name"]?.string, let p = item["path"]?.string, let s = item["sha256"]?.string else {
          throw Failure(message: "\(name): 'inputs[\(i)]' needs string fields name, path and sha256")
        }
        inputs.append(.init(name: n, path: p, sha256: s))
      }
    default: throw Failure(message: "\(name): 'inputs' is not a list")
    }
    var params: [(String, String)] = []
    switch field("params") {
    case nil: break
    case .object(let kv)?:
      for (k, v) in kv {
        guard let s = v.string else { throw Failure(message: "\(name): param '\(k)' is not a string") }
        params.append((k, s))
      }
    default: throw Failure(message: "\(name): 'params' is not an object")
    }
    if let d = field("directives"), d.fields == nil { throw Failure(message: "\(name): 'directives' is not an object") }
    return Record(version: try string("bordin", "version"), renderID: field("render", "id")?.string,
                  platform: field("render", "platform").flatMap(Platform.init(recorded:)),
                  sourcePath: try string("source", "path"), sourceSHA256: try string("source", "sha256"), sourceText: sourceText,
                  inputs: inputs, params: params, tree: tree)
  }

  /// Values of `<meta name="NAME" content="…">` tags, in order.
  static func metaValues(_ html: String, name: String) -> [String] {
    let needle = "<meta name=\"\(name)\" content=\""
    var out: [String] = []
    var rest = Substring(html)
    while let r = rest.range(of: needle) {
      let after = rest[r.upperBound...]
      guard let end = after.firstIndex(of: "\"") else { break }
      out.append(ComputedValues.unescape(String(after[..<end])))
      rest = after[end...]
    }
    return out
  }

  /// Reads a regular file of at most `limit` bytes (checked before reading: a FIFO, a device or
  /// a huge file is refused, never read).
  static func readFile(_ url: URL, limit: Int) throws(Failure) -> Data {
    let fd = open(url.path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else { throw Failure(message: "cannot read '\(url.path)': \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { throw Failure(message: "'\(url.path)' is not a regular file") }
    guard st.st_size <= limit else {
      throw Failure(message: "'\(url.path)' is \(Int(st.st_size) / 1_048_576) MiB; the limit is \(limit / 1_048_576) MiB")
    }
    var data = Data(count: Int(st.st_size))
    var got = 0
    let ok = data.withUnsafeMutableBytes { (buf: UnsafeMutableRawBufferPointer) -> Bool in
      while got < buf.count {
        let n = read(fd, buf.baseAddress! + got, buf.count - got)
        if n < 0, errno == EINTR { continue }
        if n <= 0 { return n == 0 }
        got += n
      }
      return true
    }
    guard ok else { throw Failure(message: "cannot read '\(url.path)'") }
    return data.prefix(got)
  }
}
