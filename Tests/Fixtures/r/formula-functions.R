# R 4.2.2: lm() with factor(), poly() and their interactions, lm() and Poisson glm() with offset(), behind
# Tests/Fixtures/formula-functions.json (FormulaFunctionsTests). Run from the package root:
#   Rscript Tests/Fixtures/r/formula-functions.R
# It writes Tests/Fixtures/data/formula-functions.csv (deterministic) and the JSON.
suppressMessages(library(jsonlite))
set.seed(2020)
n <- 30
d <- data.frame(dose = rep(c(1, 2, 4, 10), length.out = n), x = round(runif(n, 0, 10), 2),
                g = sample(c("b", "a", "c"), n, replace = TRUE))
d$y <- round(1 + 0.3 * d$dose + 0.5 * d$x - 0.04 * d$x^2 + rnorm(n), 3)
d$y[7] <- NA   # dropped by lm after poly() was computed on every row, as R does
d$t <- round(runif(n, 0.5, 5), 2)                      # exposure (e.g. years observed)
d$count <- rpois(n, d$t * exp(-0.5 + 0.1 * d$dose))    # events: log rate linear in dose
write.csv(d, "Tests/Fixtures/data/formula-functions.csv", row.names = FALSE, na = "")
fit <- function(f) {
  m <- lm(f, data = d)
  list(formula = deparse(f), terms = names(coef(m)), coef = unname(coef(m)),
       se = unname(coef(summary(m))[, 2]), sigma = summary(m)$sigma, n = nobs(m))
}
res <- list(
  factor = fit(y ~ factor(dose)),
  poly = fit(y ~ poly(x, 2)),
  poly3_factor = fit(y ~ poly(x, 3) + factor(dose)),
  interaction = fit(y ~ factor(dose) * g),
  poly_g = fit(y ~ poly(x, 2):g),
  ordered = fit(y ~ ordered(dose) + x),
  ordered_g = fit(y ~ ordered(g) * x)
)
glmfit <- function(f, intercept = TRUE) {
  m <- glm(f, family = poisson, data = d, control = glm.control(epsilon = 1e-14, maxit = 100))
  list(formula = deparse(f), terms = names(coef(m)), coef = unname(coef(m)),
       se = unname(coef(summary(m))[, 2]), deviance = m$deviance, null_deviance = m$null.deviance,
       aic = m$aic, n = nobs(m))
}
res$lm_offset <- fit(y ~ x + offset(log(t)))
s <- summary(lm(y ~ x + offset(log(t)), data = d))
res$lm_offset_r2 <- s$r.squared
res$lm_offset_F <- unname(s$fstatistic[1])
res$glm_offset <- glmfit(count ~ dose + offset(log(t)))
res$glm_offset_factor <- glmfit(count ~ factor(dose) + offset(log(t)))
res$glm_offset_noint <- glmfit(count ~ 0 + factor(dose) + offset(log(t)))
P <- poly(d$x, 3)
res$poly_columns <- list(p1 = unname(P[, 1]), p2 = unname(P[, 2]), p3 = unname(P[, 3]))
writeLines(toJSON(list(id = "formula-functions", source = "Tests/Fixtures/r/formula-functions.R",
                       versions = list(R = paste(R.version$major, R.version$minor, sep = ".")),
                       results = res), auto_unbox = TRUE, digits = I(17), pretty = TRUE),
           "Tests/Fixtures/formula-functions.json")
