# R 4.2.2 + lavaan 0.6-14: the nonparametric (ordinary, case) bootstrap behind `se: bootstrap`
# (issue 21). Run from the package root:  Rscript Tests/Fixtures/r/sem-bootstrap.R
# Writes Tests/Fixtures/sem-<case>-bootstrap.json: per parameter row lavaan's estimate, bootstrap
# SE and percentile interval (parameterEstimates(boot.ci.type = "perc"): boot's norm.inter at
# (R + 1)·α), the number of draws requested, kept and failed.
# lavaan's SEs: free parameters sqrt(diag(cov(COEF) · (R − 1)/R)) (lav_model_nvcov_bootstrap,
# divisor R); defined (:=) parameters sd() of the draws' values (lav_model_vcov_se, divisor R − 1).
# Bordin draws with its own generator, so its SEs agree with these only within Monte Carlo error.
suppressPackageStartupMessages(library(lavaan))
library(jsonlite)

num <- function(x) if (length(x) == 0 || is.na(x)) NULL else unname(x)
write_case <- function(id, title, data, model, call, seed, B) {
  set.seed(seed)
  t0 <- proc.time()[["elapsed"]]
  fit <- eval(call)
  secs <- proc.time()[["elapsed"]] - t0
  pe <- parameterEstimates(fit, boot.ci.type = "perc", remove.eq = TRUE, remove.ineq = TRUE, remove.def = FALSE)
  coef <- lavInspect(fit, "boot")
  failed <- length(attr(coef, "error.idx"))
  rows <- lapply(seq_len(nrow(pe)), function(i) list(
    lhs = pe$lhs[i], op = pe$op[i], rhs = pe$rhs[i], label = pe$label[i], est = pe$est[i],
    se = num(pe$se[i]), ci_lb = pe$ci.lower[i], ci_ub = pe$ci.upper[i]))
  out <- list(id = id, title = title, data = data,
              spec = list(model = I(strsplit(model, "\n")[[1]]), call = deparse(call, width.cutoff = 500),
                          bootstrap = B, seed = seed),
              source = "Tests/Fixtures/r/sem-bootstrap.R (R's RNG: Bordin agrees only within Monte Carlo error)",
              versions = list(R = paste(R.version$major, R.version$minor, sep = "."),
                              lavaan = as.character(packageVersion("lavaan"))),
              r_seconds = secs,
              results = list(parameters = rows, draws = B, kept = B - failed, failed = failed, n = lavInspect(fit, "ntotal")))
  writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"),
             file.path("Tests/Fixtures", paste0(id, ".json")))
}

B <- 2000L
# 1. Mediation alliance1 -> symptoms2 -> alliance3 with ab := a*b (panel-3wave, FIML), the model
#    of sem-mediation-fiml.json without its prop/odd definitions.
p3 <- read.csv("Tests/Fixtures/data/panel-3wave.csv")
med.model <- "symptoms2 ~ a*alliance1\nalliance3 ~ b*symptoms2 + c*alliance1\nsymptoms3 ~ symptoms2\nab := a*b\ntotal := c + a*b"
write_case("sem-mediation-fiml-bootstrap", "Mediation with ab := a*b, FIML, 2000 case resamples",
           "data/panel-3wave.csv", med.model,
           quote(sem(med.model, data = p3, missing = "ml", fixed.x = FALSE, se = "bootstrap", bootstrap = B)), 21L, B)

# 2. Holzinger & Swineford (1939) three-factor CFA, complete data (lavaan's default listwise).
hs <- read.csv("Tests/Fixtures/data/hs1939.csv")
hs.model <- "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
write_case("sem-hs1939-complete-bootstrap", "Three-factor CFA, complete data, ML, 2000 case resamples",
           "data/hs1939.csv", hs.model,
           quote(sem(hs.model, data = hs, fixed.x = FALSE, se = "bootstrap", bootstrap = B)), 1939L, B)
