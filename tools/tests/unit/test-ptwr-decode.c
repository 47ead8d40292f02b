/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xen/arch/x86/pv/ptwr-decode.c on the host, against the host CPU.
 *
 * Every accepted encoding is assembled here by the host assembler and
 * run natively on a read-only buffer: the SIGSEGV it takes gives CR2
 * (si_addr), which the decoder must compute from the same registers;
 * the buffer is then opened and the instruction restarted, and what the
 * CPU wrote, the registers and the flags it left are what
 * ptwr_emulate() + ptwr_commit() must produce.
 *
 * Refused encodings (other memory writes, reads, odd prefixes, writes
 * across two entries) are assembled the same way and must be refused
 * with the right error, truncated instructions at every length too, and
 * random bytes must never make the decoder read past what it is given.
 */
/* REG_RIP, REG_ERR in ucontext_t */
#define _GNU_SOURCE
#include "harness.h"

#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <xen/errno.h>
#include <asm/ptwr-decode.h>

#define STR_(x) #x
#define STR(x)  STR_(x)

/* Register numbers in encoding order, as the cases name them. */
enum {
    RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI,
    R8, R9, R10, R11, R12, R13, R14, R15,
    NOREG = -1,
};

#define FLAG_CF (1UL << 0)
#define FLAG_PF (1UL << 2)
#define FLAG_AF (1UL << 4)
#define FLAG_ZF (1UL << 6)
#define FLAG_SF (1UL << 7)
#define FLAG_OF (1UL << 11)
#define FLAGS_STATUS (FLAG_CF | FLAG_PF | FLAG_AF | FLAG_ZF | FLAG_SF | \
                      FLAG_OF)

/*
 * The target: three pages of their own, all read-only while a case runs.
 * MID, the middle page, is where base registers point.
 */
#define BUF_SIZE 0x3000UL
#define MID_OFF  0x1000UL

extern uint8_t ptwr_buf[];
#define MID ((unsigned long)ptwr_buf + MID_OFF)

asm ( ".pushsection .bss.ptwr_buf, \"aw\", @nobits\n"
      ".balign 4096\n"
      "ptwr_buf: .skip " STR(BUF_SIZE) "\n"
      ".balign 4096\n"
      ".popsection" );

/*
 * The index register's value: IV(n) is n, IMID(d) is MID / d (for
 * addresses with no base register).
 */
#define IV(n)   (n), 0
#define IMID(d) 0, (d)

/*
 * The accepted encodings: X(name, operand size, base register, index
 * register, its value, instruction). Every other register holds a random
 * value; the base register holds MID. For BTS/BTR/BTC with a register
 * bit offset, "index" is that register.
 */
/*
 * The hand-made ones, as objdump reads them:
 *   49 89 0d <rel32>           mov %rcx,<rel32>(%rip)    REX.B ignored
 *   49 89 0c f5 38 00 00 00    mov %rcx,0x38(,%rsi,8)    REX.B ignored
 *   48 89 0c 23                mov %rcx,(%rbx,%riz,1)
 *   48 89 0c e3                mov %rcx,(%rbx,%riz,8)
 *   66 48 89 0b                data16 mov %rcx,(%rbx)    REX.W wins
 *   3e 3e 3e 48 c7 84 f3 f8 01 00 00 fb ff ff ff
 *                              ds ds ds movq $-5,0x1f8(%rbx,%rsi,8)
 */
