# R calls behind Tests/Fixtures/compare-models.json (SleepstudyCompareTests, CompareDirectiveTests):
# likelihood-ratio and F comparisons of nested models, as anova(m0, m1).
# Run from the package root:
#   Rscript Tests/Fixtures/r/compare-models.R
# Reads the fixture datasets the Swift tests read (data/sleepstudy.csv, data/mtcars.csv).
suppressMessages({ library(jsonlite); library(lme4) })
num <- function(x) unname(as.numeric(x))
dir <- "Tests/Fixtures"
ss <- read.csv(file.path(dir, "data/sleepstudy.csv"))
ss$Subject <- as.character(ss$Subject)
mt <- read.csv(file.path(dir, "data/mtcars.csv"))

# anova.merMod refits REML fits with ML (refit = TRUE) and orders models by npar.
lmmPair <- function(f0, f1) {
  m0 <- lmer(f0, ss); m1 <- lmer(f1, ss)
  a <- suppressMessages(anova(m0, m1))
  list(formulas = c(deparse(f0), deparse(f1)), npar = num(a$npar), AIC = num(a$AIC), BIC = num(a$BIC),
       logLik = num(a$logLik), deviance = num(a$deviance), chisq = num(a$Chisq)[2], df = num(a$Df)[2],
       p = num(a[["Pr(>Chisq)"]])[2])
}
g0 <- glm(am ~ wt, binomial, mt); g1 <- glm(am ~ wt + hp, binomial, mt)
ga <- anova(g0, g1, test = "Chisq")
l0 <- lm(mpg ~ wt, mt); l1 <- lm(mpg ~ wt + hp, mt)
la <- anova(l0, l1)
out <- list(
  R = R.version.string, lme4 = as.character(packageVersion("lme4")),
  lmm_intercept_vs_slope = lmmPair(Reaction ~ Days + (1 | Subject), Reaction ~ Days + (Days | Subject)),
  lmm_fixed = lmmPair(Reaction ~ 1 + (Days | Subject), Reaction ~ Days + (Days | Subject)),
  glm = list(formulas = c("am ~ wt", "am ~ wt + hp"), df_residual = num(ga[["Resid. Df"]]), deviance = num(ga[["Resid. Dev"]]),
             df = num(ga$Df)[2], chisq = num(ga$Deviance)[2], p = num(ga[["Pr(>Chi)"]])[2],
             logLik = c(num(logLik(g0)), num(logLik(g1))), AIC = c(AIC(g0), AIC(g1)), BIC = c(BIC(g0), BIC(g1))),
  lm = list(formulas = c("mpg ~ wt", "mpg ~ wt + hp"), df_residual = num(la$Res.Df), rss = num(la$RSS),
            df = num(la$Df)[2], ss = num(la[["Sum of Sq"]])[2], F = num(la$F)[2], p = num(la[["Pr(>F)"]])[2],
            logLik = c(num(logLik(l0)), num(logLik(l1))), AIC = c(AIC(l0), AIC(l1)), BIC = c(BIC(l0), BIC(l1)))
)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), file.path(dir, "compare-models.json"))
