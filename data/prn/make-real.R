# Exports the real study-level data used by the PRN summaries from the R package metadat.
# Run with: Rscript data/prn/make-real.R   (R 4.2.2, metadat from Debian's r-cran-metadat)
library(metadat)
m <- dat.molloy2014
molloy <- data.frame(summary_id = "molloy2014", study = paste(m$authors, m$year),
                     yi = atanh(m$ri), vi = 1 / (m$ni - 3), subgroup = m$design)
# CBT arms only (face-to-face, multimedia, hybrid): standardized mean change, subgroup = delivery.
l <- dat.lopez2019[dat.lopez2019$treatment %in% c("F2F CBT", "Multimedia CBT", "Hybrid CBT"), ]
lopez <- data.frame(summary_id = "lopez2019", study = paste0(l$study, " (", l$treatment, ")"),
                    yi = l$diff, vi = l$se^2,
                    subgroup = c("F2F CBT" = "face to face", "Multimedia CBT" = "multimedia", "Hybrid CBT" = "hybrid")[l$treatment])
real <- rbind(molloy, lopez)
write.csv(real, file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(), value = TRUE))), "effects_real.csv"),
          row.names = FALSE, na = "")
