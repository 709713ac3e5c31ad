#include "CKernels.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define CK_X86 1
#endif

enum { PANEL = CK_PANEL_WIDTH, TILE_ROWS = 6, WIDE_TILE_ROWS = 16, PANELS_PER_CLAIM = 2 };

#define HUGE_PAGE ((size_t)2 << 20)

typedef struct Product Product;
typedef void (*PanelKernel)(const Product *product, size_t panel);

/// One product, shared by the caller and the worker.
struct Product {
    size_t m, n, k, lda, ldc;
    const float *a, *packed, *bias;
    float *c;
    PanelKernel kernel;
};

size_t ck_packed_count(size_t n, size_t k) {
    return (n + PANEL - 1) / PANEL * PANEL * k;
}

float *ck_allocate(size_t count) {
    // Large weights go on 2 MB pages where the system allows it: a product streams through megabytes, and on
    // 4 KB pages it takes a TLB miss every 4 KB. The price is rounding such weights up to whole 2 MB pages.
    size_t bytes = (count > 0 ? count : 1) * sizeof(float);
    size_t alignment = bytes >= HUGE_PAGE ? HUGE_PAGE : 64;
    if (alignment == HUGE_PAGE) bytes = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    void *pointer = NULL;
    if (posix_memalign(&pointer, alignment, bytes) != 0) return NULL;
#if defined(MADV_HUGEPAGE)
    if (alignment == HUGE_PAGE) madvise(pointer, bytes, MADV_HUGEPAGE);
#endif
    return pointer;
}

void ck_free(float *pointer) {
    free(pointer);
}

void ck_pack_weight(const float *weight, size_t n, size_t k, float *packed) {
    size_t panels = (n + PANEL - 1) / PANEL;
    for (size_t panel = 0; panel < panels; panel++) {
        float *target = packed + panel * k * PANEL;
        for (size_t i = 0; i < k; i++) {
            for (size_t j = 0; j < PANEL; j++) {
                size_t column = panel * PANEL + j;
                target[i * PANEL + j] = column < n ? weight[column * k + i] : 0;
            }
        }
    }
}

/// The panel's bias, zero past `n`.
static void panel_bias(const Product *product, size_t panel, float *bias) {
    for (size_t j = 0; j < PANEL; j++) {
        size_t column = panel * PANEL + j;
        bias[j] = product->bias && column < product->n ? product->bias[column] : 0;
    }
}

/// Writes a tile's rows, dropping the columns past `n`.
static void store_rows(const Product *product, size_t panel, size_t row, size_t rows, const float *tile) {
    size_t first = panel * PANEL;
    size_t width = product->n - first < PANEL ? product->n - first : PANEL;
    for (size_t r = 0; r < rows; r++) {
        memcpy(product->c + (row + r) * product->ldc + first, tile + r * PANEL, width * sizeof(float));
    }
}

/// The first weight of a panel.
static inline const float *panel_weights(const Product *product, size_t panel) {
    return product->packed + panel * product->k * PANEL;
}

/// Points `x[r]` at row `row + r` of `A`.
static inline void row_pointers(const Product *product, size_t row, int rows, const float **x) {
    for (int r = 0; r < rows; r++) x[r] = product->a + (row + (size_t)r) * product->lda;
}

/// Computes `rows` rows of one panel starting at `row`; `first` marks the panel's first tile.
typedef void (*TileKernel)(const Product *product, size_t panel, size_t row, size_t rows, int first, const float *bias);

/// Computes one panel in tiles of at most `most` rows, sized as evenly as possible: a small last tile would
/// leave the multiply-add units waiting on latency.
static void panel_in_tiles(const Product *product, size_t panel, size_t most, TileKernel tile) {
    float bias[PANEL];
    panel_bias(product, panel, bias);
    size_t tiles = (product->m + most - 1) / most;
    size_t row = 0;
    for (size_t index = 0; index < tiles; index++) {
        size_t rows = product->m / tiles + (index < product->m % tiles ? 1 : 0);
        tile(product, panel, row, rows, index == 0, bias);
        row += rows;
    }
}

