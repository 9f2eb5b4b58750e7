/* test-fuzz-regressions.c: seeds and findings of the fuzz targets, replayed
 *
 * Every file in tests/data/fuzz-regressions/TARGET/ (an input a fuzz target
 * once crashed, leaked or hung on) and every seed of its corpus goes through
 * the target's entry point (tests/fuzz/fcm-fuzz.h), the one the libFuzzer
 * build calls, here in the normal build: warnings and criticals are fatal as
 * in every test, and under `make check-asan` leaks and memory errors fail.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "fcm-fuzz.h"

/* Seeds of each target, relative to tests/ (build-aux/run-fuzz.sh uses the
 * same): tests/fuzz/corpus/TARGET plus, for the message target, the spec
 * vectors and the invalid messages. */
static const char *const message_seed_dirs[] = { "fuzz/corpus/message", "data/vectors", "data/invalid", NULL };
static const char *const ws_seed_dirs[] = { "fuzz/corpus/ws", NULL };
static const char *const http_seed_dirs[] = { "fuzz/corpus/http", NULL };
static const char *const client_seed_dirs[] = { "fuzz/corpus/client", NULL };

typedef struct
{
  const FcmFuzzTarget *target;
  char                *path;   /* a file, or a directory of them */
} Case;

static void
case_free (gpointer data)
{
  Case *c = data;

  g_free (c->path);
  g_free (c);
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char **) a, *(char **) b);
}

static GPtrArray *
list_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      /* READMEs and dot files are not inputs */
      if (name[0] == '.' || g_str_has_prefix (name, "README"))
        continue;
      g_ptr_array_add (files, g_build_filename (dir, name, NULL));
    }
  g_ptr_array_sort (files, compare_paths);
  return files;
}

static void
feed_file (const FcmFuzzTarget *target,
           const char          *path)
{
  g_autofree char *data = NULL;
  gsize size;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &data, &size, &error));
  g_assert_no_error (error);
  g_test_message ("%s: %s (%" G_GSIZE_FORMAT " bytes)", target->name, path, size);
  target->func ((const guint8 *) data, size);
}

static void
test_seeds (gconstpointer data)
{
  const Case *c = data;
  g_autoptr(GPtrArray) files = list_files (c->path);

  g_assert_cmpuint (files->len, >, 0);
  for (guint i = 0; i < files->len; i++)
    feed_file (c->target, g_ptr_array_index (files, i));
  c->target->cleanup ();
}

static void
test_regression (gconstpointer data)
{
  const Case *c = data;

  feed_file (c->target, c->path);
  c->target->cleanup ();
}

static const char *const *
seed_dirs_of (const char *name)
{
  if (g_str_equal (name, "message"))
    return message_seed_dirs;
  if (g_str_equal (name, "ws"))
    return ws_seed_dirs;
  if (g_str_equal (name, "http"))
    return http_seed_dirs;
  if (g_str_equal (name, "client"))
    return client_seed_dirs;
  g_error ("no seeds listed for fuzz target %s", name);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (case_free);
  int status;

  g_test_init (&argc, &argv, NULL);
  /* Warnings and criticals abort, as in every test and in the fuzz driver,
   * but for the few that libraries we do not own emit on hostile input
   * (fcm-fuzz-targets.c). GLib's own fatal mask would abort before any
   * handler could tell them apart. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK);
  fcm_fuzz_abort_on_warnings ();

  for (guint t = 0; t < fcm_fuzz_n_targets; t++)
    {
      const FcmFuzzTarget *target = &fcm_fuzz_targets[t];
      const char *const *seeds = seed_dirs_of (target->name);
      g_autofree char *regressions = g_test_build_filename (G_TEST_DIST, "data", "fuzz-regressions",
                                                            target->name, NULL);
      g_autoptr(GPtrArray) files = list_files (regressions);

      for (guint i = 0; seeds[i] != NULL; i++)
        {
          Case *c = g_new0 (Case, 1);
          g_autofree char *test_path = NULL;
          g_autofree char *dir_name = g_path_get_basename (seeds[i]);

          c->target = target;
          c->path = g_test_build_filename (G_TEST_DIST, seeds[i], NULL);
          g_ptr_array_add (cases, c);
          test_path = g_strdup_printf ("/fcm/fuzz/%s/seeds/%s", target->name, dir_name);
          g_test_add_data_func (test_path, c, test_seeds);
        }

      for (guint i = 0; i < files->len; i++)
        {
          Case *c = g_new0 (Case, 1);
          g_autofree char *test_path = NULL;
          g_autofree char *base = g_path_get_basename (g_ptr_array_index (files, i));

          c->target = target;
          c->path = g_strdup (g_ptr_array_index (files, i));
          g_ptr_array_add (cases, c);
          test_path = g_strdup_printf ("/fcm/fuzz/%s/regression/%s", target->name, base);
          g_test_add_data_func (test_path, c, test_regression);
        }
    }

  status = g_test_run ();
  return status;
}
