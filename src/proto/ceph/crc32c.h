/* crc32c.h - CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) as
 * the Ceph messenger uses it: a running register without the standard's
 * inversions, so the caller chooses the initial value.
 *
 *   msgr2 preamble:              crc32c_update(0, preamble, 28)
 *   msgr2 segments and epilogue: crc32c_update(0xffffffff, segment, len)
 *   msgr1 header and payloads:   crc32c_update(0, bytes, len)
 *   standard CRC-32C:            ~crc32c_update(0xffffffff, bytes, len)
 *
 * A checksum, not cryptography: table driven (slicing by 8), with the
 * SSE 4.2 instruction where the processor has it.
 */
#ifndef TAPLINE_CEPH_CRC32C_H
#define TAPLINE_CEPH_CRC32C_H

#include <stddef.h>
#include <stdint.h>

uint32_t crc32c_update(uint32_t crc, const void *data, size_t len);
/* The same without the processor's instruction (the tests compare). */
uint32_t crc32c_update_portable(uint32_t crc, const void *data, size_t len);

#endif
