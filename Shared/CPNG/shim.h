#ifndef IMGREC_CPNG_SHIM_H
#define IMGREC_CPNG_SHIM_H
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>

/*
 * A row-by-row PNG reader over a memory buffer, for callers that may stop after the first rows.
 *
 * libpng's simplified API decodes whole images only, and its full API reports a fatal error by
 * longjmp-ing out of png_error, which Swift cannot catch. Every libpng call that can fail is made from
 * a C function below that sets the jump point itself; the error function copies the message and jumps
 * back there. Warnings are never printed. Every ancillary chunk except tRNS is skipped unread, and no
 * gamma or colour correction is applied, so the samples are the stored ones: 8-bit RGBA for every
 * colour type (16-bit samples keep their high byte; without alpha the alpha sample is 255).
 */
typedef struct imgrec_png_rows {
    png_structp png;
    png_infop info;
    const unsigned char *data;
    size_t size;
    size_t offset;
    uint32_t width;
    uint32_t height;
    int interlaced;
    int passes;
    int has_alpha;
    char message[200];
} imgrec_png_rows;

static inline void imgrec_png_rows_error(png_structp png, png_const_charp message) {
    imgrec_png_rows *reader = (imgrec_png_rows *)png_get_error_ptr(png);
    strncpy(reader->message, message, sizeof(reader->message) - 1);
    png_longjmp(png, 1);
}

static inline void imgrec_png_rows_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

static inline void imgrec_png_rows_read_data(png_structp png, png_bytep target, size_t length) {
    imgrec_png_rows *reader = (imgrec_png_rows *)png_get_io_ptr(png);
    if (length > reader->size - reader->offset) {
        png_error(png, "PNG data ends before the image is complete");
    }
    memcpy(target, reader->data + reader->offset, length);
    reader->offset += length;
}

/// Allocates a reader; NULL when memory is exhausted. Release it with imgrec_png_rows_destroy.
static inline imgrec_png_rows *imgrec_png_rows_create(void) {
    imgrec_png_rows *reader = (imgrec_png_rows *)calloc(1, sizeof(imgrec_png_rows));
    if (reader == NULL) {
        return NULL;
    }
    reader->png = png_create_read_struct(
        PNG_LIBPNG_VER_STRING, reader, imgrec_png_rows_error, imgrec_png_rows_warning);
    if (reader->png == NULL) {
        free(reader);
        return NULL;
    }
    reader->info = png_create_info_struct(reader->png);
    if (reader->info == NULL) {
        png_destroy_read_struct(&reader->png, NULL, NULL);
        free(reader);
        return NULL;
    }
    return reader;
}

/// Releases the reader and everything libpng allocated for it.
static inline void imgrec_png_rows_destroy(imgrec_png_rows *reader) {
    if (reader == NULL) {
        return;
    }
    png_destroy_read_struct(&reader->png, &reader->info, NULL);
    free(reader);
}

