/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The x86 branch/call/jump filter of xz (filter ID 0x04), decoder side.
 *
 * The encoder finds E8 (call rel32) and E9 (jmp rel32) opcodes whose
 * 32-bit operand looks like a near displacement (its top byte 0x00 or
 * 0xff) and replaces the relative displacement by an absolute target,
 * which repeats across the calls of one function and so compresses
 * better. Decoding subtracts the position again.
 *
 * Whether an E8/E9 byte is taken as an opcode depends on the E8/E9 bytes
 * seen in the 4 bytes before it that were not converted (they may be part
 * of the operand): "mask" keeps one bit per such position, and a further
 * bit per position whose operand top byte looked convertible. The rules
 * (which patterns allow a conversion, which operand byte to re-check) are
 * those of the reference implementation, which the format defines as the
 * filter. The same rule and tables give the encoder's decisions, since it
 * decides on the bytes it leaves in the stream.
 *
 * Filtering the whole block at once is the same as filtering it as a
 * stream: the stream form also leaves its last 4 bytes untouched.
 */
#include "private.h"

static inline bool operand_top_ok(uint8_t b)
{
    return b == 0x00 || b == 0xff;
}

void bcj_x86_decode(uint8_t *buf, size_t len, uint32_t start_pos)
{
    /* Indexed by (mask >> 1) & 7: the histories that permit conversion. */
    static const bool allowed[8] = { 1, 1, 1, 0, 1, 0, 0, 0 };
    /* Which operand byte, counted from the top, must be re-checked. */
    static const uint8_t recheck_byte[8] = { 0, 1, 2, 2, 3, 3, 3, 3 };
    uint32_t mask = 0, last = start_pos - 5;
    size_t i = 0;

    if ( len < 5 )
        return;

    while ( i <= len - 5 )
    {
        uint32_t here = start_pos + (uint32_t)i, gap;
        uint8_t *op = buf + i;

        if ( (op[0] & 0xfe) != 0xe8 )
        {
            i++;
            continue;
        }

        gap = here - last;
        last = here;
        if ( gap > 5 )
            mask = 0;
        else
            while ( gap-- )
                mask = (mask & 0x77) << 1;

        if ( operand_top_ok(op[4]) && allowed[(mask >> 1) & 7] &&
             (mask >> 1) < 0x10 )
        {
            uint32_t v = get_le32(op + 1), target;

            for ( ; ; )
            {
                unsigned int shift;

                target = v - (here + 5);
                if ( !mask )
                    break;
                shift = 24 - recheck_byte[mask >> 1] * 8;
                if ( !operand_top_ok((uint8_t)(target >> shift)) )
                    break;
                v = target ^ ((1u << shift << 8) - 1);
            }
            /* The top byte is rebuilt from bit 24: 0x00 or 0xff. */
            target &= 0x01ffffffu;
            if ( target & 0x01000000u )
                target |= 0xff000000u;
            __builtin_memcpy(op + 1, &target, 4);
            i += 5;
            mask = 0;
        }
        else
        {
            i++;
            mask |= 1;
            if ( operand_top_ok(op[4]) )
                mask |= 0x10;
        }
    }
}
