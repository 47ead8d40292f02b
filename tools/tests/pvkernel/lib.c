/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the test kernel has instead of a C library: string functions and
 * a small printf that writes through console_io.
 */
#include <stdarg.h>

#include "pvkernel.h"

size_t strlen(const char *s)
{
    size_t n = 0;

    while ( s[n] )
        n++;
    return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for ( ; n; n--, a++, b++ )
    {
        if ( *a != *b )
            return (unsigned char)*a - (unsigned char)*b;
        if ( !*a )
            return 0;
    }
    return 0;
}

int strcmp(const char *a, const char *b)
{
    return strncmp(a, b, ~(size_t)0);
}

char *strstr(const char *h, const char *n)
{
    size_t len = strlen(n);

    for ( ; *h; h++ )
        if ( !strncmp(h, n, len) )
            return (char *)h;
    return len ? NULL : (char *)h;
}

void *memset(void *d, int c, size_t n)
{
    unsigned char *p = d;

    while ( n-- )
        *p++ = c;
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;

    while ( n-- )
        *p++ = *q++;
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;

    for ( ; n; n--, p++, q++ )
        if ( *p != *q )
            return *p - *q;
    return 0;
}

struct out {
    char *buf;
    size_t size, len;
};

static void put(struct out *o, char c)
{
    if ( o->len + 1 < o->size )
        o->buf[o->len] = c;
    o->len++;
}

static void put_num(struct out *o, unsigned long long v, unsigned int base,
                    bool neg, int width, char pad, bool alt)
{
    char tmp[24];
    int n = 0;

    do {
        tmp[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while ( v );
    if ( alt && base == 16 )
        width -= 2;
    if ( neg )
        width--;
    if ( pad == '0' )
    {
        if ( neg )
            put(o, '-');
        if ( alt && base == 16 )
        {
            put(o, '0');
            put(o, 'x');
        }
    }
    for ( ; width > n; width-- )
        put(o, pad);
    if ( pad != '0' )
    {
        if ( neg )
            put(o, '-');
        if ( alt && base == 16 )
        {
            put(o, '0');
            put(o, 'x');
        }
    }
    while ( n )
        put(o, tmp[--n]);
}

static int vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };

    for ( ; *fmt; fmt++ )
    {
        int width = 0, lng = 0;
        char pad = ' ';
        bool alt = false;
        unsigned long long v;

        if ( *fmt != '%' )
        {
            put(&o, *fmt);
            continue;
        }
        fmt++;
        if ( *fmt == '#' )
        {
            alt = true;
            fmt++;
        }
        if ( *fmt == '0' )
            pad = '0';
        while ( *fmt >= '0' && *fmt <= '9' )
            width = width * 10 + *fmt++ - '0';
        while ( *fmt == 'l' || *fmt == 'z' )
        {
            lng++;
            fmt++;
        }
        switch ( *fmt )
        {
        case 'd':
        {
            long long s = lng ? va_arg(ap, long long) : va_arg(ap, int);

            put_num(&o, s < 0 ? -(unsigned long long)s : (unsigned long long)s, 10, s < 0, width,
                    pad, false);
            break;
        }
        case 'u':
        case 'x':
            v = lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned int);
            put_num(&o, v, *fmt == 'u' ? 10 : 16, false, width, pad, alt);
            break;
        case 'p':
            put_num(&o, (unsigned long)va_arg(ap, void *), 16, false, 0, ' ',
                    true);
            break;
        case 's':
        {
            const char *s = va_arg(ap, const char *);

            for ( s = s ? s : "(null)"; *s; s++ )
                put(&o, *s);
            break;
        }
        case 'c':
            put(&o, va_arg(ap, int));
            break;
        default:
            put(&o, '%');
            put(&o, *fmt);
            break;
        }
    }
    if ( size )
        buf[o.len < size ? o.len : size - 1] = '\0';
    return o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vformat(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

void console_write(const char *s, size_t n)
{
    HYPERVISOR_console_io(CONSOLEIO_write, n, s);
}

void printk(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vformat(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    console_write(buf, n < (int)sizeof(buf) ? n : (int)sizeof(buf) - 1);
}

/* Called by the failing check's fail() with a va_list. */
int vsnprintf_pv(char *buf, size_t size, const char *fmt, va_list ap);
int vsnprintf_pv(char *buf, size_t size, const char *fmt, va_list ap)
{
    return vformat(buf, size, fmt, ap);
}
