/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_ATOMIC_H
#define ASM_X86_ATOMIC_H

/*
 * Shared-memory primitives for SMP.
 *
 * x86 is TSO: loads are not reordered with loads, stores not with
 * stores, and a store is only reordered after a later load. So smp_rmb()
 * and smp_wmb() only have to stop the compiler; smp_mb() is the one that
 * needs a fence. Locked instructions are full barriers by themselves.
 *
 * read_atomic()/write_atomic() are single, untorn accesses the compiler
 * may neither merge, split nor drop: for data that another CPU changes
 * underneath.
 */

#include <xen/compiler.h>
#include <xen/types.h>

#define smp_mb()  __asm__ __volatile__ ( "lock addl $0, -128(%%rsp)" \
                                         ::: "memory", "cc" )
#define smp_rmb() barrier()
#define smp_wmb() barrier()

#define read_atomic(p)     (*(const volatile __typeof__(*(p)) *)(p))
#define write_atomic(p, v) (*(volatile __typeof__(*(p)) *)(p) = (v))

/* Tells a hyperthread sibling (and an emulator) that we are spinning. */
static inline void cpu_relax(void)
{
    __asm__ __volatile__ ( "pause" ::: "memory" );
}

/* Atomically: old = *p; *p += v; returns old. Any integer width. */
#define arch_fetch_and_add(p, v) \
    __atomic_fetch_add((p), (v), __ATOMIC_SEQ_CST)

/* Atomically replaces *p by new if it equals old; returns what *p held. */
#define cmpxchg(p, old, new) ({                                           \
    __typeof__(*(p)) old__ = (old);                                       \
    __atomic_compare_exchange_n((p), &old__, (new), false,                \
                                __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);      \
    old__;                                                                \
})

/* Atomically stores v in *p and returns the previous value. */
#define xchg(p, v) __atomic_exchange_n((p), (v), __ATOMIC_SEQ_CST)

typedef struct {
    int counter;
} atomic_t;

#define ATOMIC_INIT(i) { (i) }

static inline int atomic_read(const atomic_t *v)
{
    return read_atomic(&v->counter);
}

static inline void atomic_set(atomic_t *v, int i)
{
    write_atomic(&v->counter, i);
}

static inline void atomic_add(int i, atomic_t *v)
{
    __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST);
}

static inline void atomic_inc(atomic_t *v)
{
    atomic_add(1, v);
}

static inline void atomic_dec(atomic_t *v)
{
    atomic_add(-1, v);
}

/* Returns the new value. */
static inline int atomic_add_return(int i, atomic_t *v)
{
    return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST);
}

static inline bool atomic_dec_and_test(atomic_t *v)
{
    return atomic_add_return(-1, v) == 0;
}

#endif /* ASM_X86_ATOMIC_H */
