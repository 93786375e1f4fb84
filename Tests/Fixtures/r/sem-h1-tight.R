# The saturated (h1) model of every FIML SEM reference at its maximum, not at lavaan's EM stopping
# point (lav_mvnorm_missing_h1_estimate_moments: no mean or covariance changes by more than 1e-5,
# at most 500 iterations), and the fit measures that depend on it. Run from the package root
# (R 4.2.2, lavaan 0.6-14):
#   Rscript Tests/Fixtures/r/sem-h1-tight.R
# It writes Tests/Fixtures/sem-h1-tight.json and prints each value's relative change.
#
# h1: lavaan's own EM run to tol 1e-14 (max.iter 1e6), then checked to be a stationary point of
# the saturated FIML log-likelihood (largest |gradient| printed). The model side is each
# fixture's polished optimum (sem-literals.R's tight(), evaluated by parsing that file for its
# function definitions): its log-likelihood and implied moments. The fit measures follow lavaan's
# formulas (as SEMFit.swift): chisq = 2(logl_h1 - logl), baseline_chisq = 2(logl_h1 - logl_b),
# CFI, TLI, RMSEA with lav_fit_rmsea_ci at uniroot tol .Machine$double.xmin, Bentler's SRMR of the
# h1 moments against the implied ones (with means). The same formulas evaluated at lavaan's own
# (default) h1 reproduce fitMeasures() (checked below, "check" lines).
suppressPackageStartupMessages(library(lavaan)); library(jsonlite)
defs <- parse("Tests/Fixtures/r/sem-literals.R")
for (e in defs) if (is.call(e) && identical(e[[1]], as.name("<-")) && is.name(e[[2]]) &&
                    as.character(e[[2]]) %in% c("polish", "tight", "num")) eval(e)

ll_fiml <- function(Y, Mu, Sigma) {  # the saturated FIML log-likelihood, by missing-data pattern
  obs <- !is.na(Y); key <- apply(obs, 1, function(r) paste(as.integer(r), collapse = ""))
  tot <- 0
  for (k in unique(key)) {
    rows <- which(key == k); o <- obs[rows[1], ]; if (!any(o)) next
    C <- chol(Sigma[o, o, drop = FALSE])
    Z <- forwardsolve(t(C), t(sweep(Y[rows, o, drop = FALSE], 2, Mu[o])))
    tot <- tot - 0.5 * (length(rows) * (sum(o) * log(2 * pi) + 2 * sum(log(diag(C)))) + sum(Z * Z))
  }
  tot
}
grad_fiml <- function(Y, Mu, Sigma) {  # d logL / d(mu, Sigma): its largest absolute entry
  P <- ncol(Y); gm <- numeric(P); gS <- matrix(0, P, P)
  obs <- !is.na(Y); key <- apply(obs, 1, function(r) paste(as.integer(r), collapse = ""))
  for (k in unique(key)) {
    rows <- which(key == k); o <- obs[rows[1], ]; if (!any(o)) next
    Si <- solve(Sigma[o, o, drop = FALSE]); D <- sweep(Y[rows, o, drop = FALSE], 2, Mu[o])
    gm[o] <- gm[o] + Si %*% colSums(D)
    gS[o, o] <- gS[o, o] + 0.5 * (Si %*% crossprod(D) %*% Si - length(rows) * Si)
  }
  max(abs(c(gm, gS)))
}
srmr <- function(S, M, Sigma, Mu) {  # Bentler, with the mean structure
  d <- sqrt(diag(S)); R <- (S - Sigma) / outer(d, d)
  sq <- c(R[lower.tri(R, diag = TRUE)], (M - Mu) / d)^2
  sqrt(mean(sq))
}
rmsea_ci <- function(X2, df, N, level = 0.90) {
  tol <- .Machine$double.xmin
  upper.perc <- 1 - (1 - level) / 2; lower.perc <- (1 - level) / 2
  lo.f <- function(l) pchisq(X2, df = df, ncp = l) - upper.perc
  up.f <- function(l) pchisq(X2, df = df, ncp = l) - lower.perc
  lo <- if (df < 1 || lo.f(0) < 0) 0 else sqrt(uniroot(lo.f, c(0, X2), tol = tol)$root / (N * df))
  NR <- max(N, X2 * 4)
  up <- if (df < 1 || up.f(NR) > 0 || up.f(0) < 0) 0 else sqrt(uniroot(up.f, c(0, NR), tol = tol)$root / (N * df))
  c(lo, up)
}
measures <- function(h1, mu, sigma, logl, logl.b, df, df.b, N, implied) {
  x2 <- 2 * (h1 - logl); x2b <- 2 * (h1 - logl.b)
  if (df == 0) x2 <- max(x2, 0)
  t1 <- max(x2 - df, 0); t2 <- max(x2 - df, x2b - df.b, 0)
  ci <- rmsea_ci(x2, df, N)
  list(logLik_h1 = h1, chisq = x2, p = if (df > 0) pchisq(x2, df, lower.tail = FALSE) else NA,
       cfi = if (t1 == 0 && t2 == 0) 1 else 1 - t1 / t2,
       tli = if (df > 0) 1 - ((x2 - df) * df.b) / ((x2b - df.b) * df) else NA,
       rmsea = if (df > 0) sqrt(max((x2 / N) / df - 1 / N, 0)) else 0, rmsea_ci_lb = ci[1], rmsea_ci_ub = ci[2],
       srmr = srmr(sigma, mu, implied$cov, implied$mean), baseline_chisq = x2b)
}

