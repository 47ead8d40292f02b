/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_DRIVERS_CHAR_CONSOLE_INPUT_H
#define XEN_DRIVERS_CHAR_CONSOLE_INPUT_H

/*
 * The pure parts of serial console input (console-input.c), kept apart
 * from console.c so that the host unit tests can run them alone: a byte
 * ring, and the state machine that spots the switch sequence (the switch
 * character three times in a row).
 *
 * Neither locks anything: console.c serialises each instance.
 */
#include <xen/types.h>

/* A power of two, so that free-running indices wrap with the buffer. */
#define INPUT_RING_SIZE 128

/*
 * prod - cons bytes are waiting, oldest at cons. Both indices only grow
 * (modulo 2^32): a full ring has prod - cons == INPUT_RING_SIZE.
 */
struct input_ring {
    char buf[INPUT_RING_SIZE];
    unsigned int prod, cons;
    unsigned long dropped;      /* bytes refused because the ring was full */
};

/*
 * Appends c; false (and c counted in dropped) if the ring is full. The
 * newest byte is the one lost: what is waiting was typed first.
 */
bool input_ring_put(struct input_ring *r, char c);

/* Bytes waiting. */
unsigned int input_ring_count(const struct input_ring *r);

/* Copies up to max waiting bytes, oldest first, leaving them waiting. */
unsigned int input_ring_peek(const struct input_ring *r, char *out,
                             unsigned int max);

/* Forgets the n oldest bytes (n <= input_ring_count()). */
void input_ring_drop(struct input_ring *r, unsigned int n);

/* Removes and returns the oldest byte; false if there is none. */
bool input_ring_get(struct input_ring *r, char *c);

/*
 * The switch: CONSWITCH_RUN switch characters in a row toggle where
 * input goes, and are swallowed. Switch characters are held back as
 * they arrive; if something else comes before the run is complete, the
 * held ones were ordinary input after all and are passed on first, in
 * order, so nothing typed is lost or reordered.
 */
#define CONSWITCH_RUN 3

struct conswitch {
    char code;                  /* e.g. 0x01, Ctrl-A; 0: never switch */
    unsigned int held;          /* switch characters held back (< RUN) */
};

/*
 * Feeds c. Fills out[] with the bytes to pass on now (at most
 * CONSWITCH_RUN: the held switch characters, then c) and returns how
 * many; sets *toggle if c completed a run (then nothing is passed on),
 * clears it otherwise.
 */
unsigned int conswitch_feed(struct conswitch *s, char c,
                            char out[CONSWITCH_RUN], bool *toggle);

#endif /* XEN_DRIVERS_CHAR_CONSOLE_INPUT_H */