#define GOOD_CASES(X)                                                       \
    /* MOV r/m, r: every size, high and REX byte registers */               \
    X(mov_rbp_rbx_linux, 8, RBX, NOREG, IV(0), movq %rbp, (%rbx))           \
    X(mov_q_disp8, 8, RBX, NOREG, IV(0), movq %rcx, 0x10(%rbx))             \
    X(mov_l_hi_half, 4, RSI, NOREG, IV(0), movl %edx, 0x24(%rsi))           \
    X(mov_w, 2, RDI, NOREG, IV(0), movw %ax, 0x2e(%rdi))                    \
    X(mov_b, 1, RBX, NOREG, IV(0), movb %cl, 0x37(%rbx))                    \
    X(mov_b_ah, 1, RBX, NOREG, IV(0), movb %ah, 0x33(%rbx))                 \
    X(mov_b_bh, 1, RSI, NOREG, IV(0), movb %bh, 0x32(%rsi))                 \
    X(mov_b_sil, 1, RBX, NOREG, IV(0), movb %sil, 0x30(%rbx))               \
    X(mov_b_r9b, 1, R10, NOREG, IV(0), movb %r9b, 1(%r10))                  \
    X(mov_q_r15_r8, 8, R8, NOREG, IV(0), movq %r15, 0x40(%r8))              \
    X(mov_l_r10d_r11, 4, R11, NOREG, IV(0), movl %r10d, (%r11))             \
    X(mov_w_r14w_r9, 2, R9, NOREG, IV(0), movw %r14w, 0x4(%r9))             \
    X(mov_q_rsp_src, 8, RBX, NOREG, IV(0), movq %rsp, 0x8(%rbx))            \
    /* MOV r/m, imm */                                                      \
    X(mov_q_imm_neg, 8, RBX, NOREG, IV(0), movq $-2, 0x48(%rbx))            \
    X(mov_q_imm_pos, 8, RBX, NOREG, IV(0), movq $0x7fffffff, 0x50(%rbx))    \
    X(mov_l_imm, 4, RBX, NOREG, IV(0), movl $0x89abcdef, 0x4(%rbx))         \
    X(mov_w_imm_r12, 2, R12, NOREG, IV(0), movw $0xbeef, 0x2(%r12))         \
    X(mov_b_imm_r13, 1, R13, NOREG, IV(0), movb $0xa5, 0x5(%r13))           \
    /* bases needing a SIB or a displacement, and displacements */          \
    X(mov_r13_nodisp, 8, R13, NOREG, IV(0), movq %rax, (%r13))              \
    X(mov_rbp_nodisp, 8, RBP, NOREG, IV(0), movq %rax, (%rbp))              \
    X(mov_rsp_base, 8, RSP, NOREG, IV(0), movq %rcx, 0x18(%rsp))            \
    X(mov_r12_base, 8, R12, NOREG, IV(0), movq %rcx, (%r12))                \
    X(mov_disp32, 8, RBX, NOREG, IV(0), movq %rcx, 0x100(%rbx))             \
    X(mov_disp8_neg, 8, RBX, NOREG, IV(0), movq %rcx, -0x8(%rbx))           \
    X(mov_disp32_neg, 8, RBX, NOREG, IV(0), movq %rcx, -0x200(%rbx))        \
    /* RIP-relative, with and without an immediate after the disp32 */     \
    X(mov_riprel, 8, NOREG, NOREG, IV(0), movq %rcx, ptwr_buf+0x1050(%rip)) \
    X(mov_riprel_imm32, 8, NOREG, NOREG, IV(0),                             \
      movq $0x1234, ptwr_buf+0x1058(%rip))                                  \
    X(mov_riprel_imm16, 2, NOREG, NOREG, IV(0),                             \
      movw $0x1234, ptwr_buf+0x1062(%rip))                                  \
    X(mov_riprel_imm8, 1, NOREG, NOREG, IV(0),                              \
      movb $0x12, ptwr_buf+0x1069(%rip))                                    \
    /* REX.B=1, mod 00, r/m 101: still RIP-relative, not r13 */            \
    X(mov_riprel_rexb, 8, NOREG, NOREG, IV(0),                              \
      .byte 0x49, 0x89, 0x0d; .long ptwr_buf + 0x1070 - (. + 4))            \
    /* SIB: every scale, negative and extended indexes */                   \
    X(mov_sib_s1, 8, RBX, RSI, IV(2), movq %rcx, 0x6(%rbx,%rsi,1))          \
    X(mov_sib_s2, 8, RBX, RSI, IV(2), movq %rcx, 0x4(%rbx,%rsi,2))          \
    X(mov_sib_s4, 8, RBX, RSI, IV(2), movq %rcx, 0x8(%rbx,%rsi,4))          \
    X(mov_sib_s8, 8, RBX, RSI, IV(2), movq %rcx, (%rbx,%rsi,8))             \
    X(mov_sib_neg, 8, RBX, RDI, IV(-2), movq %rcx, 0x20(%rbx,%rdi,8))       \
    X(mov_sib_r10_r11, 8, R10, R11, IV(3), movq %r9, 0x4(%r10,%r11,4))      \
    X(mov_sib_r12_index, 8, RBX, R12, IV(4), movq %rcx, (%rbx,%r12,2))      \
    X(mov_sib_r13_base, 4, R13, R14, IV(1), movl %ecx, (%r13,%r14,8))       \
    X(mov_sib_rsp_index, 8, RSP, R15, IV(5), movq %rcx, 0x8(%rsp,%r15,8))   \
    X(mov_sib_rbp_disp32, 8, RBP, RAX, IV(7), movq %rcx, 0x208(%rbp,%rax,8)) \
    /* SIB with no base: disp32 + index * scale */                          \
    X(mov_sib_nobase_s8, 8, NOREG, RSI, IMID(8), movq %rcx, 0x28(,%rsi,8))  \
    X(mov_sib_nobase_s1, 8, NOREG, R9, IMID(1), movq %rcx, 0x30(,%r9,1))    \
    /* ... and with REX.B set, which does not make it r13 */                \
    X(mov_sib_nobase_rexb, 8, NOREG, RSI, IMID(8),                          \
      .byte 0x49, 0x89, 0x0c, 0xf5; .long 0x38)                             \
    /* SIB index 100 without REX.X: no index, the scale ignored */         \
    X(mov_sib_noindex, 8, RBX, NOREG, IV(0), .byte 0x48, 0x89, 0x0c, 0x23)  \
    X(mov_sib_noindex_s8, 8, RBX, NOREG, IV(0),                             \
      .byte 0x48, 0x89, 0x0c, 0xe3)                                         \
    /* prefixes: REX.W over 66, ignored segments, repeats, 15 bytes */     \
    X(mov_66_rexw, 8, RBX, NOREG, IV(0), .byte 0x66, 0x48, 0x89, 0x0b)     \
    X(mov_seg_ds, 8, RBX, NOREG, IV(0), .byte 0x3e, 0x48, 0x89, 0x0b)      \
    X(mov_seg_es, 4, RBX, NOREG, IV(0), .byte 0x26, 0x89, 0x0b)            \
    X(mov_seg_cs, 2, RBX, NOREG, IV(0), .byte 0x2e, 0x66, 0x89, 0x0b)      \
    X(mov_seg_ss, 1, RBX, NOREG, IV(0), .byte 0x36, 0x88, 0x0b)            \
    X(mov_66_66, 2, RBX, NOREG, IV(0), .byte 0x66, 0x66, 0x89, 0x0b)       \
    X(mov_15_bytes, 8, RBX, RSI, IV(1),                                     \
      .byte 0x3e, 0x3e, 0x3e; movq $-5, 0x1f8(%rbx,%rsi,8))                 \
    /* XCHG */                                                              \
    X(xchg_q, 8, RBX, NOREG, IV(0), xchgq %rcx, 0x8(%rbx))                  \
    X(xchg_l_r10d, 4, R9, NOREG, IV(0), xchgl %r10d, 0x4(%r9))              \
    X(xchg_w, 2, RBX, NOREG, IV(0), xchgw %dx, 0x6(%rbx))                   \
    X(xchg_b_ah, 1, RBX, NOREG, IV(0), xchgb %ah, 0x1(%rbx))                \
    X(xchg_b_dh, 1, RBX, NOREG, IV(0), xchgb %dh, 0x2(%rbx))                \
    X(xchg_b_r14b, 1, RBX, NOREG, IV(0), xchgb %r14b, 0x7(%rbx))            \
    X(xchg_b_dil, 1, RBX, NOREG, IV(0), xchgb %dil, 0x3(%rbx))              \
    X(xchg_q_lock, 8, RBX, NOREG, IV(0), lock xchgq %rcx, (%rbx))           \
    X(xchg_q_self, 8, RBX, NOREG, IV(0), xchgq %rbx, 0x8(%rbx))             \
    /* CMPXCHG, CMPXCHG8B */                                                \
    X(cmpxchg_q, 8, RBX, NOREG, IV(0), lock cmpxchgq %rcx, 0x10(%rbx))      \
    X(cmpxchg_q_nolock, 8, R9, NOREG, IV(0), cmpxchgq %r8, (%r9))           \
    X(cmpxchg_l, 4, RSI, NOREG, IV(0), lock cmpxchgl %edx, 0x4(%rsi))       \
    X(cmpxchg_w, 2, RBX, NOREG, IV(0), lock cmpxchgw %cx, 0x2(%rbx))        \
    X(cmpxchg_b, 1, RBX, NOREG, IV(0), lock cmpxchgb %cl, 0x3(%rbx))        \
    X(cmpxchg_b_ch, 1, RBX, NOREG, IV(0), lock cmpxchgb %ch, 0x5(%rbx))     \
    X(cmpxchg_l_r12, 4, R12, NOREG, IV(0), lock cmpxchgl %r11d, (%r12))     \
    X(cmpxchg_q_riprel, 8, NOREG, NOREG, IV(0),                             \
      lock cmpxchgq %rcx, ptwr_buf+0x1078(%rip))                            \
    X(cmpxchg8b, 8, RSI, NOREG, IV(0), lock cmpxchg8b 0x8(%rsi))            \
    X(cmpxchg8b_r13, 8, R13, NOREG, IV(0), cmpxchg8b (%r13))                \
    X(cmpxchg8b_riprel, 8, NOREG, NOREG, IV(0),                             \
      lock cmpxchg8b ptwr_buf+0x1080(%rip))                                 \
    /* OR/AND/ADD/SUB/XOR r/m, r */                                         \
    X(or_q, 8, RBX, NOREG, IV(0), lock orq %rcx, 0x8(%rbx))                 \
    X(or_l, 4, RBX, NOREG, IV(0), orl %edx, 0x4(%rbx))                      \
    X(or_w, 2, R10, NOREG, IV(0), lock orw %r9w, 0x2(%r10))                 \
    X(or_b, 1, RBX, NOREG, IV(0), orb %dh, 0x5(%rbx))                       \
    X(and_q, 8, RBX, NOREG, IV(0), andq %rcx, 0x8(%rbx))                    \
    X(and_l, 4, R15, NOREG, IV(0), lock andl %r8d, 0x4(%r15))               \
    X(and_w, 2, RBX, NOREG, IV(0), andw %si, 0x6(%rbx))                     \
    X(and_b, 1, RBX, NOREG, IV(0), lock andb %r11b, 0x7(%rbx))              \
    X(add_q, 8, RBX, NOREG, IV(0), lock addq %rcx, 0x8(%rbx))               \
    X(add_l, 4, RBX, NOREG, IV(0), addl %edx, 0x4(%rbx))                    \
    X(add_w, 2, RBX, NOREG, IV(0), lock addw %ax, (%rbx))                   \
    X(add_b, 1, RBX, NOREG, IV(0), addb %bl, 0x1(%rbx))                     \
    X(sub_q, 8, R14, NOREG, IV(0), subq %r13, 0x8(%r14))                    \
    X(sub_l, 4, RBX, NOREG, IV(0), lock subl %edx, 0x4(%rbx))               \
    X(sub_w, 2, RBX, NOREG, IV(0), subw %cx, 0x6(%rbx))                     \
    X(sub_b, 1, RBX, NOREG, IV(0), lock subb %ch, 0x2(%rbx))                \
    X(xor_q, 8, RBX, NOREG, IV(0), lock xorq %rcx, 0x8(%rbx))               \
    X(xor_l, 4, RBX, NOREG, IV(0), xorl %edx, 0x4(%rbx))                    \
    X(xor_w, 2, RBX, NOREG, IV(0), xorw %di, 0x2(%rbx))                     \
    X(xor_b, 1, RBX, NOREG, IV(0), lock xorb %al, 0x3(%rbx))                \
    /* r/m, imm32 (81), imm8 (83), byte (80) */                             \
    X(or_q_imm32, 8, RBX, NOREG, IV(0), lock orq $0x12345678, 0x8(%rbx))    \
    X(or_l_imm32, 4, RBX, NOREG, IV(0), orl $0x89abcdef, 0x4(%rbx))         \
    X(or_w_imm16, 2, RBX, NOREG, IV(0), orw $0x8001, 0x2(%rbx))             \
    X(or_q_imm8, 8, RBX, NOREG, IV(0), orq $-0x80, 0x8(%rbx))               \
    X(or_l_imm8, 4, RBX, NOREG, IV(0), lock orl $0x7f, (%rbx))              \
    X(or_w_imm8, 2, RBX, NOREG, IV(0), orw $-1, 0x6(%rbx))                  \
    X(or_b_imm, 1, RDI, NOREG, IV(0), lock orb $0x2, 0x1(%rdi))             \
    X(and_q_imm32, 8, RBX, NOREG, IV(0), andq $-0x1001, 0x8(%rbx))          \
    X(and_l_imm32, 4, RBX, NOREG, IV(0), lock andl $0x7ffff0f0, 0x4(%rbx))  \
    X(and_w_imm16, 2, RBX, NOREG, IV(0), andw $0x0ff0, 0x2(%rbx))           \
    X(and_q_imm8, 8, RBX, NOREG, IV(0), lock andq $-3, 0x8(%rbx))           \
    X(and_l_imm8, 4, RBX, NOREG, IV(0), andl $0x7e, (%rbx))                 \
    X(and_w_imm8, 2, RBX, NOREG, IV(0), andw $-0x10, 0x6(%rbx))             \
    X(and_b_imm, 1, RDI, NOREG, IV(0), lock andb $0xfd, (%rdi))             \
    X(add_q_imm32, 8, RBX, NOREG, IV(0), lock addq $0x10000, 0x8(%rbx))     \
    X(add_l_imm32, 4, RBX, NOREG, IV(0), addl $0x80000000, 0x4(%rbx))       \
    X(add_w_imm16, 2, RBX, NOREG, IV(0), addw $0x7fff, 0x2(%rbx))           \
    X(add_q_imm8, 8, RBX, NOREG, IV(0), addq $1, 0x8(%rbx))                 \
    X(add_l_imm8, 4, RBX, NOREG, IV(0), lock addl $-1, (%rbx))              \
    X(add_w_imm8, 2, RBX, NOREG, IV(0), addw $0x40, 0x6(%rbx))              \
    X(add_b_imm, 1, RBX, NOREG, IV(0), addb $0x81, 0x4(%rbx))               \
    X(sub_q_imm32, 8, RBX, NOREG, IV(0), subq $0x1000, 0x8(%rbx))           \
    X(sub_l_imm32, 4, RBX, NOREG, IV(0), lock subl $0x12345, 0x4(%rbx))     \
    X(sub_w_imm16, 2, RBX, NOREG, IV(0), subw $0x8000, 0x2(%rbx))           \
    X(sub_q_imm8, 8, RBX, NOREG, IV(0), lock subq $1, 0x8(%rbx))            \
    X(sub_l_imm8, 4, RBX, NOREG, IV(0), subl $-0x80, (%rbx))                \
    X(sub_w_imm8, 2, RBX, NOREG, IV(0), subw $0x7f, 0x6(%rbx))              \
    X(sub_b_imm, 1, RBX, NOREG, IV(0), lock subb $0x10, 0x7(%rbx))          \
    X(xor_q_imm32, 8, RBX, NOREG, IV(0), xorq $0x55aa55aa, 0x8(%rbx))       \
    X(xor_l_imm32, 4, RBX, NOREG, IV(0), xorl $-0x10000, 0x4(%rbx))         \
    X(xor_w_imm16, 2, RBX, NOREG, IV(0), lock xorw $0x1234, 0x2(%rbx))      \
    X(xor_q_imm8, 8, RBX, NOREG, IV(0), xorq $0x40, 0x8(%rbx))              \
    X(xor_l_imm8, 4, RBX, NOREG, IV(0), xorl $-2, (%rbx))                   \
    X(xor_w_imm8, 2, RBX, NOREG, IV(0), lock xorw $0x1, 0x6(%rbx))          \
    X(xor_b_imm, 1, RBX, NOREG, IV(0), xorb $0xff, 0x1(%rbx))               \
    X(or_q_imm8_riprel, 8, NOREG, NOREG, IV(0),                             \
      lock orq $0x20, ptwr_buf+0x1088(%rip))                                \
    X(and_q_imm32_riprel, 8, NOREG, NOREG, IV(0),                           \
      lock andq $-0x12345, ptwr_buf+0x1090(%rip))                           \
    X(or_q_imm32_r15, 8, R15, R8, IV(1),                                    \
      lock orq $0x100000, 0x10(%r15,%r8,8))                                 \
    /* BTS/BTR/BTC with a register bit offset, in and beyond the operand */ \
    X(bts_q_reg, 8, RBX, RCX, IV(5), lock btsq %rcx, 0x8(%rbx))             \
    X(bts_q_reg_63, 8, RBX, RCX, IV(63), lock btsq %rcx, 0x8(%rbx))         \
    X(bts_q_reg_next, 8, RBX, RCX, IV(70), lock btsq %rcx, 0x8(%rbx))       \
    X(bts_q_reg_prev, 8, RBX, RCX, IV(-3), lock btsq %rcx, 0x8(%rbx))       \
    X(bts_l_reg_hi, 4, RBX, RDX, IV(37), btsl %edx, (%rbx))                 \
    X(bts_l_reg_neg, 4, RBX, RDX, IV(-1), btsl %edx, 0x8(%rbx))             \
    X(bts_w_reg, 2, RBX, RAX, IV(17), btsw %ax, (%rbx))                     \
    X(btr_q_reg, 8, R10, R9, IV(12), lock btrq %r9, (%r10))                 \
    X(btr_l_reg, 4, RBX, RCX, IV(31), btrl %ecx, 0x4(%rbx))                 \
    X(btr_w_reg, 2, RBX, R11, IV(-20), lock btrw %r11w, 0x10(%rbx))         \
    X(btc_q_reg, 8, RBX, RSI, IV(1), btcq %rsi, 0x8(%rbx))                  \
    X(btc_l_reg, 4, RBX, RDI, IV(40), lock btcl %edi, (%rbx))               \
    X(btc_w_reg, 2, RBX, RCX, IV(9), btcw %cx, 0x6(%rbx))                   \
    /* ... and with an immediate, modulo the operand size */                \
    X(bts_q_imm, 8, RBX, NOREG, IV(0), lock btsq $9, 0x8(%rbx))             \
    X(bts_q_imm_big, 8, RBX, NOREG, IV(0), btsq $200, (%rbx))               \
    X(bts_l_imm, 4, RBX, NOREG, IV(0), btsl $33, 0x4(%rbx))                 \
    X(bts_w_imm, 2, RBX, NOREG, IV(0), lock btsw $15, 0x2(%rbx))            \
    X(btr_q_imm, 8, RDI, NOREG, IV(0), lock btrq $5, (%rdi))                \
    X(btr_l_imm, 4, RBX, NOREG, IV(0), btrl $0, 0x4(%rbx))                  \
    X(btr_w_imm, 2, RBX, NOREG, IV(0), btrw $7, 0x6(%rbx))                  \
    X(btr_q_imm_riprel, 8, NOREG, NOREG, IV(0),                             \
      lock btrq $1, ptwr_buf+0x1098(%rip))                                  \
    X(btc_q_imm, 8, R12, NOREG, IV(0), btcq $62, (%r12))                    \
    X(btc_l_imm, 4, RBX, NOREG, IV(0), lock btcl $31, 0x4(%rbx))            \
    X(btc_w_imm, 2, R13, NOREG, IV(0), btcw $3, 0x2(%r13))

