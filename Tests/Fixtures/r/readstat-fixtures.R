# SPSS, Stata and SAS files for ReadStatReaderTests, written by R's haven (2.5.1, R 4.2.2).
# Run from the package root: Rscript Tests/Fixtures/r/readstat-fixtures.R
# Writes Tests/Fixtures/readstat/:
#   therapy.sav / .zsav / .dta / .sas7bdat  the same 12 clients, by haven::write_sav/write_dta/write_sas
#   therapy.por   converted from therapy.sav by ReadStat's own CLI (`readstat therapy.sav therapy.por`,
#                 Debian package readstat 1.1.8): haven cannot write SPSS portable files
#   therapy.csv   the CSV twin: codes as numbers, user-missing codes as NA, dates ISO
#   therapy-haven.csv  what haven reads back from therapy.sav with user_na = FALSE + as_factor():
#                 labels for labelled codes; Bordin must read the same
#   therapy-levels.txt  "column: level1|level2|…" as levels(as_factor(...)) of each labelled column
# haven::write_sas is deprecated (its files read in haven and ReadStat but not necessarily SAS); it is
# the one way R can write a .sas7bdat, so the SAS test is only as good as that writer.
suppressPackageStartupMessages(library(haven))
out <- "Tests/Fixtures/readstat"
dir.create(out, showWarnings = FALSE)
n <- 12
id <- 1:n
bond_t <- c(4.5, 5.25, -99, 3.75, 6, 5.5, -99, 4.25, 5, 6.5, 3.5, 4.75)
format <- c(1, 2, 1, 1, 2, 2, 1, 2, 1, 2, 1, 2)
sessions <- c(12, 10, 8, -9, 11, 12, 9, 7, -1, 12, 10, 11)
therapist <- c("A", "B", "A", "C", "B", "C", "A", "B", "C", "A", "B", "C")
start <- as.Date("2024-01-08") + c(0, 3, 7, 10, 14, 17, 21, 24, 28, 31, 35, 38)
severity <- c(2, 3, 1, 2, 3, 3, 1, 2, 2, 3, 1, 2)

spss <- data.frame(
  id = id,
  bond_t = labelled_spss(bond_t, labels = c("not asked" = -99), na_values = -99,
                         label = "Therapist-rated bond, mid-treatment"),
  format = labelled(format, labels = c(individual = 1, group = 2), label = "Treatment format"),
  sessions = labelled_spss(sessions, na_range = c(-9, -1), label = "Sessions attended"),
  therapist = therapist,
  start = start,
  severity = labelled(severity, labels = c(mild = 1, moderate = 2, severe = 3, profound = 4),
                      label = "Baseline severity")
)
write_sav(spss, file.path(out, "therapy.sav"))
write_sav(spss, file.path(out, "therapy.zsav"), compress = "zsav")
# Stata and SAS have no user-missing codes: the CSV twin's NAs are system-missing there.
plain <- spss
plain$bond_t <- labelled(ifelse(bond_t == -99, NA, bond_t), label = "Therapist-rated bond, mid-treatment")
plain$sessions <- labelled(ifelse(sessions < 0, NA, sessions), label = "Sessions attended")
write_dta(plain, file.path(out, "therapy.dta"))
suppressWarnings(write_sas(plain, file.path(out, "therapy.sas7bdat")))
# Portable files allow only upper-case names of at most 8 characters: a copy so named.
por <- spss
names(por) <- c("ID", "BOND_T", "FORMAT", "SESSIONS", "THERAPST", "START", "SEVERITY")
tmp <- tempfile(fileext = ".sav")
write_sav(por, tmp)
unlink(file.path(out, "therapy.por"))
stopifnot(system2("readstat", c(tmp, file.path(out, "therapy.por"))) == 0)

twin <- data.frame(id = id, bond_t = ifelse(bond_t == -99, NA, bond_t), format = format,
                   sessions = ifelse(sessions < 0, NA, sessions), therapist = therapist,
                   start = format(start), severity = severity)
write.csv(twin, file.path(out, "therapy.csv"), row.names = FALSE, na = "NA")

back <- read_sav(file.path(out, "therapy.sav"))
fac <- as_factor(back)
fac$start <- format(fac$start)
write.csv(as.data.frame(lapply(fac, function(x) if (is.factor(x)) as.character(x) else as.vector(x))),
          file.path(out, "therapy-haven.csv"), row.names = FALSE, na = "NA")
lv <- sapply(names(fac), function(k) if (is.factor(fac[[k]])) paste0(k, ": ", paste(levels(fac[[k]]), collapse = "|")) else NA)
writeLines(lv[!is.na(lv)], file.path(out, "therapy-levels.txt"))
lab <- sapply(names(back), function(k) { l <- attr(back[[k]], "label"); if (is.null(l)) NA else paste0(k, ": ", l) })
writeLines(lab[!is.na(lab)], file.path(out, "therapy-labels.txt"))
# User-missing kept (user_na = TRUE): the codes stay values.
keep <- read_sav(file.path(out, "therapy.sav"), user_na = TRUE)
cat("user_na = TRUE: bond_t", format(as.numeric(keep$bond_t)), "\n")
cat("user_na = TRUE: sessions", format(as.numeric(keep$sessions)), "\n")

# Dates, date-times and times: dates.sav / dates.dta / dates.sas7bdat, and how haven reads them
# back (dates-haven.csv, ISO 8601: dates as %Y-%m-%d, date-times as %Y-%m-%dT%H:%M:%S in UTC,
# times as HH:MM:SS).
dt <- data.frame(
  day = as.Date(c("1582-10-15", "1959-12-31", "1960-01-01", "1970-01-01", "2000-02-29", "2024-12-31")),
  stamp = as.POSIXct(c("1582-10-15 00:00:00", "1959-12-31 23:59:59", "1960-01-01 00:00:01",
                       "1970-01-01 12:30:00", "2000-02-29 06:07:08", "2024-12-31 23:59:58"), tz = "UTC"),
  clock = hms::as_hms(c(0, 59, 3600, 45296, 86399, 43200))
)
write_sav(dt, file.path(out, "dates.sav"))
write_dta(dt[, c("day", "stamp")], file.path(out, "dates.dta"))
suppressWarnings(write_sas(dt[, c("day", "stamp")], file.path(out, "dates.sas7bdat")))
back <- read_sav(file.path(out, "dates.sav"))
write.csv(data.frame(day = format(back$day), stamp = format(back$stamp, "%Y-%m-%dT%H:%M:%S", tz = "UTC"),
                     clock = format(back$clock)), file.path(out, "dates-haven.csv"), row.names = FALSE)

# A string variable with user-missing codes and value labels: strings.sav.
st <- data.frame(
  site = labelled_spss(c("N", "S", "X", "N", "S", "X", "N"), labels = c(north = "N", south = "S", "not recorded" = "X"),
                       na_values = "X", label = "Clinic site"),
  code = c("a1", "b2", "", "c3", "d4", "e5", "f6")
)
write_sav(st, file.path(out, "strings.sav"))
s2 <- read_sav(file.path(out, "strings.sav"))
cat("strings.sav site as_factor:", as.character(as_factor(s2$site)), "| levels:", levels(as_factor(s2$site)), "\n")
cat("user_na = TRUE site:", as.character(read_sav(file.path(out, "strings.sav"), user_na = TRUE)$site), "\n")
