# R 4.2.2 (+ MASS 7.3) calls behind Tests/Fixtures/glm-references.json, crosstab-references.json and
# change-references.json (GLM*Tests, CrossTab*Tests, ReliableChange*Tests, GLMDirectiveTests, …).
# Run from the package root:
#   Rscript Tests/Fixtures/r/glm-crosstab-change.R
# It also writes the real datasets it uses to Tests/Fixtures/data/ (mtcars, birthwt, warpbreaks,
# infert, dobson), so the Swift tests read exactly the rows R fitted.
suppressMessages({ library(jsonlite); library(MASS) })
num <- function(x) unname(as.numeric(x))
dir <- "Tests/Fixtures"

# ---------------------------------------------------------------------------------------------
# Datasets
mt <- mtcars[, c("mpg", "am", "wt", "hp", "cyl")]
mt$car <- rownames(mtcars)
write.csv(mt, file.path(dir, "data/mtcars.csv"), row.names = FALSE)
bw <- birthwt
bw$race <- c("white", "black", "other")[bw$race]          # character: levels sorted black, other, white
write.csv(bw, file.path(dir, "data/birthwt.csv"), row.names = FALSE)
wb <- data.frame(breaks = warpbreaks$breaks, wool = as.character(warpbreaks$wool),
                 tension = as.character(warpbreaks$tension))   # levels sorted H, L, M
write.csv(wb, file.path(dir, "data/warpbreaks.csv"), row.names = FALSE)
# Dobson (1990) p. 93, from ?glm: a randomized controlled trial.
dob <- data.frame(counts = c(18, 17, 15, 20, 10, 20, 25, 13, 12),
                  outcome = as.character(gl(3, 1, 9)), treatment = as.character(gl(3, 3)))
write.csv(dob, file.path(dir, "data/dobson.csv"), row.names = FALSE)
inf <- data.frame(education = as.character(infert$education), case = infert$case,
                  induced = infert$induced, spontaneous = infert$spontaneous, age = infert$age)
write.csv(inf, file.path(dir, "data/infert.csv"), row.names = FALSE)

prac <- read.csv("data/prac/wide.csv")
prac$dropout <- as.numeric(prac$last_month < 8)
cp <- read.csv("data/coping-power/children.csv")
cp$clinical_post <- as.numeric(cp$ext_post >= 65)
ses <- read.csv("data/sessions/sessions.csv")
ses <- ses[!duplicated(ses$patient), c("patient", "sex", "age", "personality", "sessions")]