static void panel_portable(const Product *product, size_t panel) {
    float bias[PANEL];
    panel_bias(product, panel, bias);
    const float *weights = panel_weights(product, panel);
    for (size_t row = 0; row < product->m; row += 4) {
        size_t rows = product->m - row < 4 ? product->m - row : 4;
        float tile[4 * PANEL];
        for (size_t r = 0; r < rows; r++) memcpy(tile + r * PANEL, bias, sizeof bias);
        for (size_t i = 0; i < product->k; i++) {
            const float *w = weights + i * PANEL;
            for (size_t r = 0; r < rows; r++) {
                float x = product->a[(row + r) * product->lda + i];
                for (size_t j = 0; j < PANEL; j++) tile[r * PANEL + j] += x * w[j];
            }
        }
        store_rows(product, panel, row, rows, tile);
    }
}

#if CK_X86
#define CK_AVX2 __attribute__((target("avx2,fma")))
// Software prefetch runs this many 64-byte lines (one per step) ahead of the first pass over a panel.
#define PREFETCH_LINES 32
#if defined(__clang__)
#define CK_UNROLL _Pragma("unroll 4")
#else
#define CK_UNROLL _Pragma("GCC unroll 4")
#endif

/// `rows` (at most `TILE_ROWS`) rows of one panel: every weight vector loaded once, multiplied into each row.
CK_AVX2 static inline __attribute__((always_inline)) void tile_avx2(
    const Product *product, size_t panel, size_t row, const int rows, const float *bias, const int prefetch
) {
    const float *weights = panel_weights(product, panel);
    const float *next = weights + PREFETCH_LINES * PANEL;
    const float *x[TILE_ROWS];
    row_pointers(product, row, rows, x);
    size_t k = product->k;
    __m256 low[TILE_ROWS], high[TILE_ROWS];
    for (int r = 0; r < rows; r++) {
        low[r] = _mm256_loadu_ps(bias);
        high[r] = _mm256_loadu_ps(bias + 8);
    }
    CK_UNROLL
    for (size_t i = 0; i < k; i++) {
        __m256 w0 = _mm256_load_ps(weights + i * PANEL);
        __m256 w1 = _mm256_load_ps(weights + i * PANEL + 8);
        // The first tile pulls the panel in ahead of its loads; later tiles find it in cache.
        if (prefetch) _mm_prefetch((const char *)(next + i * PANEL), _MM_HINT_T0);
        for (int r = 0; r < rows; r++) {
            __m256 value = _mm256_broadcast_ss(x[r] + i);
            low[r] = _mm256_fmadd_ps(value, w0, low[r]);
            high[r] = _mm256_fmadd_ps(value, w1, high[r]);
        }
    }
    if ((panel + 1) * PANEL <= product->n) {
        for (int r = 0; r < rows; r++) {
            float *out = product->c + (row + r) * product->ldc + panel * PANEL;
            _mm256_storeu_ps(out, low[r]);
            _mm256_storeu_ps(out + 8, high[r]);
        }
    } else {
        float tile[TILE_ROWS * PANEL];
        for (int r = 0; r < rows; r++) {
            _mm256_storeu_ps(tile + r * PANEL, low[r]);
            _mm256_storeu_ps(tile + r * PANEL + 8, high[r]);
        }
        store_rows(product, panel, row, (size_t)rows, tile);
    }
}

// A switch case that calls `tile` with a constant row count, so each count gets its own loop with every
// accumulator in a register.
#define TILE_CASE(tile, rows, prefetch) \
    case rows: tile(product, panel, row, rows, bias, prefetch); break;
#define AVX2_CASES(prefetch) \
    TILE_CASE(tile_avx2, 1, prefetch) TILE_CASE(tile_avx2, 2, prefetch) TILE_CASE(tile_avx2, 3, prefetch) \
    TILE_CASE(tile_avx2, 4, prefetch) TILE_CASE(tile_avx2, 5, prefetch) \
    default: tile_avx2(product, panel, row, TILE_ROWS, bias, prefetch); break;

CK_AVX2 static void tiles_avx2(
    const Product *product, size_t panel, size_t row, size_t rows, int first, const float *bias
) {
    if (first) {
        switch (rows) { AVX2_CASES(1) }
    } else {
        switch (rows) { AVX2_CASES(0) }
    }
}

