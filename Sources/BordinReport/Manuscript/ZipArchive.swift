/// Reading every entry of a ZIP archive and writing one back with stored (uncompressed)
/// entries (PKWARE APPNOTE 6.3 §4.3), enough to rewrite the parts of a `.docx` package.
///
/// Written archives are deterministic: entries in the order given, every timestamp the DOS
/// epoch (1980-01-01 00:00), no extra fields, CRC-32 (ISO 3309, polynomial 0xEDB88320) over each
/// entry's bytes.
enum ZipArchive {
  struct Entry: Equatable {
    var name: String
    var bytes: [UInt8]
  }

  /// Every entry of archive `z`, in central-directory order, decompressed.
  static func entries(_ z: [UInt8]) throws(Inflate.Failure) -> [Entry] {
    func u16(_ i: Int) throws(Inflate.Failure) -> Int {
      guard i >= 0, i + 2 <= z.count else { throw Inflate.Failure(message: "truncated archive") }
      return Int(z[i]) | Int(z[i + 1]) << 8
    }
    func u32(_ i: Int) throws(Inflate.Failure) -> Int { let a = try u16(i), b = try u16(i + 2); return a | b << 16 }
    var eocd = -1
    var i = z.count - 22
    while i >= max(0, z.count - 65_557) {
      if z[i] == 0x50, z[i + 1] == 0x4B, z[i + 2] == 0x05, z[i + 3] == 0x06 { eocd = i; break }
      i -= 1
    }
    guard eocd >= 0 else { throw Inflate.Failure(message: "no ZIP end-of-directory record") }
    var names: [String] = []
    var at = try u32(eocd + 16)
    for _ in 0..<(try u16(eocd + 10)) {
      guard try u32(at) == 0x0201_4B50 else { throw Inflate.Failure(message: "bad central directory") }
      let n = try u16(at + 28), e = try u16(at + 30), c = try u16(at + 32)
      guard at + 46 + n <= z.count else { throw Inflate.Failure(message: "truncated archive") }
      names.append(String(decoding: z[(at + 46)..<(at + 46 + n)], as: UTF8.self))
      at += 46 + n + e + c
    }
    var out: [Entry] = []
    for name in names { out.append(Entry(name: name, bytes: try DocumentText.zipEntry(z, name: name))) }
    return out
  }

  /// An archive of `entries`, each stored.
  static func stored(_ entries: [Entry]) -> [UInt8] {
    var out: [UInt8] = []
    var central: [UInt8] = []
    func le16(_ v: Int, _ b: inout [UInt8]) { b += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
    func le32(_ v: UInt32, _ b: inout [UInt8]) { for s in [0, 8, 16, 24] { b.append(UInt8(v >> UInt32(s) & 0xFF)) } }
    for e in entries {
      let name = Array(e.name.utf8), crc = crc32(e.bytes), size = UInt32(e.bytes.count)
      let offset = UInt32(out.count)
      // Local header: signature, version 2.0, flags 0 (UTF-8 bit 11 unset: names are ASCII), method 0, time 0, date 1980-01-01.
      le32(0x0403_4B50, &out); le16(20, &out); le16(0, &out); le16(0, &out); le16(0, &out); le16(0x21, &out)
      le32(crc, &out); le32(size, &out); le32(size, &out); le16(name.count, &out); le16(0, &out)
      out += name
      out += e.bytes
      le32(0x0201_4B50, &central); le16(20, &central); le16(20, &central); le16(0, &central); le16(0, &central)
      le16(0, &central); le16(0x21, &central); le32(crc, &central); le32(size, &central); le32(size, &central)
      le16(name.count, &central); le16(0, &central); le16(0, &central); le16(0, &central); le16(0, &central)
      le32(0, &central); le32(offset, &central)
      central += name
    }
    let start = UInt32(out.count)
    out += central
    le32(0x0605_4B50, &out); le16(0, &out); le16(0, &out); le16(entries.count, &out); le16(entries.count, &out)
    le32(UInt32(central.count), &out); le32(start, &out); le16(0, &out)
    return out
  }

  static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  /// CRC-32 of `bytes` (the one ZIP and PNG use; "123456789" → 0xCBF43926).
  static func crc32(_ bytes: [UInt8]) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
    return c ^ 0xFFFF_FFFF
  }
}
