/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen/drivers/char/console-input.c on the host: the serial input ring
 * (order, the full ring, index wrap-around) and the switch sequence
 * detector, fed byte by byte as the UART would, its output compared with
 * a straightforward model of "every third switch character in a row
 * toggles, anything else flushes the held ones".
 */
#include "harness.h"

#include "console-input.h"

#define CTRL_A '\001'

/* ------------------------------------------------------------------------
 * The ring.
 */

TEST(ring_empty)
{
    struct input_ring r = { 0 };
    char c = 'x', buf[4];

    CHECK_EQU(input_ring_count(&r), 0);
    CHECK(!input_ring_get(&r, &c));
    CHECK_EQ(c, 'x');
    CHECK_EQU(input_ring_peek(&r, buf, sizeof(buf)), 0);
}

TEST(ring_fifo_order)
{
    struct input_ring r = { 0 };
    const char *s = "hello";
    char c;
    unsigned int i;

    for ( i = 0; s[i]; i++ )
        CHECK(input_ring_put(&r, s[i]));
    CHECK_EQU(input_ring_count(&r), 5);
    for ( i = 0; s[i]; i++ )
    {
        CHECK(input_ring_get(&r, &c));
        CHECK_EQ(c, s[i]);
    }
    CHECK(!input_ring_get(&r, &c));
}

TEST(ring_full_drops_newest)
{
    struct input_ring r = { 0 };
    char buf[INPUT_RING_SIZE + 8];
    unsigned int i;

    for ( i = 0; i < INPUT_RING_SIZE; i++ )
        CHECK(input_ring_put(&r, (char)i));
    CHECK(!input_ring_put(&r, 'N'));
    CHECK(!input_ring_put(&r, 'M'));
    CHECK_EQU(r.dropped, 2);
    CHECK_EQU(input_ring_count(&r), INPUT_RING_SIZE);

    CHECK_EQU(input_ring_peek(&r, buf, sizeof(buf)), INPUT_RING_SIZE);
    for ( i = 0; i < INPUT_RING_SIZE; i++ )
        CHECK_EQ(buf[i], (char)i);

    /* Room again after one is taken: the next byte goes in. */
    input_ring_drop(&r, 1);
    CHECK(input_ring_put(&r, 'Z'));
    CHECK_EQU(input_ring_peek(&r, buf, sizeof(buf)), INPUT_RING_SIZE);
    CHECK_EQ(buf[0], 1);
    CHECK_EQ(buf[INPUT_RING_SIZE - 1], 'Z');
}

TEST(ring_peek_leaves_drop_takes)
{
    struct input_ring r = { 0 };
    char buf[8];

    input_ring_put(&r, 'a');
    input_ring_put(&r, 'b');
    input_ring_put(&r, 'c');
    CHECK_EQU(input_ring_peek(&r, buf, 2), 2);
    CHECK_MEM(buf, "ab", 2);
    CHECK_EQU(input_ring_count(&r), 3);
    input_ring_drop(&r, 2);
    CHECK_EQU(input_ring_peek(&r, buf, sizeof(buf)), 1);
    CHECK_EQ(buf[0], 'c');
    /* Dropping more than is there takes only what is there. */
    input_ring_drop(&r, 5);
    CHECK_EQU(input_ring_count(&r), 0);
}

/* The indices are free-running: start them just below 2^32. */
TEST(ring_index_wrap)
{
    struct input_ring r = { .prod = 0xfffffffdU, .cons = 0xfffffffdU };
    char buf[INPUT_RING_SIZE];
    unsigned int i, round;

    for ( round = 0; round < 3; round++ )
    {
        for ( i = 0; i < INPUT_RING_SIZE; i++ )
            CHECK(input_ring_put(&r, (char)(i + round)));
        CHECK(!input_ring_put(&r, 0));
        CHECK_EQU(input_ring_count(&r), INPUT_RING_SIZE);
        CHECK_EQU(input_ring_peek(&r, buf, sizeof(buf)), INPUT_RING_SIZE);
        for ( i = 0; i < INPUT_RING_SIZE; i++ )
            CHECK_EQ(buf[i], (char)(i + round));
        input_ring_drop(&r, INPUT_RING_SIZE);
        CHECK_EQU(input_ring_count(&r), 0);
    }
    CHECK(r.prod < 0xfffffffdU);
}

