/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host stand-ins for hypervisor services; see shim.h. Built with the
 * host's C library, which is why it formats with the host's vsnprintf.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim.h"

#include <xen/lib.h>
#include <xen/symbols.h>

static char capture[PRINTK_CAPTURE_SIZE];
static size_t capture_len;
static unsigned int capture_calls;

const char *printk_output(void)
{
    return capture;
}

void printk_clear(void)
{
    capture_len = 0;
    capture_calls = 0;
    capture[0] = '\0';
}

unsigned int printk_calls(void)
{
    return capture_calls;
}

unsigned int printk_count(const char *needle)
{
    const char *p = capture;
    size_t len = strlen(needle);
    unsigned int n = 0;

    if ( !len )
        return 0;
    while ( (p = strstr(p, needle)) != NULL )
    {
        n++;
        p += len;
    }

    return n;
}

void vprintk(const char *fmt, va_list args)
{
    size_t room = sizeof(capture) - capture_len;
    int n = vsnprintf(capture + capture_len, room, fmt, args);

    capture_calls++;
    if ( n < 0 )
        return;
    capture_len += (size_t)n < room ? (size_t)n : room - 1;
}

void printk(const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    vprintk(fmt, args);
    va_end(args);
}

/*
 * Laid out like a text section: neighbours touch, and there is a gap
 * between "gap_before" and "after_gap" that belongs to no symbol. The
 * last name is as long as a name can be.
 */
const struct fake_symbol fake_symbols[] = {
    { "start_xen", FAKE_TEXT_BASE, 0x120 },
    { "cmdline_parse", FAKE_TEXT_BASE + 0x120, 0x40 },
    { "gap_before", FAKE_TEXT_BASE + 0x160, 0x20 },
    { "after_gap", FAKE_TEXT_BASE + 0x1000, 0x1234 },
    { "a_very_long_symbol_name_that_fills_the_whole_name_buffer_"
      "of_one_hundred_and_twenty_seven_characters_plus_nul_xxxxxxxxxxxxxxxxxx",
      FAKE_TEXT_BASE + 0x3000, 0x10 },
};
const unsigned int nr_fake_symbols = sizeof(fake_symbols) /
                                     sizeof(fake_symbols[0]);
unsigned int symbols_lookup_calls;

const char *symbols_lookup(unsigned long addr, unsigned long *symsize,
                           unsigned long *offset, char *namebuf)
{
    unsigned int i;

    symbols_lookup_calls++;
    for ( i = 0; i < nr_fake_symbols; i++ )
    {
        const struct fake_symbol *s = &fake_symbols[i];

        if ( addr - s->addr < s->size )
        {
            /* Like the real one: the name lands in the caller's buffer. */
            snprintf(namebuf, KSYM_NAME_LEN, "%s", s->name);
            *symsize = s->size;
            *offset = addr - s->addr;
            return namebuf;
        }
    }

    return NULL;
}

void panic(const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    fprintf(stderr, "panic: ");
    vfprintf(stderr, fmt, args);
    fprintf(stderr, "\n");
    va_end(args);
    abort();
}

void __bug(const char *file, unsigned int line)
{
    fprintf(stderr, "BUG at %s:%u\n", file, line);
    abort();
}

void __warn(const char *file, unsigned int line)
{
    fprintf(stderr, "WARN at %s:%u\n", file, line);
}

void __assert_failed(const char *expr, const char *file, unsigned int line)
{
    fprintf(stderr, "Assertion '%s' failed at %s:%u\n", expr, file, line);
    abort();
}
