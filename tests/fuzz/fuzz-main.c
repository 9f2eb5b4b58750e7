/* fuzz-main.c: one libFuzzer target around an entry point of fcm-fuzz.h
 *
 * Built once per target with -DFCM_FUZZ_ENTRY=fcm_fuzz_NAME (meson
 * -Dfuzzing=true, clang); `make fuzz` runs them (build-aux/run-fuzz.sh).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <execinfo.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <sanitizer/allocator_interface.h>

#include "fcm-fuzz.h"

#ifndef FCM_FUZZ_ENTRY
# error "FCM_FUZZ_ENTRY names the target's entry point"
#endif

int LLVMFuzzerInitialize   (int           *argc,
                            char        ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* FCM_FUZZ_TRACE_ALLOC=N: a stack (glibc's unwinder, which reads the
 * libraries' unwind tables, unlike ASan's fast one) for every allocation
 * of exactly N bytes, to name the caller of a leak whose report stops at
 * g_malloc (docs/fuzzing.md) */
static size_t trace_alloc_size;

static void
trace_alloc_hook (const volatile void *ptr,
                  size_t               size)
{
  void *frames[48];
  int n;

  if (size != trace_alloc_size)
    return;
  n = backtrace (frames, G_N_ELEMENTS (frames));
  (void) !write (STDERR_FILENO, "fuzz: traced allocation\n", 25);
  backtrace_symbols_fd (frames, n, STDERR_FILENO);
}

/* ASan takes a pair, or neither */
static void
trace_free_hook (const volatile void *ptr)
{
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  const char *trace = g_getenv ("FCM_FUZZ_TRACE_ALLOC");

  fcm_fuzz_abort_on_warnings ();
  if (trace != NULL && (trace_alloc_size = strtoul (trace, NULL, 10)) > 0)
    {
      void *warm[1];

      backtrace (warm, 1);   /* loads libgcc_s now, not inside a hook */
      __sanitizer_install_malloc_and_free_hooks (trace_alloc_hook, trace_free_hook);
    }
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  FCM_FUZZ_ENTRY (data, size);
  return 0;
}