/* ------------------------------------------------------------------------
 * The switch.
 */

struct fed {
    char out[256];
    unsigned int n;
    unsigned int toggles;
    unsigned int toggle_at[16];     /* len of out when each toggle came */
};

static void feed(struct conswitch *s, const char *in, size_t len,
                 struct fed *f)
{
    size_t i;

    for ( i = 0; i < len; i++ )
    {
        char out[CONSWITCH_RUN];
        bool toggle = true;
        unsigned int n = conswitch_feed(s, in[i], out, &toggle), j;

        CHECK(n <= CONSWITCH_RUN);
        CHECK_MSG(!(toggle && n), "byte %zu: toggled and passed %u on", i,
                  n);
        for ( j = 0; j < n; j++ )
            f->out[f->n++] = out[j];
        if ( toggle )
            f->toggle_at[f->toggles++] = f->n;
    }
}

TEST(switch_three_toggle)
{
    struct conswitch s = { .code = CTRL_A };
    struct fed f = { 0 };

    feed(&s, "\001\001", 2, &f);
    CHECK_EQU(f.toggles, 0);
    CHECK_EQU(f.n, 0);
    feed(&s, "\001", 1, &f);
    CHECK_EQU(f.toggles, 1);
    CHECK_EQU(f.n, 0);
    CHECK_EQU(s.held, 0);
}

TEST(switch_interrupted_run_passes_held_on)
{
    struct conswitch s = { .code = CTRL_A };
    struct fed f = { 0 };

    feed(&s, "\001\001x", 3, &f);
    CHECK_EQU(f.toggles, 0);
    CHECK_EQU(f.n, 3);
    CHECK_MEM(f.out, "\001\001x", 3);

    /* The run starts again after the interruption. */
    feed(&s, "\001\001\001", 3, &f);
    CHECK_EQU(f.toggles, 1);
    CHECK_EQU(f.n, 3);
}

TEST(switch_six_toggle_twice_seven_hold_one)
{
    struct conswitch s = { .code = CTRL_A };
    struct fed f = { 0 };

    feed(&s, "\001\001\001\001\001\001\001", 7, &f);
    CHECK_EQU(f.toggles, 2);
    CHECK_EQU(f.n, 0);
    CHECK_EQU(s.held, 1);
    feed(&s, "q", 1, &f);
    CHECK_EQU(f.n, 2);
    CHECK_MEM(f.out, "\001q", 2);
}

TEST(switch_disabled)
{
    struct conswitch s = { .code = 0 };
    struct fed f = { 0 };

    feed(&s, "\001\001\001\0\0\0", 6, &f);
    CHECK_EQU(f.toggles, 0);
    CHECK_EQU(f.n, 6);
    CHECK_MEM(f.out, "\001\001\001\0\0\0", 6);
}

/* Random streams of a, Ctrl-A and b against a model of the rule. */
TEST(switch_random_against_model)
{
    unsigned int seed = 12345, round;

    for ( round = 0; round < 2000; round++ )
    {
        struct conswitch s = { .code = CTRL_A };
        struct fed f = { 0 };
        char in[48], want[64];
        unsigned int len = 1 + round % sizeof(in), i, n = 0, run = 0;
        unsigned int toggles = 0;

        for ( i = 0; i < len; i++ )
        {
            seed = seed * 1103515245U + 12345U;
            in[i] = "a\001\001\001b"[(seed >> 16) % 5];
        }
        feed(&s, in, len, &f);

        for ( i = 0; i < len; i++ )
        {
            if ( in[i] == CTRL_A )
            {
                if ( ++run == 3 )
                {
                    run = 0;
                    CHECK_EQU(f.toggle_at[toggles], n);
                    toggles++;
                }
                continue;
            }
            for ( ; run; run-- )
                want[n++] = CTRL_A;
            want[n++] = in[i];
        }
        CHECK_EQU(f.toggles, toggles);
        CHECK_EQU(f.n, n);
        CHECK_MEM(f.out, want, n);
        CHECK_EQU(s.held, run);
    }
}
