# R 4.2.2 + psych 2.2.9: cohen.kappa with text codes (factors / strings) and with numeric codes
# above 9, behind Tests/Fixtures/kappa-text-codes.json (KappaTextCodesTests). Run from the
# package root:  Rscript Tests/Fixtures/r/kappa-text-codes.R
# It writes Tests/Fixtures/data/kappa-text-codes.csv (deterministic) and the JSON.
suppressMessages({ library(psych); library(jsonlite) })
set.seed(20)
n <- 40
truth <- sample(1:4, n, replace = TRUE)
noisy <- function() pmin(4, pmax(1, truth + sample(c(-1, 0, 0, 0, 1), n, replace = TRUE)))
lab <- c("none", "mild", "moderate", "severe")  # sorted: mild, moderate, none, severe
d <- data.frame(a = lab[noisy()], b = lab[noisy()], c = lab[noisy()],
                na = noisy() * 3, nb = noisy() * 3, stringsAsFactors = FALSE)   # numeric 3, 6, 9, 12
d$b[5] <- NA
write.csv(d, "Tests/Fixtures/data/kappa-text-codes.csv", row.names = FALSE, na = "")
num <- function(x) unname(as.numeric(x))
one <- function(k) list(kappa = num(k$kappa), weighted_kappa = num(k$weighted.kappa),
                        var_kappa = num(k$var.kappa), var_weighted = num(k$var.weighted),
                        kappa_ci_lb = num(k$confid[1, 1]), kappa_ci_ub = num(k$confid[1, 3]),
                        weighted_kappa_ci_lb = num(k$confid[2, 1]), weighted_kappa_ci_ub = num(k$confid[2, 3]),
                        n = num(k$n.obs))
res <- list()
res$text_ab <- one(cohen.kappa(na.omit(d[, c("a", "b")])))
res$factor_ab <- one(cohen.kappa(na.omit(data.frame(a = factor(d$a), b = factor(d$b)))))
k3 <- cohen.kappa(d[, c("a", "b", "c")])
res$text_abc <- list(av_kappa = num(k3$av.kappa), av_weighted = num(k3$av.wt))
res$numeric_12 <- one(cohen.kappa(d[, c("na", "nb")]))
writeLines(toJSON(list(id = "kappa-text-codes", source = "Tests/Fixtures/r/kappa-text-codes.R",
                       versions = list(R = paste(R.version$major, R.version$minor, sep = "."),
                                       psych = as.character(packageVersion("psych"))),
                       results = res), auto_unbox = TRUE, digits = I(17), pretty = TRUE),
           "Tests/Fixtures/kappa-text-codes.json")
