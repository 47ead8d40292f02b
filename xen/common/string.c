/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The C string and memory functions the hypervisor uses.
 *
 * The compiler turns plain byte-copy and byte-fill loops into calls to
 * memcpy()/memset(), which would make those two call themselves. Inside
 * the hypervisor they are therefore written with the x86 string
 * instructions, which are also what recent CPUs run fastest for
 * unaligned sizes (ERMS). The plain C loops are what the host unit tests
 * build, with that loop transformation switched off.
 */
#include <xen/string.h>

void *memcpy(void *dst, const void *src, size_t n)
{
#ifdef __XEN__
    void *d = dst;

    asm volatile ( "rep movsb"
                   : "+D" (d), "+S" (src), "+c" (n)
                   :
                   : "memory" );
#else
    unsigned char *d = dst;
    const unsigned char *s = src;

    while ( n-- )
        *d++ = *s++;
#endif

    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    /* Copying forwards is only wrong when dst starts inside src. */
    if ( (uintptr_t)dst - (uintptr_t)src >= n )
        return memcpy(dst, src, n);

#ifdef __XEN__
    {
        unsigned char *d = (unsigned char *)dst + n - 1;
        const unsigned char *s = (const unsigned char *)src + n - 1;

        /* The ABI requires DF clear on return, hence the cld. */
        asm volatile ( "std; rep movsb; cld"
                       : "+D" (d), "+S" (s), "+c" (n)
                       :
                       : "memory" );
    }
#else
    {
        unsigned char *d = (unsigned char *)dst + n;
        const unsigned char *s = (const unsigned char *)src + n;

        while ( n-- )
            *--d = *--s;
    }
#endif

    return dst;
}

void *memset(void *dst, int c, size_t n)
{
#ifdef __XEN__
    void *d = dst;

    asm volatile ( "rep stosb"
                   : "+D" (d), "+c" (n)
                   : "a" (c)
                   : "memory" );
#else
    unsigned char *d = dst;

    while ( n-- )
        *d++ = (unsigned char)c;
#endif

    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;

    for ( ; n; n--, p++, q++ )
        if ( *p != *q )
            return *p < *q ? -1 : 1;

    return 0;
}

void *memchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;

    for ( ; n; n--, p++ )
        if ( *p == (unsigned char)c )
            return (void *)p;

    return NULL;
}

size_t strlen(const char *s)
{
    const char *p = s;

    while ( *p )
        p++;

    return p - s;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;

    while ( n < max && s[n] )
        n++;

    return n;
}

int strcmp(const char *a, const char *b)
{
    /* The sign must come from unsigned bytes, as the standard says. */
    const unsigned char *p = (const unsigned char *)a;
    const unsigned char *q = (const unsigned char *)b;

    for ( ; *p == *q; p++, q++ )
        if ( !*p )
            return 0;

    return *p < *q ? -1 : 1;
}

int strncmp(const char *a, const char *b, size_t n)
{
    const unsigned char *p = (const unsigned char *)a;
    const unsigned char *q = (const unsigned char *)b;

    for ( ; n; n--, p++, q++ )
    {
        if ( *p != *q )
            return *p < *q ? -1 : 1;
        if ( !*p )
            break;
    }

    return 0;
}

char *strchr(const char *s, int c)
{
    /* Searching for '\0' finds the terminator, so test before stopping. */
    for ( ; ; s++ )
    {
        if ( *s == (char)c )
            return (char *)s;
        if ( !*s )
            return NULL;
    }
}

char *strrchr(const char *s, int c)
{
    const char *found = NULL;

    for ( ; ; s++ )
    {
        if ( *s == (char)c )
            found = s;
        if ( !*s )
            return (char *)found;
    }
}

char *strstr(const char *haystack, const char *needle)
{
    size_t n = strlen(needle);

    for ( ; ; haystack++ )
    {
        if ( !strncmp(haystack, needle, n) )
            return (char *)haystack;
        if ( !*haystack )
            return NULL;
    }
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);

    if ( size )
    {
        size_t n = len < size ? len : size - 1;

        memcpy(dst, src, n);
        dst[n] = '\0';
    }

    return len;
}
