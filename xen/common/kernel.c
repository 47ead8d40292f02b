/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The command-line parser. See xen/param.h for the syntax.
 *
 * Nothing is copied except what a custom parser needs as a C string:
 * names are matched and values converted in place in the command line,
 * so an option of any length is handled without a fixed buffer.
 */
#include <xen/lib.h>
#include <xen/param.h>
#include <xen/string.h>

/* A custom parser's value, terminator included. */
#define CUSTOM_VALUE_MAX 128

/* Names and values longer than this are cut short in reports. */
#define REPORT_MAX 127

/* One option of the command line, as pointers into it. */
struct token {
    const char *name;     /* start of the option */
    const char *name_end; /* the '=' or the end of the option */
    const char *value;    /* after the '=', or NULL for a bare name */
    const char *end;      /* end of the option */
};

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Splits off the option at *p; false at the end of the line. */
static bool next_token(const char **p, struct token *t)
{
    const char *s = *p;

    while ( is_space(*s) )
        s++;
    if ( !*s )
        return false;

    t->name = s;
    t->value = NULL;
    for ( ; *s && !is_space(*s); s++ )
        if ( *s == '=' && !t->value )
            t->value = s + 1;
    t->end = s;
    t->name_end = t->value ? t->value - 1 : s;
    *p = s;

    return true;
}

static bool span_is(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && !strncmp(s, word, len);
}

int parse_bool(const char *s, const char *e)
{
    static const struct {
        const char *word;
        int val;
    } words[] = {
        { "1", 1 },      { "0", 0 },
        { "yes", 1 },    { "no", 0 },
        { "on", 1 },     { "off", 0 },
        { "true", 1 },   { "false", 0 },
        { "enable", 1 }, { "disable", 0 },
    };
    size_t len = e ? (size_t)(e - s) : strlen(s);
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(words); i++ )
        if ( span_is(s, len, words[i].word) )
            return words[i].val;

    return -1;
}

/*
 * An unsigned number filling exactly [s, e): decimal, 0x hex or 0 octal.
 * Fails on anything else, including a value beyond 64 bits.
 */
