#ifndef IMGREC_CKERNELS_H
#define IMGREC_CKERNELS_H

#include <stddef.h>

/// Output columns in one panel of a packed weight.
#define CK_PANEL_WIDTH 16

/// The number of floats a packed copy of an `[n, k]` weight takes (`n` rounded up to whole panels).
size_t ck_packed_count(size_t n, size_t k);

/// Allocates room for `count` floats aligned for vector loads; NULL when out of memory. Free with `ck_free`.
float *ck_allocate(size_t count);

/// Frees memory from `ck_allocate`.
void ck_free(float *pointer);

/// Copies a row-major `[n, k]` weight (PyTorch's `[out, in]` linear layout) into panels of `CK_PANEL_WIDTH`
/// output columns: panel `p` holds, for each input `i`, the weights of outputs `p * 16 ..< p * 16 + 16` side by
/// side, so a product reads every panel once, front to back. Columns past `n` are zero.
void ck_pack_weight(const float *weight, size_t n, size_t k, float *packed);

/// The code paths a product can take. `CK_KERNEL_AUTOMATIC` picks the widest one the processor supports.
typedef enum {
    CK_KERNEL_AUTOMATIC = 0,
    CK_KERNEL_PORTABLE = 1,
    CK_KERNEL_AVX2 = 2,
    CK_KERNEL_AVX512 = 3,
} CKKernel;

/// Whether this processor (and this build) can run `kernel`.
int ck_kernel_available(CKKernel kernel);

/// Computes `C = A * Wᵀ + bias` for a few rows of `A` (`m x k`, row stride `lda`) and a weight packed by
/// `ck_pack_weight`; `C` is `m x n` with row stride `ldc`; `bias` has `n` values or is NULL.
///
/// With `threads` of 2 or more the panels are shared with one persistent worker thread while no other call
/// holds it; otherwise the calling thread does all the work. An unavailable `kernel` falls back to the automatic
/// choice.
void ck_linear_packed(
    size_t m, size_t n, size_t k, const float *a, size_t lda, const float *packed, const float *bias,
    float *c, size_t ldc, int threads, CKKernel kernel);

#endif
