# lavaan 0.6-14 references for the `compare` directive on `sem`/`clpm` fits and for the multigroup
# cross-lagged panel model (`clpm` with `group`), FIML, ML and MLR.
# Run from the package root:  Rscript Tests/Fixtures/r/sem-compare.R
# Writes Tests/Fixtures/data/coping-power-alliance.csv (the four bond ratings and the format of
# data/coping-power/children.csv), Tests/Fixtures/sem-clpm-format-<free|regressions>-<ml|mlr>.json
# (the shape of sem-robust.R's cases) and Tests/Fixtures/sem-compare.json: lavTestLRT(free, equal)
# (ML) and lavTestLRT(free, equal, method = "satorra.bentler.2001") (MLR) for
#   hs_loadings:  HS CFA by school, configural vs equal loadings (data/hs1939-school-missing.csv);
#   clpm_format:  the CLPM of child- and therapist-rated bond (mid, end) by format, free vs equal
#                 regressions (data/coping-power-alliance.csv).
# The helpers (tight(), write_case(), lavaan's EM run to the maximum) are sem-robust.R's.
Sys.setenv(CASES = "-none-")
source("Tests/Fixtures/r/sem-robust.R")

kids <- read.csv("data/coping-power/children.csv")
cp <- kids[, c("child", "format", "bond_child_mid", "bond_child_end", "bond_therapist_mid", "bond_therapist_end")]
write.csv(cp, "Tests/Fixtures/data/coping-power-alliance.csv", row.names = FALSE, na = "")
cp <- read.csv("Tests/Fixtures/data/coping-power-alliance.csv")
# CrossLaggedPanel.syntax(x: "bond_child_", y: "bond_therapist_", waves: ["mid", "end"]), line by line.
clpm.model <- paste(
  "bond_child_end ~ bond_child_mid + bond_therapist_mid",
  "bond_therapist_end ~ bond_therapist_mid + bond_child_mid",
  "bond_child_end ~~ bond_therapist_end", "bond_child_end ~~ bond_child_end",
  "bond_therapist_end ~~ bond_therapist_end", "bond_child_mid ~~ bond_therapist_mid",
  "bond_child_mid ~~ bond_child_mid", "bond_therapist_mid ~~ bond_therapist_mid", sep = "\n")

hsg <- read.csv("Tests/Fixtures/data/hs1939-school-missing.csv")
lrt <- function(free, equal, est) {
  t <- if (est == "MLR") suppressWarnings(lavTestLRT(free, equal, method = "satorra.bentler.2001"))
       else suppressWarnings(lavTestLRT(free, equal))
  fr <- fitMeasures(free, c("chisq", "df", "npar", "aic", "bic", "logl", "ntotal"))
  eq <- fitMeasures(equal, c("chisq", "df", "npar", "aic", "bic", "logl", "ntotal"))
  out <- list(chisq_diff = t[2, "Chisq diff"], df_diff = t[2, "Df diff"], p = t[2, "Pr(>Chisq)"],
              unscaled_diff = eq[["chisq"]] - fr[["chisq"]],
              unscaled_p = pchisq(eq[["chisq"]] - fr[["chisq"]], eq[["df"]] - fr[["df"]], lower.tail = FALSE),
              free = as.list(fr), equal = as.list(eq))
  if (est == "MLR") {
    # lav_test_diff_SatorraBentler2001's scaling factor c_d (T.delta = (T0 - T1) / c_d).
    out$scaling <- lavaan:::lav_test_diff_SatorraBentler2001(free, equal)$scaling.factor
    out$free$scaling_factor <- num(fitMeasures(free, "chisq.scaling.factor"))
    out$equal$scaling_factor <- num(fitMeasures(equal, "chisq.scaling.factor"))
  }
  out
}
res <- list()
for (est in c("ML", "MLR")) {
  mk <- function(model, data, group, ge) bquote(sem(.(model), data = .(data), missing = "ml", fixed.x = FALSE,
                                                    group = .(group), group.equal = .(ge), estimator = .(est)))
  hs <- lapply(list(configural = "", loadings = "loadings"), function(ge)
    tight(mk(hs.model, quote(hsg), "school", ge), iterations = 30)$tight)
  res[[paste0("hs_loadings_", tolower(est))]] <- lrt(hs$configural, hs$loadings, est)
  cl <- list()
  for (eq in c("free", "regressions")) {
    ge <- if (eq == "free") "" else "regressions"
    call <- mk(clpm.model, quote(cp), "format", ge)
    fits <- tight(call, iterations = 30); cl[[eq]] <- fits$tight
    write_case(sprintf("sem-clpm-format-%s-%s", eq, tolower(est)),
               sprintf("CLPM of child- and therapist-rated bond by format, %s, %s, FIML", eq, est),
               "data/coping-power-alliance.csv", clpm.model, call, fits,
               options = list(group = "format", group_equal = I(ge), estimator = est),
               extra = list(group_labels = lavInspect(fits$tight, "group.label"),
                            chisq_group = unname(lavInspect(fits$tight, "test")[[1]]$stat.group)))
  }
  res[[paste0("clpm_format_", tolower(est))]] <- lrt(cl$free, cl$regressions, est)
}
writeLines(toJSON(list(id = "sem-compare", source = "Tests/Fixtures/r/sem-compare.R (lavTestLRT)",
                       versions = list(R = paste(R.version$major, R.version$minor, sep = "."),
                                       lavaan = as.character(packageVersion("lavaan"))),
                       results = res), auto_unbox = TRUE, digits = NA, pretty = TRUE),
           "Tests/Fixtures/sem-compare.json")
