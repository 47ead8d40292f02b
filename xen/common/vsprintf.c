/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Formatted output and number parsing.
 *
 * vsnprintf() implements the C99 conversions the hypervisor needs (no
 * floating point, no %n) plus %pS/%ps for code addresses. Output goes
 * through one sink that counts every character, stored or not, so the
 * C99 return value falls out even when the buffer is too small.
 */
#include <xen/lib.h>
#include <xen/string.h>
#include <xen/symbols.h>

#define FL_LEFT  0x01 /* '-' */
#define FL_PLUS  0x02 /* '+' */
#define FL_SPACE 0x04 /* ' ' */
#define FL_ALT   0x08 /* '#' */
#define FL_ZERO  0x10 /* '0' */

/* Where output goes: pos counts everything, only size - 1 bytes land. */
struct sink {
    char *buf;
    size_t size;
    size_t pos;
};

struct spec {
    unsigned int flags;
    int width;     /* -1: none */
    int precision; /* -1: none */
};

static void put_char(struct sink *o, char c)
{
    if ( o->pos + 1 < o->size )
        o->buf[o->pos] = c;
    o->pos++;
}

static void put_repeat(struct sink *o, char c, int n)
{
    for ( ; n > 0; n-- )
        put_char(o, c);
}

static void put_mem(struct sink *o, const char *s, size_t len)
{
    for ( ; len; len--, s++ )
        put_char(o, *s);
}

/* A string of len characters, padded to the field width. */
static void put_field(struct sink *o, const char *s, size_t len,
                      const struct spec *sp)
{
    int pad = 0;

    if ( sp->width > 0 && (size_t)sp->width > len )
        pad = sp->width - (int)len;

    if ( !(sp->flags & FL_LEFT) )
        put_repeat(o, ' ', pad);
    put_mem(o, s, len);
    if ( sp->flags & FL_LEFT )
        put_repeat(o, ' ', pad);
}

static void put_number(struct sink *o, unsigned long long num, bool negative,
                       bool is_signed, unsigned int base, bool upper,
                       const struct spec *sp)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24]; /* 22 octal digits cover 64 bits */
    char sign = '\0';
    const char *prefix = "";
    int ndigits = 0, zeros = 0, len, pad = 0;
    bool nonzero = num != 0;

    /* C99: a zero value with a zero precision has no digits at all. */
    if ( num || sp->precision != 0 )
        do {
            tmp[ndigits++] = digits[num % base];
            num /= base;
        } while ( num );

    if ( negative )
        sign = '-';
    else if ( is_signed && (sp->flags & FL_PLUS) )
        sign = '+';
    else if ( is_signed && (sp->flags & FL_SPACE) )
        sign = ' ';

    if ( sp->flags & FL_ALT )
    {
        /* "0x" only for non-zero values; octal just needs a leading 0. */
        if ( base == 16 && nonzero )
            prefix = upper ? "0X" : "0x";
        else if ( base == 8 && (!ndigits || tmp[ndigits - 1] != '0') &&
                  sp->precision <= ndigits )
            zeros = 1;
    }

    if ( sp->precision > ndigits )
        zeros = sp->precision - ndigits;

    len = !!sign + (int)strlen(prefix) + zeros + ndigits;

    /* '0' pads with zeros after sign and prefix, unless a precision or '-'. */
    if ( (sp->flags & (FL_ZERO | FL_LEFT)) == FL_ZERO && sp->precision < 0 &&
         sp->width > len )
    {
        zeros += sp->width - len;
        len = sp->width;
    }

    if ( sp->width > len )
        pad = sp->width - len;

    if ( !(sp->flags & FL_LEFT) )
        put_repeat(o, ' ', pad);
    if ( sign )
        put_char(o, sign);
    put_mem(o, prefix, strlen(prefix));
    put_repeat(o, '0', zeros);
    while ( ndigits )
        put_char(o, tmp[--ndigits]);
    if ( sp->flags & FL_LEFT )
        put_repeat(o, ' ', pad);
}

/* %p, %pS and %ps: ext is 'S', 's' or '\0'. */
static void put_pointer(struct sink *o, unsigned long addr, char ext,
                        const struct spec *sp)
{
    char namebuf[KSYM_NAME_LEN];
    /* Room for a full name, "+0x", "/0x" and two 16-digit numbers. */
    char out[KSYM_NAME_LEN + 48];
    const char *name = NULL;
    unsigned long size = 0, offset = 0;
    int len;

    if ( ext )
        name = symbols_lookup(addr, &size, &offset, namebuf);

    /* The precision keeps a name without a terminator from being overrun. */
    if ( !name )
        len = snprintf(out, sizeof(out), "0x%016lx", addr);
    else if ( ext == 's' )
        len = snprintf(out, sizeof(out), "%.*s", KSYM_NAME_LEN - 1, name);
    else
        len = snprintf(out, sizeof(out), "%.*s+0x%lx/0x%lx", KSYM_NAME_LEN - 1,
                       name, offset, size);

    put_field(o, out, len, sp);
}