/*
 * Writes the decoder must see as the faulting instruction but refuse:
 * X(name, base, instruction). They run natively too, so CR2 is real.
 */
#define RANGE_CASES(X)                                                      \
    X(cross_q, RBX, movq %rcx, 0x4(%rbx))                                   \
    X(cross_q_odd, RBX, movq %rcx, 0x3(%rbx))                               \
    X(cross_l, RBX, movl %ecx, 0x6(%rbx))                                   \
    X(cross_w, RBX, movw %cx, 0x7(%rbx))                                    \
    X(cross_or_l, RBX, lock orl $1, 0x5(%rbx))                              \
    X(cross_cmpxchg8b, RBX, lock cmpxchg8b 0x4(%rbx))                       \
    X(cmpxchg16b, RBX, lock cmpxchg16b 0x10(%rbx))

/* Everything else: X(name, error, instruction), never run. */
#define BAD_CASES(X)                                                        \
    X(movsq, -ENOEXEC, movsq)                                               \
    X(rep_movsb, -ENOEXEC, rep movsb)                                       \
    X(stosq, -ENOEXEC, stosq)                                               \
    X(rep_stosl, -ENOEXEC, rep stosl)                                       \
    X(movnti, -ENOEXEC, movnti %rax, (%rbx))                                \
    X(push_m, -ENOEXEC, pushq (%rbx))                                       \
    X(pop_m, -ENOEXEC, popq (%rbx))                                         \
    X(sete, -ENOEXEC, sete (%rbx))                                          \
    X(setb, -ENOEXEC, setb 0x8(%rbx))                                       \
    X(movss, -ENOEXEC, movss %xmm0, (%rbx))                                 \
    X(movsd_sse, -ENOEXEC, movsd %xmm0, (%rbx))                             \
    X(movaps, -ENOEXEC, movaps %xmm1, (%rbx))                               \
    X(movq_xmm, -ENOEXEC, movq %xmm0, (%rbx))                               \
    X(movd_xmm, -ENOEXEC, movd %xmm2, (%rbx))                               \
    X(movq_mmx, -ENOEXEC, movq %mm0, (%rbx))                                \
    X(vmovdqu, -ENOEXEC, vmovdqu %ymm0, (%rbx))                             \
    X(vmovq, -ENOEXEC, vmovq %xmm0, (%rbx))                                 \
    X(vmovq_c4, -ENOEXEC, vmovq %xmm8, (%r9))                               \
    X(evex_vmovdqu64, -ENOEXEC, vmovdqu64 %zmm0, (%rbx))                    \
    X(inc, -ENOEXEC, incq (%rbx))                                           \
    X(dec, -ENOEXEC, decl (%rbx))                                           \
    X(incb, -ENOEXEC, lock incb (%rbx))                                     \
    X(neg, -ENOEXEC, negq (%rbx))                                           \
    X(not, -ENOEXEC, notq (%rbx))                                           \
    X(adc_r, -ENOEXEC, adcq %rcx, (%rbx))                                   \
    X(adc_b, -ENOEXEC, adcb %cl, (%rbx))                                    \
    X(adc_imm, -ENOEXEC, lock adcq $1, (%rbx))                              \
    X(adc_imm32, -ENOEXEC, adcl $0x12345, (%rbx))                           \
    X(sbb_r, -ENOEXEC, sbbq %rcx, (%rbx))                                   \
    X(sbb_imm, -ENOEXEC, sbbq $1, (%rbx))                                   \
    X(sbb_b_imm, -ENOEXEC, sbbb $1, (%rbx))                                 \
    X(shl1, -ENOEXEC, shlq (%rbx))                                          \
    X(shr_imm, -ENOEXEC, shrq $3, (%rbx))                                   \
    X(rol_cl, -ENOEXEC, rolq %cl, (%rbx))                                   \
    X(sar, -ENOEXEC, sarl (%rbx))                                           \
    X(xadd, -ENOEXEC, lock xaddq %rcx, (%rbx))                              \
    X(cmp_r, -ENOEXEC, cmpq %rcx, (%rbx))                                   \
    X(cmp_imm, -ENOEXEC, cmpq $1, (%rbx))                                   \
    X(cmp_b_imm, -ENOEXEC, cmpb $1, (%rbx))                                 \
    X(test, -ENOEXEC, testq %rcx, (%rbx))                                   \
    X(bt_r, -ENOEXEC, btq %rcx, (%rbx))                                     \
    X(bt_imm, -ENOEXEC, btq $3, (%rbx))                                     \
    X(load, -ENOEXEC, movq (%rbx), %rcx)                                    \
    X(load_b, -ENOEXEC, movb (%rbx), %cl)                                   \
    X(or_load, -ENOEXEC, orq (%rbx), %rcx)                                  \
    X(cmov, -ENOEXEC, cmovneq (%rbx), %rcx)                                 \
    X(movs_seg, -ENOEXEC, movw %ds, (%rbx))                                 \
    X(fstp, -ENOEXEC, fstpl (%rbx))                                         \
    X(fxsave, -ENOEXEC, fxsave (%rbx))                                      \
    X(xsave, -ENOEXEC, xsave (%rbx))                                        \
    X(sgdt, -ENOEXEC, sgdt (%rbx))                                          \
    X(mov_moffs, -ENOEXEC, movabsq %rax, 0x1000)                            \
    X(movbe, -ENOEXEC, movbe %rcx, (%rbx))                                  \
    X(xabort, -ENOEXEC, xabort $1)                                          \
    X(c6_reg1, -ENOEXEC, .byte 0xc6, 0x0b, 0x01)                            \
    X(c7_reg2, -ENOEXEC, .byte 0x48, 0xc7, 0x13; .long 1)                   \
    X(ba_undef, -ENOEXEC, .byte 0x48, 0x0f, 0xba, 0x0b, 0x01)               \
    X(c7_reg0, -ENOEXEC, .byte 0x0f, 0xc7, 0x03)                            \
    X(cmpxchg8b_66, -ENOEXEC, .byte 0x66, 0x0f, 0xc7, 0x0b)                 \
    X(op82, -ENOEXEC, .byte 0x82, 0x0b, 0x01)                               \
    X(reg_mov, -ENOEXEC, movq %rcx, %rbx)                                   \
    X(reg_or_imm, -ENOEXEC, orq $1, %rbx)                                   \
    X(reg_xchg, -ENOEXEC, xchgq %rcx, %rbx)                                 \
    X(reg_cmpxchg, -ENOEXEC, .byte 0xf0; cmpxchgq %rcx, %rbx)              \
    X(reg_bts, -ENOEXEC, btsq $1, %rbx)                                     \
    X(lock_mov, -ENOEXEC, .byte 0xf0; movq %rcx, (%rbx))                    \
    X(lock_mov_imm, -ENOEXEC, .byte 0xf0; movl $1, (%rbx))                  \
    X(rep_mov, -ENOEXEC, .byte 0xf3; movq %rcx, (%rbx))                     \
    X(repne_or, -ENOEXEC, .byte 0xf2; orq %rcx, (%rbx))                     \
    X(xacquire, -ENOEXEC, xacquire lock orq %rcx, (%rbx))                   \
    X(xrelease, -ENOEXEC, xrelease lock cmpxchgq %rcx, (%rbx))              \
    X(addr32, -ENOEXEC, movq %rcx, (%ebx))                                  \
    X(addr32_riprel, -ENOEXEC, movq %rcx, 0x10(%eip))                       \
    X(rex_then_66, -ENOEXEC, .byte 0x48, 0x66, 0x89, 0x0b)                  \
    X(rex_rex, -ENOEXEC, .byte 0x40, 0x48, 0x89, 0x0b)                      \
    X(fs_mov, -EPERM, movq %rcx, %fs:(%rbx))                                \
    X(gs_or, -EPERM, lock orq $1, %gs:0x8(%rbx))                            \
    X(gs_riprel, -EPERM, movq %rcx, %gs:0x10(%rip))                         \
    X(fs_after_ds, -EPERM, .byte 0x3e, 0x64, 0x48, 0x89, 0x0b)              \
    X(too_long, -E2BIG,                                                     \
      .byte 0x3e, 0x3e, 0x3e, 0x3e; movq $-5, 0x1f8(%rbx,%rsi,8))           \
    X(too_long_prefixes, -E2BIG,                                            \
      .byte 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,     \
            0x66, 0x66, 0x66, 0x66, 0x89, 0x0b)

