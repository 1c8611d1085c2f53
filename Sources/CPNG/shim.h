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

/// Encodes 8-bit samples (1 grey, 2 grey+alpha, 3 RGB or 4 RGBA channels, rows packed) as a PNG in memory.
/// Returns a buffer from malloc (the caller frees it) and its size, or NULL with `message` filled in.
static inline unsigned char *stride_png_write(const unsigned char *pixels, unsigned int width, unsigned int height,
                                              unsigned int channels, size_t *size, char message[256]) {
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    image.width = width;
    image.height = height;
    image.format = channels == 1 ? PNG_FORMAT_GRAY
                   : channels == 2 ? PNG_FORMAT_GA
                   : channels == 3 ? PNG_FORMAT_RGB
                                   : PNG_FORMAT_RGBA;
    png_alloc_size_t n = 0;
    if (!png_image_write_to_memory(&image, NULL, &n, 0, pixels, 0, NULL)) {
        strncpy(message, image.message, 255);
        message[255] = 0;
        return NULL;
    }
    unsigned char *buffer = (unsigned char *)malloc(n ? n : 1);
    if (!buffer || !png_image_write_to_memory(&image, buffer, &n, 0, pixels, 0, NULL)) {
        strncpy(message, buffer ? image.message : "out of memory", 255);
        message[255] = 0;
        free(buffer);
        return NULL;
    }
    *size = n;
    return buffer;
}