# ---------------------------------------------------------------------------------------------
# glm: the default fit (R's stopping rule) and the optimum (epsilon 1e-15, maxit 100).
glmCase <- function(id, title, data, datafile, formula, family) {
  fam <- get(family)()
  m0 <- glm(as.formula(formula), family = fam, data = data)
  m <- glm(as.formula(formula), family = fam, data = data, control = glm.control(epsilon = 1e-15, maxit = 100))
  s <- summary(m)$coefficients
  ci <- confint.default(m)
  coef <- lapply(seq_len(nrow(s)), function(j) list(
    term = rownames(s)[j], estimate = s[j, 1], se = s[j, 2], z = s[j, 3], p = s[j, 4],
    ci_lb = ci[j, 1], ci_ub = ci[j, 2], exp_estimate = exp(s[j, 1]), exp_ci_lb = exp(ci[j, 1]),
    exp_ci_ub = exp(ci[j, 2])))
  list(id = id, title = title, data = datafile, formula = formula, family = family,
       source = sprintf("glm(%s, %s, data); control = glm.control(epsilon = 1e-15, maxit = 100); confint.default", formula, family),
       results = list(coef = coef, deviance = deviance(m), null_deviance = m$null.deviance,
                      df_residual = m$df.residual, df_null = m$df.null, AIC = AIC(m),
                      logLik = num(logLik(m)), n = nobs(m), rows_dropped = length(m$na.action),
                      converged = m$converged, iter = m$iter),
       default = list(deviance = deviance(m0), iter = m0$iter,
                      estimate = num(coef(m0)), se = num(summary(m0)$coefficients[, 2])))
}
glms <- list(
  glmCase("mtcars-am", "mtcars: transmission ~ weight + horsepower (logistic)", mt, "data/mtcars.csv", "am ~ wt + hp", "binomial"),
  glmCase("dobson", "Dobson (1990): counts ~ outcome + treatment (Poisson)", dob, "data/dobson.csv", "counts ~ outcome + treatment", "poisson"),
  glmCase("birthwt", "Hosmer & Lemeshow birthwt: low birth weight (logistic, factor race)", bw, "data/birthwt.csv",
          "low ~ age + lwt + race + smoke + ptl + ht + ui", "binomial"),
  glmCase("warpbreaks", "warpbreaks: breaks ~ wool * tension (Poisson, interaction)", wb, "data/warpbreaks.csv", "breaks ~ wool * tension", "poisson"),
  glmCase("prac-dropout", "PRAC simulation: dropout before 8 months ~ 4-month child alliance", prac, "../../data/prac/wide.csv",
          "dropout ~ tasc_child_4", "binomial"),
  glmCase("prac-dropout-full", "PRAC simulation: dropout ~ child and caregiver alliance + sex + anxiety", prac, "../../data/prac/wide.csv",
          "dropout ~ tasc_child_4 + tasc_caregiver_4 + sex + anxiety", "binomial"),
  glmCase("coping-clinical", "Coping Power simulation: clinical externalizing after (T >= 65) ~ format + before + bond", cp,
          "../../data/coping-power/children.csv", "clinical_post ~ format + ext_pre + bond_child_mid", "binomial"),
  glmCase("sessions-count", "Sessions simulation: sessions attended ~ personality problems + age (Poisson)", ses,
          "../../data/sessions/sessions.csv", "sessions ~ personality + age", "poisson"),
  glmCase("mtcars-noint", "mtcars: am ~ 0 + wt (no intercept; null deviance about mu = 1/2)", mt, "data/mtcars.csv", "am ~ 0 + wt", "binomial")
)
# Separation (reference-algorithms-2.md): R warns "fitted probabilities numerically 0 or 1".
sep <- suppressWarnings(glm(y ~ x, binomial, data.frame(x = 1:8, y = c(0, 0, 0, 0, 1, 1, 1, 1))))
qsep <- suppressWarnings(glm(y ~ x, binomial, data.frame(x = c(1, 2, 3, 4, 4, 5, 6, 7), y = c(0, 0, 0, 0, 1, 1, 1, 1))))
separation <- list(complete = list(deviance = deviance(sep), converged = sep$converged, iter = sep$iter, estimate = num(coef(sep))),
                   quasi = list(deviance = deviance(qsep), converged = qsep$converged, iter = qsep$iter, estimate = num(coef(qsep))))
writeLines(toJSON(list(id = "glm-references", source = "Tests/Fixtures/r/glm-crosstab-change.R",
                       versions = list(R = paste(R.version$major, R.version$minor, sep = "."), MASS = as.character(packageVersion("MASS"))),
                       cases = glms, separation = separation),
                  auto_unbox = TRUE, digits = I(17), pretty = TRUE, null = "null"),
           file.path(dir, "glm-references.json"))