cases <- c("clpm-3wave-tight", "riclpm-4wave-tight", "sem-clpm-3wave-equal", "sem-clpm-demogrowth-fiml",
           "sem-hs1939-fiml", "sem-mediation-fiml", "sem-nonrecursive-fiml", "sem-regression-missing-x-fiml")
# The shared references clpm-3wave and riclpm-4wave are the same fits as their -tight twins.
twins <- c("clpm-3wave-tight" = "clpm-3wave", "riclpm-4wave-tight" = "riclpm-4wave")
out <- list()
for (id in cases) {
  j <- fromJSON(file.path("Tests/Fixtures", paste0(id, ".json")))
  dd <- read.csv(file.path("Tests/Fixtures", j$data))
  cl <- str2lang(j$spec$call); cl[[2]] <- paste(j$spec$model, collapse = "\n"); cl$data <- quote(dd)
  invisible(capture.output(fits <- tight(cl)))
  f1 <- fits$tight
  fm <- fitMeasures(f1, baseline.model = fits$baseline)
  Y <- lavInspect(f1, "data"); N <- nrow(Y)
  implied <- lavInspect(f1, "implied")
  logl <- fm[["logl"]]; h1.default <- fm[["unrestricted.logl"]]
  logl.b <- h1.default - fm[["baseline.chisq"]] / 2
  # check: the formulas at lavaan's own h1 give fitMeasures()
  m0 <- list(Mu = f1@h1$implied$mean[[1]], Sigma = f1@h1$implied$cov[[1]])
  chk <- measures(h1.default, m0$Mu, m0$Sigma, logl, logl.b, fm[["df"]], fm[["baseline.df"]], N, implied)
  lav <- c(chisq = "chisq", p = "pvalue", cfi = "cfi", tli = "tli", rmsea = "rmsea", srmr = "srmr")
  cat(sprintf("check %-32s %s\n", id, paste(sprintf("%s %.1e", names(lav),
      sapply(names(lav), function(k) abs(chk[[k]] - fm[[lav[[k]]]]) / abs(fm[[lav[[k]]]]))), collapse = " ")))
  # h1 at its maximum
  m <- lavaan:::lav_mvnorm_missing_h1_estimate_moments(Y, max.iter = 1e6L, tol = 1e-14)
  h1 <- ll_fiml(Y, m$Mu, m$Sigma)
  stopifnot(h1 >= ll_fiml(Y, m0$Mu, m0$Sigma) - 1e-9)
  res <- measures(h1, m$Mu, m$Sigma, logl, logl.b, fm[["df"]], fm[["baseline.df"]], N, implied)
  cat(sprintf("%-32s max|grad| %.1e (default h1: %.1e); max|moment change| %.1e\n", id,
      grad_fiml(Y, m$Mu, m$Sigma), grad_fiml(Y, m0$Mu, m0$Sigma), max(abs(c(m$Mu - m0$Mu, m$Sigma - m0$Sigma)))))
  for (k in names(res)) {
    o <- j$results$fit[[k]]
    if (is.null(o) || !is.numeric(o) || is.na(res[[k]])) next
    cat(sprintf("   %-15s old %.15g tight %.15g rel %.1e\n", k, o, res[[k]], if (o == 0) abs(res[[k]]) else abs(res[[k]] - o) / abs(o)))
  }
  block <- list(fit = c(res, list(logLik = logl)), h1_mean = m$Mu, h1_cov = m$Sigma)
  out[[id]] <- block
  if (!is.na(twins[id])) out[[twins[[id]]]] <- block
}
writeLines(toJSON(list(id = "sem-h1-tight", source = "Tests/Fixtures/r/sem-h1-tight.R",
                       versions = list(R = paste(R.version$major, R.version$minor, sep = "."),
                                       lavaan = as.character(packageVersion("lavaan"))),
                       results = out),
                  auto_unbox = TRUE, digits = I(17), pretty = TRUE, null = "null"),
           "Tests/Fixtures/sem-h1-tight.json")
