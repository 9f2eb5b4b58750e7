/* fuzz-main.c: one libFuzzer target around an entry point of fcm-fuzz.h
 *
 * Built once per target with -DFCM_FUZZ_ENTRY=fcm_fuzz_NAME (meson
 * -Dfuzzing=true, clang); `make fuzz` runs them (build-aux/run-fuzz.sh).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "fcm-fuzz.h"

#ifndef FCM_FUZZ_ENTRY
# error "FCM_FUZZ_ENTRY names the target's entry point"
#endif

int LLVMFuzzerInitialize   (int           *argc,
                            char        ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fcm_fuzz_abort_on_warnings ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  FCM_FUZZ_ENTRY (data, size);
  return 0;
}