static void panel_avx2(const Product *product, size_t panel) {
    panel_in_tiles(product, panel, TILE_ROWS, tiles_avx2);
}

#define CK_AVX512 __attribute__((target("avx512f")))

/// `rows` (at most `WIDE_TILE_ROWS`) rows of one panel with 512-bit vectors: one register holds a row's 16
/// outputs, so up to 16 rows share a single pass over the panel.
CK_AVX512 static inline __attribute__((always_inline)) void tile_avx512(
    const Product *product, size_t panel, size_t row, const int rows, const float *bias, const int prefetch
) {
    const float *weights = panel_weights(product, panel);
    const float *next = weights + PREFETCH_LINES * PANEL;
    const float *x[WIDE_TILE_ROWS];
    row_pointers(product, row, rows, x);
    __m512 sum[WIDE_TILE_ROWS];
    __m512 start = _mm512_loadu_ps(bias);
    for (int r = 0; r < rows; r++) sum[r] = start;
    size_t k = product->k;
    for (size_t i = 0; i < k; i++) {
        __m512 w = _mm512_load_ps(weights + i * PANEL);
        if (prefetch) _mm_prefetch((const char *)(next + i * PANEL), _MM_HINT_T0);
        for (int r = 0; r < rows; r++) sum[r] = _mm512_fmadd_ps(_mm512_set1_ps(x[r][i]), w, sum[r]);
    }
    if ((panel + 1) * PANEL <= product->n) {
        for (int r = 0; r < rows; r++) _mm512_storeu_ps(product->c + (row + r) * product->ldc + panel * PANEL, sum[r]);
    } else {
        float tile[WIDE_TILE_ROWS * PANEL];
        for (int r = 0; r < rows; r++) _mm512_storeu_ps(tile + r * PANEL, sum[r]);
        store_rows(product, panel, row, (size_t)rows, tile);
    }
}

#define CK_WIDE_CASE(n) TILE_CASE(tile_avx512, n, 1)

CK_AVX512 static void tiles_avx512(
    const Product *product, size_t panel, size_t row, size_t rows, int first, const float *bias
) {
    (void)first;
    switch (rows) {
        CK_WIDE_CASE(1) CK_WIDE_CASE(2) CK_WIDE_CASE(3) CK_WIDE_CASE(4) CK_WIDE_CASE(5) CK_WIDE_CASE(6)
        CK_WIDE_CASE(7) CK_WIDE_CASE(8) CK_WIDE_CASE(9) CK_WIDE_CASE(10) CK_WIDE_CASE(11) CK_WIDE_CASE(12)
        CK_WIDE_CASE(13) CK_WIDE_CASE(14) CK_WIDE_CASE(15) CK_WIDE_CASE(16)
    default: break;
    }
}

static void panel_avx512(const Product *product, size_t panel) {
    panel_in_tiles(product, panel, WIDE_TILE_ROWS, tiles_avx512);
}
#endif

int ck_kernel_available(CKKernel kernel) {
    switch (kernel) {
    case CK_KERNEL_AUTOMATIC:
    case CK_KERNEL_PORTABLE:
        return 1;
#if CK_X86
    case CK_KERNEL_AVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case CK_KERNEL_AVX512:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f");
#endif
    default:
        return 0;
    }
}

static PanelKernel panel_kernel(CKKernel kernel) {
    if (kernel == CK_KERNEL_PORTABLE) return panel_portable;
#if CK_X86
    if (kernel == CK_KERNEL_AVX2 && ck_kernel_available(CK_KERNEL_AVX2)) return panel_avx2;
    if (kernel != CK_KERNEL_AVX2 && ck_kernel_available(CK_KERNEL_AVX512)) return panel_avx512;
    if (ck_kernel_available(CK_KERNEL_AVX2)) return panel_avx2;
#endif
    return panel_portable;
}

