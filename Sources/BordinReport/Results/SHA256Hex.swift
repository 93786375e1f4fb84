import Crypto
import Foundation

/// Hex SHA-256 of bytes.
func sha256Hex<D: DataProtocol>(_ data: D) -> String {
  let digits = Array("0123456789abcdef".utf8)
  var hex: [UInt8] = []
  hex.reserveCapacity(64)
  for byte in SHA256.hash(data: data) {
    hex.append(digits[Int(byte >> 4)])
    hex.append(digits[Int(byte & 15)])
  }
  return String(decoding: hex, as: UTF8.self)
}

/// ``sha256Hex(_:)`` of a string's UTF-8 bytes, read in place (no copy of a large page).
func sha256Hex(utf8 text: String) -> String {
  var text = text
  return text.withUTF8 { sha256Hex(UnsafeRawBufferPointer($0)) }
}
