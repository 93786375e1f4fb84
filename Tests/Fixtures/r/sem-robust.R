# R 4.2.2 + lavaan 0.6-14 (+ psych for bfi) calls behind the fixtures of issue 21: start values
# (Big Five CFA), lavaan's modifier semantics and constraints, estimator = "MLR" with FIML,
# multigroup models with group.equal and the (scaled) chi-square difference test, and bootstrap.
# Run from the package root:  Rscript Tests/Fixtures/r/sem-robust.R
# Writes Tests/Fixtures/sem-<case>.json (the shape of sem-literals.R's fixtures, plus `robust`,
# `groups`, `lrt`, `bootstrap` blocks) and Tests/Fixtures/data/bfi25.csv.
suppressPackageStartupMessages({library(lavaan); library(psych)})
library(jsonlite)

num <- function(x) if (length(x) == 0 || is.na(x)) NULL else unname(x)
params <- function(fit) {
  pe <- parameterEstimates(fit, standardized = TRUE, remove.eq = TRUE, remove.ineq = TRUE, remove.def = FALSE)
  lapply(seq_len(nrow(pe)), function(i) list(
    lhs = pe$lhs[i], op = pe$op[i], rhs = pe$rhs[i], label = pe$label[i],
    group = if (is.null(pe$group)) 1L else pe$group[i],
    est = pe$est[i], se = num(pe$se[i]), z = num(pe$z[i]), p = num(pe$pvalue[i]),
    std_all = num(pe$std.all[i])))
}
fitm <- function(fit, baseline) {
  f <- fitMeasures(fit, baseline.model = baseline)
  list(chisq = f[["chisq"]], df = f[["df"]], p = f[["pvalue"]], cfi = f[["cfi"]], tli = f[["tli"]],
       rmsea = f[["rmsea"]], rmsea_ci_lb = f[["rmsea.ci.lower"]], rmsea_ci_ub = f[["rmsea.ci.upper"]],
       srmr = f[["srmr"]], logLik = f[["logl"]], logLik_h1 = f[["unrestricted.logl"]],
       aic = f[["aic"]], bic = f[["bic"]], n = f[["ntotal"]], npar = f[["npar"]],
       baseline_chisq = f[["baseline.chisq"]], baseline_df = f[["baseline.df"]])
}
robust <- function(fit, baseline) {
  f <- fitMeasures(fit, baseline.model = baseline)
  keys <- c("chisq.scaled", "df.scaled", "pvalue.scaled", "chisq.scaling.factor", "baseline.chisq.scaled",
            "baseline.pvalue.scaled", "baseline.chisq.scaling.factor", "cfi.scaled", "tli.scaled",
            "rmsea.scaled", "cfi.robust", "tli.robust", "rmsea.robust", "rmsea.ci.lower.robust",
            "rmsea.ci.upper.robust")
  out <- lapply(keys, function(k) num(f[[k]])); names(out) <- gsub(".", "_", keys, fixed = TRUE); out
}
# The optimum polished by Newton steps with lavaan's own gradient and observed Hessian, then
# re-evaluated at that point (optim.method = "none"), as in sem-literals.R.
polish <- function(fit, K = NULL, iterations = 6) {
  M <- fit@Model; x <- lavaan:::lav_model_get_parameters(M)
  if (is.null(K)) K <- if (M@eq.constraints) M@eq.constraints.K else diag(length(x))
  obj <- function(M) lavaan:::lav_model_objective(lavmodel = M, lavsamplestats = fit@SampleStats, lavdata = fit@Data, lavcache = fit@Cache)[1]
  # With several groups (missing = "ml"), lav_model_gradient is the gradient of the objective
  # sum_g (n_g/N) F_g with group g's entries multiplied by n_g/N once more (checked against
  # finite differences of lav_model_objective); lavaan's own optimum is therefore slightly off
  # the ML optimum when parameters are shared across groups. Undo the extra weight (rows of H too).
  ptf <- parTable(fit); grp <- ptf$group[ptf$free > 0][order(ptf$free[ptf$free > 0])]
  wx <- if (length(fit@SampleStats@nobs) > 1) (unlist(fit@SampleStats@nobs) / fit@SampleStats@ntotal)[grp] else rep(1, length(x))
  fx <- obj(M)
  for (i in seq_len(iterations)) {
    g <- lavaan:::lav_model_gradient(lavmodel = M, lavsamplestats = fit@SampleStats, lavdata = fit@Data, lavcache = fit@Cache)
    H <- lavaan:::lav_model_hessian(lavmodel = M, lavsamplestats = fit@SampleStats, lavdata = fit@Data, lavoptions = fit@Options, lavcache = fit@Cache)
    g <- g / wx; H <- H / wx; H <- (H + t(H)) / 2
    gr <- crossprod(K, g); Hr <- crossprod(K, H %*% K)
    step <- solve(Hr, gr); dec <- sum(gr * step)
    if (!is.finite(dec) || dec < 1e-24) break
    if (min(eigen(Hr, symmetric = TRUE, only.values = TRUE)$values) <= 0) break
    x1 <- x - as.numeric(K %*% step); M1 <- lavaan:::lav_model_set_parameters(M, x1); fx1 <- obj(M1)
    if (!is.finite(fx1) || fx1 > fx + 1e-14) break
    x <- x1; M <- M1; fx <- fx1
  }
  pt <- parTable(fit); pt$est[pt$free > 0] <- x; pt$start <- pt$est
  pt
}
tight <- function(call, iterations = 6) {
  f0 <- suppressWarnings(eval(call))
  pt <- polish(f0, iterations = iterations)
  call2 <- call; call2$start <- quote(pt); call2$optim.method <- "none"; call2$optim.force.converged <- TRUE
  f1 <- suppressWarnings(eval(call2))
  ok <- isTRUE(all.equal(parTable(f1)$free, parTable(f0)$free)) &&
        max(abs(parTable(f1)$est - pt$est)[pt$free > 0]) < 1e-10 &&
        fitMeasures(f1, "logl")[[1]] >= fitMeasures(f0, "logl")[[1]] - 1e-9
  list(default = f0, tight = if (ok) f1 else f0, polished = ok, baseline = lavaan:::lav_object_independence(f0))
}
write_case <- function(id, title, data, model, call, fits, extra = list(), options = list()) {
  fit <- fits$tight
  res <- list(parameters = params(fit), fit = fitm(fit, fits$baseline),
              converged = lavInspect(fits$default, "converged"),
              iterations = lavInspect(fits$default, "iterations"),
              default_logLik = fitMeasures(fits$default, "logl")[[1]])
  if (lavInspect(fit, "options")$test != "standard") res$robust <- robust(fit, fits$baseline)
  out <- list(id = id, title = title, data = data,
              spec = list(model = I(strsplit(model, "\n")[[1]]), call = deparse(call, width.cutoff = 500), options = options),
              source = if (fits$polished) "Tests/Fixtures/r/sem-robust.R (lavaan optimum polished by Newton steps, see polish())" else "Tests/Fixtures/r/sem-robust.R (lavaan defaults; polishing not possible)",
              polished = fits$polished,
              versions = list(R = paste(R.version$major, R.version$minor, sep = "."),
                              lavaan = as.character(packageVersion("lavaan"))),
              results = c(res, extra))
  writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"),
             file.path("Tests/Fixtures", paste0(id, ".json")))
  cat(id, "polished", fits$polished, "logLik", fitMeasures(fit, "logl")[[1]], "\n")
}
# Every h1 (saturated) quantity at the EM maximum, as Bordin computes it, not at lavaan's EM stop
# (no moment changing by more than 1e-5): lavaan's EM run to tol 1e-14 (cf. sem-h1-tight.R). This
# moves e.g. the MLR scaling factor by ~1e-6 relative.
em <- lavaan:::lav_mvnorm_missing_h1_estimate_moments
assignInNamespace("lav_mvnorm_missing_h1_estimate_moments", function(..., max.iter, tol) em(..., max.iter = 1e6L, tol = 1e-14), "lavaan")
only <- Sys.getenv("CASES", "all")
want <- function(k) only == "all" || grepl(k, only)

