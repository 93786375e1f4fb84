# R 4.2.2 + lavaan 0.6-14: the case bootstrap of a multigroup model (`se: bootstrap` with
# `group`): lavaan resamples the cases within each group (lav_bootstrap_internal), so every draw
# keeps the group sizes. Run from the package root:  Rscript Tests/Fixtures/r/sem-bootstrap-multigroup.R
# Writes Tests/Fixtures/sem-clpm-format-regressions-bootstrap.json, in the shape of
# sem-bootstrap.R's fixtures (per parameter row lavaan's estimate, bootstrap SE and percentile
# interval, and its group): the CLPM of child- and therapist-rated bond by format with equal
# regressions (FIML, ML), 2000 draws. Bordin draws with its own generator, so its SEs agree with
# these only within Monte Carlo error.
suppressPackageStartupMessages(library(lavaan))
library(jsonlite)

num <- function(x) if (length(x) == 0 || is.na(x)) NULL else unname(x)
cp <- read.csv("Tests/Fixtures/data/coping-power-alliance.csv")
clpm.model <- paste(
  "bond_child_end ~ bond_child_mid + bond_therapist_mid",
  "bond_therapist_end ~ bond_therapist_mid + bond_child_mid",
  "bond_child_end ~~ bond_therapist_end", "bond_child_end ~~ bond_child_end",
  "bond_therapist_end ~~ bond_therapist_end", "bond_child_mid ~~ bond_therapist_mid",
  "bond_child_mid ~~ bond_child_mid", "bond_therapist_mid ~~ bond_therapist_mid", sep = "\n")
B <- 2000L
seed <- 2101L
set.seed(seed)
call <- bquote(sem(.(clpm.model), data = cp, missing = "ml", fixed.x = FALSE, group = "format",
                   group.equal = "regressions", se = "bootstrap", bootstrap = .(B)))
t0 <- proc.time()[["elapsed"]]
fit <- eval(call)
secs <- proc.time()[["elapsed"]] - t0
pe <- parameterEstimates(fit, boot.ci.type = "perc", remove.eq = TRUE, remove.ineq = TRUE, remove.def = FALSE)
failed <- length(attr(lavInspect(fit, "boot"), "error.idx"))
labels <- lavInspect(fit, "group.label")
rows <- lapply(seq_len(nrow(pe)), function(i) list(
  lhs = pe$lhs[i], op = pe$op[i], rhs = pe$rhs[i], group = labels[pe$group[i]], est = pe$est[i],
  se = num(pe$se[i]), ci_lb = pe$ci.lower[i], ci_ub = pe$ci.upper[i]))
out <- list(id = "sem-clpm-format-regressions-bootstrap",
            title = "CLPM of child- and therapist-rated bond by format, equal regressions, ML, FIML, case bootstrap within groups",
            data = "data/coping-power-alliance.csv",
            spec = list(model = I(strsplit(clpm.model, "\n")[[1]]), call = deparse(call, width.cutoff = 500),
                        group = "format", group_equal = I("regressions"), bootstrap = B, seed = seed),
            source = "Tests/Fixtures/r/sem-bootstrap-multigroup.R (R's RNG: Bordin agrees only within Monte Carlo error)",
            versions = list(R = paste(R.version$major, R.version$minor, sep = "."),
                            lavaan = as.character(packageVersion("lavaan"))),
            r_seconds = secs,
            results = list(parameters = rows, draws = B, kept = B - failed, failed = failed, n = lavInspect(fit, "ntotal")))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"),
           "Tests/Fixtures/sem-clpm-format-regressions-bootstrap.json")
