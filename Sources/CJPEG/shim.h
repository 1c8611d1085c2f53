#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <jpeglib.h>

/// What `stride_jpeg_read` reports: the decoded layout (grey or RGB, 8-bit) and, on failure, libjpeg's message.
typedef struct {
    unsigned int width, height, channels;
    char message[JMSG_LENGTH_MAX];
} stride_jpeg_info;

typedef struct {
    struct jpeg_error_mgr manager;
    jmp_buf jump;
    stride_jpeg_info *info;
} stride_jpeg_error;

static void stride_jpeg_fail(j_common_ptr cinfo) {
    stride_jpeg_error *e = (stride_jpeg_error *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, e->info->message);
    longjmp(e->jump, 1);
}

static void stride_jpeg_quiet(j_common_ptr cinfo, int level) { (void)cinfo; (void)level; }

/// Reads a JPEG held in memory. With `out` NULL only the header is read and `info` filled in; with `out` (of
/// width * height * channels bytes) the image is decoded into it, `should_stop(context)` being asked every 16
/// scanlines. CMYK files are refused. Returns 0 on success.
static inline int stride_jpeg_read(const unsigned char *data, size_t size, stride_jpeg_info *info, unsigned char *out,
                                   int (*should_stop)(void *), void *context) {
    memset(info, 0, sizeof *info);
    if (size < 3 || data[0] != 0xFF || data[1] != 0xD8) {
        strcpy(info->message, "not a JPEG file (wrong signature)");
        return 1;
    }
    struct jpeg_decompress_struct cinfo;
    stride_jpeg_error err;
    memset(&cinfo, 0, sizeof cinfo);
    cinfo.err = jpeg_std_error(&err.manager);
    err.manager.error_exit = stride_jpeg_fail;
    err.manager.emit_message = stride_jpeg_quiet;
    err.info = info;
    if (setjmp(err.jump)) {
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
        strcpy(info->message, "CMYK JPEG files are not supported");
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    cinfo.out_color_space = cinfo.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_calc_output_dimensions(&cinfo);
    info->width = cinfo.output_width;
    info->height = cinfo.output_height;
    info->channels = cinfo.output_components;
    if (out) {
        jpeg_start_decompress(&cinfo);
        size_t stride = (size_t)info->width * info->channels;
        while (cinfo.output_scanline < cinfo.output_height) {
            if ((cinfo.output_scanline & 15) == 0 && should_stop && should_stop(context)) {
                strcpy(info->message, "interrupted");
                jpeg_destroy_decompress(&cinfo);
                return 1;
            }
            JSAMPROW row = out + (size_t)cinfo.output_scanline * stride;
            jpeg_read_scanlines(&cinfo, &row, 1);
        }
        jpeg_finish_decompress(&cinfo);
    }
    jpeg_destroy_decompress(&cinfo);
    return 0;
}
