# R 4.2.2 + irr 0.84.1 calls behind Tests/Fixtures/fleiss-kappa.json (FleissKappaDiagnosesTests,
# KappaFleissDirectiveTests). Run from the package root:
#   Rscript Tests/Fixtures/r/fleiss-kappa.R
# irr::kappam.fleiss(exact = FALSE) on irr's `diagnoses` (30 patients x 6 psychiatrists, Fleiss
# 1971). Without the irr package installed, set IRR_DIR to a checkout of its sources (the CRAN
# mirror github.com/cran/irr): the script then loads R/kappam.fleiss.R and data/diagnoses.rda.
# It writes Tests/Fixtures/data/fleiss-diagnoses.csv (the codes as text, e.g. "4. Neurosis";
# the rows 31-32 are two extra patients with a missing rating, which kappam.fleiss drops by na.omit).
suppressMessages(library(jsonlite))
if (requireNamespace("irr", quietly = TRUE)) {
  kappam.fleiss <- irr::kappam.fleiss; data("diagnoses", package = "irr")
} else {
  dir <- Sys.getenv("IRR_DIR"); source(file.path(dir, "R/kappam.fleiss.R")); load(file.path(dir, "data/diagnoses.rda"))
}
d <- data.frame(lapply(diagnoses, as.character), stringsAsFactors = FALSE)
extra <- d[1:2, ]; extra[1, 3] <- NA; extra[2, 6] <- NA
full <- rbind(d, extra)
write.csv(full, "Tests/Fixtures/data/fleiss-diagnoses.csv", row.names = FALSE, na = "")
one <- function(ratings) {
  r <- kappam.fleiss(ratings)
  list(subjects = r$subjects, raters = r$raters, kappa = r$value, z = unname(r$statistic),
       p = r$p.value, se = r$value / unname(r$statistic))
}
codes <- as.data.frame(lapply(full, function(x) as.integer(substr(x, 1, 1))))
out <- list(id = "fleiss-kappa", source = "Tests/Fixtures/r/fleiss-kappa.R",
            versions = list(R = paste(R.version$major, R.version$minor, sep = "."), irr = "0.84.1"),
            results = list(
              all6 = one(d),
              all6_with_missing = one(full),
              raters123 = one(d[, 1:3]),
              raters456_numeric = one(codes[1:30, 4:6]),
              first6_raters156 = one(d[1:6, c(1, 5, 6)])))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "Tests/Fixtures/fleiss-kappa.json")