# ---------------------------------------------------------------------------------------------
# crosstab: chisq.test (correct FALSE and TRUE), Cramér's V (unadjusted), fisher.test, sample OR + Woolf CI.
xtabCase <- function(id, title, x, y, datafile = NULL, xname = NULL, yname = NULL, exact = FALSE) {
  ok <- complete.cases(x, y)
  x <- x[ok]; y <- y[ok]
  tab <- table(x, y)
  c0 <- suppressWarnings(chisq.test(tab, correct = FALSE))
  c1 <- suppressWarnings(chisq.test(tab, correct = TRUE))
  n <- sum(tab)
  v <- sqrt(num(c0$statistic) / (n * (min(dim(tab)) - 1)))
  E <- c0$expected
  rp <- 100 * prop.table(tab, 1)
  cells <- list()
  for (i in seq_len(nrow(tab))) for (j in seq_len(ncol(tab)))
    cells[[length(cells) + 1]] <- list(x = rownames(tab)[i], y = colnames(tab)[j], n = tab[i, j], row_pct = rp[i, j], expected = E[i, j])
  out <- list(n = n, chisq = num(c0$statistic), df = num(c0$parameter), p = num(c0$p.value),
              chisq_yates = num(c1$statistic), p_yates = num(c1$p.value), cramers_v = v, cells = cells,
              x_levels = rownames(tab), y_levels = colnames(tab), min_expected = min(E),
              rows_dropped = sum(!ok))
  if (all(dim(tab) == 2)) {
    f <- fisher.test(tab)
    or <- (tab[1, 1] * tab[2, 2]) / (tab[1, 2] * tab[2, 1])
    se <- sqrt(sum(1 / tab))
    out$fisher_p <- f$p.value
    out$fisher_estimate <- num(f$estimate)
    out$odds_ratio <- or
    out$odds_ratio_ci_lb <- exp(log(or) - qnorm(0.975) * se)
    out$odds_ratio_ci_ub <- exp(log(or) + qnorm(0.975) * se)
  } else if (exact) {
    out$fisher_p <- fisher.test(tab, workspace = 2e7)$p.value   # more than the default 2e5: FEXACT error 7 otherwise
  }
  list(id = id, title = title, data = datafile, x = xname, y = yname, results = out)
}
fromCounts <- function(counts, nr, rl, cl) {
  m <- matrix(counts, nr, byrow = TRUE, dimnames = list(rl, cl))
  d <- as.data.frame(as.table(m), stringsAsFactors = FALSE)
  list(x = rep(d$Var1, d$Freq), y = rep(d$Var2, d$Freq), counts = counts)
}
cc <- function(id, title, counts, nr, rl, cl, exact = FALSE) {
  d <- fromCounts(counts, nr, rl, cl)
  r <- xtabCase(id, title, d$x, d$y, exact = exact)
  r$counts <- counts; r$rows <- nr; r$x_levels <- rl; r$y_levels <- cl
  r
}
hair <- apply(HairEyeColor, c(1, 2), sum)
xtabs <- list(
  cc("agresti-2x2", "2 x 2 example of reference-algorithms-2.md (matrix(c(12,5,7,15),2))", c(12, 7, 5, 15), 2, c("a1", "a2"), c("b1", "b2")),
  cc("yates-zero", "Yates correction larger than |O - E| (chisq 0)", c(10, 10, 10, 11), 2, c("a", "b"), c("c", "d")),
  cc("tea-tasting", "Fisher's tea-tasting experiment (Agresti 1990, p. 61)", c(3, 1, 1, 3), 2, c("milk", "tea"), c("milk", "tea")),
  cc("fexact-3x3", "3 x 3 table of reference-algorithms-2.md (fisher.test network algorithm)", c(3, 2, 0, 1, 4, 2, 0, 1, 5), 3,
     c("r1", "r2", "r3"), c("c1", "c2", "c3"), exact = TRUE),
  cc("fexact-4x4", "4 x 4 table, n = 32 (fisher.test network algorithm)", c(5, 1, 0, 2, 1, 4, 2, 0, 0, 2, 5, 1, 2, 0, 1, 6), 4,
     c("r1", "r2", "r3", "r4"), c("c1", "c2", "c3", "c4"), exact = TRUE),
  cc("fexact-3x5", "3 x 5 table, n = 75 (fisher.test network algorithm)", c(8, 3, 5, 2, 1, 2, 6, 4, 7, 3, 1, 2, 6, 9, 16), 3,
     c("low", "mid", "high"), c("a", "b", "c", "d", "e"), exact = TRUE),
  cc("hair-eye", "Snee (1974) hair and eye colour of 592 students (HairEyeColor summed over sex)", as.vector(t(hair)), 4,
     rownames(hair), colnames(hair)),
  cc("job-satisfaction", "Agresti (2007) Table 2.8-style 2 x 4 with small cells (exact: true)", c(1, 2, 1, 0, 3, 3, 6, 1), 2,
     c("female", "male"), c("a-dissat", "b-little", "c-moderate", "d-very"), exact = TRUE),
  xtabCase("infert-education", "infert: education x case (3 x 2, exact: true)", inf$education, as.character(inf$case),
           "data/infert.csv", "education", "case", exact = TRUE),
  xtabCase("prac-sex-dropout", "PRAC simulation: sex x dropout before 8 months", prac$sex, as.character(prac$dropout),
           "../../data/prac/wide.csv", "sex", "dropout"),
  xtabCase("prac-ethnicity-dropout", "PRAC simulation: caregiver ethnicity x dropout", prac$ethnicity, as.character(prac$dropout),
           "../../data/prac/wide.csv", "ethnicity", "dropout"),
  xtabCase("coping-format-clinical", "Coping Power simulation: format x clinical externalizing after (missing post dropped)",
           cp$format, as.character(cp$clinical_post), "../../data/coping-power/children.csv", "format", "clinical_post")
)
writeLines(toJSON(list(id = "crosstab-references", source = "Tests/Fixtures/r/glm-crosstab-change.R",
                       versions = list(R = paste(R.version$major, R.version$minor, sep = ".")), cases = xtabs),
                  auto_unbox = TRUE, digits = I(17), pretty = TRUE, null = "null"),
           file.path(dir, "crosstab-references.json"))

