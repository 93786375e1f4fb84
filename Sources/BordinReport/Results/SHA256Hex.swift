import Crypto
import Foundation

/// Hex SHA-256 of bytes.
func sha256Hex<D: DataProtocol>(_ data: D) -> String {
  SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
}
