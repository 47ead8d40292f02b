/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_BITOPS_H
#define XEN_BITOPS_H

/*
 * Bit arrays of unsigned longs. set_bit(), clear_bit() and the
 * test_and_*() forms are atomic (locked) and may race with other CPUs;
 * the __ forms are plain read-modify-write for data only one CPU touches.
 */

#include <xen/types.h>

#define BITS_PER_LONG 64
#define BITS_TO_LONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define BIT_WORD(nr) ((nr) / BITS_PER_LONG)
#define BIT_MASK(nr) (1UL << ((nr) % BITS_PER_LONG))

static inline void set_bit(unsigned int nr, volatile unsigned long *addr)
{
    __atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_SEQ_CST);
}

static inline void clear_bit(unsigned int nr, volatile unsigned long *addr)
{
    __atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT_MASK(nr), __ATOMIC_SEQ_CST);
}

static inline bool test_and_set_bit(unsigned int nr,
                                    volatile unsigned long *addr)
{
    return __atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr),
                             __ATOMIC_SEQ_CST) & BIT_MASK(nr);
}

static inline bool test_and_clear_bit(unsigned int nr,
                                      volatile unsigned long *addr)
{
    return __atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT_MASK(nr),
                              __ATOMIC_SEQ_CST) & BIT_MASK(nr);
}

static inline void __set_bit(unsigned int nr, unsigned long *addr)
{
    addr[BIT_WORD(nr)] |= BIT_MASK(nr);
}

static inline void __clear_bit(unsigned int nr, unsigned long *addr)
{
    addr[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}

static inline bool test_bit(unsigned int nr, const volatile unsigned long *addr)
{
    return addr[BIT_WORD(nr)] & BIT_MASK(nr);
}

/* Index of the first set bit at or after start, or size if none. */
static inline unsigned int find_next_bit(const unsigned long *addr,
                                         unsigned int size,
                                         unsigned int start)
{
    while ( start < size )
    {
        unsigned long w = addr[BIT_WORD(start)] >> (start % BITS_PER_LONG);

        if ( w )
        {
            start += __builtin_ctzl(w);
            return start < size ? start : size;
        }
        start = (start | (BITS_PER_LONG - 1)) + 1;
    }

    return size;
}

static inline unsigned int find_first_bit(const unsigned long *addr,
                                          unsigned int size)
{
    return find_next_bit(addr, size, 0);
}

#endif /* XEN_BITOPS_H */
