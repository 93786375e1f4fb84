import ArgumentParser
import BordinReport

struct SQLite: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sqlite",
    abstract: "Build an SQLite database from CSV files, one table per file (named after it).")

  @Argument(help: "The database to write (replaced).")
  var database: String

  @Argument(help: "CSV or TSV files.")
  var files: [String]

  func run() throws {
    do {
      try DatabaseBuilder.build(database: database, csvFiles: files)
      print(database)
    } catch {
      printError(error.description)
      throw ExitCode(1)
    }
  }
}
