# R 4.2.2 calls behind the literal reference values in Tests/BordinStatsTests.
# Run from the package root: Rscript Tests/Fixtures/r/bordinstats-literals.R

# Part 1: which variables give shared/reference/basic-coping-power.json (BasicCopingPowerTests).
d <- read.csv("Tests/Fixtures/data/coping-power-sim.csv")
cc <- d[complete.cases(d),]
for (p in list(c("bond_child","bond_therapist"),c("ext_pre","ext_post"),c("bond_child","ext_post"),c("bond_therapist","ext_post"))) { x<-cor.test(cc[[p[1]]],cc[[p[2]]]); cat(p, x$estimate, x$statistic,"\n") }
print(cor.test(cc$bond_child, cc$bond_therapist, method="spearman"), digits=15)
print(t.test(cc$bond_child, cc$bond_therapist, paired=TRUE), digits=15)
print(sum(duplicated(cc$bond_child)))
print(lm(ext_post ~ ext_pre + bond_therapist + format, d))
for (v in c("bond_child","bond_therapist","ext_pre","ext_post")) print(t.test(as.formula(paste(v,"~format")), cc)$statistic)
# psych::partial.r equals the inverse-correlation-matrix formula:
pr <- function(D) { r <- cor(D[,c("bond_therapist","ext_post","ext_pre")]); ri <- solve(r); -ri[1,2]/sqrt(ri[1,1]*ri[2,2]) }
print(c(pr(cc), pr(d)), digits=15)
x <- t.test(bond_child ~ format, cc); print(c(x$statistic, x$parameter, x$p.value, x$conf.int), digits=15)
m <- lm(ext_post ~ ext_pre + bond_therapist + format, d); cat(sprintf("%.17g", confint(m)["bond_therapist",]), sep="\n")

# Part 2: formula terms and model-matrix column names (FormulaTests, ModelMatrixTests).
set.seed(1)
d <- data.frame(y=rnorm(12), a=rnorm(12), b=rnorm(12), c=rnorm(12), f=rep(c("u","v","w"),4), g=rep(c("p","q"),each=6), L=rep(c(TRUE,FALSE),6), stringsAsFactors=FALSE)
for (fs in c("y ~ (a+b)*(c+f)", "y ~ b:a + a", "y ~ a*b*c", "y ~ f*g", "y ~ f:g", "y ~ a:f", "y ~ f + g - 1", "y ~ 0 + a:f + g", "y ~ (a+b+c)^2", "y ~ a/b", "y ~ f/a", "y ~ L + a", "y ~ I(a*b) + I(a^2) + log(b+3) + I(-a)", "y ~ a + f:g", "y ~ g + f:g", "y ~ a - 1 + f", "y~a*f - a"))
{ f <- as.formula(fs); cat(fs, " => ", paste(attr(terms(f),"term.labels"), collapse=" | "), "\n    cols: ", paste(colnames(model.matrix(f, d)), collapse=" | "), "\n") }

# Part 3: distributions, lm, t.test, cor.test literals.
f <- function(...) cat(sprintf("%.17g", c(...)), sep="\n")
f(pt(-3.974, 12), qt(.975, 12), pf(11.027, 5, 15, lower.tail=FALSE), pchisq(152.233, 12, lower.tail=FALSE), qnorm(.975), pnorm(-1.5), qf(.95, 3, 20), qchisq(.95, 4), pt(2.5, 7, lower.tail=FALSE), pnorm(1,2,3), qnorm(0.1, 5, 2))
set.seed(1)
d <- data.frame(y=round(rnorm(12),3), a=round(rnorm(12),3), f=rep(c("u","v","w"),4), stringsAsFactors=FALSE)
cat("y:", paste(d$y, collapse=", "), "\na:", paste(d$a, collapse=", "), "\n")
m <- lm(y ~ a*f, d); s <- summary(m)
f(coef(m)); f(s$coefficients[,2]); f(s$r.squared, s$adj.r.squared, s$fstatistic, s$sigma)
m0 <- lm(y ~ a - 1, d); s0 <- summary(m0); f(coef(m0), s0$coefficients[,2], s0$r.squared, s0$adj.r.squared, s0$fstatistic, confint(m0))
p <- predict(m0, data.frame(a=0.7), se.fit=TRUE, interval="confidence", level=0.9); f(p$fit, p$se.fit)
x <- c(5.1, 4.9, 6.2, 5.8, 6.0, 5.5, 5.3, 6.4); y <- c(4.1, 5.0, 5.2, 6.3, 4.7, 5.9, 4.4, 5.6)
r <- t.test(x, mu=5); f(r$statistic, r$parameter, r$p.value, r$conf.int)
r <- t.test(x, y, var.equal=TRUE, conf.level=0.9); f(r$statistic, r$parameter, r$p.value, r$conf.int)
r <- t.test(x, y); f(r$statistic, r$parameter, r$p.value, r$conf.int)
r <- cor.test(x, y); f(r$estimate, r$statistic, r$p.value, r$conf.int)
f(median(x), sd(x), mean(x))

# Part 4: Spearman exact (n = 8) and Edgeworth (n = 20) p-values.
x <- c(1.2,3.4,2.2,5.1,4.4,0.3,7.7,6.1); y <- c(2.0,1.0,3.5,4.0,6.5,0.5,5.5,8.0)
print(cor.test(x, y, method = "spearman")$p.value, digits = 17)
set.seed(3); a <- rnorm(20); b <- a + rnorm(20)
z <- cor.test(a, b, method = "spearman"); print(c(z$estimate, z$statistic, z$p.value), digits = 17)

# Part 5: Kendall's tau_b with many ties (KendallMergeSortTests): the O(n log n) count against R.
i <- 1:200; x <- round(sin(i) * 5); y <- round(cos(i * 1.7) * 4)
t <- suppressWarnings(cor.test(x, y, method = "kendall"))
cat(sprintf("kendall ties: tau %.17g z %.17g p %.17g\n", t$estimate, t$statistic, t$p.value))
# -> tau -0.011634438017276144 z -0.22182519647841847 p 0.82444996410793947