/* The instructions; each runs from its label and jumps to native_return. */
#define ASM_GOOD(name, size, base, index, idx, ...)                         \
    "case_" #name ":\n\t" #__VA_ARGS__ "\n"                                 \
    "case_" #name "_end:\n\tjmp native_return\n"
#define ASM_RANGE(name, base, ...) ASM_GOOD(name, 0, 0, 0, 0, __VA_ARGS__)
#define ASM_BAD(name, err, ...)                                             \
    "bad_" #name ":\n\t" #__VA_ARGS__ "\n" "bad_" #name "_end:\n"

asm ( ".pushsection .text.ptwr_cases, \"ax\", @progbits\n"
      GOOD_CASES(ASM_GOOD)
      RANGE_CASES(ASM_RANGE)
      "ud2\n"
      BAD_CASES(ASM_BAD)
      "ud2\n"
      ".popsection" );

#define DECLARE_GOOD(name, ...) \
    extern const uint8_t case_##name[], case_##name##_end[];
#define DECLARE_BAD(name, ...) \
    extern const uint8_t bad_##name[], bad_##name##_end[];
GOOD_CASES(DECLARE_GOOD)
RANGE_CASES(DECLARE_GOOD)
BAD_CASES(DECLARE_BAD)

struct good_case {
    const char *name;
    const uint8_t *start, *end;
    unsigned int size;
    int base, index;
    long index_val;
    unsigned long index_mid_div;
};

