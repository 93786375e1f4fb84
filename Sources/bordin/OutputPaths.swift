import ArgumentParser
import BordinReport
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Output paths are checked before any work, and a path Bordin cannot write is a usage error
/// (exit 2) naming the option and the path — never an "internal error" (exit 3).
enum OutputPaths {
  /// A folder that `option` names: it must be a folder (or not exist yet, below a writable
  /// folder) and be writable.
  static func checkFolder(_ path: String, option: String) throws(ValidationError) {
    guard !path.isEmpty else { throw ValidationError("\(option) is empty; give a folder to write into") }
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
      guard isDir.boolValue else { throw ValidationError("\(option) '\(path)' is a file, not a folder; give a folder to write into") }
      guard access(path, W_OK | X_OK) == 0 else { throw ValidationError("\(option) '\(path)' is not writable") }
      return
    }
    try checkParent(of: path, option: option)
  }

  /// A file that `option` names: it must not be a folder, and its folder must exist (it is not
  /// created) and be writable.
  static func checkFile(_ path: String, option: String) throws(ValidationError) {
    guard !path.isEmpty else { throw ValidationError("\(option) is empty; give a file to write") }
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
      throw ValidationError("\(option) '\(path)' is a folder; give a file to write")
    }
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    if !FileManager.default.fileExists(atPath: folder, isDirectory: &isDir) {
      throw ValidationError("\(option) '\(path)' cannot be created: the folder '\(folder)' does not exist")
    }
    try checkParent(of: path, option: option)
  }

  /// The nearest existing folder above `path` must be a writable folder.
  private static func checkParent(of path: String, option: String) throws(ValidationError) {
    var dir = URL(fileURLWithPath: path).deletingLastPathComponent()
    while true {
      var isDir: ObjCBool = false
      if FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir) {
        guard isDir.boolValue else {
          throw ValidationError("\(option) '\(path)' cannot be created: '\(dir.path)' is a file, not a folder")
        }
        guard access(dir.path, W_OK | X_OK) == 0 else {
          throw ValidationError("\(option) '\(path)' cannot be created: '\(dir.path)' is not writable")
        }
        return
      }
      let up = dir.deletingLastPathComponent()
      if up.path == dir.path { return }
      dir = up
    }
  }

  /// Reports a failed write of `path` (disk full, permissions changed meanwhile) as a usage
  /// error: prints it and returns exit code 2.
  static func writeFailed(_ path: String, _ error: Error) -> ExitCode {
    let why = (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    printError("bordin: cannot write '\(path)': \(why)")
    return ExitCode(2)
  }
}
