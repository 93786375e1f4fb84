// No stable API: SQLite, for BordinData/SQLiteReader.swift only.
#include <sqlite3.h>