hsm <- read.csv("Tests/Fixtures/data/hs1939-missing.csv")
hs.model <- "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"

# 1. The Big Five CFA on psych::bfi (2800 cases, 25 items, 87 missing-data patterns), FIML:
#    A1, C4, C5, E1, E2, O2, O5 are reverse-keyed; A1 and E1 are markers.
if (want("bfi")) {
  bfi25 <- psych::bfi[, 1:25]
  write.csv(bfi25, "Tests/Fixtures/data/bfi25.csv", row.names = FALSE, na = "")
  bfi.model <- paste(c("A =~ A1 + A2 + A3 + A4 + A5", "C =~ C1 + C2 + C3 + C4 + C5", "E =~ E1 + E2 + E3 + E4 + E5",
                       "N =~ N1 + N2 + N3 + N4 + N5", "O =~ O1 + O2 + O3 + O4 + O5"), collapse = "\n")
  call <- quote(sem(bfi.model, data = bfi25, missing = "ml", fixed.x = FALSE))
  fits <- tight(call)
  pt <- parTable(fits$default)
  write_case("sem-bfi-five-factor-fiml", "Big Five CFA on psych::bfi (25 items, reverse-keyed markers), FIML",
             "data/bfi25.csv", bfi.model, call, fits,
             extra = list(start_loadings = pt$start[pt$op == "=~"]))
}

