import BordinData

/// libFuzzer entry: the CSV/TSV reader on arbitrary bytes must return a table or a DataError.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCsv(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  _ = try? CSVReader.read(bytes)
  _ = try? CSVReader.read(bytes, options: CSVOptions(delimiter: UInt8(ascii: "\t"), naStrings: ["", "NA", "-99"]))
  return 0
}
