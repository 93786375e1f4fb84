// ReadStat (libreadstat-dev ships no pkg-config file): SPSS, Stata and SAS files,
// for BordinData/ReadStatReader.swift only.
#include <readstat.h>
