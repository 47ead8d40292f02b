/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XEN_COMPILER_H
#define XEN_COMPILER_H

#define __used          __attribute__((__used__))
#define __unused        __attribute__((__unused__))
#define __packed        __attribute__((__packed__))
#define __aligned(a)    __attribute__((__aligned__(a)))
#define __section(s)    __attribute__((__section__(s)))
#define __noreturn      __attribute__((__noreturn__))
#define __printf(f, a)  __attribute__((__format__(__printf__, f, a)))
#define __noinline      __attribute__((__noinline__))
#ifndef __always_inline /* the host C library's headers may define it */
#define __always_inline inline __attribute__((__always_inline__))
#endif

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define barrier() __asm__ __volatile__ ( "" ::: "memory" )

/* The object that holds member at ptr. */
#define container_of(ptr, type, member) \
    ((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

#define BUILD_BUG_ON(cond) _Static_assert(!(cond), "BUILD_BUG_ON: " #cond)

#define __stringify_1(x) #x
#define __stringify(x)   __stringify_1(x)

/*
 * IS_ENABLED(CONFIG_FOO): 1 if Kconfig set FOO to y, else 0, usable in
 * plain C conditions so that both branches are always compiled.
 */
#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(ignored, val, ...) val
#define __is_defined(x)          ___is_defined(x)
#define ___is_defined(val)       ____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk) __take_second_arg(arg1_or_junk 1, 0)
#define IS_ENABLED(option) __is_defined(option)

#endif /* XEN_COMPILER_H */
