/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bench-decompress FILE [RUNS]: decompresses FILE (gzip, xz or lz4, as
 * detected) RUNS times with the hypervisor's decoders, built with the
 * hypervisor's code generation flags (no SSE), and prints the best CPU time
 * and the throughput. Compare with `time xz -dc FILE > /dev/null`.
 * Not a test: `make bench-decompress` builds it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xen/decompress.h>

void *_xmalloc(size_t size, size_t align);
void xfree(void *p);

void *_xmalloc(size_t size, size_t align)
{
    void *p;

    return posix_memalign(&p, align < sizeof(void *) ? sizeof(void *)
                                                      : align, size)
           ? NULL : p;
}

void xfree(void *p)
{
    free(p);
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    size_t in_len, out_max = (size_t)1 << 31, len = 0;
    int runs = argc > 2 ? atoi(argv[2]) : 3, i, rc;
    double best = 1e9;
    const char *why = "";
    enum compression c;
    uint8_t *in, *out;
    FILE *f;

    if ( argc < 2 || !(f = fopen(argv[1], "rb")) )
    {
        fprintf(stderr, "usage: %s FILE [RUNS]\n", argv[0]);
        return 2;
    }
    fseek(f, 0, SEEK_END);
    in_len = ftell(f);
    rewind(f);
    in = malloc(in_len);
    out = malloc(out_max);
    if ( !in || !out || fread(in, 1, in_len, f) != in_len )
        return 2;
    fclose(f);

    c = compression_detect(in, in_len);
    for ( i = 0; i < runs; i++ )
    {
        double t = now();

        rc = decompress(c, in, in_len, out, out_max, &len, &why);
        t = now() - t;
        if ( rc )
        {
            fprintf(stderr, "%s: %d (%s)\n", argv[1], rc, why);
            return 1;
        }
        if ( t < best )
            best = t;
    }
    printf("%s: %s, %zu -> %zu bytes, best of %d: %.3f s, %.1f MiB/s\n",
           argv[1], compression_name(c), in_len, len, runs, best,
           len / best / (1 << 20));

    return 0;
}
