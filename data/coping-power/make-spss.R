# data/coping-power/children.sav: the simulated Coping Power children (children.csv) as an SPSS
# file with the labels a trial's data manager would give it, for reports/coping-power-spss.md.
# Run from the repository root: Rscript data/coping-power/make-spss.R   (R 4.2.2, haven 2.5.1)
# - variable labels on every column;
# - value labels: format 1 = individual, 2 = group; sex 1 = boy, 2 = girl; black 0 = no, 1 = yes;
# - the missing alliance ratings of children.csv are coded -99 ("not rated") and declared
#   user-missing, as SPSS files usually hold them.
# The values are those of children.csv (the test suite checks it). SPSS headers carry the time of
# writing, so a re-run changes the file's SHA-256 (data/README.md) but not its values.
suppressPackageStartupMessages(library(haven))
d <- read.csv("data/coping-power/children.csv", stringsAsFactors = FALSE)
rating <- function(x, label) labelled_spss(ifelse(is.na(x), -99, x), labels = c("not rated" = -99), na_values = -99, label = label)
who <- c(child = "Child", therapist = "Therapist")
when <- c(mid = "mid-treatment", end = "end of treatment")
out <- data.frame(
  child = labelled(d$child, label = "Child ID"),
  school = labelled(d$school, label = "School"),
  format = labelled(ifelse(d$format == "individual", 1, 2), labels = c(individual = 1, group = 2), label = "Treatment format"),
  sex = labelled(ifelse(d$sex == "boy", 1, 2), labels = c(boy = 1, girl = 2), label = "Sex"),
  age = labelled(d$age, label = "Age (years)"),
  black = labelled(d$black, labels = c(no = 0, yes = 1), label = "Black")
)
for (r in c("bond", "task")) for (w in names(who)) for (o in names(when)) {
  k <- paste(r, w, o, sep = "_")
  out[[k]] <- rating(d[[k]], sprintf("%s-rated %s, %s", who[[w]], if (r == "bond") "bond" else "task collaboration", when[[o]]))
}
out$ext_pre <- labelled(d$ext_pre, label = "Externalizing problems, before (BASC T)")
out$ext_post <- labelled(d$ext_post, label = "Externalizing problems, one year after (BASC T)")
out$int_pre <- labelled(d$int_pre, label = "Internalizing problems, before (BASC T)")
out$int_post <- labelled(d$int_post, label = "Internalizing problems, one year after (BASC T)")
out <- out[, names(d)]
write_sav(out, "data/coping-power/children.sav")
cat(sum(out$bond_child_end == -99), "ratings coded -99\n")
