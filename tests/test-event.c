/* test-event.c: FcmEvent parsing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fcm-core.h"
#include "fcm-json-private.h"
#include "fcm-test-util.h"

static void
test_event_parse_open (void)
{
  g_autofree char *text = fcm_test_load_text ("data", "vectors", "diagnosticreport-open.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FcmEvent) event = fcm_event_new_from_json (text, -1, &error);
  g_autofree char *report = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (event);
  g_assert_cmpstr (fcm_event_get_id (event), ==, "e1a7c3f0-52b8-4d19-8e6a-0f3b9d2c7a45");
  g_assert_cmpstr (fcm_event_get_name (event), ==, "DiagnosticReport-open");
  g_assert_true (fcm_event_has_name (event, "diagnosticreport-OPEN"));
  g_assert_cmpuint (json_array_get_length (fcm_event_get_context (event)), ==, 3);
  report = fcm_event_dup_context_id (event, "report", "DiagnosticReport");
  g_assert_cmpstr (report, ==, "rpt-9a41c7d2");
  g_assert_cmpstr (fcm_event_get_raw (event), ==, text);
  g_assert_cmpint (fcm_event_get_timestamp_usec (event), >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fcm/event/parse/open", test_event_parse_open);

  return g_test_run ();
}
