import Foundation

extension String {
  /// The first occurrence of `needle`, found by comparing UTF-8 bytes (`memchr` + `memcmp`).
  ///
  /// Foundation's `range(of:)` bridges to `NSString` and searches UTF-16 code units: on a 10 MB
  /// page that was 30% of a render. Byte equality of UTF-8 is what Bordin's searches for its own
  /// ASCII markers (tags, `{{`, `{row.`) mean; a needle that starts with a combining mark could
  /// match inside a grapheme cluster, which none of these markers can.
  func utf8Range(of needle: String) -> Range<String.Index>? { self[...].utf8Range(of: needle) }
}

extension String {
  /// The last occurrence of `needle`, by UTF-8 bytes (``utf8Range(of:)`` from the end).
  func utf8LastRange(of needle: String) -> Range<String.Index>? { self[...].utf8LastRange(of: needle) }
}

extension Substring {
  /// ``Swift/String/utf8Range(of:)`` for a substring (indices are the base string's).
  func utf8Range(of needle: String) -> Range<String.Index>? { utf8Range(of: needle, byteSearch) }

  /// ``Swift/String/utf8LastRange(of:)`` for a substring (indices are the base string's).
  func utf8LastRange(of needle: String) -> Range<String.Index>? { utf8Range(of: needle, byteSearchBackwards) }

  /// The range of the occurrence of `needle` whose byte offset `search` finds.
  private func utf8Range(
    of needle: String, _ search: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Int?
  ) -> Range<String.Index>? {
    var s = self
    var n = needle
    let offset: Int? = s.withUTF8 { hay in n.withUTF8 { nd in search(hay, nd) } }
    guard let offset else { return nil }
    let lower = utf8.index(startIndex, offsetBy: offset)
    return lower..<utf8.index(lower, offsetBy: needle.utf8.count)
  }
}

/// The offset of the last occurrence of `needle` in `hay` (a backward scan for its first byte,
/// then `memcmp`).
private func byteSearchBackwards(_ hay: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Int? {
  guard let h = hay.baseAddress, let n = needle.baseAddress, needle.count > 0, needle.count <= hay.count else { return nil }
  let first = n.pointee
  var at = hay.count - needle.count
  while at >= 0 {
    if h[at] == first && memcmp(h + at, n, needle.count) == 0 { return at }
    at -= 1
  }
  return nil
}

/// The offset of the first occurrence of `needle` in `hay`: `memchr` for its first byte, then
/// `memcmp` (Glibc's `memmem` is a GNU extension that Swift does not import).
private func byteSearch(_ hay: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Int? {
  guard let h = hay.baseAddress, let n = needle.baseAddress, needle.count > 0, needle.count <= hay.count else { return nil }
  let last = hay.count - needle.count
  var i = 0
  while i <= last {
    guard let hit = memchr(h + i, Int32(n.pointee), last - i + 1) else { return nil }
    let at = h.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    if memcmp(h + at, n, needle.count) == 0 { return at }
    i = at + 1
  }
  return nil
}