#define GOOD_ENTRY(name, size, base, index, idx, ...)                       \
    { #name, case_##name, case_##name##_end, size, base, index, idx },
#define RANGE_ENTRY(name, base, ...)                                        \
    { #name, case_##name, case_##name##_end, 0, base, NOREG, IV(0) },

static const struct good_case good_cases[] = { GOOD_CASES(GOOD_ENTRY) };
static const struct good_case range_cases[] = { RANGE_CASES(RANGE_ENTRY) };

struct bad_case {
    const char *name;
    const uint8_t *start, *end;
    int err;
};

#define BAD_ENTRY(name, err, ...) { #name, bad_##name, bad_##name##_end, err },
static const struct bad_case bad_cases[] = { BAD_CASES(BAD_ENTRY) };

/* ------------------------------------------------------------------------
 * Running one instruction natively with every register given.
 */

struct cpu_user_regs native_in, native_out;
const void *native_target;
unsigned long native_saved_rsp;

void native_run(void);
extern const uint8_t native_return[];

#define IN(r)  "native_in+" STR(UREGS_##r) "(%rip)"
#define OUT(r) "native_out+" STR(UREGS_##r) "(%rip)"
#define LOAD(r)  "mov " IN(r) ", %" #r "\n\t"
#define SAVE(r)  "mov %" #r ", " OUT(r) "\n\t"
#define EACH_GPR(M) M(rax) M(rbx) M(rcx) M(rdx) M(rsi) M(rdi) M(rbp) \
    M(r8) M(r9) M(r10) M(r11) M(r12) M(r13) M(r14) M(r15)

/*
 * The case may use %rsp as an address: the stack is switched to the
 * given value for the one instruction; signals run on sigaltstack.
 */
asm ( ".pushsection .text.ptwr_runner, \"ax\", @progbits\n"
      ".globl native_run\n"
      "native_run:\n\t"
      "push %rbx\n\tpush %rbp\n\tpush %r12\n\t"
      "push %r13\n\tpush %r14\n\tpush %r15\n\t"
      "mov %rsp, native_saved_rsp(%rip)\n\t"
      "pushq " IN(rflags) "\n\t"
      "popfq\n\t"
      EACH_GPR(LOAD)
      "mov " IN(rsp) ", %rsp\n\t"
      "jmp *native_target(%rip)\n"
      "native_return:\n\t"
      EACH_GPR(SAVE)
      "mov %rsp, " OUT(rsp) "\n\t"
      "mov native_saved_rsp(%rip), %rsp\n\t"
      "pushfq\n\t"
      "popq " OUT(rflags) "\n\t"
      "pop %r15\n\tpop %r14\n\tpop %r13\n\t"
      "pop %r12\n\tpop %rbp\n\tpop %rbx\n\t"
      "ret\n"
      ".popsection" );

static volatile unsigned int faults;
static volatile int escaped;
static volatile unsigned long fault_cr2, fault_rip, fault_err;
static sigjmp_buf native_escape;

/*
 * The one expected fault opens the buffer and lets the instruction
 * restart. Anything else (a second fault, one outside the buffer, #UD)
 * means the instruction is not what the decoder said: leave it.
 */
static void on_fault(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    unsigned long a = (unsigned long)si->si_addr;

    faults++;
    fault_cr2 = a;
    fault_rip = uc->uc_mcontext.gregs[REG_RIP];
    fault_err = uc->uc_mcontext.gregs[REG_ERR];

    if ( sig != SIGSEGV || a < (unsigned long)ptwr_buf ||
         a >= (unsigned long)ptwr_buf + BUF_SIZE || faults > 1 )
    {
        escaped = sig;
        siglongjmp(native_escape, 1);
    }
    mprotect(ptwr_buf, BUF_SIZE, PROT_READ | PROT_WRITE);
}

static void setup_signals(void)
{
    static bool done;
    static stack_t ss;
    struct sigaction sa = { .sa_sigaction = on_fault,
                            .sa_flags = SA_SIGINFO | SA_ONSTACK };

    if ( done )
        return;
    ss.ss_size = 1 << 20;
    ss.ss_sp = malloc(ss.ss_size);
    CHECK(ss.ss_sp);
    CHECK(sigaltstack(&ss, NULL) == 0);
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(SIGSEGV, &sa, NULL) == 0);
    CHECK(sigaction(SIGBUS, &sa, NULL) == 0);
    CHECK(sigaction(SIGILL, &sa, NULL) == 0);
    done = true;
}

/* Runs code with native_in, the buffer read-only; one write fault. */
static void run_native(const void *code, const char *name)
{
    setup_signals();
    faults = 0;
    escaped = 0;
    native_target = code;
    CHECK(mprotect(ptwr_buf, BUF_SIZE, PROT_READ) == 0);
    if ( !sigsetjmp(native_escape, 1) )
        native_run();
    CHECK(mprotect(ptwr_buf, BUF_SIZE, PROT_READ | PROT_WRITE) == 0);
    CHECK_MSG(!escaped, "%s: signal %d, address %#lx, at %#lx", name,
              escaped, fault_cr2, fault_rip);
    CHECK_MSG(faults == 1, "%s: %u faults", name, faults);
    CHECK_EQU(fault_rip, (unsigned long)code);
    CHECK_MSG(fault_err & 2, "%s: fault error code %#lx: not a write", name,
              fault_err);
}

/* ------------------------------------------------------------------------
 * Helpers.
 */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;

    return rng_state;
}

