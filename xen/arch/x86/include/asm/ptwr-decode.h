/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ASM_X86_PTWR_DECODE_H
#define ASM_X86_PTWR_DECODE_H

/*
 * Writable page tables: the decoder and emulator of the one instruction
 * a PV guest kernel used to write into a read-only page-table page.
 *
 * Pure logic: nothing here touches guest memory, page types or locks.
 * The caller (the #PF handler) fetches the instruction bytes, reads the
 * old entry, validates the new one and performs the write; this code
 * only says what the instruction is and what it would do.
 *
 *   ptwr_decode()   bytes + registers + CR2 -> struct ptwr_insn
 *   ptwr_emulate()  insn + old 8-byte entry -> struct ptwr_result
 *   ptwr_commit()   result -> the guest's registers, RIP past the insn
 *
 * Only 64-bit mode, and only the memory-writing forms page-table code
 * emits (docs/designs/ptwr.md has the list). Anything else is refused,
 * never approximated: a refusal means "bounce the #PF to the guest".
 *
 * Errors (negative errno values), so that a caller can log why:
 *   -ENOEXEC  not an instruction this code emulates: another opcode, a
 *             read, a register destination, an unsupported prefix (F2,
 *             F3, 67, VEX/EVEX, REX before a legacy prefix), LOCK where
 *             the CPU would raise #UD
 *   -EPERM    an FS or GS segment override (the address needs a base)
 *   -EFAULT   the bytes given end before the instruction does
 *   -E2BIG    the instruction would be longer than 15 bytes
 *   -EINVAL   the address it writes is not the fault address
 *   -ERANGE   it writes the fault address but not within one 8-byte
 *             aligned slot (crosses two entries, or CMPXCHG16B)
 */

#include <xen/types.h>
#include <asm/cpu-user-regs.h>

/* The longest instruction the CPU executes. */
#define PTWR_MAX_INSN_LEN 15

enum ptwr_op {
    PTWR_MOV,
    PTWR_XCHG,
    PTWR_CMPXCHG,
    PTWR_CMPXCHG8B,
    PTWR_OR,
    PTWR_AND,
    PTWR_ADD,
    PTWR_SUB,
    PTWR_XOR,
    PTWR_BTS,
    PTWR_BTR,
    PTWR_BTC,
};

/* General registers in encoding order (ModRM, SIB, REX extended). */
#define PTWR_REG_NONE 0xffU

struct ptwr_insn {
    unsigned int len;       /* bytes, prefixes included: RIP += len */
    unsigned int size;      /* operand bytes: 1, 2, 4, 8 (16: refused) */
    enum ptwr_op op;
    bool lock;              /* had a LOCK prefix (XCHG is locked anyway) */
    /*
     * The linear address of the bytes written: ModRM/SIB/displacement,
     * RIP-relative from the end of the instruction, and for BTS/BTR/BTC
     * with a register bit offset, moved by whole operands as the CPU
     * moves it (so that it is what CR2 reports).
     */
    unsigned long addr;
    /*
     * The value to store, combine or exchange, truncated to size: the
     * register (read at decode time) or the sign-extended immediate. For
     * CMPXCHG8B, ECX:EBX.
     */
    uint64_t src;
    /* BTS/BTR/BTC: the bit within the size-byte operand at addr. */
    unsigned int bit;
    /*
     * XCHG and CMPXCHG: the register operand, 0-15 in encoding order,
     * or for a byte operand without REX, 4-7 with high8 set for AH, CH,
     * DH, BH. PTWR_REG_NONE otherwise.
     */
    unsigned int reg;
    bool high8;
};

/*
 * Decode the instruction at insn[0..avail) that faulted writing
 * fault_addr, with the registers at the fault (regs->rip is its
 * address). avail may exceed the instruction; nothing at or beyond
 * insn[avail] is read, nor beyond insn[PTWR_MAX_INSN_LEN - 1].
 *
 * 0: *out describes the write, which lies within the 8-byte aligned slot
 * holding fault_addr. Otherwise a negative errno (above); after -EINVAL
 * and -ERANGE *out is complete, for diagnostics; after the others it is
 * undefined.
 */
int ptwr_decode(const uint8_t *insn, unsigned int avail,
                const struct cpu_user_regs *regs, unsigned long fault_addr,
                struct ptwr_insn *out);

/* What the instruction does, given the entry it finds. */
struct ptwr_result {
    /*
     * The whole 8-byte slot (addr & ~7) afterwards. Equal to the old
     * value when store is false: a CMPXCHG that compared unequal, which
     * the caller need not write (the CPU writes the old value back).
     */
    uint64_t new_pte;
    bool store;
    /* Registers the instruction writes, as full 64-bit values. */
    unsigned int nr_gprs;
    struct {
        unsigned int reg;   /* encoding order, 0-15 */
        unsigned long val;
    } gpr[2];
    unsigned long rflags;   /* the whole RFLAGS afterwards */
};

/*
 * Emulate a decoded instruction against old, the 8-byte slot's value
 * before, with the registers at the fault (the same ones ptwr_decode()
 * saw). Pure: the caller may call it again with another old value, e.g.
 * when its compare-and-exchange of the entry lost a race.
 *
 * 0, or -EINVAL for a struct ptwr_insn that ptwr_decode() did not make.
 */
int ptwr_emulate(const struct ptwr_insn *insn, uint64_t old,
                 const struct cpu_user_regs *regs, struct ptwr_result *res);

/*
 * Once the new entry is written (or, store being false, accepted as is):
 * the registers and flags the instruction writes, and RIP past it.
 */
void ptwr_commit(const struct ptwr_insn *insn, const struct ptwr_result *res,
                 struct cpu_user_regs *regs);

#endif /* ASM_X86_PTWR_DECODE_H */
