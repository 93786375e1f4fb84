/// DEFLATE decompression (RFC 1951), enough to read one entry of a ZIP archive (a `.docx`):
/// stored, fixed-Huffman and dynamic-Huffman blocks. Foundation on Linux has no zip API and
/// zlib is not a dependency of Bordin; this is the canonical decoder (Huffman codes canonical
/// per RFC 1951 §3.2.2, decoded by counting codes of each length, as in zlib's `puff.c`).
/// Malformed input throws; it never reads out of bounds or loops.
enum Inflate {
  struct Failure: Error, Equatable { var message: String }

  static func decompress(_ input: [UInt8], limit: Int = 1 << 30) throws(Failure) -> [UInt8] {
    var s = State(input: input)
    var out: [UInt8] = []
    out.reserveCapacity(min(input.count * 4, limit))
    var last = false
    while !last {
      last = try s.bits(1) == 1
      switch try s.bits(2) {
      case 0:
        s.alignToByte()
        let len = try s.bits(16), nlen = try s.bits(16)
        guard len == ~nlen & 0xFFFF else { throw Failure(message: "stored block length check failed") }
        guard s.pos + len <= input.count else { throw Failure(message: "stored block runs past the end") }
        out.append(contentsOf: input[s.pos..<(s.pos + len)])
        s.pos += len
      case 1:
        try codes(&s, &out, Inflate.fixedLit, Inflate.fixedDist, limit)
      case 2:
        let (lit, dist) = try dynamicTables(&s)
        try codes(&s, &out, lit, dist, limit)
      default:
        throw Failure(message: "invalid block type")
      }
    }
    return out
  }

  /// A canonical Huffman code: how many codes have each length, and the symbols in code order.
  struct Huffman {
    var counts = [Int](repeating: 0, count: 16)
    var symbols: [Int] = []

    init(lengths: [Int]) throws(Failure) {
      for l in lengths { counts[l] += 1 }
      counts[0] = 0
      var left = 1
      for len in 1...15 {
        left <<= 1
        left -= counts[len]
        guard left >= 0 else { throw Failure(message: "over-subscribed Huffman code") }
      }
      var offs = [Int](repeating: 0, count: 16)
      for len in 1..<15 { offs[len + 1] = offs[len] + counts[len] }
      symbols = [Int](repeating: 0, count: lengths.count)
      for (sym, l) in lengths.enumerated() where l != 0 {
        symbols[offs[l]] = sym
        offs[l] += 1
      }
    }
  }

  struct State {
    let input: [UInt8]
    var pos = 0
    var bitBuf = 0
    var bitCount = 0

    init(input: [UInt8]) { self.input = input }

    mutating func bits(_ n: Int) throws(Failure) -> Int {
      var v = bitBuf
      while bitCount < n {
        guard pos < input.count else { throw Failure(message: "unexpected end of compressed data") }
        v |= Int(input[pos]) << bitCount
        pos += 1
        bitCount += 8
      }
      bitBuf = v >> n
      bitCount -= n
      return v & ((1 << n) - 1)
    }

    mutating func alignToByte() {
      bitBuf = 0
      bitCount = 0
    }

    mutating func decode(_ h: Huffman) throws(Failure) -> Int {
      var code = 0, first = 0, index = 0
      for len in 1...15 {
        code |= try bits(1)
        let count = h.counts[len]
        if code - count < first { return h.symbols[index + (code - first)] }
        index += count
        first += count
        first <<= 1
        code <<= 1
      }
      throw Failure(message: "invalid Huffman code")
    }
  }

  static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
  static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
  static let distBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
  static let distExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

  nonisolated(unsafe) static let fixedLit = try! Huffman(lengths: (0..<288).map { $0 < 144 ? 8 : $0 < 256 ? 9 : $0 < 280 ? 7 : 8 })
  nonisolated(unsafe) static let fixedDist = try! Huffman(lengths: [Int](repeating: 5, count: 30))

  static func codes(_ s: inout State, _ out: inout [UInt8], _ lit: Huffman, _ dist: Huffman, _ limit: Int) throws(Failure) {
    while true {
      let sym = try s.decode(lit)
      if sym < 256 {
        out.append(UInt8(sym))
      } else if sym == 256 {
        return
      } else {
        let li = sym - 257
        guard li < 29 else { throw Failure(message: "invalid length code") }
        let len = lengthBase[li] + (try s.bits(lengthExtra[li]))
        let di = try s.decode(dist)
        guard di < 30 else { throw Failure(message: "invalid distance code") }
        let d = distBase[di] + (try s.bits(distExtra[di]))
        guard d <= out.count else { throw Failure(message: "distance too far back") }
        let start = out.count - d
        for k in 0..<len { out.append(out[start + k]) }
      }
      guard out.count <= limit else { throw Failure(message: "decompressed data too large") }
    }
  }

  static func dynamicTables(_ s: inout State) throws(Failure) -> (Huffman, Huffman) {
    let nlen = try s.bits(5) + 257, ndist = try s.bits(5) + 1, ncode = try s.bits(4) + 4
    guard nlen <= 286, ndist <= 30 else { throw Failure(message: "bad code counts") }
    let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
    var codeLengths = [Int](repeating: 0, count: 19)
    for k in 0..<ncode { codeLengths[order[k]] = try s.bits(3) }
    let lencode = try Huffman(lengths: codeLengths)
    var lengths: [Int] = []
    while lengths.count < nlen + ndist {
      let sym = try s.decode(lencode)
      if sym < 16 {
        lengths.append(sym)
      } else {
        var rep = 0, val = 0
        switch sym {
        case 16:
          guard let l = lengths.last else { throw Failure(message: "repeat with no previous length") }
          val = l
          rep = 3 + (try s.bits(2))
        case 17: rep = 3 + (try s.bits(3))
        default: rep = 11 + (try s.bits(7))
        }
        guard lengths.count + rep <= nlen + ndist else { throw Failure(message: "too many lengths") }
        lengths.append(contentsOf: [Int](repeating: val, count: rep))
      }
    }
    guard lengths[256] != 0 else { throw Failure(message: "no end-of-block code") }
    return (try Huffman(lengths: Array(lengths[0..<nlen])), try Huffman(lengths: Array(lengths[nlen...])))
  }
}