static unsigned long *gpr(struct cpu_user_regs *r, int n)
{
    static const unsigned int off[16] = {
        UREGS_rax, UREGS_rcx, UREGS_rdx, UREGS_rbx, UREGS_rsp, UREGS_rbp,
        UREGS_rsi, UREGS_rdi, UREGS_r8, UREGS_r9, UREGS_r10, UREGS_r11,
        UREGS_r12, UREGS_r13, UREGS_r14, UREGS_r15,
    };

    return (unsigned long *)((char *)r + off[n]);
}

static const char *const gpr_names[16] = {
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

/* The bytes in a heap block of exactly their size: ASan sees overreads. */
static uint8_t *exact_copy(const uint8_t *p, size_t n)
{
    uint8_t *q = malloc(n ? n : 1);

    CHECK(q);
    memcpy(q, p, n);
    if ( !n )
    {
        free(q);
        q = malloc(0);
    }

    return q;
}

static int decode_exact(const uint8_t *p, unsigned int n,
                        const struct cpu_user_regs *regs, unsigned long cr2,
                        struct ptwr_insn *out)
{
    uint8_t *q = exact_copy(p, n);
    int rc = ptwr_decode(q, n, regs, cr2, out);

    free(q);

    return rc;
}

static bool same_insn(const struct ptwr_insn *a, const struct ptwr_insn *b)
{
    return a->len == b->len && a->size == b->size && a->op == b->op &&
           a->lock == b->lock && a->addr == b->addr && a->src == b->src &&
           a->bit == b->bit && a->reg == b->reg && a->high8 == b->high8;
}

/* Flags an instruction leaves undefined: not compared. */
static unsigned long undefined_flags(enum ptwr_op op)
{
    switch ( op )
    {
    case PTWR_OR: case PTWR_AND: case PTWR_XOR:
        return FLAG_AF;
    case PTWR_BTS: case PTWR_BTR: case PTWR_BTC:
        return FLAG_OF | FLAG_SF | FLAG_AF | FLAG_PF;
    default:
        return 0;
    }
}

/* Random registers, then the case's base and index. */
static void case_regs(const struct good_case *c, struct cpu_user_regs *r,
                      unsigned int variant)
{
    int i;

    memset(r, 0, sizeof(*r));
    for ( i = 0; i < 16; i++ )
    {
        uint64_t v = rnd();

        /* Variant 2: small values, so that ANDs and SUBs reach zero. */
        if ( variant == 2 )
            v &= 0x3;
        /* Variant 3: all ones, so that ADDs carry out of every size. */
        if ( variant == 3 )
            v = 1;
        *gpr(r, i) = v;
    }
    /* The stack pointer may be a source: canonical, like a real one. */
    r->rsp = (rnd() & 0x00007ffffffffff8UL) | 0x1000;
    if ( c->base != NOREG )
        *gpr(r, c->base) = MID;
    if ( c->index != NOREG )
        *gpr(r, c->index) = c->index_mid_div ? MID / c->index_mid_div
                                             : (unsigned long)c->index_val;
    r->rflags = 0x202 | (rnd() & FLAGS_STATUS);
    r->rip = (unsigned long)c->start;
}

static void fill_buf(unsigned int variant)
{
    size_t i;

    for ( i = 0; i < BUF_SIZE; i++ )
        ptwr_buf[i] = variant == 3 ? 0xff : rnd();
}

/* ------------------------------------------------------------------------
 * The accepted encodings, against the CPU.
 */

#define VARIANTS   4
#define ITERATIONS 6

static unsigned int good_runs;
/* How often each CMPXCHG case compared equal and unequal. */
static unsigned int zf_set[ARRAY_SIZE(good_cases)];
static unsigned int zf_clear[ARRAY_SIZE(good_cases)];

/*
 * Runs len bytes of code with registers in on the buffer as it is, and
 * checks the decoder and the emulator against what the CPU did. size 0:
 * any operand size.
 */
static void compare_with_cpu(const char *name, unsigned int variant,
                             const uint8_t *code, unsigned int len,
                             unsigned int size,
                             const struct cpu_user_regs *in)
{
    static uint8_t before[BUF_SIZE], want[BUF_SIZE];
    struct cpu_user_regs emul;
    struct ptwr_insn insn;
    struct ptwr_result res;
    unsigned long cr2, slot, undef;
    uint64_t old, now;
    int rc, i;

    memcpy(before, ptwr_buf, BUF_SIZE);
    native_in = *in;
    run_native(code, name);
    cr2 = fault_cr2;

    CHECK_MSG(cr2 >= (unsigned long)ptwr_buf &&
              cr2 < (unsigned long)ptwr_buf + BUF_SIZE,
              "%s: CR2 %#lx outside the buffer", name, cr2);
    slot = (cr2 & ~7UL) - (unsigned long)ptwr_buf;
    memcpy(&old, before + slot, 8);

    rc = decode_exact(code, len, in, cr2, &insn);
    CHECK_MSG(rc == 0, "%s: decode: %d (address %#lx, CR2 %#lx)", name,
              rc, insn.addr, cr2);
    CHECK_MSG(insn.len == len, "%s: length %u, want %u", name, insn.len,
              len);
    CHECK_MSG(!size || insn.size == size, "%s: size %u, want %u", name,
              insn.size, size);
    CHECK_MSG(insn.addr == cr2, "%s: address %#lx, CR2 %#lx", name,
              insn.addr, cr2);

    /* Another address is not this instruction's fault. */
    CHECK_EQ(decode_exact(code, len, in, cr2 + 1, &insn), -EINVAL);
    CHECK_EQ(decode_exact(code, len, in, cr2 - 8, &insn), -EINVAL);
    /* Trailing bytes change nothing. */
    {
        uint8_t more[32];
        struct ptwr_insn again;

        memset(more, 0x89, sizeof(more));
        memcpy(more, code, len);
        CHECK_EQ(ptwr_decode(more, sizeof(more), in, cr2, &again), 0);
        CHECK_EQ(decode_exact(code, len, in, cr2, &insn), 0);
        CHECK(same_insn(&insn, &again));
    }

    rc = ptwr_emulate(&insn, old, in, &res);
    CHECK_MSG(rc == 0, "%s: emulate: %d", name, rc);

    memcpy(&now, ptwr_buf + slot, 8);
    CHECK_MSG(now == res.new_pte,
              "%s (variant %u): entry %#lx -> CPU %#lx, emulated %#lx",
              name, variant, old, now, res.new_pte);
    if ( !res.store )
        CHECK_EQU(res.new_pte, old);
    /* Nothing else in the buffer changed. */
    memcpy(want, before, BUF_SIZE);
    memcpy(want + slot, &res.new_pte, 8);
    CHECK_MSG(!memcmp(want, ptwr_buf, BUF_SIZE), "%s: stray write", name);

    emul = *in;
    ptwr_commit(&insn, &res, &emul);
    for ( i = 0; i < 16; i++ )
        CHECK_MSG(*gpr(&emul, i) == *gpr(&native_out, i),
                  "%s (variant %u): %s %#lx -> CPU %#lx, emulated %#lx",
                  name, variant, gpr_names[i], *gpr((void *)in, i),
                  *gpr(&native_out, i), *gpr(&emul, i));
    CHECK_EQU(emul.rip, in->rip + len);
    undef = undefined_flags(insn.op);
    CHECK_MSG(!((emul.rflags ^ native_out.rflags) & ~undef),
              "%s (variant %u): flags %#lx -> CPU %#lx, emulated %#lx",
              name, variant, in->rflags, native_out.rflags, emul.rflags);
}

static void check_good(const struct good_case *c, unsigned int variant)
{
    struct cpu_user_regs in;

    fill_buf(variant);
    case_regs(c, &in, variant);

    /*
     * CMPXCHG's equal case: a first run to learn the address, then the
     * accumulator's operand-sized part set to what is there (the rest
     * stays random: it must not count).
     */
    if ( variant == 1 && !strncmp(c->name, "cmpxchg", 7) )
    {
        uint64_t mask = c->size == 8 ? ~0ULL : (1ULL << (c->size * 8)) - 1;
        uint64_t now = 0;

        native_in = in;
        run_native(c->start, c->name);
        fill_buf(variant);
        memcpy(&now, ptwr_buf + fault_cr2 - (unsigned long)ptwr_buf,
               c->size);
        if ( !strncmp(c->name, "cmpxchg8b", 9) )
        {
            in.rax = (in.rax & ~0xffffffffUL) | (now & 0xffffffffUL);
            in.rdx = (in.rdx & ~0xffffffffUL) | (now >> 32);
        }
        else
            in.rax = (in.rax & ~mask) | (now & mask);
    }

    compare_with_cpu(c->name, variant, c->start, c->end - c->start,
                     c->size, &in);
    good_runs++;

    if ( native_out.rflags & FLAG_ZF )
        zf_set[c - good_cases]++;
    else
        zf_clear[c - good_cases]++;
}

TEST(good_against_cpu)
{
    unsigned int i, v, n;

    for ( i = 0; i < ARRAY_SIZE(good_cases); i++ )
        for ( v = 0; v < VARIANTS; v++ )
            for ( n = 0; n < ITERATIONS; n++ )
                check_good(&good_cases[i], v);

    /* Each CMPXCHG went both ways: both paths were compared. */
    for ( i = 0; i < ARRAY_SIZE(good_cases); i++ )
        if ( !strncmp(good_cases[i].name, "cmpxchg", 7) )
            CHECK_MSG(zf_set[i] && zf_clear[i], "%s: %u equal, %u unequal",
                      good_cases[i].name, zf_set[i], zf_clear[i]);
    printf("   %zu encodings, %u native runs\n", ARRAY_SIZE(good_cases),
           good_runs);
}

/* A write the decoder sees but does not emulate: across two entries. */
TEST(range_refused)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(range_cases); i++ )
    {
        const struct good_case *c = &range_cases[i];
        struct cpu_user_regs in;
        struct ptwr_insn insn;
        int rc;

        fill_buf(0);
        case_regs(c, &in, 0);
        native_in = in;
        run_native(c->start, c->name);
        rc = decode_exact(c->start, c->end - c->start, &in, fault_cr2, &insn);
        CHECK_MSG(rc == -ERANGE, "%s: decode: %d, want %d", c->name, rc,
                  -ERANGE);
        CHECK_EQU(insn.addr, fault_cr2);
    }
}