static void relax(void) {
#if CK_X86
    _mm_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

// The worker: one persistent thread that takes panels of the current product. A product is published as a
// ticket, the generation in the high 32 bits and the next unclaimed panel in the low 32; a claim is a
// compare-and-swap on the ticket, so a late worker can never take a panel of a newer product.
static struct {
    pthread_once_t once;
    pthread_mutex_t owner;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    atomic_int sleeping;
    atomic_int running;
    _Atomic uint64_t ticket;
    atomic_size_t done;
    atomic_size_t panels;
    Product product;
    PanelKernel automatic;
} pool = {
    .once = PTHREAD_ONCE_INIT,
    .owner = PTHREAD_MUTEX_INITIALIZER,
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .wake = PTHREAD_COND_INITIALIZER,
};

/// Claims and computes panels of the product with `generation` until none is left.
static void take_panels(uint64_t generation) {
    uint64_t ticket = atomic_load(&pool.ticket);
    for (;;) {
        if (ticket >> 32 != generation) return;
        uint64_t next = ticket & 0xffffffffu;
        uint64_t panels = atomic_load_explicit(&pool.panels, memory_order_relaxed);
        if (next >= panels) return;
        uint64_t end = next + PANELS_PER_CLAIM < panels ? next + PANELS_PER_CLAIM : panels;
        if (!atomic_compare_exchange_weak(&pool.ticket, &ticket, (generation << 32) | end)) continue;
        for (uint64_t panel = next; panel < end; panel++) pool.product.kernel(&pool.product, panel);
        atomic_fetch_add(&pool.done, end - next);
        ticket = atomic_load(&pool.ticket);
    }
}

static double seconds_now(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec * 1e-9;
}

static void *worker_main(void *unused) {
    (void)unused;
    uint64_t seen = 0;
    for (;;) {
        // Spin a little for the next product of the same forward pass, then sleep.
        double deadline = seconds_now() + 0.0005;
        uint64_t generation = atomic_load(&pool.ticket) >> 32;
        for (unsigned spins = 1; generation == seen; spins++) {
            relax();
            if (spins % 256 == 0 && seconds_now() > deadline) break;
            generation = atomic_load(&pool.ticket) >> 32;
        }
        if (generation == seen) {
            pthread_mutex_lock(&pool.lock);
            atomic_store(&pool.sleeping, 1);
            while ((generation = atomic_load(&pool.ticket) >> 32) == seen) pthread_cond_wait(&pool.wake, &pool.lock);
            atomic_store(&pool.sleeping, 0);
            pthread_mutex_unlock(&pool.lock);
        }
        seen = generation;
        take_panels(generation);
    }
    return NULL;
}

static void start_worker(void) {
    pool.automatic = panel_kernel(CK_KERNEL_AUTOMATIC);
    pthread_t thread;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&thread, &attributes, worker_main, NULL) == 0) atomic_store(&pool.running, 1);
    pthread_attr_destroy(&attributes);
}

void ck_linear_packed(
    size_t m, size_t n, size_t k, const float *a, size_t lda, const float *packed, const float *bias,
    float *c, size_t ldc, int threads, CKKernel kernel
) {
    if (m == 0 || n == 0) return;
    pthread_once(&pool.once, start_worker);
    Product product = {
        .m = m, .n = n, .k = k, .lda = lda, .ldc = ldc, .a = a, .packed = packed, .bias = bias, .c = c,
        .kernel = kernel == CK_KERNEL_AUTOMATIC ? pool.automatic : panel_kernel(kernel),
    };
    size_t panels = (n + PANEL - 1) / PANEL;

    if (threads < 2 || panels < 2 || !atomic_load(&pool.running) || pthread_mutex_trylock(&pool.owner) != 0) {
        for (size_t panel = 0; panel < panels; panel++) product.kernel(&product, panel);
        return;
    }
    pool.product = product;
    atomic_store_explicit(&pool.panels, panels, memory_order_relaxed);
    atomic_store(&pool.done, 0);
    uint64_t generation = (atomic_load(&pool.ticket) >> 32) + 1;
    atomic_store(&pool.ticket, generation << 32);
    if (atomic_load(&pool.sleeping)) {
        pthread_mutex_lock(&pool.lock);
        pthread_cond_signal(&pool.wake);
        pthread_mutex_unlock(&pool.lock);
    }
    take_panels(generation);
    while (atomic_load(&pool.done) < panels) relax();
    pthread_mutex_unlock(&pool.owner);
}
