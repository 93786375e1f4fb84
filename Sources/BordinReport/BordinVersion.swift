/// Bordin's version, recorded in every output.
public let bordinVersion = "0.1.0"