# 2. Modifiers as lavaan 0.6 reads them: 'NA*x1 + l1*x1' merges (free, labelled); 'NA*l4*x4' keeps
#    only the label (fixed at 1); equality and inequality constraints.
if (want("modifiers")) {
  m <- "visual =~ NA*x1 + l1*x1 + x2 + x3\ntextual =~ NA*l4*x4 + x5 + x6\nspeed =~ x7 + x8 + x9\nvisual ~~ 1*visual"
  call <- quote(sem(m, data = hsm, missing = "ml", fixed.x = FALSE))
  write_case("sem-hs1939-modifiers-fiml", "HS CFA: merged modifiers of a repeated element and a chained label, FIML",
             "data/hs1939-missing.csv", m, call, tight(call))
  m <- "visual =~ x1 + a*x2 + b*x3\ntextual =~ x4 + c*x5 + d*x6\nspeed =~ x7 + x8 + x9\na == b\nc == 2*d - 1"
  call <- quote(sem(m, data = hsm, missing = "ml", fixed.x = FALSE))
  write_case("sem-hs1939-equality-fiml", "HS CFA with linear equality constraints a == b, c == 2*d - 1, FIML",
             "data/hs1939-missing.csv", m, call, tight(call))
  # lavaan's nlminb.constr stops up to 4e-5 (relative) short of
  # the constrained optimum here, so the fixture is lavaan's fit polished by Newton steps on the
  # face of the active bound (K drops the column of a, which stays at 0.7), then evaluated by
  # lavaan at that point (optim.method = "none").
  m <- "visual =~ x1 + a*x2 + x3\ntextual =~ x4 + t5*x5 + t6*x6\nspeed =~ x7 + x8 + x9\na > 0.7\nt6 < t5"
  call <- quote(sem(m, data = hsm, missing = "ml", fixed.x = FALSE))
  f0 <- suppressWarnings(eval(call))
  ia <- which(parTable(f0)$label[parTable(f0)$free > 0] == "a")
  pt <- parTable(f0); xa <- pt$est[pt$free > 0]; xa[ia] <- 0.7; pt$est[pt$free > 0] <- xa; pt$start <- pt$est
  f0a <- suppressWarnings(sem(m, data = hsm, missing = "ml", fixed.x = FALSE, start = pt, optim.method = "none", optim.force.converged = TRUE))
  pt <- polish(f0a, K = diag(length(xa))[, -ia])
  f1 <- suppressWarnings(sem(m, data = hsm, missing = "ml", fixed.x = FALSE, start = pt, optim.method = "none", optim.force.converged = TRUE))
  stopifnot(abs(coef(f1)[["a"]] - 0.7) < 1e-14, fitMeasures(f1, "logl") >= fitMeasures(f0, "logl"))
  fits <- list(default = f0, tight = f1, polished = TRUE, baseline = lavaan:::lav_object_independence(f0))
  cat("inequality: lavaan default logLik", fitMeasures(f0, "logl"), "polished", fitMeasures(f1, "logl"), "\n")
  print(parameterEstimates(f1)[1:3, ])
  write_case("sem-hs1939-inequality-fiml", "HS CFA with an active bound a > 0.7 and an inactive t6 < t5, FIML",
             "data/hs1939-missing.csv", m, call, fits)
}

# 3. estimator = "MLR" with FIML (reference-algorithms-2.md §6).
if (want("mlr")) {
  call <- quote(sem(hs.model, data = hsm, missing = "ml", fixed.x = FALSE, estimator = "MLR"))
  write_case("sem-hs1939-mlr-fiml", "HS CFA, MAR missingness, MLR (Huber-White SEs, Yuan-Bentler scaled test), FIML",
             "data/hs1939-missing.csv", hs.model, call, tight(call), options = list(estimator = "MLR"))
  p3 <- read.csv("Tests/Fixtures/data/panel-3wave.csv")
  med.model <- "symptoms2 ~ a*alliance1\nalliance3 ~ b*symptoms2 + c*alliance1\nsymptoms3 ~ symptoms2\nab := a*b\ntotal := c + a*b"
  call <- quote(sem(med.model, data = p3, missing = "ml", fixed.x = FALSE, estimator = "MLR"))
  write_case("sem-mediation-mlr-fiml", "Mediation with ab := a*b, MLR, FIML",
             "data/panel-3wave.csv", med.model, call, tight(call), options = list(estimator = "MLR"))
}