/*
 * Reads a decimal field width or precision, saturating rather than
 * overflowing on absurd values.
 */
static int read_decimal(const char **fmt)
{
    const char *f = *fmt;
    int v = 0;

    for ( ; *f >= '0' && *f <= '9'; f++ )
        v = v > (__INT_MAX__ - 9) / 10 ? __INT_MAX__ : v * 10 + (*f - '0');
    *fmt = f;

    return v;
}

enum length {
    LEN_NONE,
    LEN_HH,
    LEN_H,
    LEN_L,
    LEN_LL,
    LEN_Z,
    LEN_T,
    LEN_J,
};

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
    struct sink o = { .buf = buf, .size = size, .pos = 0 };

    while ( *fmt )
    {
        const char *start = fmt;
        struct spec sp = { .flags = 0, .width = -1, .precision = -1 };
        enum length ln = LEN_NONE;
        unsigned long long u;
        long long s;
        unsigned int base;

        if ( *fmt != '%' )
        {
            put_char(&o, *fmt++);
            continue;
        }
        fmt++;

        for ( ; ; fmt++ )
        {
            if ( *fmt == '-' )
                sp.flags |= FL_LEFT;
            else if ( *fmt == '+' )
                sp.flags |= FL_PLUS;
            else if ( *fmt == ' ' )
                sp.flags |= FL_SPACE;
            else if ( *fmt == '#' )
                sp.flags |= FL_ALT;
            else if ( *fmt == '0' )
                sp.flags |= FL_ZERO;
            else
                break;
        }

        if ( *fmt == '*' )
        {
            int w = va_arg(args, int);

            fmt++;
            /* C99: a negative width argument is '-' plus its magnitude. */
            if ( w < 0 )
            {
                sp.flags |= FL_LEFT;
                w = w == -__INT_MAX__ - 1 ? __INT_MAX__ : -w;
            }
            sp.width = w;
        }
        else if ( *fmt >= '0' && *fmt <= '9' )
            sp.width = read_decimal(&fmt);

        if ( *fmt == '.' )
        {
            fmt++;
            if ( *fmt == '*' )
            {
                int p = va_arg(args, int);

                fmt++;
                /* A negative precision argument means none was given. */
                sp.precision = p < 0 ? -1 : p;
            }
            else
                sp.precision = read_decimal(&fmt);
        }

        switch ( *fmt )
        {
        case 'h':
            ln = LEN_H;
            if ( *++fmt == 'h' )
            {
                ln = LEN_HH;
                fmt++;
            }
            break;
        case 'l':
            ln = LEN_L;
            if ( *++fmt == 'l' )
            {
                ln = LEN_LL;
                fmt++;
            }
            break;
        case 'z':
            ln = LEN_Z;
            fmt++;
            break;
        case 't':
            ln = LEN_T;
            fmt++;
            break;
        case 'j':
            ln = LEN_J;
            fmt++;
            break;
        }

        switch ( *fmt )
        {
        case 'd':
        case 'i':
            switch ( ln )
            {
            case LEN_HH: s = (signed char)va_arg(args, int); break;
            case LEN_H:  s = (short)va_arg(args, int); break;
            case LEN_L:  s = va_arg(args, long); break;
            case LEN_LL: s = va_arg(args, long long); break;
            case LEN_Z:  s = va_arg(args, ssize_t); break;
            case LEN_T:  s = va_arg(args, ptrdiff_t); break;
            case LEN_J:  s = va_arg(args, intmax_t); break;
            default:     s = va_arg(args, int); break;
            }
            /* Negating in unsigned arithmetic keeps LLONG_MIN defined. */
            u = s < 0 ? -(unsigned long long)s : (unsigned long long)s;
            put_number(&o, u, s < 0, true, 10, false, &sp);
            fmt++;
            continue;

        case 'u':
            base = 10;
            break;
        case 'x':
        case 'X':
            base = 16;
            break;
        case 'o':
            base = 8;
            break;

        case 'c':
        {
            char c = (char)va_arg(args, int);

            put_field(&o, &c, 1, &sp);
            fmt++;
            continue;
        }

        case 's':
        {
            const char *str = va_arg(args, const char *);

            if ( !str )
                str = "(null)";
            /* strnlen: a precision may bound an unterminated array. */
            put_field(&o, str,
                      strnlen(str, sp.precision < 0 ? (size_t)-1
                                                    : (size_t)sp.precision),
                      &sp);
            fmt++;
            continue;
        }

        case 'p':
        {
            unsigned long addr = (unsigned long)va_arg(args, void *);
            char ext = '\0';

            fmt++;
            if ( *fmt == 'S' || *fmt == 's' )
                ext = *fmt++;
            put_pointer(&o, addr, ext, &sp);
            continue;
        }

        case '%':
            put_char(&o, '%');
            fmt++;
            continue;

        default:
            /*
             * Not a conversion we know (or the format ended): show the
             * directive as written rather than guess at an argument.
             */
            if ( *fmt )
                fmt++;
            put_mem(&o, start, fmt - start);
            continue;
        }

        switch ( ln )
        {
        case LEN_HH: u = (unsigned char)va_arg(args, unsigned int); break;
        case LEN_H:  u = (unsigned short)va_arg(args, unsigned int); break;
        case LEN_L:  u = va_arg(args, unsigned long); break;
        case LEN_LL: u = va_arg(args, unsigned long long); break;
        case LEN_Z:  u = va_arg(args, size_t); break;
        case LEN_T:  u = (size_t)va_arg(args, ptrdiff_t); break;
        case LEN_J:  u = va_arg(args, uintmax_t); break;
        default:     u = va_arg(args, unsigned int); break;
        }
        put_number(&o, u, false, false, base, *fmt == 'X', &sp);
        fmt++;
    }

    if ( size )
        buf[o.pos < size ? o.pos : size - 1] = '\0';

    return o.pos > __INT_MAX__ ? __INT_MAX__ : (int)o.pos;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list args;
    int ret;

    va_start(args, fmt);
    ret = vsnprintf(buf, size, fmt, args);
    va_end(args);

    return ret;
}

int vscnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
    int ret = vsnprintf(buf, size, fmt, args);

    if ( !size )
        return 0;
    /* ret is at most INT_MAX, so here size - 1 fits an int too. */
    if ( (size_t)ret >= size )
        return (int)(size - 1);

    return ret;
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list args;
    int ret;

    va_start(args, fmt);
    ret = vscnprintf(buf, size, fmt, args);
    va_end(args);

    return ret;
}

/* Value of c as a digit, or 36 (above every base) if it is not one. */
static unsigned int digit_value(char c)
{
    if ( c >= '0' && c <= '9' )
        return c - '0';
    if ( c >= 'a' && c <= 'z' )
        return c - 'a' + 10;
    if ( c >= 'A' && c <= 'Z' )
        return c - 'A' + 10;
    return 36;
}

/*
 * Base 0 picks 16 for "0x", 8 for a leading 0, else 10; base 16 also
 * skips a "0x". The prefix only counts when a hex digit follows it, so
 * "0xg" is a zero followed by "xg". A value too large for 64 bits
 * saturates at the maximum instead of wrapping to something plausible.
 */
unsigned long long simple_strtoull(const char *s, const char **end,
                                   unsigned int base)
{
    unsigned long long v = 0;
    bool overflow = false;
    unsigned int d;

    if ( (base == 0 || base == 16) && s[0] == '0' &&
         (s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16 )
    {
        base = 16;
        s += 2;
    }
    else if ( base == 0 )
        base = s[0] == '0' ? 8 : 10;

    for ( ; (d = digit_value(*s)) < base; s++ )
    {
        if ( v > (~0ULL - d) / base )
            overflow = true;
        v = v * base + d;
    }

    if ( end )
        *end = s;

    return overflow ? ~0ULL : v;
}

long long simple_strtoll(const char *s, const char **end, unsigned int base)
{
    const char *digits = s + (*s == '-' || *s == '+');
    const char *e;
    unsigned long long u = simple_strtoull(digits, &e, base);
    long long v;

    /* A lone sign is not a number: leave *end at the start. */
    if ( e == digits )
    {
        if ( end )
            *end = s;
        return 0;
    }

    if ( *s == '-' )
        v = u > (unsigned long long)__LONG_LONG_MAX__ ? -__LONG_LONG_MAX__ - 1
                                                      : -(long long)u;
    else
        v = u > (unsigned long long)__LONG_LONG_MAX__ ? __LONG_LONG_MAX__
                                                      : (long long)u;

    if ( end )
        *end = e;

    return v;
}

unsigned long long parse_size_and_unit(const char *s, const char **end)
{
    const char *e;
    unsigned long long v = simple_strtoull(s, &e, 0);
    unsigned int shift = 0;

    if ( e != s )
    {
        switch ( *e )
        {
        case 'T': case 't': shift = 40; break;
        case 'G': case 'g': shift = 30; break;
        case 'M': case 'm': shift = 20; break;
        case 'K': case 'k': shift = 10; break;
        }
        if ( shift )
        {
            e++;
            v = v > (~0ULL >> shift) ? ~0ULL : v << shift;
        }
    }

    if ( end )
        *end = e;

    return v;
}
