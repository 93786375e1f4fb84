import BordinReport
import Foundation

/// libFuzzer entry: arbitrary bytes as a BibTeX file — entries, `@string` macros, `#`
/// concatenation, braces, quotes, LaTeX escapes — parsed, cited and rendered as APA references.
/// Checks that it never traps, never hangs, never exhausts memory, and that no field value
/// reaches the HTML as markup or as a link other than http(s) (``BibTeXFuzz/check(_:)``).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBibTeX(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  BibTeXFuzz.check(String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self))
  return 0
}