TEST(bad_refused)
{
    unsigned int i;
    struct cpu_user_regs r;

    memset(&r, 0, sizeof(r));
    r.rbx = MID;
    r.rip = 0x1000;
    for ( i = 0; i < ARRAY_SIZE(bad_cases); i++ )
    {
        const struct bad_case *c = &bad_cases[i];
        unsigned int len = c->end - c->start;
        struct ptwr_insn insn;
        int rc;

        /* With the fault where the operand would be, and anywhere. */
        rc = decode_exact(c->start, len, &r, MID, &insn);
        CHECK_MSG(rc == c->err, "%s: decode: %d, want %d", c->name, rc,
                  c->err);
        rc = decode_exact(c->start, len, &r, 0, &insn);
        CHECK_MSG(rc == c->err, "%s: decode at 0: %d, want %d", c->name, rc,
                  c->err);
    }
}

/* Every prefix of every accepted instruction is refused as truncated. */
TEST(truncated_refused)
{
    unsigned int i, n, total = 0;

    for ( i = 0; i < ARRAY_SIZE(good_cases); i++ )
    {
        const struct good_case *c = &good_cases[i];
        unsigned int len = c->end - c->start;
        struct cpu_user_regs in;
        struct ptwr_insn insn;

        case_regs(c, &in, 0);
        for ( n = 0; n < len; n++ )
        {
            int rc = decode_exact(c->start, n, &in, 0, &insn);

            CHECK_MSG(rc == -EFAULT, "%s: %u of %u bytes: %d", c->name, n,
                      len, rc);
            total++;
        }
    }
    printf("   %u truncations\n", total);
}

/* ------------------------------------------------------------------------
 * Random bytes.
 */

/* The six prefixes the decoder takes come first. */
static const uint8_t fuzz_prefixes[] = {
    0x66, 0xf0, 0x3e, 0x26, 0x2e, 0x36, 0x64, 0x65, 0xf2, 0xf3, 0x67,
    0x40, 0x41, 0x44, 0x48, 0x49, 0x4c, 0x4f,
};
static const uint8_t fuzz_opcodes[] = {
    0x88, 0x89, 0xc6, 0xc7, 0x86, 0x87, 0x00, 0x01, 0x08, 0x09, 0x20, 0x21,
    0x28, 0x29, 0x30, 0x31, 0x80, 0x81, 0x83, 0x0f, 0x0f, 0x0f, 0x0f,
};
static const uint8_t fuzz_0f[] = { 0xb0, 0xb1, 0xc7, 0xab, 0xb3, 0xbb, 0xba };

/*
 * Half the time pure noise, else prefixes (now and then too many) and a
 * known opcode, then noise.
 */