/// Reads the chunks before the image data from `data` (which must outlive the reader) and sets up
/// 8-bit RGBA output; fills in width, height, interlaced, passes and has_alpha. A side longer than
/// `max_side` is an error before any row buffer is allocated. 0 on success, -1 on error.
static inline int imgrec_png_rows_begin(
    imgrec_png_rows *reader, const unsigned char *data, size_t size, uint32_t max_side) {
    if (setjmp(png_jmpbuf(reader->png))) {
        return -1;
    }
    reader->data = data;
    reader->size = size;
    png_set_read_fn(reader->png, reader, imgrec_png_rows_read_data);
    png_set_keep_unknown_chunks(reader->png, PNG_HANDLE_CHUNK_NEVER, NULL, -1);
    /* libpng refuses a side over 1,000,000 by default; the caller's limit (its decoder's pixel limit, which
     * also bounds one row of samples) decides instead, so a long thin image cannot hide a stream by being
     * refused. */
    png_set_user_limits(reader->png, max_side, max_side);
    png_read_info(reader->png, reader->info);

    png_uint_32 width = 0;
    png_uint_32 height = 0;
    int depth = 0;
    int colour = 0;
    int interlace = 0;
    png_get_IHDR(reader->png, reader->info, &width, &height, &depth, &colour, &interlace, NULL, NULL);
    int transparency = png_get_valid(reader->png, reader->info, PNG_INFO_tRNS) != 0;
    reader->width = width;
    reader->height = height;
    reader->interlaced = interlace != PNG_INTERLACE_NONE;
    reader->has_alpha = (colour & PNG_COLOR_MASK_ALPHA) != 0 || transparency;

    if (colour == PNG_COLOR_TYPE_PALETTE) {
        png_set_palette_to_rgb(reader->png);
    }
    if (colour == PNG_COLOR_TYPE_GRAY && depth < 8) {
        png_set_expand_gray_1_2_4_to_8(reader->png);
    }
    if (transparency) {
        png_set_tRNS_to_alpha(reader->png);
    }
    if (depth == 16) {
        png_set_strip_16(reader->png);
    }
    if ((colour & PNG_COLOR_MASK_COLOR) == 0) {
        png_set_gray_to_rgb(reader->png);
    }
    if (!reader->has_alpha) {
        png_set_filler(reader->png, 0xFF, PNG_FILLER_AFTER);
    }
    reader->passes = png_set_interlace_handling(reader->png);
    png_read_update_info(reader->png, reader->info);
    if (png_get_rowbytes(reader->png, reader->info) != (size_t)width * 4) {
        strncpy(reader->message, "unexpected row size after conversion to RGBA", sizeof(reader->message) - 1);
        return -1;
    }
    return 0;
}

/// Reads the next `count` rows of a non-interlaced image into `rows` (`count` rows of width * 4 bytes).
/// 0 on success, -1 on error.
static inline int imgrec_png_rows_read(imgrec_png_rows *reader, unsigned char *rows, uint32_t count) {
    if (setjmp(png_jmpbuf(reader->png))) {
        return -1;
    }
    size_t row_bytes = (size_t)reader->width * 4;
    for (uint32_t row = 0; row < count; row++) {
        png_read_row(reader->png, rows + (size_t)row * row_bytes, NULL);
    }
    return 0;
}

/// Reads a whole interlaced image as low bits of its first `columns` columns: `bits` gets one byte per
/// pixel (height rows of `columns` bytes), red's low bit in 0x8, green's in 0x4, blue's in 0x2, alpha's in
/// 0x1. Each Adam7 pass decodes into `row` (width * 4 bytes, supplied by the caller), and only the kept
/// pixels of that pass are taken from it, so memory stays one row of samples besides `bits`. 0 on success,
/// -1 on error.
static inline int imgrec_png_rows_read_interlaced_bits(
    imgrec_png_rows *reader, unsigned char *row, unsigned char *bits, uint32_t columns) {
    if (setjmp(png_jmpbuf(reader->png))) {
        return -1;
    }
    size_t width = columns < reader->width ? columns : reader->width;
    for (int pass = 0; pass < reader->passes; pass++) {
        uint32_t first_row = PNG_PASS_START_ROW(pass);
        uint32_t row_step = (uint32_t)1 << PNG_PASS_ROW_SHIFT(pass);
        uint32_t first_column = PNG_PASS_START_COL(pass);
        uint32_t column_step = (uint32_t)1 << PNG_PASS_COL_SHIFT(pass);
        for (uint32_t y = 0; y < reader->height; y++) {
            png_read_row(reader->png, row, NULL);
            if (y < first_row || (y - first_row) % row_step != 0) {
                continue;
            }
            unsigned char *target = bits + (size_t)y * width;
            for (size_t x = first_column; x < width; x += column_step) {
                const unsigned char *pixel = row + x * 4;
                target[x] = (unsigned char)(((pixel[0] & 1) << 3) | ((pixel[1] & 1) << 2) | ((pixel[2] & 1) << 1)
                                            | (pixel[3] & 1));
            }
        }
    }
    return 0;
}

#endif
