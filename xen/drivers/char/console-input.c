/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The serial input ring and the switch sequence detector: no hardware,
 * no locks, nothing but the state handed in (see console-input.h).
 */
#include "console-input.h"

bool input_ring_put(struct input_ring *r, char c)
{
    if ( r->prod - r->cons == INPUT_RING_SIZE )
    {
        r->dropped++;
        return false;
    }
    r->buf[r->prod++ % INPUT_RING_SIZE] = c;
    return true;
}

unsigned int input_ring_count(const struct input_ring *r)
{
    return r->prod - r->cons;
}

unsigned int input_ring_peek(const struct input_ring *r, char *out,
                             unsigned int max)
{
    unsigned int n = input_ring_count(r), i;

    if ( n > max )
        n = max;
    for ( i = 0; i < n; i++ )
        out[i] = r->buf[(r->cons + i) % INPUT_RING_SIZE];

    return n;
}

void input_ring_drop(struct input_ring *r, unsigned int n)
{
    if ( n > input_ring_count(r) )
        n = input_ring_count(r);
    r->cons += n;
}

bool input_ring_get(struct input_ring *r, char *c)
{
    if ( !input_ring_peek(r, c, 1) )
        return false;
    r->cons++;
    return true;
}

unsigned int conswitch_feed(struct conswitch *s, char c,
                            char out[CONSWITCH_RUN], bool *toggle)
{
    unsigned int n = 0;

    *toggle = false;
    if ( s->code && c == s->code )
    {
        if ( ++s->held < CONSWITCH_RUN )
            return 0;
        s->held = 0;
        *toggle = true;
        return 0;
    }

    /* held < CONSWITCH_RUN, so they and c fit in out[]. */
    for ( ; s->held; s->held-- )
        out[n++] = s->code;
    out[n++] = c;

    return n;
}
