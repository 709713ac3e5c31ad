#ifndef IMGREC_CJPEG_SHIM_H
#define IMGREC_CJPEG_SHIM_H
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <jpeglib.h>
#include <jerror.h>

/*
 * A libjpeg decompressor whose fatal errors return to the caller instead of calling exit().
 *
 * libjpeg reports a fatal error by calling error_exit, which must not return. Swift cannot use
 * setjmp/longjmp, so every libjpeg call that can fail is made from a C function below that sets the
 * jump point itself; error_exit formats the message and jumps back there. Warnings are never
 * printed; the one that matters, "premature end of file", is remembered as `truncated`.
 */
typedef struct imgrec_jpeg_error_manager {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    int truncated;
    char message[JMSG_LENGTH_MAX];
} imgrec_jpeg_error_manager;

typedef struct imgrec_jpeg_decoder {
    struct jpeg_decompress_struct info;
    imgrec_jpeg_error_manager errors;
    int created;
} imgrec_jpeg_decoder;

static inline void imgrec_jpeg_error_exit(j_common_ptr info) {
    imgrec_jpeg_error_manager *errors = (imgrec_jpeg_error_manager *)info->err;
    (*info->err->format_message)(info, errors->message);
    longjmp(errors->jump, 1);
}

static inline void imgrec_jpeg_emit_message(j_common_ptr info, int level) {
    imgrec_jpeg_error_manager *errors = (imgrec_jpeg_error_manager *)info->err;
    if (level < 0) {
        if (info->err->msg_code == JWRN_JPEG_EOF) {
            errors->truncated = 1;
        }
        info->err->num_warnings++;
    }
}

static inline void imgrec_jpeg_output_message(j_common_ptr info) {
    (void)info;
}

/// Allocates a decoder; NULL when memory is exhausted. Release it with imgrec_jpeg_destroy.
static inline imgrec_jpeg_decoder *imgrec_jpeg_create(void) {
    imgrec_jpeg_decoder *decoder = (imgrec_jpeg_decoder *)calloc(1, sizeof(imgrec_jpeg_decoder));
    if (decoder == NULL) {
        return NULL;
    }
    decoder->info.err = jpeg_std_error(&decoder->errors.base);
    decoder->errors.base.error_exit = imgrec_jpeg_error_exit;
    decoder->errors.base.emit_message = imgrec_jpeg_emit_message;
    decoder->errors.base.output_message = imgrec_jpeg_output_message;
    return decoder;
}

/// Releases the decoder and everything libjpeg allocated for it.
static inline void imgrec_jpeg_destroy(imgrec_jpeg_decoder *decoder) {
    if (decoder == NULL) {
        return;
    }
    if (decoder->created) {
        jpeg_destroy_decompress(&decoder->info);
    }
    free(decoder);
}

/// Reads the header from `data` (which must outlive the decoder). 0 on success, -1 on error.
static inline int imgrec_jpeg_read_header(imgrec_jpeg_decoder *decoder, const unsigned char *data,
                                          unsigned long size) {
    if (setjmp(decoder->errors.jump)) {
        return -1;
    }
    jpeg_create_decompress(&decoder->info);
    decoder->created = 1;
    jpeg_mem_src(&decoder->info, data, size);
    jpeg_read_header(&decoder->info, TRUE);
    return 0;
}

/// Starts decompression to 8-bit RGB. 0 on success, -1 on error.
static inline int imgrec_jpeg_start_rgb(imgrec_jpeg_decoder *decoder) {
    if (setjmp(decoder->errors.jump)) {
        return -1;
    }
    decoder->info.out_color_space = JCS_RGB;
    jpeg_start_decompress(&decoder->info);
    if (decoder->info.output_components != 3) {
        strncpy(decoder->errors.message, "unexpected output components", JMSG_LENGTH_MAX - 1);
        return -1;
    }
    return 0;
}

/// Reads every scanline into `pixels` (output_height rows of `row_bytes`). 0 on success, -1 on error.
static inline int imgrec_jpeg_read_pixels(imgrec_jpeg_decoder *decoder, unsigned char *pixels,
                                          size_t row_bytes) {
    if (setjmp(decoder->errors.jump)) {
        return -1;
    }
    while (decoder->info.output_scanline < decoder->info.output_height) {
        JSAMPROW row = pixels + (size_t)decoder->info.output_scanline * row_bytes;
        jpeg_read_scanlines(&decoder->info, &row, 1);
    }
    jpeg_finish_decompress(&decoder->info);
    return 0;
}

#endif
