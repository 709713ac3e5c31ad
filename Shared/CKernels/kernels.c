#include "CKernels.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define CK_X86 1
#endif

enum { PANEL = CK_PANEL_WIDTH, TILE_ROWS = 6, PANELS_PER_CLAIM = 2 };

/// One product, shared by the caller and the worker.
typedef struct {
    size_t m, n, k, lda, ldc;
    const float *a, *packed, *bias;
    float *c;
} Product;

typedef void (*PanelKernel)(const Product *product, size_t panel);

size_t ck_packed_count(size_t n, size_t k) {
    return (n + PANEL - 1) / PANEL * PANEL * k;
}

float *ck_allocate(size_t count) {
    void *pointer = NULL;
    if (posix_memalign(&pointer, 64, (count > 0 ? count : 1) * sizeof(float)) != 0) return NULL;
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

static void panel_portable(const Product *product, size_t panel) {
    float bias[PANEL];
    panel_bias(product, panel, bias);
    const float *weights = product->packed + panel * product->k * PANEL;
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

/// `rows` (at most `TILE_ROWS`) rows of one panel: every weight vector loaded once, multiplied into each row.
CK_AVX2 static inline __attribute__((always_inline)) void tile_avx2(
    const Product *product, size_t panel, size_t row, const int rows, const float *bias, const int prefetch
) {
    const float *weights = product->packed + panel * product->k * PANEL;
    const float *a = product->a + row * product->lda;
    size_t lda = product->lda, k = product->k;
    __m256 low[TILE_ROWS], high[TILE_ROWS];
    for (int r = 0; r < rows; r++) {
        low[r] = _mm256_loadu_ps(bias);
        high[r] = _mm256_loadu_ps(bias + 8);
    }
    for (size_t i = 0; i < k; i++) {
        __m256 w0 = _mm256_load_ps(weights + i * PANEL);
        __m256 w1 = _mm256_load_ps(weights + i * PANEL + 8);
        // One 64-byte line of the next panel per step: the first tile pulls the whole next panel in.
        if (prefetch) _mm_prefetch((const char *)(weights + (k + i) * PANEL), _MM_HINT_T0);
        for (int r = 0; r < rows; r++) {
            __m256 x = _mm256_broadcast_ss(a + r * lda + i);
            low[r] = _mm256_fmadd_ps(x, w0, low[r]);
            high[r] = _mm256_fmadd_ps(x, w1, high[r]);
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

CK_AVX2 static void panel_avx2(const Product *product, size_t panel) {
    float bias[PANEL];
    panel_bias(product, panel, bias);
    // Rows split into tiles of as even a size as possible: small tiles leave the FMA units waiting on latency.
    size_t tiles = (product->m + TILE_ROWS - 1) / TILE_ROWS;
    size_t row = 0;
    for (size_t tile = 0; tile < tiles; tile++) {
        size_t rows = product->m / tiles + (tile < product->m % tiles ? 1 : 0);
        int prefetch = tile == 0;
        switch (rows) {
        case 1: tile_avx2(product, panel, row, 1, bias, prefetch); break;
        case 2: tile_avx2(product, panel, row, 2, bias, prefetch); break;
        case 3: tile_avx2(product, panel, row, 3, bias, prefetch); break;
        case 4: tile_avx2(product, panel, row, 4, bias, prefetch); break;
        case 5: tile_avx2(product, panel, row, 5, bias, prefetch); break;
        default: tile_avx2(product, panel, row, TILE_ROWS, bias, prefetch); break;
        }
        row += rows;
    }
}
#endif

static PanelKernel chosen_kernel(void) {
#if CK_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return panel_avx2;
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
    size_t panels;
    Product product;
    PanelKernel kernel;
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
        if (next >= pool.panels) return;
        uint64_t end = next + PANELS_PER_CLAIM < pool.panels ? next + PANELS_PER_CLAIM : pool.panels;
        if (!atomic_compare_exchange_weak(&pool.ticket, &ticket, (generation << 32) | end)) continue;
        for (uint64_t panel = next; panel < end; panel++) pool.kernel(&pool.product, panel);
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
    pool.kernel = chosen_kernel();
    pthread_t thread;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&thread, &attributes, worker_main, NULL) == 0) atomic_store(&pool.running, 1);
    pthread_attr_destroy(&attributes);
}

void ck_linear_packed(
    size_t m, size_t n, size_t k, const float *a, size_t lda, const float *packed, const float *bias,
    float *c, size_t ldc, int threads
) {
    if (m == 0 || n == 0) return;
    pthread_once(&pool.once, start_worker);
    Product product = {.m = m, .n = n, .k = k, .lda = lda, .ldc = ldc, .a = a, .packed = packed, .bias = bias, .c = c};
    size_t panels = (n + PANEL - 1) / PANEL;

    if (threads < 2 || panels < 2 || !atomic_load(&pool.running) || pthread_mutex_trylock(&pool.owner) != 0) {
        for (size_t panel = 0; panel < panels; panel++) pool.kernel(&product, panel);
        return;
    }
    pool.product = product;
    pool.panels = panels;
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
