# Root-finder references at the root, not at R's default uniroot tolerance
# (.Machine$double.eps^0.25 = 1.2e-4): the Paule-Mandel tau^2, the Q-profile CIs of tau^2 / I^2 / H^2
# (metafor 3.8-1) and lavaan's RMSEA CI (0.6-14), for every case the parity tests use.
# Run from the package root (R 4.2.2):
#   Rscript Tests/Fixtures/r/meta-roots-tight.R
# It writes Tests/Fixtures/roots-tight.json and prints, for every value, the relative change from
# the default-tolerance value in the fixture it overrides.
#
# Tolerance: tol = .Machine$double.xmin, i.e. R_zeroin2's own stopping test |c - b|/2 <= 2 eps |b|
# + tol/2 reduces to the bracket being at rounding (Bordin's RootFinder.tightTolerance, same
# iterates). metafor passes control$tol to uniroot for PM (rma.uni) and for the Q-profile bounds
# (confint.rma.uni); lavaan's lav_fit_rmsea_ci calls uniroot with its default tol and takes no
# tolerance argument, so its two equations are solved here as lav_fit_rmsea_ci states them.
suppressMessages({ library(metafor); library(jsonlite) })

TIGHT <- .Machine$double.xmin
# Fisher scoring to the optimum as in meta-extra.R; tol only for PM (control$tol is also
# rma.uni's ll0check threshold for ML/REML, which stays at its default).
ctl <- function(method) {
  c(list(threshold = 1e-12, maxiter = 10000), if (identical(method, "PM")) list(tol = TIGHT))
}
rma <- function(yi, vi, method = "REML", ...) {
  metafor::rma(yi, vi, method = method, ..., control = ctl(method))
}
num <- function(x) if (is.null(x) || length(x) == 0 || all(is.na(x))) NULL else unname(as.numeric(x))

# The Q-profile bounds of a fit (confint with the tight uniroot tolerance).
ci <- function(res) {
  cf <- suppressWarnings(confint(res, control = list(tol = TIGHT)))
  if (isTRUE(cf$ci.null)) return(list(tau2_ci_null = TRUE))
  list(tau2_ci_lb = num(cf$random[1, 2]), tau2_ci_ub = num(cf$random[1, 3]),
       I2_ci_lb = num(cf$random[3, 2]), I2_ci_ub = num(cf$random[3, 3]),
       H2_ci_lb = num(cf$random[4, 2]), H2_ci_ub = num(cf$random[4, 3]))
}
# Every field of DESIGN.md §3 that depends on the PM root (as meta-extra.R's uni()), plus its CI.
pm <- function(res) {
  out <- list(estimate = num(res$beta[1]), se = num(res$se[1]), p = num(res$pval[1]),
              ci_lb = num(res$ci.lb[1]), ci_ub = num(res$ci.ub[1]), tau2 = num(res$tau2),
              se_tau2 = num(res$se.tau2), I2 = num(res$I2), H2 = num(res$H2),
              logLik = num(logLik(res)))
  if (res$test == "z") out$z <- num(res$zval[1]) else out$t <- num(res$zval[1])
  if (res$int.only) {
    pr <- predict(res)
    out$pi_lb <- num(pr$pi.lb); out$pi_ub <- num(pr$pi.ub)
    if (!is.null(res$ni)) {  # Fisher z of r: the back-transformed fields of meta-molloy2014
      out$r <- num(transf.ztor(res$beta[1]))
      out$r_ci_lb <- num(transf.ztor(res$ci.lb[1])); out$r_ci_ub <- num(transf.ztor(res$ci.ub[1]))
      out$r_pi_lb <- num(transf.ztor(pr$pi.lb)); out$r_pi_ub <- num(transf.ztor(pr$pi.ub))
    }
  } else {
    out$coef <- as.list(setNames(num(res$beta), rownames(res$beta)))
    out$coef_se <- as.list(setNames(num(res$se), rownames(res$beta)))
    out$coef_p <- as.list(setNames(num(res$pval), rownames(res$beta)))
    out$coef_ci_lb <- as.list(setNames(num(res$ci.lb), rownames(res$beta)))
    out$coef_ci_ub <- as.list(setNames(num(res$ci.ub), rownames(res$beta)))
    out$QM <- num(res$QM); out$QM_p <- num(res$QMp); out$R2 <- num(res$R2)
  }
  c(out, ci(res))
}
fit <- function(res) if (res$method == "PM") pm(res) else ci(res)
random <- c("DL", "HE", "HS", "SJ", "PM", "EB", "ML", "REML")
allmethods <- function(yi, vi, ...) {
  out <- list()
  for (m in random) out[[m]] <- fit(suppressWarnings(rma(yi, vi, method = m, ...)))
  out
}

mol <- read.csv("Tests/Fixtures/data/meta-molloy2014.csv")
mol <- escalc("ZCOR", ri = ri, ni = ni, data = mol)
bcg <- read.csv("Tests/Fixtures/data/meta-bcg.csv")
nor <- read.csv("Tests/Fixtures/data/meta-normand1999.csv")
smd <- escalc("SMD", m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i, n2i = n2i, data = nor)