# ---------------------------------------------------------------------------------------------
# change: Jacobson & Truax (1991), the formulas of DESIGN.md §3 written out in R (no package has them).
jt <- function(pre, post, reliability, sd = NULL, norm_mean = NULL, norm_sd = NULL, lower = TRUE, by = NULL) {
  ok <- !is.na(pre) & !is.na(post)
  pre <- pre[ok]; post <- post[ok]; if (!is.null(by)) by <- by[ok]
  s1 <- if (is.null(sd)) stats::sd(pre) else sd
  m1 <- mean(pre)
  sdiff <- sqrt(2) * s1 * sqrt(1 - reliability)
  if (!is.null(norm_mean)) { cut <- (norm_sd * m1 + s1 * norm_mean) / (norm_sd + s1); type <- "c" }
  else { cut <- if (lower) m1 - 2 * s1 else m1 + 2 * s1; type <- "a" }
  rci <- (post - pre) / sdiff
  improved <- if (lower) rci < -1.96 else rci > 1.96
  worse <- if (lower) rci > 1.96 else rci < -1.96
  functional <- if (lower) post < cut else post > cut
  cat <- ifelse(improved & functional, "recovered", ifelse(improved, "improved", ifelse(worse, "deteriorated", "unchanged")))
  levels <- c("recovered", "improved", "unchanged", "deteriorated")
  tabulate <- function(cat, group = NULL) lapply(levels, function(l) {
    e <- list(category = l, n = sum(cat == l), pct = 100 * mean(cat == l)); if (!is.null(group)) e <- c(list(group = group), e); e })
  cats <- if (is.null(by)) tabulate(cat) else do.call(c, lapply(sort(unique(by)), function(g) tabulate(cat[by == g], g)))
  list(n = length(pre), rows_dropped = sum(!ok), sd = s1, mean_pre = m1, sdiff = sdiff, rci_threshold = 1.96,
       cutoff = cut, cutoff_type = type, categories = cats, rci = rci)
}
changes <- list(
  list(id = "coping-ext-c", title = "Coping Power simulation: externalizing T before/after, reliability .90, norms M 50 SD 10 (cutoff c), by format",
       data = "../../data/coping-power/children.csv", pre = "ext_pre", post = "ext_post", reliability = 0.9, norm_mean = 50, norm_sd = 10, by = "format",
       results = jt(cp$ext_pre, cp$ext_post, 0.9, norm_mean = 50, norm_sd = 10, by = cp$format)),
  list(id = "coping-ext-a", title = "Coping Power simulation: externalizing, reliability .85, no norms (cutoff a)",
       data = "../../data/coping-power/children.csv", pre = "ext_pre", post = "ext_post", reliability = 0.85,
       results = jt(cp$ext_pre, cp$ext_post, 0.85)),
  list(id = "prac-parenting-higher", title = "PRAC simulation: positive parenting at 4 and 12 months, higher is better, reliability .8, sd 4 given",
       data = "../../data/prac/wide.csv", pre = "parenting_4", post = "parenting_12", reliability = 0.8, sd = 4, lower_is_better = FALSE,
       results = jt(prac$parenting_4, prac$parenting_12, 0.8, sd = 4, lower = FALSE)),
  list(id = "prac-symptoms-c", title = "PRAC simulation: symptoms at 4 and 12 months, reliability .88, norms M 50 SD 10",
       data = "../../data/prac/wide.csv", pre = "symptoms_4", post = "symptoms_12", reliability = 0.88, norm_mean = 50, norm_sd = 10,
       results = jt(prac$symptoms_4, prac$symptoms_12, 0.88, norm_mean = 50, norm_sd = 10))
)
writeLines(toJSON(list(id = "change-references", source = "Tests/Fixtures/r/glm-crosstab-change.R",
                       versions = list(R = paste(R.version$major, R.version$minor, sep = ".")), cases = changes),
                  auto_unbox = TRUE, digits = I(17), pretty = TRUE, null = "null"),
           file.path(dir, "change-references.json"))
