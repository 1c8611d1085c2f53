#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

/// What `stride_png_read` reports: the decoded layout (palette and low bit depths expanded, transparency as
/// alpha, 16-bit samples in host order) and, on failure, libpng's message.
typedef struct {
    unsigned int width, height, channels, depth;
    char message[256];
} stride_png_info;

typedef struct {
    const unsigned char *data;
    size_t size, pos;
} stride_png_source;

static void stride_png_read_bytes(png_structp png, png_bytep out, size_t n) {
    stride_png_source *s = (stride_png_source *)png_get_io_ptr(png);
    if (n > s->size - s->pos) png_error(png, "the file ends early (truncated)");
    memcpy(out, s->data + s->pos, n);
    s->pos += n;
}

static void stride_png_fail(png_structp png, png_const_charp msg) {
    stride_png_info *info = (stride_png_info *)png_get_error_ptr(png);
    strncpy(info->message, msg, sizeof info->message - 1);
    info->message[sizeof info->message - 1] = 0;
    png_longjmp(png, 1);
}

static void stride_png_warn(png_structp png, png_const_charp msg) { (void)png; (void)msg; }

/// Reads a PNG held in memory. With `out` NULL only the header is read and `info` filled in; with `out` (of
/// width * height * channels * depth / 8 bytes) the image is decoded into it, `should_stop(context)` being
/// asked every 64 rows (a nonzero answer ends the decoding with the message "interrupted"). Returns 0 on success.
static inline int stride_png_read(const unsigned char *data, size_t size, stride_png_info *info, unsigned char *out,
                                  int (*should_stop)(void *), void *context) {
    memset(info, 0, sizeof *info);
    if (size < 8 || png_sig_cmp(data, 0, 8) != 0) {
        strcpy(info->message, "not a PNG file (wrong signature)");
        return 1;
    }
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, info, stride_png_fail, stride_png_warn);
    if (!png) {
        strcpy(info->message, "out of memory");
        return 1;
    }
    png_infop pinfo = png_create_info_struct(png);
    png_bytep *volatile rows = NULL;
    stride_png_source source = {data, size, 0};
    if (!pinfo || setjmp(png_jmpbuf(png))) {
        free(rows);
        png_destroy_read_struct(&png, pinfo ? &pinfo : NULL, NULL);
        if (!info->message[0]) strcpy(info->message, "out of memory");
        return 1;
    }
    png_set_read_fn(png, &source, stride_png_read_bytes);
    png_set_user_limits(png, 1u << 24, 1u << 24);
    png_set_chunk_malloc_max(png, 64u << 20);
    png_read_info(png, pinfo);
    int color = png_get_color_type(png, pinfo);
    int depth = png_get_bit_depth(png, pinfo);
    if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, pinfo, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (depth == 16) png_set_swap(png);
#endif
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, pinfo);
    info->width = png_get_image_width(png, pinfo);
    info->height = png_get_image_height(png, pinfo);
    info->channels = png_get_channels(png, pinfo);
    info->depth = png_get_bit_depth(png, pinfo);
    if (out) {
        size_t rowbytes = png_get_rowbytes(png, pinfo);
        if (rowbytes != (size_t)info->width * info->channels * (info->depth / 8)) png_error(png, "unexpected row size");
        rows = (png_bytep *)malloc(sizeof(png_bytep) * (info->height ? info->height : 1));
        if (!rows) png_error(png, "out of memory");
        for (unsigned int y = 0; y < info->height; y++) rows[y] = out + (size_t)y * rowbytes;
        for (int p = 0; p < passes; p++) {
            for (unsigned int y = 0; y < info->height; y++) {
                if ((y & 63) == 0 && should_stop && should_stop(context)) png_error(png, "interrupted");
                png_read_row(png, rows[y], NULL);
            }
        }
        png_read_end(png, NULL);
        free(rows);
        rows = NULL;
    }
    png_destroy_read_struct(&png, &pinfo, NULL);
    return 0;
}

/// A growing buffer the encoder writes into.
typedef struct {
    unsigned char *data;
    size_t size, capacity;
    char message[256];
} stride_png_sink;

static void stride_png_write_bytes(png_structp png, png_bytep bytes, size_t n) {
    stride_png_sink *s = (stride_png_sink *)png_get_io_ptr(png);
    if (s->size + n > s->capacity) {
        size_t want = s->capacity ? s->capacity : 4096;
        while (want < s->size + n) want *= 2;
        unsigned char *grown = (unsigned char *)realloc(s->data, want);
        if (!grown) png_error(png, "out of memory");
        s->data = grown;
        s->capacity = want;
    }
    memcpy(s->data + s->size, bytes, n);
    s->size += n;
}

static void stride_png_flush(png_structp png) { (void)png; }

static void stride_png_write_fail(png_structp png, png_const_charp msg) {
    stride_png_sink *s = (stride_png_sink *)png_get_error_ptr(png);
    strncpy(s->message, msg, sizeof s->message - 1);
    s->message[sizeof s->message - 1] = 0;
    png_longjmp(png, 1);
}

/// Encodes 8-bit samples (1 grey, 2 grey+alpha, 3 RGB or 4 RGBA channels, rows packed) as a PNG in memory, in
/// one pass, with no row filter and zlib compression `level` (1 fast … 9 small). Returns a buffer from malloc
/// (the caller frees it) and its size, or NULL with `message` filled in.
static inline unsigned char *stride_png_write(const unsigned char *pixels, unsigned int width, unsigned int height,
                                              unsigned int channels, int level, size_t *size, char message[256]) {
    stride_png_sink sink;
    memset(&sink, 0, sizeof sink);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &sink, stride_png_write_fail, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info) {
        strncpy(message, "cannot start the PNG encoder", 255);
        message[255] = 0;
        png_destroy_write_struct(&png, &info);
        return NULL;
    }
    if (setjmp(png_jmpbuf(png))) {
        strncpy(message, sink.message, 255);
        message[255] = 0;
        png_destroy_write_struct(&png, &info);
        free(sink.data);
        return NULL;
    }
    int color = channels == 1 ? PNG_COLOR_TYPE_GRAY
                : channels == 2 ? PNG_COLOR_TYPE_GRAY_ALPHA
                : channels == 3 ? PNG_COLOR_TYPE_RGB
                                : PNG_COLOR_TYPE_RGBA;
    png_set_write_fn(png, &sink, stride_png_write_bytes, stride_png_flush);
    png_set_IHDR(png, info, width, height, 8, color, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_set_compression_level(png, level);
    png_write_info(png, info);
    size_t stride = (size_t)width * channels;
    for (unsigned int y = 0; y < height; y++) png_write_row(png, (png_const_bytep)(pixels + y * stride));
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    *size = sink.size;
    return sink.data;
}