# 4. Multigroup: HS by school (Pasteur 156, Grant-White 145), FIML; configural and metric, ML and
#    MLR, and lavTestLRT between them (Satorra-Bentler 2001 scaled difference under MLR).
if (want("group")) {
  hsg <- HolzingerSwineford1939[, c("id", "school", paste0("x", 1:9))]
  hsg$x1[hsg$id %% 5 == 0] <- NA; hsg$x5[hsg$id %% 7 == 0] <- NA; hsg$x9[hsg$id %% 4 == 1] <- NA
  write.csv(hsg, "Tests/Fixtures/data/hs1939-school-missing.csv", row.names = FALSE, na = "")
  for (est in c("ML", "MLR")) {
    fl <- list()
    for (eq in c("configural", "loadings", "intercepts")) {
      ge <- switch(eq, configural = "", loadings = "loadings", intercepts = c("loadings", "intercepts"))
      call <- bquote(sem(hs.model, data = hsg, missing = "ml", fixed.x = FALSE, group = "school",
                         group.equal = .(ge), estimator = .(est)))
      # Equality-constrained multigroup fits need more than 6 Newton steps to reach the optimum.
      fits <- tight(call, iterations = 30); fl[[eq]] <- fits$tight
      id <- sprintf("sem-hs1939-school-%s-%s", eq, tolower(est))
      write_case(id, sprintf("HS CFA by school, %s, %s, FIML", eq, est), "data/hs1939-school-missing.csv",
                 hs.model, call, fits, options = list(group = "school", group_equal = I(ge), estimator = est),
                 extra = list(group_labels = lavInspect(fits$tight, "group.label"),
                              chisq_group = unname(fitMeasures(fits$tight, "chisq") * 0 + lavInspect(fits$tight, "test")[[1]]$stat.group)))
    }
    lrt <- function(a, b) { t <- suppressWarnings(lavTestLRT(a, b)); list(chisq_diff = t[2, "Chisq diff"], df_diff = t[2, "Df diff"], p = t[2, "Pr(>Chisq)"]) }
    out <- list(configural_loadings = lrt(fl$configural, fl$loadings), loadings_intercepts = lrt(fl$loadings, fl$intercepts))
    writeLines(toJSON(list(id = paste0("sem-hs1939-school-lrt-", tolower(est)), source = "Tests/Fixtures/r/sem-robust.R (lavTestLRT)",
                           results = out), auto_unbox = TRUE, digits = NA, pretty = TRUE),
               file.path("Tests/Fixtures", paste0("sem-hs1939-school-lrt-", tolower(est), ".json")))
  }
}

# 5. Bootstrap: the mediation model, FIML, 2000 ordinary (case) resamples; SEs and percentile
#    intervals (boot's norm.inter) of every parameter and of ab := a*b.
if (want("boot")) {
  p3 <- read.csv("Tests/Fixtures/data/panel-3wave.csv")
  med.model <- "symptoms2 ~ a*alliance1\nalliance3 ~ b*symptoms2 + c*alliance1\nsymptoms3 ~ symptoms2\nab := a*b\ntotal := c + a*b"
  set.seed(21)
  fit <- sem(med.model, data = p3, missing = "ml", fixed.x = FALSE, se = "bootstrap", bootstrap = 2000)
  pe <- parameterEstimates(fit, boot.ci.type = "perc")
  boot <- lapply(seq_len(nrow(pe)), function(i) list(lhs = pe$lhs[i], op = pe$op[i], rhs = pe$rhs[i],
                 est = pe$est[i], se = num(pe$se[i]), ci_lb = pe$ci.lower[i], ci_ub = pe$ci.upper[i]))
  writeLines(toJSON(list(id = "sem-mediation-bootstrap", data = "data/panel-3wave.csv",
                         spec = list(model = I(strsplit(med.model, "\n")[[1]]), bootstrap = 2000, seed = 21),
                         source = "Tests/Fixtures/r/sem-robust.R (se = 'bootstrap', R's RNG: only within Monte Carlo error)",
                         results = list(parameters = boot, failed = length(attr(fit@boot$coef, "error.idx")))),
                    auto_unbox = TRUE, digits = NA, pretty = TRUE),
             "Tests/Fixtures/sem-mediation-bootstrap.json")
}
