/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The command line of a domU boot module (xen/domu.h has the syntax).
 * Words are separated by spaces; a word is read in full before it is
 * judged, so "mem=16Mx" is a bad size rather than 16 MiB and a stray x.
 */
#include <asm/config.h>
#include <xen/domu.h>
#include <xen/errno.h>
#include <xen/lib.h>
#include <xen/string.h>

#define DOMU_TAG "domU"
#define DOMU_INITRD_TAG "domU-initrd"

/* Length of the word at s (up to a space or the end). */
static size_t word_len(const char *s)
{
    size_t n = 0;

    while ( s[n] && s[n] != ' ' )
        n++;

    return n;
}

static bool first_word_is(const char *s, const char *word)
{
    size_t n = strlen(word);

    return !strncmp(s, word, n) && (s[n] == ' ' || s[n] == '\0');
}

bool is_domu_cmdline(const char *s)
{
    return first_word_is(s, DOMU_TAG);
}

bool is_domu_initrd_cmdline(const char *s)
{
    return first_word_is(s, DOMU_INITRD_TAG);
}

bool is_domu_module_cmdline(const char *s)
{
    return is_domu_cmdline(s) || is_domu_initrd_cmdline(s);
}

int parse_domu_initrd_cmdline(const char *s, char *err, size_t len)
{
    if ( !is_domu_initrd_cmdline(s) )
    {
        snprintf(err, len, "not a domU-initrd line");
        return -EINVAL;
    }
    s += strlen(DOMU_INITRD_TAG);
    while ( *s == ' ' )
        s++;
    /* Options would be silently meaningless: refuse them. */
    if ( *s )
    {
        snprintf(err, len, "unexpected \"%.*s\" after domU-initrd (it "
                 "takes no options)", (int)word_len(s), s);
        return -EINVAL;
    }

    return 0;
}

static int parse_mem(const char *v, size_t n, struct domu_config *c)
{
    const char *end;
    unsigned long long bytes;

    if ( !n || *v < '0' || *v > '9' )
        return -EINVAL;
    bytes = parse_size_and_unit(v, &end);
    if ( end != v + n || !bytes || bytes == ~0ULL )
        return -EINVAL;
    c->nr_pages = (bytes + PAGE_SIZE - 1) >> PAGE_SHIFT;

    return 0;
}

static int parse_vcpus(const char *v, size_t n, struct domu_config *c)
{
    unsigned int val = 0;
    size_t i;

    if ( !n || n > 4 )
        return -EINVAL;
    for ( i = 0; i < n; i++ )
    {
        if ( v[i] < '0' || v[i] > '9' )
            return -EINVAL;
        val = val * 10 + (v[i] - '0');
    }
    if ( !val || val > DOMU_MAX_VCPUS )
        return -EINVAL;
    c->vcpus = val;

    return 0;
}

int parse_domu_cmdline(const char *s, struct domu_config *c, char *err,
                       size_t len)
{
    bool have_mem = false;

    c->nr_pages = 0;
    c->vcpus = 1;
    c->cmdline = "";
    if ( !is_domu_cmdline(s) )
    {
        snprintf(err, len, "not a domU line");
        return -EINVAL;
    }

    s += strlen(DOMU_TAG);
    for ( ;; )
    {
        size_t n;

        while ( *s == ' ' )
            s++;
        if ( !*s )
            break;
        n = word_len(s);
        if ( n == 2 && !strncmp(s, "--", 2) )
        {
            s += 2;
            while ( *s == ' ' )
                s++;
            c->cmdline = s;
            break;
        }
        if ( n > 4 && !strncmp(s, "mem=", 4) )
        {
            if ( parse_mem(s + 4, n - 4, c) )
            {
                snprintf(err, len, "bad size in \"%.*s\"", (int)n, s);
                return -EINVAL;
            }
            have_mem = true;
        }
        else if ( n > 6 && !strncmp(s, "vcpus=", 6) )
        {
            if ( parse_vcpus(s + 6, n - 6, c) )
            {
                snprintf(err, len, "bad vCPU count in \"%.*s\" (1 to %u)",
                         (int)n, s, DOMU_MAX_VCPUS);
                return -EINVAL;
            }
        }
        else
        {
            snprintf(err, len, "unknown option \"%.*s\" (mem=, vcpus=, then "
                     "-- and the guest's command line)", (int)n, s);
            return -EINVAL;
        }
        s += n;
    }

    if ( !have_mem )
    {
        snprintf(err, len, "no mem=<size>");
        return -EINVAL;
    }

    return 0;
}