static unsigned int fuzz_bytes(uint8_t *b)
{
    unsigned int n = 0, len = 1 + rnd() % 20, i;

    for ( i = 0; i < len; i++ )
        b[i] = rnd();
    if ( rnd() & 1 )
    {
        unsigned int np = rnd() % 8 ? rnd() % 4 : 4 + rnd() % 8;

        /* Long runs only of prefixes the decoder takes, to reach 15. */
        for ( i = 0; i < np; i++ )
            b[n++] = fuzz_prefixes[rnd() % (np < 4 ? sizeof(fuzz_prefixes)
                                                   : 6)];
        b[n] = fuzz_opcodes[rnd() % sizeof(fuzz_opcodes)];
        if ( b[n++] == 0x0f )
            b[n++] = fuzz_0f[rnd() % sizeof(fuzz_0f)];
        if ( n > len || np >= 4 )
            len = 20;
    }

    return len;
}


TEST(random_bytes)
{
    unsigned int i, accepted = 0, errors[6] = { 0 };
    static const int codes[6] = {
        -ENOEXEC, -EPERM, -EFAULT, -E2BIG, -EINVAL, -ERANGE,
    };

    for ( i = 0; i < 100000; i++ )
    {
        uint8_t b[32];
        unsigned int len = fuzz_bytes(b), k;
        struct cpu_user_regs r;
        struct ptwr_insn insn, again;
        struct ptwr_result res;
        uint64_t old, changed, mask;
        int rc;

        memset(&r, 0, sizeof(r));
        for ( k = 0; k < 16; k++ )
            *gpr(&r, k) = rnd() & 0xffff;
        r.rip = 0x100000;
        r.rflags = 0x202;

        rc = decode_exact(b, len, &r, 0, &insn);
        if ( rc == -EINVAL || rc == -ERANGE )
            /* Decoded: now as the instruction that faulted there. */
            rc = decode_exact(b, len, &r, insn.addr, &insn);
        for ( k = 0; k < 6; k++ )
            if ( rc == codes[k] )
                errors[k]++;
        if ( rc )
        {
            CHECK_MSG(rc == -ENOEXEC || rc == -EPERM || rc == -EFAULT ||
                      rc == -E2BIG || rc == -ERANGE,
                      "random %u: error %d", i, rc);
            continue;
        }
        accepted++;

        /* The same with exactly its bytes, and refused with one fewer. */
        CHECK(insn.len >= 2 && insn.len <= len && insn.len <= 15);
        CHECK_EQ(decode_exact(b, insn.len, &r, insn.addr, &again), 0);
        CHECK(same_insn(&insn, &again));
        CHECK_EQ(decode_exact(b, insn.len - 1, &r, insn.addr, &again),
                 -EFAULT);
        CHECK((insn.addr & 7) + insn.size <= 8);

        /* Emulation touches only the operand's bytes. */
        old = rnd();
        CHECK_EQ(ptwr_emulate(&insn, old, &r, &res), 0);
        mask = insn.size == 8 ? ~0ULL : ((1ULL << (insn.size * 8)) - 1);
        changed = res.new_pte ^ old;
        CHECK(!(changed & ~(mask << ((insn.addr & 7) * 8))));
        CHECK(res.nr_gprs <= 2);
        CHECK(!((res.rflags ^ r.rflags) & ~FLAGS_STATUS));
    }
    printf("   %u accepted; refused: %u ENOEXEC, %u EPERM, %u EFAULT, "
           "%u E2BIG, %u ERANGE\n", accepted, errors[0], errors[1],
           errors[2], errors[3], errors[5]);
    /* Enough of each outcome for the loop to mean something. */
    CHECK(accepted > 5000);
    CHECK(errors[0] > 1000 && errors[1] > 100 && errors[2] > 1000 &&
          errors[3] > 100 && errors[5] > 100);
}

/*
 * Random bytes the decoder accepts, run on the CPU: registers hold
 * addresses in and near the buffer or small numbers, and whenever the
 * decoded address lands in the buffer the instruction runs from an
 * executable page, followed by a jump back.
 */
TEST(random_against_cpu)
{
    static const uint8_t jmp_back[] = { 0xff, 0x25, 0, 0, 0, 0 };
    unsigned long back = (unsigned long)&native_return;
    unsigned int i, k, ran = 0;
    uint8_t *page;

    /* Near the buffer, so that some RIP-relative forms reach it. */
    page = mmap((void *)(((unsigned long)ptwr_buf & ~0xfffffUL) - 0x100000UL),
                4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(page != MAP_FAILED);

    for ( i = 0; i < 100000; i++ )
    {
        uint8_t b[32];
        unsigned int len = fuzz_bytes(b);
        struct cpu_user_regs r;
        struct ptwr_insn insn;
        char name[64];
        int rc;

        memset(&r, 0, sizeof(r));
        for ( k = 0; k < 16; k++ )
        {
            uint64_t v = rnd();

            switch ( v & 3 )
            {
            case 0: case 1:
                v = MID - 0x400 + (v >> 8) % 0x800;
                break;
            case 2:
                v = (v >> 8) % 64;
                break;
            }
            /*
             * A non-canonical %rsp makes some CPUs (AMD EPYC) raise #GP
             * for an SS-prefixed access whatever its base register: no
             * #PF to compare, and no guest kernel runs on such a stack.
             */
            if ( k == 4 && ((long)v >> 47) != 0 && ((long)v >> 47) != -1 )
                v = MID + (v & 0xff);
            *gpr(&r, k) = v;
        }
        r.rip = (unsigned long)page;
        r.rflags = 0x202 | (rnd() & FLAGS_STATUS);

        rc = decode_exact(b, len, &r, 0, &insn);
        if ( rc != -EINVAL || insn.addr < (unsigned long)ptwr_buf ||
             insn.addr > (unsigned long)ptwr_buf + BUF_SIZE - 8 ||
             decode_exact(b, len, &r, insn.addr, &insn) )
            continue;

        memcpy(page, b, insn.len);
        memcpy(page + insn.len, jmp_back, sizeof(jmp_back));
        memcpy(page + insn.len + sizeof(jmp_back), &back, sizeof(back));
        snprintf(name, sizeof(name), "random %u: %02x %02x %02x %02x %02x",
                 i, b[0], b[1], b[2], b[3], b[4]);
        fill_buf(i & 3);
        compare_with_cpu(name, 0, page, insn.len, 0, &r);
        ran++;
    }
    munmap(page, 4096);
    printf("   %u random instructions run\n", ran);
    CHECK(ran > 2000);
}

/* Emulate refuses what decode never makes. */
TEST(emulate_rejects_nonsense)
{
    struct cpu_user_regs r;
    struct ptwr_insn insn;
    struct ptwr_result res;

    memset(&r, 0, sizeof(r));
    memset(&insn, 0, sizeof(insn));
    insn.op = PTWR_MOV;
    insn.size = 8;
    insn.addr = 0x1000;
    insn.reg = PTWR_REG_NONE;
    CHECK_EQ(ptwr_emulate(&insn, 0, &r, &res), 0);
    insn.addr = 0x1004;
    CHECK_EQ(ptwr_emulate(&insn, 0, &r, &res), -EINVAL);
    insn.addr = 0x1000;
    insn.size = 3;
    CHECK_EQ(ptwr_emulate(&insn, 0, &r, &res), -EINVAL);
    insn.size = 1;
    insn.src = 0x100;
    CHECK_EQ(ptwr_emulate(&insn, 0, &r, &res), -EINVAL);
    insn.src = 0;
    insn.op = PTWR_BTS;
    insn.bit = 8;
    CHECK_EQ(ptwr_emulate(&insn, 0, &r, &res), -EINVAL);
    insn.op = PTWR_XCHG;
    CHECK_EQ(ptwr_emulate(&insn, 0, &r, &res), -EINVAL);
    insn.op = PTWR_BTC + 1;
    CHECK_EQ(ptwr_emulate(&insn, 0, &r, &res), -EINVAL);
}
