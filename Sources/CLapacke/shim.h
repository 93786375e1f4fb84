// No stable API: LAPACKE + CBLAS, for BordinStats/LinearAlgebra.swift only.
//
// Bordin does not link LAPACKE or OpenBLAS: loading them (and OpenBLAS's thread pool) costs
// about 8 ms of every process's start-up, and most commands never multiply a matrix. The headers
// give the types; LinearAlgebra.swift opens the libraries with dlopen on the first call and looks
// up each routine below. The function pointer types are taken from the headers' own
// declarations (__typeof__), so a signature cannot drift from the library's.
#include <lapacke.h>
#include <cblas.h>
typedef lapack_int bordin_lapack_int;

typedef __typeof__(LAPACKE_dgeqrf) *bordin_dgeqrf_fn;
typedef __typeof__(LAPACKE_dormqr) *bordin_dormqr_fn;
typedef __typeof__(LAPACKE_dtrtrs) *bordin_dtrtrs_fn;
typedef __typeof__(LAPACKE_dpotrf) *bordin_dpotrf_fn;
typedef __typeof__(LAPACKE_dpotri) *bordin_dpotri_fn;
typedef __typeof__(LAPACKE_dsyevr) *bordin_dsyevr_fn;
typedef __typeof__(LAPACKE_dpotrf_work) *bordin_dpotrf_work_fn;
typedef __typeof__(LAPACKE_dgetrf) *bordin_dgetrf_fn;
typedef __typeof__(LAPACKE_dgetri) *bordin_dgetri_fn;
typedef __typeof__(cblas_dtrsm) *bordin_dtrsm_fn;
typedef __typeof__(cblas_dsyrk) *bordin_dsyrk_fn;
typedef __typeof__(cblas_dgemm) *bordin_dgemm_fn;
typedef __typeof__(cblas_dgemv) *bordin_dgemv_fn;
typedef __typeof__(cblas_dtrsv) *bordin_dtrsv_fn;
typedef void (*bordin_set_num_threads_fn)(int);