static bool parse_number(const char *s, const char *e, uint64_t *val,
                         const char **stop)
{
    unsigned int base = 10;
    uint64_t v = 0;
    const char *digits;

    if ( e - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') )
    {
        base = 16;
        s += 2;
    }
    else if ( e - s > 1 && s[0] == '0' )
        base = 8;

    for ( digits = s; s < e; s++ )
    {
        unsigned int d;

        if ( *s >= '0' && *s <= '9' )
            d = *s - '0';
        else if ( *s >= 'a' && *s <= 'f' )
            d = *s - 'a' + 10;
        else if ( *s >= 'A' && *s <= 'F' )
            d = *s - 'A' + 10;
        else
            break;
        if ( d >= base )
            break;
        if ( v > (UINT64_MAX - d) / base )
            return false;
        v = v * base + d;
    }

    /* "0x" alone is not a number, and neither is a bare unit. */
    if ( s == digits )
        return false;

    /* Only a size may have something (its unit) after the digits. */
    if ( stop )
        *stop = s;
    else if ( s != e )
        return false;

    *val = v;
    return true;
}

/* A number with an optional K/M/G/T suffix (either case) filling [s, e). */
static bool parse_size(const char *s, const char *e, uint64_t *val)
{
    const char *p;
    unsigned int shift = 0;
    uint64_t v;

    if ( !parse_number(s, e, &v, &p) )
        return false;

    if ( e - p == 1 )
    {
        switch ( *p )
        {
        case 'K': case 'k': shift = 10; break;
        case 'M': case 'm': shift = 20; break;
        case 'G': case 'g': shift = 30; break;
        case 'T': case 't': shift = 40; break;
        default: return false;
        }
    }
    else if ( p != e )
        return false;

    if ( v > (UINT64_MAX >> shift) )
        return false;

    *val = v << shift;
    return true;
}

/* Stores v into an integer of len bytes, refusing what does not fit. */
static bool store_uint(void *var, unsigned int len, uint64_t v)
{
    switch ( len )
    {
    case 1:
        if ( v > UINT8_MAX )
            return false;
        *(uint8_t *)var = v;
        return true;
    case 2:
        if ( v > UINT16_MAX )
            return false;
        *(uint16_t *)var = v;
        return true;
    case 4:
        if ( v > UINT32_MAX )
            return false;
        *(uint32_t *)var = v;
        return true;
    case 8:
        *(uint64_t *)var = v;
        return true;
    }

    return false;
}

static int report_len(size_t len)
{
    return len > REPORT_MAX ? REPORT_MAX : (int)len;
}

static void report_bad(const char *name, const char *val, const char *end)
{
    size_t len = val ? (size_t)(end - val) : 0;

    printk(XENLOG_WARNING
           "Bad value for command line option '%s': '%.*s%s' (default kept)\n",
           name, report_len(len), val ? val : "",
           len > REPORT_MAX ? "..." : "");
}

static void report_unknown(const struct token *t)
{
    size_t len = t->name_end - t->name;

    printk(XENLOG_WARNING "Unknown command line option '%.*s%s'\n",
           report_len(len), t->name, len > REPORT_MAX ? "..." : "");
}

static const struct kernel_param *find_param(const char *name, size_t len,
                                             const struct kernel_param *start,
                                             const struct kernel_param *end)
{
    const struct kernel_param *p;

    for ( p = start; p < end; p++ )
        if ( span_is(name, len, p->name) )
            return p;

    return NULL;
}

/*
 * Has the name of t appeared before t in the command line? Whether a name
 * is known depends only on the name, so an earlier occurrence was unknown
 * too and has been reported: rescanning gives dedup without a table.
 */
static bool seen_before(const char *cmdline, const struct token *t)
{
    const char *p = cmdline;
    struct token prev;
    size_t len = t->name_end - t->name;

    while ( next_token(&p, &prev) && prev.name < t->name )
        if ( (size_t)(prev.name_end - prev.name) == len &&
             !strncmp(prev.name, t->name, len) )
            return true;

    return false;
}

/* Applies one option; returns true if it set its variable. */
static bool apply(const struct kernel_param *param, const struct token *t)
{
    const char *val = t->value ? t->value : t->end;
    size_t len = t->end - val;
    uint64_t v;

    switch ( param->type )
    {
    case OPT_BOOL:
    {
        int b = t->value ? parse_bool(val, t->end) : 1;

        return b >= 0 && store_uint(param->par.var, param->len, b);
    }

    case OPT_UINT:
        return parse_number(val, t->end, &v, NULL) &&
               store_uint(param->par.var, param->len, v);

    case OPT_SIZE:
        return parse_size(val, t->end, &v) &&
               store_uint(param->par.var, param->len, v);

    case OPT_STR:
        /* A cut-down string could name the wrong thing: keep the old one. */
        if ( len >= param->len )
            return false;
        memcpy(param->par.var, val, len);
        ((char *)param->par.var)[len] = '\0';
        return true;

    case OPT_CUSTOM:
    {
        char buf[CUSTOM_VALUE_MAX];

        if ( len >= sizeof(buf) )
            return false;
        memcpy(buf, val, len);
        buf[len] = '\0';
        return param->par.func(buf) >= 0;
    }
    }

    return false;
}

unsigned int parse_params(const char *cmdline,
                          const struct kernel_param *start,
                          const struct kernel_param *end)
{
    const char *p = cmdline;
    struct token t;
    unsigned int reports = 0;

    if ( !cmdline )
        return 0;

    while ( next_token(&p, &t) )
    {
        size_t len = t.name_end - t.name;
        const struct kernel_param *param = find_param(t.name, len, start, end);

        if ( !param && len > 3 && !strncmp(t.name, "no-", 3) )
        {
            param = find_param(t.name + 3, len - 3, start, end);
            if ( param )
            {
                /* "no-" only negates a boolean and takes no value. */
                if ( param->type != OPT_BOOL || t.value ||
                     !store_uint(param->par.var, param->len, 0) )
                {
                    report_bad(param->name, t.name, t.end);
                    reports++;
                }
                continue;
            }
        }

        if ( !param )
        {
            if ( !seen_before(cmdline, &t) )
            {
                report_unknown(&t);
                reports++;
            }
            continue;
        }

        if ( !apply(param, &t) )
        {
            report_bad(param->name, t.value, t.end);
            reports++;
        }
    }

    return reports;
}

#ifdef __XEN__
void cmdline_parse(const char *cmdline)
{
    parse_params(cmdline, __setup_start, __setup_end);
}
#endif
