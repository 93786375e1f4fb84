import BordinData

/// libFuzzer entry: ReadStat (C code parsing a stranger's SPSS, Stata and SAS files) behind
/// ``ReadStatReader`` must return a table or a ReadError for any bytes, never crash or hang.
/// The first byte picks the format (sav, zsav, por, dta, sas7bdat); the rest is the file. Each
/// input is read with the default options and with user-missing values kept and codes kept.
/// The system libreadstat is not instrumented, so coverage guidance comes from the Swift side;
/// a crash or an ASan report in the C library is still caught.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReadStat(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  guard size > 1 else { return 0 }
  let formats = ReadStatReader.Format.allCases
  let format = formats[Int(data[0]) % formats.count]
  let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
  var plain = ReadStatReader.Options()
  plain.maxCells = 1 << 20  // the reader's own cap, lowered so that libFuzzer's RSS limit is not the judge
  _ = try? ReadStatReader.read(bytes, format: format, options: plain)
  var keep = plain
  keep.userMissing = .keep
  keep.valueLabels = .codes
  _ = try? ReadStatReader.read(bytes, format: format, options: keep)
  return 0
}
