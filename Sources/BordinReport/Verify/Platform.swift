import BordinStats
import Foundation

/// The machine a render ran on, as `results.json` records it (DESIGN.md §5): architecture, OS,
/// BLAS library and — for OpenBLAS — the kernel it chose for this CPU (`OPENBLAS_CORETYPE`
/// overrides the choice), and the Swift compiler.
/// (BLIS is named by its version function; any other BLAS as "reference or other BLAS".)
///
/// Full-precision values may differ in the last bits between two platforms, so `bordin verify`
/// prints both when they differ; the platform itself is never a difference. Everything here is
/// fixed for a given build on a given machine and kernel choice (no host name, no OS release),
/// so output stays byte-identical on the same platform.
///
/// The BLAS is asked at run time (``LinearAlgebra/blasIdentity()``, which opens it when no
/// matrix routine has yet): `openblas_get_corename` and `openblas_get_config` exist only in OpenBLAS.
public struct Platform: Sendable, Equatable {
  public var architecture: String
  public var os: String
  public var blas: String
  /// The OpenBLAS kernel (`Haswell`, `Prescott`, `SkylakeX`, …), or "" for another BLAS.
  public var blasKernel: String
  public var swift: String

  /// This process's platform (looked up once).
  public static let current = Platform.lookUp()

  /// One line for people: `x86_64 Linux OpenBLAS 0.3.21 (Haswell)`.
  public var summary: String {
    "\(architecture) \(os) \(blas)" + (blasKernel.isEmpty ? "" : " (\(blasKernel))")
  }

  var json: ResultValue {
    .object([("architecture", .string(architecture)), ("os", .string(os)), ("blas", .string(blas)),
             ("blas_kernel", .string(blasKernel)), ("swift", .string(swift))])
  }

  /// The platform recorded in a parsed `results.json` (`render.platform`), when there is one.
  init?(recorded: ResultValue) {
    guard recorded.fields != nil else { return nil }
    func s(_ k: String) -> String { recorded[k]?.string.map { String($0.prefix(200)) } ?? "?" }
    self.init(architecture: s("architecture"), os: s("os"), blas: s("blas"), blasKernel: s("blas_kernel"), swift: s("swift"))
  }

  init(architecture: String, os: String, blas: String, blasKernel: String, swift: String) {
    self.architecture = architecture
    self.os = os
    self.blas = blas
    self.blasKernel = blasKernel
    self.swift = swift
  }

  private static func lookUp() -> Platform {
    var arch = "unknown"
    #if arch(x86_64)
      arch = "x86_64"
    #elseif arch(arm64)
      arch = "arm64"
    #endif
    var os = "unknown"
    #if os(Linux)
      os = "Linux"
    #elseif os(macOS)
      os = "macOS"
    #endif
    let (blas, kernel) = LinearAlgebra.blasIdentity()
    return Platform(architecture: arch, os: os, blas: blas, blasKernel: kernel, swift: swiftVersion)
  }

  /// The compiler that built Bordin (major.minor).
  static var swiftVersion: String {
    #if swift(>=6.5)
      return "6.5+"
    #elseif swift(>=6.4)
      return "6.4"
    #elseif swift(>=6.3)
      return "6.3"
    #elseif swift(>=6.2)
      return "6.2"
    #elseif swift(>=6.1)
      return "6.1"
    #elseif swift(>=6.0)
      return "6.0"
    #else
      return "5"
    #endif
  }
}