out <- list()
# meta-molloy2014.json: the nine methods (FE has no Q-profile CI).
out[["meta-molloy2014"]] <- allmethods(mol$yi, mol$vi, ni = mol$ni)
# meta-bcg.json: REML.
out[["meta-bcg"]] <- list(REML = fit(rma(bcg$yi, bcg$vi)))
# meta-extra.json (the cases of meta-extra.R with a Q-profile CI or a PM fit).
ex <- list()
ex$smd <- list(REML = fit(rma(smd$yi, smd$vi)))
ex$molloy_level90 <- fit(rma(mol$yi, mol$vi, level = 90))
ex$molloy_DL_knha <- fit(rma(mol$yi, mol$vi, method = "DL", test = "knha"))
ex$bcg_ablat <- allmethods(bcg$yi, bcg$vi, mods = ~ ablat, data = bcg)
ex$bcg_ablat_knha <- fit(rma(bcg$yi, bcg$vi, mods = ~ ablat, data = bcg, test = "knha"))
ex$bcg_ablat_year <- fit(rma(bcg$yi, bcg$vi, mods = ~ ablat + year, data = bcg))
ex$bcg_trimfill <- ci(trimfill(rma(bcg$yi, bcg$vi)))
sub <- list()
for (g in sort(unique(mol$design))) {
  sub[[g]] <- fit(rma(mol$yi, mol$vi, subset = mol$design == g))
}
ex$molloy_subgroups <- list(groups = sub)
h1 <- list(yi = c(0.10, 0.30, 0.12, 0.25, 0.05, 0.20), vi = c(0.01, 0.02, 0.015, 0.01, 0.03, 0.02))
h2 <- list(yi = c(0.10, 0.12, 0.11, 0.09, 0.105), vi = c(0.01, 0.02, 0.015, 0.01, 0.03))
k2 <- list(yi = c(0.2, 0.5), vi = c(0.01, 0.02))
ex$homogeneous <- list(fits = allmethods(h1$yi, h1$vi))
ex$homogeneous_empty_ci <- list(fits = allmethods(h2$yi, h2$vi))
ex$k2 <- list(fits = allmethods(k2$yi, k2$vi))
out[["meta-extra"]] <- ex

# lavaan's RMSEA CI (lav_fit_rmsea_ci, G = 1, c.hat = 1, level = 0.90) from each reference's own
# chisq, df and N, with uniroot at rounding.
rmsea_ci <- function(X2, df, N, level = 0.90) {
  upper.perc <- 1 - (1 - level) / 2; lower.perc <- (1 - level) / 2
  lower.lambda <- function(l) pchisq(X2, df = df, ncp = l) - upper.perc
  upper.lambda <- function(l) pchisq(X2, df = df, ncp = l) - lower.perc
  lo <- if (df < 1 || lower.lambda(0) < 0) 0 else
    sqrt(uniroot(lower.lambda, lower = 0, upper = X2, tol = TIGHT)$root / (N * df))
  N.RMSEA <- max(N, X2 * 4)
  up <- if (df < 1 || upper.lambda(N.RMSEA) > 0 || upper.lambda(0) < 0) 0 else
    sqrt(uniroot(upper.lambda, lower = 0, upper = N.RMSEA, tol = TIGHT)$root / (N * df))
  list(rmsea_ci_lb = lo, rmsea_ci_ub = up)
}
sem <- list()
files <- sort(c(Sys.glob("Tests/Fixtures/sem-*.json"), Sys.glob("Tests/Fixtures/clpm-*.json"),
                Sys.glob("Tests/Fixtures/riclpm-*.json")))
for (f in files) {
  ft <- fromJSON(f)$results$fit
  name <- sub("\\.json$", "", basename(f))
  sem[[name]] <- list(fit = c(list(chisq = ft$chisq, df = ft$df, n = ft$n),
                              rmsea_ci(ft$chisq, ft$df, ft$n)))
}
out$sem <- sem

# Old (default tolerance) vs tight, relative, for every value overridden.
old <- list("meta-molloy2014" = fromJSON("Tests/Fixtures/meta-molloy2014.json")$results,
            "meta-bcg" = fromJSON("Tests/Fixtures/meta-bcg.json")$results,
            "meta-extra" = fromJSON("Tests/Fixtures/meta-extra.json")$results)
for (name in names(sem)) old$sem[[name]] <- fromJSON(file.path("Tests/Fixtures", paste0(name, ".json")))$results
compare <- function(new, ref, path) {
  for (k in names(new)) {
    p <- paste(path, k, sep = "/")
    if (is.list(new[[k]])) { compare(new[[k]], ref[[k]], p); next }
    o <- ref[[k]]
    if (is.null(o) || !is.numeric(o) || !is.numeric(new[[k]])) next
    d <- if (o == 0) abs(new[[k]]) else abs(new[[k]] - o) / abs(o)
    if (d > 0) cat(sprintf("%-60s old %.17g tight %.17g rel %.2e\n", p, o, new[[k]], d))
  }
}
for (name in names(out)) compare(out[[name]], old[[name]], name)

writeLines(toJSON(list(id = "roots-tight", source = "Tests/Fixtures/r/meta-roots-tight.R",
                       versions = list(R = paste(R.version$major, R.version$minor, sep = "."),
                                       metafor = as.character(packageVersion("metafor")),
                                       lavaan = as.character(packageVersion("lavaan"))),
                       results = out),
                  auto_unbox = TRUE, digits = I(17), pretty = TRUE, null = "null"),
           "Tests/Fixtures/roots-tight.json")
