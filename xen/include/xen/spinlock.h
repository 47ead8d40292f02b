/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_SPINLOCK_H
#define XEN_SPINLOCK_H

/*
 * Ticket spinlocks and reader-writer locks (xen/common/spinlock.c).
 *
 * Spinlocks are fair: CPUs get the lock in the order they asked. They
 * are not recursive. The rules, which debug builds check once more than
 * one CPU runs (spin_debug_enable()):
 *  - a lock is always taken with interrupts enabled, or always with them
 *    disabled: a lock taken by an interrupt handler and, with interrupts
 *    on, by ordinary code deadlocks when the handler interrupts its own
 *    CPU's holder. A failed-or-not trylock with interrupts off is exempt
 *    (it cannot wait);
 *  - a CPU never takes a lock it holds (recursion), and only the holder
 *    releases it;
 *  - a lock waited on for about 2^31 spins is reported (once), naming
 *    the holder, instead of hanging silently;
 *  - nothing waits for another CPU's function call (on_selected_cpus())
 *    while holding a lock: spin_assert_none_held() BUGs.
 * Waiting for TLB shootdowns under a lock is allowed: a CPU that spins on
 * a lock with interrupts off serves the shootdown requests aimed at it
 * while it spins, so the holder's wait always ends.
 * Until spin_debug_enable() the boot CPU runs alone with interrupts off,
 * so the interrupt rule would only catch boot-time noise.
 *
 * Reader-writer locks: any number of readers or one writer; a waiting
 * writer stops new readers (so writers are not starved), which also
 * means a reader must not take the same lock for reading again.
 */

#include <asm/atomic.h>
#include <asm/system.h>
#include <xen/types.h>

#define SPINLOCK_NO_CPU 0xffffU

struct lock_debug {
    int8_t irq_safe;       /* -1: not seen yet; 0: irqs on; 1: irqs off */
};

typedef struct spinlock {
    union {
        uint32_t head_tail;
        struct {
            uint16_t head;     /* ticket being served */
            uint16_t tail;     /* next ticket to hand out */
        };
    } tickets;
    uint16_t owner;            /* holding CPU, or SPINLOCK_NO_CPU */
#ifdef CONFIG_DEBUG
    struct lock_debug debug;
#endif
} spinlock_t;

#ifdef CONFIG_DEBUG
#define LOCK_DEBUG_INIT , .debug = { .irq_safe = -1 }
#else
#define LOCK_DEBUG_INIT
#endif

#define SPIN_LOCK_UNLOCKED { .tickets = { .head_tail = 0 }, \
                             .owner = SPINLOCK_NO_CPU LOCK_DEBUG_INIT }
#define DEFINE_SPINLOCK(l) spinlock_t l = SPIN_LOCK_UNLOCKED

static inline void spin_lock_init(spinlock_t *l)
{
    *l = (spinlock_t)SPIN_LOCK_UNLOCKED;
}

void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
/* Takes the lock only if that needs no waiting; true if taken. */
bool spin_trylock(spinlock_t *l);

/* Interrupts must be on; they are off while the lock is held. */
void spin_lock_irq(spinlock_t *l);
void spin_unlock_irq(spinlock_t *l);

/* Any interrupt state; the previous one goes back on unlock. */
unsigned long _spin_lock_irqsave(spinlock_t *l);
void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags);
#define spin_lock_irqsave(l, f) ((f) = _spin_lock_irqsave(l))

static inline bool spin_is_locked(const spinlock_t *l)
{
    uint32_t ht = read_atomic(&l->tickets.head_tail);

    return (uint16_t)ht != (uint16_t)(ht >> 16);
}

/* This CPU holds l (for ASSERTs). */
bool spin_is_locked_by_me(const spinlock_t *l);

typedef struct rwlock {
    spinlock_t writer;         /* writers queue here, fairly */
    uint32_t cnts;             /* RW_WRITER | number of readers */
#ifdef CONFIG_DEBUG
    struct lock_debug debug;
#endif
} rwlock_t;

#define RW_LOCK_UNLOCKED { .writer = SPIN_LOCK_UNLOCKED, .cnts = 0 \
                           LOCK_DEBUG_INIT }
#define DEFINE_RWLOCK(l) rwlock_t l = RW_LOCK_UNLOCKED

static inline void rwlock_init(rwlock_t *l)
{
    *l = (rwlock_t)RW_LOCK_UNLOCKED;
}

void read_lock(rwlock_t *l);
void read_unlock(rwlock_t *l);
void write_lock(rwlock_t *l);
void write_unlock(rwlock_t *l);
unsigned long _read_lock_irqsave(rwlock_t *l);
void read_unlock_irqrestore(rwlock_t *l, unsigned long flags);
unsigned long _write_lock_irqsave(rwlock_t *l);
void write_unlock_irqrestore(rwlock_t *l, unsigned long flags);
#define read_lock_irqsave(l, f)  ((f) = _read_lock_irqsave(l))
#define write_lock_irqsave(l, f) ((f) = _write_lock_irqsave(l))

bool rw_is_locked(const rwlock_t *l);
bool rw_is_write_locked(const rwlock_t *l);

/* From here on, debug builds check the rules above (after SMP boot). */
void spin_debug_enable(void);

/* Debug builds: BUG (naming what) if this CPU holds any lock. */
#ifdef CONFIG_DEBUG
void spin_assert_none_held(const char *what);
#else
static inline void spin_assert_none_held(const char *what) { (void)what; }
#endif

#endif /* XEN_SPINLOCK_H */
